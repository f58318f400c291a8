/**
 * Sums article comparisons into the report `corpus-annotator agree --json` prints:
 * `{ a, b, overall, labels, articles, orphans }` plus the problems and label-schema flags.
 */
import {
	addTally, combinedMeasures, emptyTally, labelMeasures,
	type ArticleComparison, type ArticleStatus, type LabelTally, type Measures, type OrphanEntry, type SideProblem,
} from './compare';
import { tableCoincidences } from './measures';

/** Measures of one label, flagged when the label is not in the label schema. */
export type LabelReport = Measures & { in_schema: boolean };

/** One article of the report: measures when compared, otherwise why not. */
export type ArticleReport =
	| ({ article: string; status: 'compared' } & Measures)
	| { article: string; status: Exclude<ArticleStatus, 'compared'>; n_a: number; n_b: number };

export interface AgreementReport {
	/** What side A is (a ref, `WORKTREE`, or an author). */
	a: string;
	b: string;
	overall: Measures;
	labels: Record<string, LabelReport>;
	articles: ArticleReport[];
	orphans: OrphanEntry[];
	/** Sidecars (or articles) that could not be read, with their side and position. */
	problems: SideProblem[];
	/** Labels used that the label schema does not define (counted under their name). */
	labels_not_in_schema: string[];
}

/** Collects article comparisons in any order; {@link finish} sorts articles by path. */
export class AgreementAccumulator {
	private readonly tallies = new Map<string, LabelTally>();
	private readonly articles: ArticleReport[] = [];
	private readonly orphans: OrphanEntry[] = [];
	private readonly problems: SideProblem[] = [];
	/** Units (non-whitespace code points) of every compared article: a label absent from an article is "not inside" for all of them. */
	private units = 0;

	constructor(
		private readonly a: string,
		private readonly b: string,
	) {}

	add(c: ArticleComparison): void {
		this.orphans.push(...c.orphans);
		this.problems.push(...c.problems);
		if (c.status !== 'compared') {
			this.articles.push({ article: c.article, status: c.status, n_a: c.annotationsA, n_b: c.annotationsB });
			return;
		}
		this.articles.push({ article: c.article, status: 'compared', ...combinedMeasures(c.tallies) });
		for (const [label, t] of c.tallies) {
			let sum = this.tallies.get(label);
			if (!sum) {
				sum = emptyTally();
				this.tallies.set(label, sum);
			}
			addTally(sum, t);
		}
		this.units += c.units;
	}

	/** The report; `schemaLabels` are the label ids the schema defines. */
	finish(schemaLabels: ReadonlySet<string>): AgreementReport {
		const labels: Record<string, LabelReport> = {};
		const corpusTallies = new Map<string, LabelTally>();
		for (const label of [...this.tallies.keys()].sort()) {
			const t = { ...this.tallies.get(label)!, table: { ...this.tallies.get(label)!.table } };
			// Articles without the label count as "not inside" for every unit.
			t.table.n00 = this.units - t.table.n11 - t.table.n10 - t.table.n01;
			t.coincidences = tableCoincidences(t.table);
			corpusTallies.set(label, t);
			labels[label] = { ...labelMeasures(t), in_schema: schemaLabels.has(label) };
		}
		const byPath = (x: { article: string }, y: { article: string }): number => (x.article < y.article ? -1 : x.article > y.article ? 1 : 0);
		return {
			a: this.a,
			b: this.b,
			overall: combinedMeasures(corpusTallies),
			labels,
			articles: [...this.articles].sort(byPath),
			orphans: [...this.orphans].sort(byPath),
			problems: [...this.problems].sort(byPath),
			labels_not_in_schema: Object.keys(labels).filter((l) => !labels[l].in_schema),
		};
	}
}
