/**
 * Export and import of a corpus in another tool's format, shared by `corpus-annotator
 * export/import` and the extension's Export Corpus… / Import Annotations… commands. The formats
 * are pure (core/exchange); this file reads the corpus, asks the format, and writes: export files
 * under the output folder, imported annotations into sidecars (under each sidecar's lock, or not
 * at all), new articles, and labels the schema lacks into `.corpus/labels.yaml`.
 *
 * Import validates everything before it writes anything: a malformed input, a text that is not
 * the article's, an unreadable sidecar or an annotation the sidecar refuses stops the import with
 * every problem as `file:line:column: message`, and no file is touched.
 */
import { existsSync, promises as fs } from 'fs';
import * as path from 'path';
import { prepareText, selectorAt, type PreparedText } from '../core/annotations/anchoring';
import { addToLabelSchemaText, DEFAULT_LABELS, DEFAULT_RELATION_TYPES, disallowedEnds, effectiveLabels, effectiveRelationTypes, parseLabelSchema } from '../core/annotations/labelSchema';
import type { Annotation, LabelDef, Relation, RelationTypeDef } from '../core/annotations/model';
import { canonicalText, codePointLength, sidecarOffset } from '../core/annotations/offsets';
import { SidecarEditError } from '../core/annotations/sidecarCodec';
import { openSidecarSession } from '../core/annotations/sidecarSession';
import { decodeSidecarBytes } from '../core/annotations/sidecarValidator';
import { formatArticleDate, looksLikeArticle, parseHeader } from '../core/article/articleParser';
import { sidecarPathFor } from '../core/corpus/corpusLayout';
import { exportContext, ExportSummaryBuilder, ExportTally, type ExportPart } from '../core/exchange/articleExport';
import { alignToArticle } from '../core/exchange/conll';
import type { ExchangeDocument, ExchangeError, ExchangeFormat, ExchangeLoss, ExchangeSchema, ExportContext, ImportedDocument } from '../core/exchange/exchangeFormat';
import { exchangeFormat } from '../core/exchange/formats';
import { firstDifference, isEmptyPlan, planMerge, type MergePlan } from '../core/exchange/importPlan';
import { migrateDocument, parseDatesCsv } from '../core/exchange/migration';
import { findWorkspaceFile } from './corpusFiles';
import { listTextFiles, readImportFiles, readTextKeepingBom } from './exchangeFiles';
import { ExportWriter, readArticles, writeArticles, type ReadOutcome } from './exportArticles';
import type { ExportWorkerRequest } from './exportWorker';
import { NodeFileError } from './fileErrors';
import { readBytesIfExists, readUtf8IfExists } from './files';
import { updateFileLocked } from './lockedUpdate';
import { WorkerPool } from './workerPool';

/** Progress of a long export or import; `isCancelled` is polled between articles. */
export interface ExchangeProgress {
	report(done: number, total: number, stage: string): void;
	isCancelled(): boolean;
}

/** Thrown when {@link ExchangeProgress.isCancelled} said so; for import, before anything was written. */
export class ExchangeCancelled extends Error {
	constructor(readonly wroteSomething: boolean) {
		super(wroteSomething ? 'cancelled; the articles done so far were written' : 'cancelled; nothing was written');
	}
}

/** Problems that stop an export or import, each `file:line:column: message`. */
export class ExchangeRefused extends Error {
	constructor(readonly problems: string[], readonly wroteNothing = true) {
		super([...problems.slice(0, MAX_PROBLEMS), ...(problems.length > MAX_PROBLEMS ? [`… and ${problems.length - MAX_PROBLEMS} more`] : []), ...(wroteNothing ? ['Nothing was written.'] : [])].join('\n'));
	}
}

const MAX_PROBLEMS = 30;
const NO_PROGRESS: ExchangeProgress = { report: () => undefined, isCancelled: () => false };

/** `"1 article"`, `"3 articles"`. */
export function counted(n: number, one: string, many = `${one}s`): string {
	return `${n} ${n === 1 ? one : many}`;
}

