import { promises as fsp } from 'fs';
import * as path from 'path';
import { splitByAuthor } from '../../core/agreement/byAuthor';
import { compareArticle, comparePlaced, type ArticleComparison, type ArticleInput } from '../../core/agreement/compare';
import { curatedOverlap, decisionHolds, disagreementsOf, type DecisionRecord, type Disagreement, type SpanKey } from '../../core/agreement/curation';
import { readSidecarDataFast } from '../../core/agreement/fastSidecarRead';
import { placeAnnotations } from '../../core/agreement/placement';
import { AgreementAccumulator, type AgreementReport } from '../../core/agreement/report';
import { prepareText } from '../../core/annotations/anchoring';
import { sidecarPathFor } from '../../core/corpus/corpusLayout';
import { GitBlobReader, openCorpusVersion, readArticleInputs, WORKTREE } from '../../node/gitBatch';

/** Two git versions of the corpus (`WORKTREE` for the files on disk), or two authors of the working tree's sidecars. */
export type AnalystPair = { readonly mode: 'refs' | 'authors'; readonly a: string; readonly b: string };

export function pairKey(p: AnalystPair): string {
	return `${p.mode}\u0000${p.a}\u0000${p.b}`;
}

/** A working-tree annotation as settledness needs it (code points in the article's current text). */
export type WorkingSpan = SpanKey & { readonly curated: boolean };

/** One article with disagreements, and which of them are settled. */
export interface SessionArticle {
	/** Relative to the repository root, forward slashes. */
	readonly article: string;
	readonly articlePath: string;
	comparison: ArticleComparison;
	disagreements: Disagreement[];
	settled: boolean[];
	/** ref mode: the inputs, to compare again in another current text. */
	readonly input?: ArticleInput;
}

/**
 * The comparison the Disagreements view shows: loaded once per pair (a snapshot of the two
 * sides), while settledness follows the working tree's sidecars as they change.
 */
export class AgreementSession {
	private constructor(
		readonly root: string,
		readonly pair: AnalystPair,
		readonly articles: SessionArticle[],
		readonly report: AgreementReport,
	) {}

	/** Reads both sides under `root` and compares them in the working tree's texts. */
	static async load(root: string, pair: AnalystPair, labels?: ReadonlySet<string>, schema: ReadonlySet<string> = new Set()): Promise<AgreementSession> {
		const acc = new AgreementAccumulator(pair.a, pair.b);
		const articles: SessionArticle[] = [];
		const keep = (article: string, comparison: ArticleComparison, input?: ArticleInput): void => {
			acc.add(comparison);
			const disagreements = disagreementsOf(comparison);
			if (disagreements.length > 0) {
				articles.push({ article, articlePath: path.join(root, ...article.split('/')), comparison, disagreements, settled: disagreements.map(() => false), input });
			}
		};
		let reader: GitBlobReader | undefined;
		try {
			const open = (ref: string): ReturnType<typeof openCorpusVersion> => openCorpusVersion(root, ref, () => (reader ??= new GitBlobReader(root)));
			if (pair.mode === 'refs') {
				const [a, b] = [await open(pair.a), await open(pair.b)];
				await readArticleInputs(root, a, b, (input) => keep(input.article, compareArticle(input, { labels, sideNames: { a: pair.a, b: pair.b }, inCurrentText: true }), input), { alwaysCurrent: true });
			} else {
				const tree = await open(WORKTREE);
				await readArticleInputs(root, tree, tree, (input) => {
					const c = compareAuthors(input, pair, labels);
					if (c) {
						keep(input.article, c);
					}
				});
			}
		} finally {
			await reader?.close();
		}
		articles.sort((x, y) => (x.article < y.article ? -1 : x.article > y.article ? 1 : 0));
		return new AgreementSession(root, pair, articles, acc.finish(schema));
	}

	get total(): number {
		return this.articles.reduce((n, a) => n + a.disagreements.length, 0);
	}

	get settledCount(): number {
		return this.articles.reduce((n, a) => n + a.settled.filter((s) => s).length, 0);
	}

	/**
	 * The article compared again in `text` (ref mode), when the working tree's text is no longer
	 * the one compared in; undefined when it cannot be (author mode: compare again).
	 */
	recompare(article: SessionArticle, text: string): boolean {
		if (article.comparison.text?.canonical === prepareText(text).canonical) {
			return true;
		}
		if (!article.input) {
			return false;
		}
		article.comparison = compareArticle({ ...article.input, current: text }, { sideNames: { a: this.pair.a, b: this.pair.b }, inCurrentText: true });
		article.disagreements = disagreementsOf(article.comparison);
		article.settled = article.disagreements.map(() => false);
		return true;
	}

	/** Marks which disagreements of `article` the working tree shows settled. */
	evaluate(article: SessionArticle, workingTree: readonly WorkingSpan[], records: readonly DecisionRecord[]): void {
		article.settled = article.disagreements.map((d) => {
			const record = records.find((r) => r.key === d.key);
			return record ? decisionHolds(record, workingTree) : curatedOverlap(d, workingTree);
		});
	}
}

/** Author mode: the two authors' spans in one working-tree sidecar; undefined when not both annotated it. */
function compareAuthors(input: ArticleInput, pair: AnalystPair, labels?: ReadonlySet<string>): ArticleComparison | undefined {
	if (input.a.sidecar === undefined || input.a.article === undefined) {
		return undefined;
	}
	const read = readSidecarDataFast(input.a.sidecar);
	if (!read.ok) {
		return undefined;
	}
	const text = prepareText(input.a.article);
	const split = splitByAuthor(input.article, read.data.annotations, text, labels);
	const a = split.spans.get(pair.a);
	const b = split.spans.get(pair.b);
	return a && b ? { ...comparePlaced(input.article, text, a, b), orphans: split.orphans.filter((o) => o.side === pair.a || o.side === pair.b) } : undefined;
}

/** The working tree's annotations of an article from its sidecar on disk, placed in `text`. */
export async function workingTreeFromDisk(articlePath: string, text: string): Promise<WorkingSpan[]> {
	const sidecar = await fsp.readFile(sidecarPathFor(articlePath), 'utf8').catch(() => undefined);
	if (sidecar === undefined) {
		return [];
	}
	const read = readSidecarDataFast(sidecar.charCodeAt(0) === 0xfeff ? sidecar.slice(1) : sidecar);
	if (!read.ok) {
		return [];
	}
	const byId = new Map(read.data.annotations.map((a) => [a.id, a]));
	return placeAnnotations(read.data.annotations, text, text).spans.map((s) => ({
		label: s.label, start: s.start, end: s.end, curated: byId.get(s.id)?.curated !== undefined,
	}));
}
