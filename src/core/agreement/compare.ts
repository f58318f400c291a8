/**
 * Agreement between two versions of a corpus's annotations (two git refs, or two authors): per
 * article, the pairing of spans and the unit tables of each label; summed into per-label and
 * overall measures. Pure: the host reads the files and hands their texts in.
 */
import { prepareText, type PreparedText } from '../annotations/anchoring';
import type { Annotation, SidecarData } from '../annotations/model';
import type { SidecarError } from '../annotations/sidecarValidator';
import { readSidecarDataFast } from './fastSidecarRead';
import { matchSpans, type AgreementSpan, type SpanMatching } from './matching';
import {
	addCoincidences, addTable, binaryTable, cohenKappa, emptyCoincidences, emptyTable, f1, krippendorffAlpha, meanDefined,
	tableCoincidences, type BinaryTable, type Coincidences,
} from './measures';
import { placeAnnotations, type PlacementOrphan } from './placement';
import { UnitCounter } from './units';

export type SideName = 'a' | 'b';

/** The measures and counts of one label, one article or the whole comparison (the JSON field names). */
export interface Measures {
	exact_f1: number | null;
	overlap_f1: number | null;
	cohen_kappa: number | null;
	krippendorff_alpha: number | null;
	n_a: number;
	n_b: number;
	matched_exact: number;
	only_a: number;
	only_b: number;
	label_differs: number;
	boundary_differs: number;
}

/** Counts of one label in one article or summed, before the measures are derived. */
export interface LabelTally {
	nA: number;
	nB: number;
	exact: number;
	boundary: number;
	/** Label-differs pairs whose A span has this label. */
	labelA: number;
	/** Label-differs pairs whose B span has this label. */
	labelB: number;
	onlyA: number;
	onlyB: number;
	table: BinaryTable;
	coincidences: Coincidences;
}

/** One annotation that could not be placed, as listed in the output. */
export interface OrphanEntry {
	readonly article: string;
	readonly side: string;
	readonly id: string;
	readonly label: string;
	readonly quote: string;
	readonly reason: string;
}

/** A sidecar (or article) that could not be read on one side. */
export interface SideProblem {
	/** A file that does not read (exit 2), or a sidecar whose article is missing. */
	readonly kind: 'unreadable' | 'article-missing';
	readonly article: string;
	readonly side: string;
	/** The file, relative like `article`. */
	readonly file: string;
	readonly line: number;
	readonly column: number;
	readonly message: string;
}

/**
 * Why an article was not compared: annotated on one side only; a sidecar that does not read;
 * the article text missing where its sidecar is.
 */
export type ArticleStatus = 'compared' | 'only-in-a' | 'only-in-b' | 'unreadable' | 'article-missing';

/** The comparison of one article. */
export interface ArticleComparison {
	readonly article: string;
	readonly status: ArticleStatus;
	/** The text compared in (canonical), when compared. */
	readonly text?: PreparedText;
	readonly a: readonly AgreementSpan[];
	readonly b: readonly AgreementSpan[];
	readonly matching?: SpanMatching;
	/** Per label present in this article on either side. */
	readonly tallies: ReadonlyMap<string, LabelTally>;
	readonly orphans: readonly OrphanEntry[];
	readonly problems: readonly SideProblem[];
	/** Units (non-whitespace code points) of the compared text; 0 when not compared. */
	readonly units: number;
	/** Annotations on each side (before placement; for one-sided articles). */
	readonly annotationsA: number;
	readonly annotationsB: number;
}

/** One side of one article, as the host read it. */
export interface SideInput {
	/** The sidecar's text (BOM removed); undefined when there is none on this side. */
	readonly sidecar?: string;
	/** Set when the sidecar's bytes could not be decoded (invalid UTF-8). */
	readonly sidecarErrors?: readonly SidecarError[];
	/** The article's text on this side; undefined when it is missing there. */
	readonly article?: string;
	/** Set when the article's bytes could not be decoded (invalid UTF-8). */
	readonly articleErrors?: readonly SidecarError[];
}

export interface ArticleInput {
	/** Article path relative to the compared folder (forward slashes). */
	readonly article: string;
	/** The sidecar's path, relative like `article` (for problems). */
	readonly sidecar: string;
	readonly a: SideInput;
	readonly b: SideInput;
	/** The current (working tree) article text, when there is one: both sides are compared in it when theirs differ. */
	readonly current?: string;
}

