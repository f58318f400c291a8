import * as path from 'path';
import type { Annotation } from '../../core/annotations/model';
import { articlePathFor } from '../../core/corpus/corpusLayout';
import { classifyChange, diffSidecars, shortQuote, type AnnotationChange, type ChangeKind } from '../../core/review/annotationDiff';
import { changedSidecars } from '../../node/sidecarChanges';

/** How one annotation changed, as the view shows it. */
export type ReviewChangeKind = 'added' | 'removed' | ChangeKind;

/** One annotation's change in one article. */
export interface ReviewChange {
	readonly kind: ReviewChangeKind;
	/** Every kind of a changed annotation (relabelled + note, …); `[kind]` for added/removed. */
	readonly kinds: readonly ReviewChangeKind[];
	readonly id: string;
	/** Tree label: `+ claim “quote”`, `- event “quote”`, `~ attribution → claim “quote”`, … */
	readonly label: string;
	/** Tree description: offsets, note, changed fields. */
	readonly detail: string;
	/** The annotation as it is in the "to" version (the "from" version for removed ones). */
	readonly annotation: Annotation;
	readonly before?: Annotation;
}

/** The annotation changes of one article. */
export interface ArticleReview {
	/** Absolute path of the article file. */
	readonly articlePath: string;
	/** Article path relative to the repository root, forward slashes. */
	readonly article: string;
	readonly sidecar: string;
	readonly changes: readonly ReviewChange[];
	/** Set when a version of the sidecar could not be read (e.g. unresolved merge conflict). */
	readonly problem?: string;
}

/** The annotation changes of one repository. */
export interface RepositoryReview {
	readonly root: string;
	readonly articles: readonly ArticleReview[];
	/** Set when git failed (unknown ref, …). */
	readonly error?: string;
}

const SYMBOLS: Readonly<Record<ReviewChangeKind, string>> = {
	added: '+', removed: '-', relabelled: '~', moved: '↔', requoted: '~', note: '✎', entity: '~', other: '~',
};

/** Compares the sidecars of a repository between `from` and `to` (undefined: working tree). */
export async function reviewRepository(root: string, from: string, to: string | undefined): Promise<RepositoryReview> {
	const files = await changedSidecars(root, from, to);
	const articles: ArticleReview[] = [];
	for (const file of files) {
		const diff = diffSidecars(file.before, file.after);
		const changes: ReviewChange[] = [
			...diff.added.map((a) => simple('added', a)),
			...diff.removed.map((a) => simple('removed', a)),
			...diff.changed.map(changed),
		];
		const problem = diff.errors
			? `The ${diff.errors.side === 'before' ? 'old' : 'new'} version cannot be read: line ${diff.errors.errors[0]?.line ?? 1}: ${diff.errors.errors[0]?.message ?? ''}`
			: undefined;
		if (changes.length === 0 && !problem) {
			continue;
		}
		const article = articlePathFor(file.path) ?? file.path;
		articles.push({ articlePath: path.join(root, ...article.split('/')), article, sidecar: file.path, changes, problem });
	}
	return { root, articles };
}

function simple(kind: 'added' | 'removed', a: Annotation): ReviewChange {
	return {
		kind, kinds: [kind], id: a.id, annotation: a,
		label: `${SYMBOLS[kind]} ${a.label} “${shortQuote(a.quote, 50)}”`,
		detail: `${kind} · ${a.id}`,
	};
}

function changed(c: AnnotationChange): ReviewChange {
	const kinds = classifyChange(c);
	const kind = kinds[0];
	const { before: b, after: a } = c;
	const label = kind === 'relabelled'
		? `~ ${b.label} → ${a.label} “${shortQuote(a.quote, 50)}”`
		: `${SYMBOLS[kind]} ${a.label} “${shortQuote(a.quote, 50)}”`;
	const details: string[] = [];
	for (const k of kinds) {
		if (k === 'relabelled') {
			details.push('relabelled');
		} else if (k === 'moved') {
			details.push(`moved ${b.start}–${b.end} → ${a.start}–${a.end}`);
		} else if (k === 'requoted') {
			details.push(`quote was “${shortQuote(b.quote, 30)}”`);
		} else if (k === 'note') {
			details.push(a.note === undefined ? 'note removed' : `note: ${shortQuote(a.note, 40)}`);
		} else if (k === 'entity') {
			details.push(`entity ${b.entity ?? '—'} → ${a.entity ?? '—'}`);
		} else {
			details.push(`changed ${c.fields.join(', ')}`);
		}
	}
	return { kind, kinds, id: c.id, label, detail: `${details.join(' · ')} · ${c.id}`, annotation: a, before: b };
}