/** `"3 notes and 2 relations"`. */
export function joinCounts(parts: readonly ExchangeLoss[]): string {
	const words = parts.filter((p) => p.count > 0).map((p) => `${p.count} ${p.what}`);
	return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

// ------------------------------------------------------------------------------------------------
// Labels
// ------------------------------------------------------------------------------------------------

interface SchemaFile {
	/** The `.corpus/labels.yaml` that applies, or where one would be created. */
	readonly path: string;
	readonly exists: boolean;
	readonly text: string | undefined;
	/** The labels and relation types in effect (the defaults when the file defines none). */
	readonly schema: ExchangeSchema;
}

async function readSchemaFile(corpusDir: string): Promise<SchemaFile> {
	const found = await findWorkspaceFile(corpusDir, 'labels.yaml');
	const file = found ?? path.join(corpusDir, '.corpus', 'labels.yaml');
	const text = found ? await readUtf8IfExists(found, 'label schema') : undefined;
	return { path: file, exists: text !== undefined, text, schema: schemaOf(file, text) };
}

function schemaOf(file: string, text: string | undefined): ExchangeSchema {
	if (text === undefined) {
		return { labels: DEFAULT_LABELS, relationTypes: DEFAULT_RELATION_TYPES };
	}
	const parsed = parseLabelSchema(text);
	if (parsed.errors.length > 0) {
		const e = parsed.errors[0];
		throw new ExchangeRefused([`${file}:${e.line}:${e.column}: ${e.message}`]);
	}
	return { labels: effectiveLabels(parsed), relationTypes: effectiveRelationTypes(parsed) };
}

/** Labels and relation types used by `docs` that `schema` lacks, described as `found` has them when it does. */
function missingFromSchema(
	schema: ExchangeSchema, docs: readonly { annotations: readonly Annotation[]; relations: readonly Relation[] }[], found?: ExchangeSchema,
): { labels: LabelDef[]; relationTypes: RelationTypeDef[] } {
	const knownLabels = new Set(schema.labels.map((l) => l.id));
	const knownTypes = new Set(schema.relationTypes.map((t) => t.id));
	const labels = new Map<string, LabelDef>();
	const relationTypes = new Map<string, RelationTypeDef>();
	for (const d of docs) {
		for (const a of d.annotations) {
			if (!knownLabels.has(a.label) && !labels.has(a.label)) {
				labels.set(a.label, found?.labels.find((l) => l.id === a.label) ?? { id: a.label });
			}
		}
		for (const r of d.relations) {
			if (!knownTypes.has(r.type) && !relationTypes.has(r.type)) {
				relationTypes.set(r.type, found?.relationTypes.find((t) => t.id === r.type) ?? { id: r.type });
			}
		}
	}
	return { labels: [...labels.values()], relationTypes: [...relationTypes.values()] };
}

// ------------------------------------------------------------------------------------------------
// Export
// ------------------------------------------------------------------------------------------------

export interface ExportRequest {
	readonly corpusDir: string;
	readonly outDir: string;
	readonly format: ExchangeFormat;
	readonly labels?: readonly string[];
	readonly progress?: ExchangeProgress;
	/**
	 * Worker threads to read, convert and write the articles in (default 1: in this thread). The
	 * files are the same with any number; only registered formats run in workers.
	 */
	readonly jobs?: number;
}

export interface ExportReport {
	readonly articles: number;
	readonly annotations: number;
	readonly relations: number;
	readonly files: number;
	/** What the format could not carry, plus orphaned annotations and their relations (not exported). */
	readonly losses: ExchangeLoss[];
	readonly warnings: string[];
	/** Articles left out because their sidecar does not validate (`file:line:column: message`). */
	readonly skipped: string[];
	/** The lines to show: the summary, then every loss, warning and skip. */
	readonly lines: string[];
	/** Worker threads the articles went through (0: this thread). */
	readonly threads: number;
}

/** Articles per batch: enough batches for the workers to even out (four each), few enough messages or event-loop turns. */
function batchSize(texts: number, threads: number): number {
	return Math.max(1, Math.min(32, Math.ceil(texts / (threads * 4))));
}

/** How the two passes of an export ran over its batches of articles. */
interface ExportPasses {
	readonly outcomes: ReadOutcome[];
	write(firstIndexes: readonly number[], context: ExportContext): Promise<{ part: ExportPart; files: number }[]>;
	close(): Promise<void>;
}

/**
 * Reads every article under `corpusDir` with its sidecar, exports them and writes the files under
 * `outDir`. Orphaned annotations (not found in the current text) are not exported: their offsets
 * no longer point at their quote. They and relations touching them are counted as losses.
 */
export async function exportCorpus(req: ExportRequest): Promise<ExportReport> {
	const { format } = req;
	const texts = await listTextFiles(req.corpusDir);
	const script = path.join(__dirname, 'exportWorker.js');
	const size = batchSize(texts.length, req.jobs ?? 1);
	const threads = Math.min(req.jobs ?? 1, Math.ceil(texts.length / size));
	const inWorkers = threads > 1 && exchangeFormat(format.id) === format && existsSync(script);
	const passes = inWorkers ? await passesInWorkers(req, texts, size, threads, script) : await passesHere(req, texts, size);
	try {
		const summary = new ExportSummaryBuilder();
		passes.outcomes.forEach((o) => summary.addSummary(o.summary));
		const { schema } = await readSchemaFile(req.corpusDir);
		const context = exportContext(schema, summary.summary(), req.labels ? { labels: req.labels } : undefined);
		const firstIndexes: number[] = [];
		let articles = 0;
		for (const o of passes.outcomes) {
			firstIndexes.push(articles);
			articles += o.articles;
		}
		const written = await passes.write(firstIndexes, context);
		const tally = new ExportTally();
		written.forEach((w) => tally.addPart(w.part));
		const { records, losses: formatLosses, warnings } = tally.part();
		const shared = format.exporter.finish(records, context);
		const writer = new ExportWriter(req.outDir);
		shared.forEach((f) => writer.write(f));
		const sum = (f: (o: ReadOutcome) => number): number => passes.outcomes.reduce((n, o) => n + f(o), 0);
		const annotationCount = sum((o) => o.annotations);
		const relationCount = sum((o) => o.relations);
		const orphaned = sum((o) => o.orphaned);
		const orphanRelations = sum((o) => o.orphanRelations);
		const fileCount = written.reduce((n, w) => n + w.files, shared.length);
		const skipped = passes.outcomes.flatMap((o) => o.skipped);
		const losses = formatLosses.filter((l) => l.count > 0);
		const orphanLosses: ExchangeLoss[] = [
			{ what: orphaned === 1 ? 'orphaned annotation' : 'orphaned annotations', count: orphaned },
			{ what: orphanRelations === 1 ? 'relation to an orphan' : 'relations to orphans', count: orphanRelations },
		].filter((l) => l.count > 0);
		const lines = [`${format.id}: ${counted(articles, 'article')}, ${counted(annotationCount, 'annotation')}, ${counted(relationCount, 'relation')} exported (${counted(fileCount, 'file')} in ${req.outDir})`];
		if (losses.length > 0) {
			lines.push(`${format.id}: ${joinCounts(losses)} not carried`);
		}
		if (orphanLosses.length > 0) {
			lines.push(`${format.id}: ${joinCounts(orphanLosses)} not exported: not found in the current text (re-anchor or delete them, then export again)`);
		}
		lines.push(...warnings.map((w) => `${format.id}: warning: ${w}`));
		lines.push(...skipped.map((s) => `${s} — article not exported`));
		return {
			articles, annotations: annotationCount, relations: relationCount, files: fileCount,
			losses: [...losses, ...orphanLosses], warnings, skipped, lines, threads: inWorkers ? threads : 0,
		};
	} finally {
		await passes.close();
	}
}

/**
 * Both passes in this thread, batch by batch with a turn of the event loop between batches (the
 * extension's progress notification and its cancel button stay alive); progress and
 * cancellation per article.
 */
async function passesHere(req: ExportRequest, texts: readonly string[], size: number): Promise<ExportPasses> {
	const progress = req.progress ?? NO_PROGRESS;
	const batches: ExchangeDocument[][] = [];
	const outcomes: ReadOutcome[] = [];
	for (let from = 0; from < texts.length; from += size) {
		const { documents, outcome } = readArticles(req.corpusDir, texts.slice(from, from + size), (i) => {
			if (progress.isCancelled()) {
				throw new ExchangeCancelled(false);
			}
			progress.report(from + i, texts.length, 'reading');
		});
		batches.push(documents);
		outcomes.push(outcome);
		await nextTurn();
	}
	const articles = outcomes.reduce((n, o) => n + o.articles, 0);
	return {
		outcomes,
		write: async (firstIndexes, context) => {
			const writer = new ExportWriter(req.outDir);
			const written: { part: ExportPart; files: number }[] = [];
			for (const [b, documents] of batches.entries()) {
				written.push(writeArticles(req.format.exporter, documents, firstIndexes[b], context, writer, (n) => {
					progress.report(firstIndexes[b] + n, articles, 'writing');
					if (firstIndexes[b] + n < articles && progress.isCancelled()) {
						throw new ExchangeCancelled(true);
					}
				}));
				await nextTurn();
			}
			return written;
		},
		close: async () => undefined,
	};
}

function nextTurn(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}

/** Both passes in a pool of worker threads; each batch is written by the worker that read it. */
async function passesInWorkers(req: ExportRequest, texts: readonly string[], size: number, threads: number, script: string): Promise<ExportPasses> {
	const progress = req.progress ?? NO_PROGRESS;
	const batches: string[][] = [];
	for (let i = 0; i < texts.length; i += size) {
		batches.push(texts.slice(i, i + size));
	}
	const pool = new WorkerPool(script, threads, 'export');
	try {
		const read = await pool.run<ExportWorkerRequest, ReadOutcome>(batches.map((paths, batch) => ({ kind: 'read', batch, corpusDir: req.corpusDir, paths })), {
			onAnswer: (n) => progress.report(Math.min(n * size, texts.length), texts.length, 'reading'),
			isCancelled: () => progress.isCancelled(),
			cancelled: () => new ExchangeCancelled(false),
		});
		const articles = read.answers.reduce((n, o) => n + o.articles, 0);
		return {
			outcomes: read.answers,
			write: async (firstIndexes, context) => {
				let done = 0;
				const requests = batches.map((_, batch): ExportWorkerRequest => ({
					kind: 'write', batch, format: req.format.id, firstIndex: firstIndexes[batch], context, outDir: req.outDir,
				}));
				return (await pool.run<ExportWorkerRequest, { part: ExportPart; files: number }>(requests, {
					pinned: read.workers,
					onAnswer: (_n, batch) => progress.report(done += read.answers[batch].articles, articles, 'writing'),
					isCancelled: () => progress.isCancelled(),
					cancelled: () => new ExchangeCancelled(true),
				})).answers;
			},
			close: () => pool.close(),
		};
	} catch (error) {
		await pool.close();
		throw error;
	}
}

// ------------------------------------------------------------------------------------------------
// Import
// ------------------------------------------------------------------------------------------------

export interface ImportRequest {
	/** A file or folder in the format. */
	readonly input: string;
	readonly format: ExchangeFormat;
	/** The corpus folder the texts belong to. */
	readonly intoDir: string;
	/** Month for texts that are not articles yet (else a `dates.csv` beside the input). */
	readonly date?: string;
	readonly dryRun?: boolean;
	readonly progress?: ExchangeProgress;
	/** How paths are shown in messages (default: as given). */
	readonly show?: (absolutePath: string) => string;
}

/** What an import did (or, with `dryRun`, would do) to one article. */
export interface ImportedArticle {
	readonly articlePath: string;
	/** `new`: the article is written; `migrated`: a plain text there gets its header; `existing`: only the sidecar changes. */
	readonly kind: 'new' | 'migrated' | 'existing';
	readonly plan: MergePlan;
}

export interface ImportReport {
	readonly articles: ImportedArticle[];
	/** Labels and relation types added to the labels file (empty: none needed). */
	readonly addedLabels: string[];
	readonly addedRelationTypes: string[];
	readonly labelsFile: string;
	readonly labelsFileCreated: boolean;
	readonly warnings: string[];
	readonly lines: string[];
}

/** One imported document with where it goes, the final article text and its normalised annotations. */
interface Target {
	readonly articlePath: string;
	readonly kind: ImportedArticle['kind'];
	/** The article text after the import (what is on disk for `existing`). */
	readonly text: string;
	readonly prepared: PreparedText;
	/** The text on disk now, for `migrated` (compare-and-swap). */
	readonly before?: string;
	readonly doc: ImportedDocument;
	sidecarText: string | undefined;
	plan?: MergePlan;
}

/**
 * Imports `req.input` into the corpus at `req.intoDir` (see the module comment for the rules,
 * and `core/exchange/importPlan.ts` for how annotations merge into existing ones).
 * Throws {@link ExchangeRefused} with every problem when anything is wrong; nothing is written then.
 */
export async function importAnnotations(req: ImportRequest): Promise<ImportReport> {
	const progress = req.progress ?? NO_PROGRESS;
	const show = req.show ?? ((p: string) => p);
	const { format } = req;
	const { root, files } = await readImportFiles(req.input, format.inputExtensions, req.intoDir);
	if (files.length === 0) {
		throw new ExchangeRefused([`${show(req.input)}: no ${format.inputExtensions.join(', ')} files for ${format.id}`]);
	}
	const problems: string[] = [];
	const errorLine = (e: ExchangeError): string => `${show(path.join(root, ...e.file.split('/')))}:${e.line}:${e.column}: ${e.message}`;
	const datesFile = path.join(root, 'dates.csv');
	const datesText = await readUtf8IfExists(datesFile, 'dates file');
	const dates = datesText === undefined ? new Map<string, string>() : (() => {
		const parsed = parseDatesCsv(datesText, 'dates.csv');
		problems.push(...parsed.errors.map(errorLine));
		return parsed.dates;
	})();
	const imported = format.importFiles(files);
	if (!imported.ok) {
		problems.push(...imported.errors.map(errorLine));
	}
	if (problems.length > 0 || !imported.ok) {
		throw new ExchangeRefused(problems);
	}
	const warnings = [...imported.warnings];
	let byStem: Map<string, string[]> | undefined;
	const stemMatches = async (rel: string): Promise<string[]> => {
		if (!byStem) {
			byStem = new Map();
			for (const f of await listTextFiles(req.intoDir)) {
				const stem = path.basename(f, '.txt');
				byStem.set(stem, [...(byStem.get(stem) ?? []), f]);
			}
		}
		return byStem.get(path.posix.basename(rel, '.txt')) ?? [];
	};
	const targets: Target[] = [];
	const seen = new Map<string, string>();
	for (let i = 0; i < imported.documents.length; i++) {
		if (progress.isCancelled()) {
			throw new ExchangeCancelled(false);
		}
		progress.report(i, imported.documents.length, 'checking');
		const doc = imported.documents[i];
		const where = show(path.join(root, ...doc.path.split('/')));
		try {
			const target = await resolveTarget(req, doc, dates.get(doc.path), stemMatches, show);
			const earlier = seen.get(target.articlePath);
			if (earlier !== undefined) {
				problems.push(`${where}:1:1: goes to the same article as ${earlier} (${show(target.articlePath)})`);
				continue;
			}
			seen.set(target.articlePath, where);
			const bad = spanProblem(target);
			if (bad) {
				problems.push(`${where}:1:1: ${bad}`);
				continue;
			}
			targets.push(target);
		} catch (error) {
			if (!(error instanceof ExchangeRefused || error instanceof NodeFileError)) {
				throw error;
			}
			problems.push(...(error instanceof ExchangeRefused ? error.problems : [`${where}:1:1: ${error.message}`]));
		}
	}
	// Labels: added to the labels file the corpus folder uses, or a new one there.
	const schemaFile = await readSchemaFile(req.intoDir);
	const missing = missingFromSchema(schemaFile.schema, targets.map((t) => t.doc), imported.schema);
	// Every sidecar: read and merged in memory now, so a refusal stops the import before any write.
	for (const t of targets) {
		const sidecarPath = sidecarPathFor(t.articlePath);
		try {
			const bytes = t.kind === 'new' ? undefined : await readBytesIfExists(sidecarPath, 'sidecar');
			const decoded = bytes === undefined ? undefined : decodeSidecarBytes(bytes);
			if (decoded && !decoded.ok) {
				throw refusal(sidecarPath, decoded.errors[0], show);
			}
			t.sidecarText = decoded?.text;
			const merged = mergeIntoSidecar(t, t.sidecarText, show);
			t.plan = merged.plan;
			warnings.push(...relationsNotAllowed(merged.annotations, merged.relations, [...schemaFile.schema.relationTypes, ...missing.relationTypes])
				.map((w) => `${show(sidecarPathFor(t.articlePath))}: ${w} (check will report it)`));
		} catch (error) {
			if (!(error instanceof ExchangeRefused || error instanceof NodeFileError)) {
				throw error;
			}
			problems.push(...(error instanceof ExchangeRefused ? error.problems : [error.message]));
		}
	}
	if (problems.length > 0) {
		throw new ExchangeRefused(problems);
	}
	const needsLabels = missing.labels.length + missing.relationTypes.length > 0;
	const articles: ImportedArticle[] = targets.map((t) => ({ articlePath: t.articlePath, kind: t.kind, plan: t.plan! }));
	const report: ImportReport = {
		articles,
		addedLabels: missing.labels.map((l) => l.id),
		addedRelationTypes: missing.relationTypes.map((t) => t.id),
		labelsFile: schemaFile.path,
		labelsFileCreated: needsLabels && !schemaFile.exists,
		warnings,
		lines: [],
	};
	report.lines.push(...describeImport(format.id, report, !!req.dryRun, show));
	if (req.dryRun) {
		return report;
	}
	if (progress.isCancelled()) {
		throw new ExchangeCancelled(false);
	}
	if (needsLabels) {
		await fs.mkdir(path.dirname(schemaFile.path), { recursive: true });
		await updateFileLocked(schemaFile.path, (current) => {
			const now = missingFromSchema(schemaOf(schemaFile.path, current), targets.map((t) => t.doc), imported.schema);
			return now.labels.length + now.relationTypes.length === 0 ? undefined : addToLabelSchemaText(current, now.labels, now.relationTypes);
		}, { what: 'label schema' });
	}
	for (let i = 0; i < targets.length; i++) {
		if (progress.isCancelled()) {
			throw new ExchangeCancelled(true);
		}
		progress.report(i, targets.length, 'writing');
		await writeTarget(targets[i], show);
	}
	progress.report(targets.length, targets.length, 'writing');
	return report;
}

function refusal(file: string, e: { line: number; column: number; message: string }, show: (p: string) => string): ExchangeRefused {
	return new ExchangeRefused([`${show(file)}:${e.line}:${e.column}: ${e.message}`]);
}

/** Where an imported document goes, and the article text it ends up with. */
async function resolveTarget(
	req: ImportRequest, doc: ImportedDocument, csvDate: string | undefined,
	stemMatches: (rel: string) => Promise<string[]>, show: (p: string) => string,
): Promise<Target> {
	const date = csvDate ?? req.date;
	let articlePath = path.join(req.intoDir, ...doc.path.split('/'));
	let onDisk = await readTextIfExists(articlePath);
	if (onDisk === undefined) {
		const matches = await stemMatches(doc.path);
		if (matches.length > 1) {
			throw new ExchangeRefused([`${show(articlePath)}:1:1: no such article, and ${matches.length} articles share its name: ${matches.map(show).join(', ')}`]);
		}
		if (matches.length === 1) {
			articlePath = matches[0];
			onDisk = await readTextKeepingBom(articlePath, 'article');
		}
	}
	const make = (kind: Target['kind'], d: ImportedDocument, text: string, before?: string): Target =>
		({ articlePath, kind, text, prepared: prepareText(text), before, doc: normalise(d, text), sidecarText: undefined });
	const isArticle = looksLikeArticle(doc.text);
	if (onDisk === undefined) {
		if (isArticle) {
			return make('new', doc, doc.text);
		}
		if (!date) {
			throw new ExchangeRefused([`${show(articlePath)}:1:1: no such article, and the imported text has no " date YYYY-MM " header: give --date YYYY-MM or list it in dates.csv (path,date) to add it as a new article`]);
		}
		const migrated = migrateDocument(doc, date);
		return make('new', migrated, migrated.text);
	}
	if (looksLikeArticle(onDisk)) {
		if (!isArticle) {
			// A plain text an article was made from (exported as plain text, or migrated before): shift by the header.
			const head = parseHeader(canonicalText(onDisk).split('\n', 1)[0]);
			if (head.date) {
				const migrated = migrateDocument(doc, formatArticleDate(head.date));
				if (!firstDifference(onDisk, migrated.text)) {
					return make('existing', migrated, onDisk);
				}
			}
		}
		if (req.format.id === 'conll' && firstDifference(onDisk, doc.text)) {
			return make('existing', alignedToArticle(doc, onDisk, articlePath, show), onDisk);
		}
		textMustMatch(articlePath, onDisk, doc.text, show);
		return make('existing', doc, onDisk);
	}
	// A plain text is there: it becomes an article when the import's text is the same and a month is known.
	textMustMatch(articlePath, onDisk, doc.text, show);
	if (isArticle) {
		return make('existing', doc, onDisk);
	}
	if (!date) {
		throw new ExchangeRefused([`${show(articlePath)}:1:1: not an article yet (no " date YYYY-MM " header): give --date YYYY-MM or list it in dates.csv (path,date) to make it one`]);
	}
	const migrated = migrateDocument(doc, date);
	return make('migrated', migrated, migrated.text, onDisk);
}

/**
 * CoNLL does not carry the text, only tokens: its spans are moved onto the article by finding the
 * tokens in the article's text in order (see `alignToArticle`).
 */
function alignedToArticle(doc: ImportedDocument, onDisk: string, articlePath: string, show: (p: string) => string): ImportedDocument {
	const aligned = alignToArticle(doc, onDisk);
	if (!aligned.ok) {
		const d = firstDifference(onDisk, doc.text);
		throw new ExchangeRefused([`${show(articlePath)}:${d?.line ?? 1}:${d?.column ?? 1}: the CoNLL tokens are not the article's: token ${aligned.tokenIndex + 1}: ${aligned.message}`]);
	}
	return { ...doc, text: onDisk, annotations: aligned.annotations };
}

function textMustMatch(articlePath: string, onDisk: string, imported: string, show: (p: string) => string): void {
	const d = firstDifference(onDisk, imported);
	if (d) {
		throw new ExchangeRefused([
			`${show(articlePath)}:${d.line}:${d.column}: the imported text differs from the article here: the article has ${JSON.stringify(d.expected)}, the import has ${JSON.stringify(d.actual)}`,
		]);
	}
}

async function readTextIfExists(file: string): Promise<string | undefined> {
	try {
		return await readTextKeepingBom(file, 'article');
	} catch (error) {
		if (error instanceof NodeFileError && error.code === 'ENOENT') {
			return undefined;
		}
		throw error;
	}
}

/** Quote and context taken from the article text (the format's own may differ in whitespace or be absent). */
function normalise(doc: ImportedDocument, text: string): ImportedDocument {
	const prepared = prepareText(text);
	const length = prepared.canonIndex.codePointLength;
	const annotations = doc.annotations.map((a) => {
		if (!(Number.isInteger(a.start) && Number.isInteger(a.end) && a.start >= 0 && a.start < a.end && a.end <= length)) {
			return a;
		}
		const s = selectorAt(prepared, sidecarOffset(a.start), sidecarOffset(a.end));
		return { ...a, quote: s.quote, prefix: s.prefix, suffix: s.suffix };
	});
	return { ...doc, annotations };
}

function spanProblem(t: Target): string | undefined {
	const length = codePointLength(t.prepared.canonical);
	const bad = t.doc.annotations.find((a) => !(Number.isInteger(a.start) && Number.isInteger(a.end) && a.start >= 0 && a.start < a.end && a.end <= length));
	return bad ? `annotation ${bad.id} has the span ${bad.start}–${bad.end}, outside the article's ${length} code points` : undefined;
}

/** Fields an annotation's import sets when it replaces a stored one (the span goes through re-anchoring). */
const CARRIED: readonly (keyof Annotation)[] = ['label', 'note', 'entity', 'author', 'created', 'modified', 'curated_by', 'curated'];

/**
 * The sidecar with the target's annotations merged in (undefined: nothing to write). Throws
 * {@link ExchangeRefused} when the sidecar does not validate or refuses an annotation.
 */
function mergeIntoSidecar(t: Target, sidecarText: string | undefined, show: (p: string) => string): { text: string | undefined; plan: MergePlan; annotations: readonly Annotation[]; relations: readonly Relation[] } {
	const sidecarPath = sidecarPathFor(t.articlePath);
	const opened = openSidecarSession({ sidecarText, articleText: t.prepared, articleName: path.basename(t.articlePath) });
	if (!opened.ok) {
		throw refusal(sidecarPath, opened.errors[0], show);
	}
	const session = opened.session;
	const doc = session.doc;
	const plan = planMerge(doc.data.annotations, doc.data.relations, t.doc.annotations, t.doc.relations);
	if (isEmptyPlan(plan)) {
		return { text: undefined, plan, annotations: doc.data.annotations, relations: doc.data.relations };
	}
	try {
		for (const a of plan.replaced) {
			session.reanchor(a.id, { start: a.start, end: a.end, quote: a.quote, prefix: a.prefix, suffix: a.suffix });
			const patch: Partial<Annotation> = {};
			for (const k of CARRIED) {
				if (a[k] !== undefined) {
					(patch as Record<string, unknown>)[k] = a[k];
				}
			}
			doc.update(a.id, patch);
		}
		doc.addAll(plan.added);
		for (const r of plan.replacedRelations) {
			const { id, ...rest } = r;
			doc.updateRelation(id, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
		}
		for (const r of plan.addedRelations) {
			doc.addRelation(r);
		}
		return { text: session.serialize(), plan, annotations: doc.data.annotations, relations: doc.data.relations };
	} catch (error) {
		if (error instanceof SidecarEditError) {
			throw new ExchangeRefused([`${show(sidecarPath)}:1:1: ${error.message} (importing ${t.doc.path})`]);
		}
		throw error;
	}
}

/** Relations whose type does not allow the label at one of its ends (as `check` finds them). */
function relationsNotAllowed(annotations: readonly Annotation[], relations: readonly Relation[], types: readonly RelationTypeDef[]): string[] {
	const labelOf = new Map(annotations.map((a) => [a.id, a.label]));
	const found: string[] = [];
	for (const r of relations) {
		const type = types.find((t) => t.id === r.type);
		for (const { end, allowed, label } of disallowedEnds(type, { from: labelOf.get(r.from), to: labelOf.get(r.to) })) {
			found.push(`relation ${r.id} "${r.type}" ${end === 'from' ? 'goes from' : 'goes to'} ${allowed.join(' or ')}, but ${r[end]} is labelled ${label}`);
		}
	}
	return found;
}

/** Writes the article (new or migrated) and then its sidecar, each atomically under its lock. */
async function writeTarget(t: Target, show: (p: string) => string): Promise<void> {
	if (t.kind !== 'existing') {
		await fs.mkdir(path.dirname(t.articlePath), { recursive: true });
		await updateFileLocked(t.articlePath, (current) => {
			if (t.kind === 'new' ? current !== undefined : current === undefined || canonicalText(current) !== canonicalText(t.before!)) {
				throw new ExchangeRefused([`${show(t.articlePath)}:1:1: the file changed while importing; left as it is`], false);
			}
			return t.text;
		}, { what: 'article' });
	}
	await updateFileLocked(sidecarPathFor(t.articlePath), (current) => mergeIntoSidecar(t, current, show).text, { what: 'sidecar' });
}

function describeImport(id: string, report: ImportReport, dryRun: boolean, show: (p: string) => string): string[] {
	const lines: string[] = [];
	const sum = (f: (p: MergePlan) => number): number => report.articles.reduce((n, a) => n + f(a.plan), 0);
	for (const a of report.articles) {
		const p = a.plan;
		const parts = [
			`${p.added.length} added`, `${p.replaced.length} replaced`, `${p.unchanged} already there`,
		];
		const rel = p.addedRelations.length + p.replacedRelations.length + p.unchangedRelations > 0
			? `; relations: ${p.addedRelations.length} added, ${p.replacedRelations.length} replaced, ${p.unchangedRelations} already there` : '';
		const kind = a.kind === 'new' ? ' (new article)' : a.kind === 'migrated' ? ' (header added: now an article)' : '';
		lines.push(`${show(a.articlePath)}: annotations ${parts.join(', ')}${rel}${kind}`);
	}
	const verb = dryRun ? 'would be imported' : 'imported';
	lines.push(`${id}: ${counted(report.articles.length, 'article')}, ${counted(sum((p) => p.added.length + p.replaced.length + p.unchanged), 'annotation')}, ${counted(sum((p) => p.addedRelations.length + p.replacedRelations.length + p.unchangedRelations), 'relation')} ${verb} (${sum((p) => p.added.length)} added, ${sum((p) => p.replaced.length)} replaced, ${sum((p) => p.unchanged)} already there)`);
	if (report.addedLabels.length + report.addedRelationTypes.length > 0) {
		const what = [
			report.addedLabels.length > 0 ? `labels ${report.addedLabels.join(', ')}` : '',
			report.addedRelationTypes.length > 0 ? `relation types ${report.addedRelationTypes.join(', ')}` : '',
		].filter((s) => s).join(' and ');
		const file = show(report.labelsFile);
		lines.push(report.labelsFileCreated
			? `${dryRun ? 'would create' : 'created'} ${file} with the default labels and ${what}`
			: `${dryRun ? 'would add' : 'added'} ${what} to ${file}`);
	}
	lines.push(...report.warnings.map((w) => `${id}: warning: ${w}`));
	if (dryRun) {
		lines.push('dry run: nothing was written');
	}
	return lines;
}
