import * as path from 'path';
import type { Annotation, Relation } from '../../core/annotations/model';
import { articlePathFor } from '../../core/corpus/corpusLayout';
import {
	classifyChange, endpointText, shortQuote, type AnnotationChange, type ChangeKind, type RelationChange, type SidecarDiff,
} from '../../core/review/annotationDiff';
import { diffSidecarTexts } from '../../core/review/sidecarTextDiff';
import { changedSidecars } from '../../node/sidecarChanges';

/** How one annotation or relation changed, as the view shows it. */
export type ReviewChangeKind = 'added' | 'removed' | ChangeKind | RelationChangeKind;

/** A relation added, removed or changed. */
export type RelationChangeKind = 'relation-added' | 'relation-removed' | 'relation-changed';

/** Prefix of {@link ReviewChange.id} for relation changes (relation ids and annotation ids are separate namespaces). */
export const RELATION_CHANGE_PREFIX = 'relation:';

/** One annotation's or relation's change in one article. */
export interface ReviewChange {
	readonly kind: ReviewChangeKind;
	/** Every kind of a changed annotation (relabelled + note, …); `[kind]` for added/removed and relations. */
	readonly kinds: readonly ReviewChangeKind[];
	/** Unique within the article: the annotation id, or `relation:` and the relation id. */
	readonly id: string;
	/** Tree label: `+ claim “quote”`, `- event “quote”`, `~ attribution → claim “quote”`, `+ source-of “a” → “b”`, … */
	readonly label: string;
	/** Tree description: offsets, note, changed fields. */
	readonly detail: string;
	/**
	 * The annotation as it is in the "to" version (the "from" version for removed ones); for a
	 * relation, its `from` annotation (where opening the change jumps), undefined when neither
	 * version has it.
	 */
	readonly annotation: Annotation | undefined;
	readonly before?: Annotation;
	/** For relation changes: the relation as in the "to" version (the "from" version for removed ones). */
	readonly relation?: Relation;
	/** For changed relations: the "from" version. */
	readonly relationBefore?: Relation;
}

/** True for the changes of relations (not drawn as annotation changes). */
export function isRelationChange(change: ReviewChange): boolean {
	return change.relation !== undefined;
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
	'relation-added': '+', 'relation-removed': '-', 'relation-changed': '~',
};

/** Compares the sidecars of a repository between `from` and `to` (undefined: working tree). */
export async function reviewRepository(root: string, from: string, to: string | undefined): Promise<RepositoryReview> {
	const files = await changedSidecars(root, from, to);
	const articles: ArticleReview[] = [];
	for (const file of files) {
		const diff = diffSidecarTexts(file.before, file.after);
		const changes: ReviewChange[] = [
			...diff.added.map((a) => simple('added', a)),
			...diff.removed.map((a) => simple('removed', a)),
			...diff.changed.map(changed),
			...relationChanges(diff),
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

/** The relation changes of one sidecar, after its annotation changes. */
function relationChanges(diff: SidecarDiff): ReviewChange[] {
	const ends = (r: Relation): string => `${endpointText(diff.endpoints, r.from, 30)} → ${endpointText(diff.endpoints, r.to, 30)}`;
	const simpleRelation = (kind: 'relation-added' | 'relation-removed', r: Relation): ReviewChange => ({
		kind, kinds: [kind], id: RELATION_CHANGE_PREFIX + r.id, relation: r, annotation: diff.endpoints.get(r.from),
		label: `${SYMBOLS[kind]} ${r.type} ${ends(r)}`,
		detail: `relation ${kind === 'relation-added' ? 'added' : 'removed'} · ${r.id}`,
	});
	const changedRelation = (c: RelationChange): ReviewChange => {
		const { before: b, after: a } = c;
		const details: string[] = [];
		if (c.fields.includes('type')) {
			details.push(`type was ${b.type}`);
		}
		if (c.fields.includes('from') || c.fields.includes('to')) {
			details.push(`was ${ends(b)}`);
		}
		if (c.fields.includes('note')) {
			details.push(a.note === undefined ? 'note removed' : `note: ${shortQuote(a.note, 40)}`);
		}
		// `modified` follows the other changes: listed only when nothing else changed (as for annotations).
		const rest = c.fields.filter((f) => !['type', 'from', 'to', 'note', 'modified'].includes(f));
		if (rest.length > 0 || details.length === 0) {
			details.push(`changed ${(rest.length > 0 ? rest : c.fields).join(', ')}`);
		}
		return {
			kind: 'relation-changed', kinds: ['relation-changed'], id: RELATION_CHANGE_PREFIX + c.id, relation: a, relationBefore: b,
			annotation: diff.endpoints.get(a.from), label: `${SYMBOLS['relation-changed']} ${a.type} ${ends(a)}`,
			detail: `relation ${details.join(' · ')} · ${c.id}`,
		};
	};
	return [
		...diff.relations.added.map((r) => simpleRelation('relation-added', r)),
		...diff.relations.removed.map((r) => simpleRelation('relation-removed', r)),
		...diff.relations.changed.map(changedRelation),
	];
}