export interface CompareOptions {
	/** Only these labels are compared (annotations of others are ignored). */
	readonly labels?: ReadonlySet<string>;
	/** What each side is called in problems and orphans (default `a`, `b`). */
	readonly sideNames?: Readonly<Record<SideName, string>>;
	/** Compare in the current text even when both sides have the same (other) text: for curating into the working tree. */
	readonly inCurrentText?: boolean;
}

/** Reads both sides of one article and compares them. */
export function compareArticle(input: ArticleInput, options: CompareOptions = {}): ArticleComparison {
	const names = options.sideNames ?? { a: 'a', b: 'b' };
	const problems: SideProblem[] = [];
	const read = (side: SideName): SidecarData | undefined => {
		const s = input[side];
		if (s.sidecar === undefined && !s.sidecarErrors) {
			return undefined;
		}
		const result = s.sidecarErrors ? { ok: false as const, errors: [...s.sidecarErrors] } : readSidecarDataFast(s.sidecar!);
		if (!result.ok) {
			const e = result.errors[0];
			problems.push({ kind: 'unreadable', article: input.article, side: names[side], file: input.sidecar, line: e?.line ?? 1, column: e?.column ?? 1, message: e?.message ?? 'cannot be read' });
			return undefined;
		}
		return result.data;
	};
	const dataA = read('a');
	const dataB = read('b');
	const countOf = (d: SidecarData | undefined): number => (d ? filterLabels(d.annotations, options.labels).length : 0);
	const base = { article: input.article, a: [], b: [], tallies: new Map<string, LabelTally>(), orphans: [], units: 0, annotationsA: countOf(dataA), annotationsB: countOf(dataB) };
	if (problems.length > 0) {
		return { ...base, status: 'unreadable', problems };
	}
	const hasA = input.a.sidecar !== undefined;
	const hasB = input.b.sidecar !== undefined;
	if (!hasA || !hasB) {
		return { ...base, status: hasA ? 'only-in-a' : 'only-in-b', problems };
	}
	for (const side of ['a', 'b'] as const) {
		const e = input[side].articleErrors?.[0];
		if (e) {
			problems.push({ kind: 'unreadable', article: input.article, side: names[side], file: input.article, line: e.line, column: e.column, message: e.message });
			return { ...base, status: 'unreadable', problems };
		}
		if (input[side].article === undefined) {
			problems.push({ kind: 'article-missing', article: input.article, side: names[side], file: input.article, line: 1, column: 1, message: 'the article of this sidecar is missing on this side' });
		}
	}
	if (problems.length > 0) {
		return { ...base, status: 'article-missing', problems };
	}
	const textA = prepareText(input.a.article!);
	// Usually the very same text on both sides: prepared once.
	const textB = input.b.article === input.a.article ? textA : prepareText(input.b.article!);
	// Equal texts are compared as they are; different ones in the current text (the working tree's), else in B's.
	const inCurrent = options.inCurrentText === true && input.current !== undefined;
	const compared = textA.canonical === textB.canonical && !inCurrent ? textA : prepareText(input.current ?? input.b.article!);
	const placedA = placeAnnotations(filterLabels(dataA!.annotations, options.labels), textA, compared);
	const placedB = placeAnnotations(filterLabels(dataB!.annotations, options.labels), textB, compared);
	const orphans = [...orphanEntries(input.article, names.a, placedA.orphans), ...orphanEntries(input.article, names.b, placedB.orphans)];
	return { ...comparePlaced(input.article, compared, placedA.spans, placedB.spans), orphans };
}

