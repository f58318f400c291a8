/**
 * Agreement between the authors found in one version's sidecars (`agree --by-author`): every
 * pair of authors compared like two refs, and Krippendorff's α over all of them at once. An
 * author who did not annotate an article (no annotation of theirs in its sidecar) is *missing*
 * there, not "no label": α leaves missing values out, and a pair is compared only on the
 * articles both annotated. Annotations already settled by a curator (`curated`) are the result
 * of a curation, not one author's judgement, and annotations without an author cannot be
 * attributed: both are left out and counted.
 */
import { prepareText, type PreparedText } from '../annotations/anchoring';
import type { Annotation } from '../annotations/model';
import type { SidecarError } from '../annotations/sidecarValidator';
import { comparePlaced, orphanEntries, type OrphanEntry, type SideProblem } from './compare';
import { readSidecarDataFast } from './fastSidecarRead';
import type { AgreementSpan } from './matching';
import { emptyCoincidences, krippendorffAlpha, meanDefined, unitCoincidences, type Coincidences } from './measures';
import { placeAnnotations } from './placement';
import { AgreementAccumulator, type AgreementReport } from './report';
import { UnitCounter } from './units';

export interface AuthorArticleInput {
	readonly article: string;
	readonly sidecar: string;
	/** The sidecar's text (BOM removed). */
	readonly sidecarText?: string;
	/** Set when the sidecar's bytes could not be decoded. */
	readonly sidecarErrors?: readonly SidecarError[];
	/** The article's text; undefined when missing. */
	readonly articleText?: string;
}

export interface AuthorReport {
	readonly authors: string[];
	/** α over all authors, missing values allowed: per label, and the mean over labels as overall. */
	readonly krippendorff_alpha: { overall: number | null; labels: Record<string, number | null> };
	/** One report per pair of authors (a before b in name order). */
	readonly pairs: AgreementReport[];
	readonly orphans: OrphanEntry[];
	readonly problems: SideProblem[];
	/** Annotations without an author (not compared). */
	readonly unattributed: number;
	/** Annotations marked as settled by a curator (not compared). */
	readonly curated: number;
}

interface ArticleAuthors {
	readonly article: string;
	/** Compared annotations per author present; an author present with none compared has []. */
	readonly spans: ReadonlyMap<string, readonly AgreementSpan[]>;
	readonly text: ReturnType<typeof prepareText>;
}

/** One sidecar's annotations per author, placed in the article's text. */
export interface AuthorSplit {
	/** Per author present (one annotation of theirs, whatever the label): the compared spans, maybe none. */
	readonly spans: Map<string, AgreementSpan[]>;
	readonly orphans: OrphanEntry[];
	readonly unattributed: number;
	readonly curated: number;
}

/** Splits a sidecar's annotations by author; curated and unattributed ones are counted, not compared. */
export function splitByAuthor(article: string, annotations: readonly Annotation[], text: PreparedText, labels?: ReadonlySet<string>): AuthorSplit {
	const byAuthor = new Map<string, Annotation[]>();
	let unattributed = 0;
	let curated = 0;
	for (const a of annotations) {
		if (a.author === undefined) {
			unattributed++;
			continue;
		}
		// Present: the author annotated this article, whatever the label.
		const list = byAuthor.get(a.author) ?? [];
		byAuthor.set(a.author, list);
		if (a.curated !== undefined || a.curated_by !== undefined) {
			curated++;
		} else if (!labels || labels.has(a.label)) {
			list.push(a);
		}
	}
	const spans = new Map<string, AgreementSpan[]>();
	const orphans: OrphanEntry[] = [];
	for (const [author, list] of byAuthor) {
		const placed = placeAnnotations(list, text, text);
		spans.set(author, placed.spans);
		orphans.push(...orphanEntries(article, author, placed.orphans));
	}
	return { spans, orphans, unattributed, curated };
}

/** Collects articles, then {@link finish}es the report. */
export class AuthorAgreement {
	private readonly articles: ArticleAuthors[] = [];
	private readonly orphans: OrphanEntry[] = [];
	private readonly problems: SideProblem[] = [];
	private readonly authors = new Set<string>();
	private readonly alpha = new Map<string, Coincidences>();
	/** Σ over articles with two or more authors of units × authors: the coincidence mass of every label. */
	private pairableMass = 0;
	private unattributed = 0;
	private curated = 0;

