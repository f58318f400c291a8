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
import { promises as fs } from 'fs';
import * as path from 'path';
import { readSidecarFast } from '../core/agreement/fastSidecarRead';
import { prepareText, selectorAt, type PreparedText } from '../core/annotations/anchoring';
import { hashArticleText } from '../core/annotations/hash';
import { addToLabelSchemaText, DEFAULT_LABELS, DEFAULT_RELATION_TYPES, disallowedEnds, effectiveLabels, effectiveRelationTypes, parseLabelSchema } from '../core/annotations/labelSchema';
import type { Annotation, LabelDef, Relation, RelationTypeDef } from '../core/annotations/model';
import { canonicalText, codePointLength, sidecarOffset } from '../core/annotations/offsets';
import { SidecarEditError } from '../core/annotations/sidecarCodec';
import { openSidecarSession } from '../core/annotations/sidecarSession';
import { decodeSidecarBytes } from '../core/annotations/sidecarValidator';
import { formatArticleDate, looksLikeArticle, parseHeader } from '../core/article/articleParser';
import { baseName, sidecarPathFor } from '../core/corpus/corpusLayout';
import { alignToArticle } from '../core/exchange/conll';
import type { ExchangeDocument, ExchangeError, ExchangeFormat, ExchangeLoss, ExchangeSchema, ImportedDocument } from '../core/exchange/exchangeFormat';
import { firstDifference, isEmptyPlan, planMerge, type MergePlan } from '../core/exchange/importPlan';
import { migrateDocument, parseDatesCsv } from '../core/exchange/migration';
import { findWorkspaceFile } from './corpusFiles';
import { listTextFiles, readImportFiles, readTextKeepingBom, relativeSlashPath, writeExportFiles } from './exchangeFiles';
import { NodeFileError } from './fileErrors';
import { readBytesIfExists, readUtf8IfExists } from './files';
import { updateFileLocked } from './lockedUpdate';

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
}

/**
 * Reads every article under `corpusDir` with its sidecar, exports them and writes the files under
 * `outDir`. Orphaned annotations (not found in the current text) are not exported: their offsets
 * no longer point at their quote. They and relations touching them are counted as losses.
 */
export async function exportCorpus(req: ExportRequest): Promise<ExportReport> {
	const progress = req.progress ?? NO_PROGRESS;
	const { format } = req;
	const texts = await listTextFiles(req.corpusDir);
	const documents: ExchangeDocument[] = [];
	const skipped: string[] = [];
	let orphaned = 0;
	let orphanRelations = 0;
	const usedLabels = new Set<string>();
	const usedTypes = new Set<string>();
	for (let i = 0; i < texts.length; i++) {
		if (progress.isCancelled()) {
			throw new ExchangeCancelled(false);
		}
		progress.report(i, texts.length, 'reading');
		const full = texts[i];
		const text = await readTextKeepingBom(full, 'article');
		if (!looksLikeArticle(text)) {
			continue;
		}
		const sidecarPath = sidecarPathFor(full);
		const bytes = await readBytesIfExists(sidecarPath, 'sidecar');
		let annotations: Annotation[] = [];
		let relations: Relation[] = [];
		const decoded = bytes === undefined ? undefined : decodeSidecarBytes(bytes);
		const fast = decoded?.ok ? readUnchanged(decoded.text, text) : undefined;
		if (fast) {
			annotations = fast.annotations;
			relations = fast.relations;
		} else if (decoded !== undefined) {
			const opened = decoded.ok ? openSidecarSession({ sidecarText: decoded.text, articleText: text, articleName: baseName(full) }) : decoded;
			if (!opened.ok) {
				const e = opened.errors[0];
				skipped.push(`${sidecarPath}:${e.line}:${e.column}: ${e.message}`);
				continue;
			}
			const session = opened.session;
			const orphans = new Set(session.orphans);
			annotations = session.doc.data.annotations.filter((a) => !orphans.has(a.id));
			orphaned += orphans.size;
			relations = session.doc.data.relations.filter((r) => !orphans.has(r.from) && !orphans.has(r.to));
			orphanRelations += session.doc.data.relations.length - relations.length;
		}
		annotations.forEach((a) => usedLabels.add(a.label));
		relations.forEach((r) => usedTypes.add(r.type));
		documents.push({ path: relativeSlashPath(req.corpusDir, full), text, annotations, relations });
	}
	const { schema } = await readSchemaFile(req.corpusDir);
	// Labels used in sidecars but missing from the schema still need a place in the format's label list.
	const exportSchema: ExchangeSchema = {
		labels: [...schema.labels, ...[...usedLabels].filter((l) => !schema.labels.some((d) => d.id === l)).map((id) => ({ id }))],
		relationTypes: [...schema.relationTypes, ...[...usedTypes].filter((t) => !schema.relationTypes.some((d) => d.id === t)).map((id) => ({ id }))],
	};
	progress.report(texts.length, texts.length, 'converting');
	const result = format.exportDocuments(documents, exportSchema, req.labels ? { labels: req.labels } : undefined);
	await writeExportFiles(req.outDir, result.files, (done) => progress.report(done, result.files.length, 'writing'));
	const annotationCount = documents.reduce((n, d) => n + d.annotations.length, 0);
	const relationCount = documents.reduce((n, d) => n + d.relations.length, 0);
	const losses = [...result.losses.filter((l) => l.count > 0)];
	const orphanLosses: ExchangeLoss[] = [
		{ what: orphaned === 1 ? 'orphaned annotation' : 'orphaned annotations', count: orphaned },
		{ what: orphanRelations === 1 ? 'relation to an orphan' : 'relations to orphans', count: orphanRelations },
	].filter((l) => l.count > 0);
	const lines = [`${format.id}: ${counted(documents.length, 'article')}, ${counted(annotationCount, 'annotation')}, ${counted(relationCount, 'relation')} exported (${counted(result.files.length, 'file')} in ${req.outDir})`];
	if (losses.length > 0) {
		lines.push(`${format.id}: ${joinCounts(losses)} not carried`);
	}
	if (orphanLosses.length > 0) {
		lines.push(`${format.id}: ${joinCounts(orphanLosses)} not exported: not found in the current text (re-anchor or delete them, then export again)`);
	}
	lines.push(...result.warnings.map((w) => `${format.id}: warning: ${w}`));
	lines.push(...skipped.map((s) => `${s} — article not exported`));
	return {
		articles: documents.length, annotations: annotationCount, relations: relationCount, files: result.files.length,
		losses: [...losses, ...orphanLosses], warnings: result.warnings, skipped, lines,
	};
}

/**
 * The sidecar's annotations when it records this very article text (nothing to re-anchor) and is
 * in the printer's layout: read without the YAML Document API, which costs milliseconds per file
 * (`readSidecarFast` refuses whatever the codec would, and anything it is unsure of). Undefined:
 * open a session.
 */
function readUnchanged(sidecarText: string, articleText: string): { annotations: Annotation[]; relations: Relation[] } | undefined {
	const canonical = canonicalText(articleText);
	const textHash = hashArticleText(articleText);
	const data = readSidecarFast(sidecarText, { codePointLength: codePointLength(canonical), textHash });
	return data && data.textHash === textHash ? data : undefined;
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