/** Compares two sides already placed in one text. */
export function comparePlaced(article: string, text: PreparedText, a: readonly AgreementSpan[], b: readonly AgreementSpan[], units?: UnitCounter): ArticleComparison {
	const counter = units ?? new UnitCounter(text.canonical);
	const matching = matchSpans(a, b);
	const tallies = new Map<string, LabelTally>();
	const tally = (label: string): LabelTally => {
		let t = tallies.get(label);
		if (!t) {
			t = emptyTally();
			tallies.set(label, t);
		}
		return t;
	};
	for (const s of a) {
		tally(s.label).nA++;
	}
	for (const s of b) {
		tally(s.label).nB++;
	}
	for (const p of matching.exact) {
		tally(a[p.a].label).exact++;
	}
	for (const p of matching.boundary) {
		tally(a[p.a].label).boundary++;
	}
	for (const p of matching.label) {
		tally(a[p.a].label).labelA++;
		tally(b[p.b].label).labelB++;
	}
	for (const i of matching.onlyA) {
		tally(a[i].label).onlyA++;
	}
	for (const j of matching.onlyB) {
		tally(b[j].label).onlyB++;
	}
	const byLabel = new Map<string, { a: AgreementSpan[]; b: AgreementSpan[] }>();
	const group = (label: string): { a: AgreementSpan[]; b: AgreementSpan[] } => {
		let g = byLabel.get(label);
		if (!g) {
			g = { a: [], b: [] };
			byLabel.set(label, g);
		}
		return g;
	};
	for (const s of a) {
		group(s.label).a.push(s);
	}
	for (const s of b) {
		group(s.label).b.push(s);
	}
	for (const [label, g] of byLabel) {
		const t = tallies.get(label)!;
		t.table = binaryTable(counter, g.a, g.b);
		t.coincidences = tableCoincidences(t.table);
	}
	return { article, status: 'compared', text, a, b, matching, tallies, orphans: [], problems: [], units: counter.total, annotationsA: a.length, annotationsB: b.length };
}

function filterLabels(annotations: readonly Annotation[], labels: ReadonlySet<string> | undefined): readonly Annotation[] {
	return labels ? annotations.filter((a) => labels.has(a.label)) : annotations;
}

export function orphanEntries(article: string, side: string, orphans: readonly PlacementOrphan[]): OrphanEntry[] {
	return orphans.map((o) => ({ article, side, id: o.annotation.id, label: o.annotation.label, quote: o.annotation.quote, reason: o.reason }));
}

export function emptyTally(): LabelTally {
	return { nA: 0, nB: 0, exact: 0, boundary: 0, labelA: 0, labelB: 0, onlyA: 0, onlyB: 0, table: emptyTable(), coincidences: emptyCoincidences() };
}

export function addTally(into: LabelTally, t: LabelTally): void {
	into.nA += t.nA;
	into.nB += t.nB;
	into.exact += t.exact;
	into.boundary += t.boundary;
	into.labelA += t.labelA;
	into.labelB += t.labelB;
	into.onlyA += t.onlyA;
	into.onlyB += t.onlyB;
	addTable(into.table, t.table);
	addCoincidences(into.coincidences, t.coincidences);
}

/** The measures of one label. `label_differs` counts the pairs in which this label is on either side. */
export function labelMeasures(t: LabelTally): Measures {
	return {
		exact_f1: f1(t.exact, t.nA, t.nB),
		overlap_f1: f1(t.exact + t.boundary, t.nA, t.nB),
		cohen_kappa: cohenKappa(t.table),
		krippendorff_alpha: krippendorffAlpha(t.coincidences),
		n_a: t.nA,
		n_b: t.nB,
		matched_exact: t.exact,
		only_a: t.onlyA,
		only_b: t.onlyB,
		label_differs: t.labelA + t.labelB,
		boundary_differs: t.boundary,
	};
}

/**
 * Measures over several labels: counts summed (label-differs pairs once), F1 from the sums
 * (micro-average), κ and α the mean of the labels' values (labels present on either side).
 */
export function combinedMeasures(tallies: ReadonlyMap<string, LabelTally>): Measures {
	const sum = emptyTally();
	const kappas: (number | null)[] = [];
	const alphas: (number | null)[] = [];
	for (const t of tallies.values()) {
		if (t.nA + t.nB === 0) {
			continue;
		}
		addTally(sum, t);
		kappas.push(cohenKappa(t.table));
		alphas.push(krippendorffAlpha(t.coincidences));
	}
	return {
		...labelMeasures(sum),
		cohen_kappa: meanDefined(kappas),
		krippendorff_alpha: meanDefined(alphas),
		// Each label-differs pair was counted under both of its labels.
		label_differs: sum.labelA,
	};
}