	constructor(private readonly labels?: ReadonlySet<string>) {}

	add(input: AuthorArticleInput): void {
		const result = input.sidecarErrors ? { ok: false as const, errors: [...input.sidecarErrors] } : input.sidecarText === undefined ? undefined : readSidecarDataFast(input.sidecarText);
		if (!result) {
			return;
		}
		if (!result.ok) {
			const e = result.errors[0];
			this.problems.push({ kind: 'unreadable', article: input.article, side: 'WORKTREE', file: input.sidecar, line: e?.line ?? 1, column: e?.column ?? 1, message: e?.message ?? 'cannot be read' });
			return;
		}
		if (input.articleText === undefined) {
			this.problems.push({ kind: 'article-missing', article: input.article, side: 'WORKTREE', file: input.article, line: 1, column: 1, message: 'the article of this sidecar is missing' });
			return;
		}
		const text = prepareText(input.articleText);
		const split = splitByAuthor(input.article, result.data.annotations, text, this.labels);
		this.unattributed += split.unattributed;
		this.curated += split.curated;
		this.orphans.push(...split.orphans);
		const spans = split.spans;
		for (const author of spans.keys()) {
			this.authors.add(author);
		}
		this.articles.push({ article: input.article, spans, text });
		if (spans.size >= 2) {
			this.addAlpha(text.canonical, [...spans.values()]);
		}
	}

	private addAlpha(canonical: string, coders: readonly (readonly AgreementSpan[])[]): void {
		const units = new UnitCounter(canonical);
		this.pairableMass += units.total * coders.length;
		const labels = new Set(coders.flatMap((c) => c.map((s) => s.label)));
		for (const label of labels) {
			const c = unitCoincidences(units, coders.map((spans) => spans.filter((s) => s.label === label)));
			let sum = this.alpha.get(label);
			if (!sum) {
				sum = emptyCoincidences();
				this.alpha.set(label, sum);
			}
			// Only the pairs with a coder inside; o00 follows from the mass at the end.
			sum.o01 += c.o01;
			sum.o11 += c.o11;
		}
	}

	finish(schemaLabels: ReadonlySet<string>): AuthorReport {
		const authors = [...this.authors].sort();
		const pairs: AgreementReport[] = [];
		for (let i = 0; i < authors.length; i++) {
			for (let j = i + 1; j < authors.length; j++) {
				pairs.push(this.pair(authors[i], authors[j], schemaLabels));
			}
		}
		const labels: Record<string, number | null> = {};
		for (const label of [...this.alpha.keys()].sort()) {
			const c = this.alpha.get(label)!;
			labels[label] = krippendorffAlpha({ o00: this.pairableMass - c.o11 - 2 * c.o01, o01: c.o01, o11: c.o11 });
		}
		return {
			authors,
			krippendorff_alpha: { overall: meanDefined(Object.values(labels)), labels },
			pairs,
			orphans: this.orphans,
			problems: this.problems,
			unattributed: this.unattributed,
			curated: this.curated,
		};
	}

	private pair(x: string, y: string, schemaLabels: ReadonlySet<string>): AgreementReport {
		const acc = new AgreementAccumulator(x, y);
		for (const article of this.articles) {
			const a = article.spans.get(x);
			const b = article.spans.get(y);
			if (a && b) {
				acc.add(comparePlaced(article.article, article.text, a, b));
			} else if (a || b) {
				acc.add({
					article: article.article, status: a ? 'only-in-a' : 'only-in-b', a: [], b: [], tallies: new Map(),
					orphans: [], problems: [], units: 0, annotationsA: a?.length ?? 0, annotationsB: b?.length ?? 0,
				});
			}
		}
		const report = acc.finish(schemaLabels);
		// Orphans and problems belong to the whole run; each pair lists the orphans of its two authors.
		report.orphans = this.orphans.filter((o) => o.side === x || o.side === y);
		return report;
	}
}
