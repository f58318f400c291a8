/**
 * The two passes of an export over one batch of articles (core/exchange/articleExport.ts), the
 * same in the main thread (`export --jobs 1`, the extension) and in the worker threads of
 * `export --jobs N` (exportWorker.ts): read the articles with their sidecars and summarise them;
 * then convert each and write its files at once. Synchronous: a worker has nothing else to do,
 * and the promise API's thread-pool round trips cost more than the reads themselves.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readSidecarFast } from '../core/agreement/fastSidecarRead';
import { hashArticleText } from '../core/annotations/textHash';
import type { Annotation, Relation } from '../core/annotations/model';
import { canonicalText, codePointLength } from '../core/annotations/offsets';
import { openSidecarSession } from '../core/annotations/sidecarSession';
import { decodeSidecarBytes } from '../core/annotations/sidecarValidator';
import { looksLikeArticle } from '../core/article/articleParser';
import { baseName, sidecarPathFor } from '../core/corpus/corpusLayout';
import { ExportSummaryBuilder, ExportTally, type ExportPart, type ExportSummary } from '../core/exchange/articleExport';
import type { ArticleExporter, ExchangeDocument, ExchangeFile, ExportContext } from '../core/exchange/exchangeFormat';
import { relativeSlashPath } from './exchangeFiles';
import { fileError } from './fileErrors';
import { decodeUtf8 } from './files';

/** What reading a batch found, besides the documents (which stay where they were read). */
export interface ReadOutcome {
	readonly articles: number;
	readonly annotations: number;
	readonly relations: number;
	/** Annotations not found in the current text (not exported) and relations touching them. */
	readonly orphaned: number;
	readonly orphanRelations: number;
	/** Sidecars that do not validate (`file:line:column: message`); their articles are left out. */
	readonly skipped: string[];
	readonly summary: ExportSummary;
}

/**
 * Reads the `.txt` files `paths` (texts that are not articles are passed over) with their
 * sidecars. `beforeText(i)` is called before the i-th path is read (progress, cancellation).
 */
export function readArticles(corpusDir: string, paths: readonly string[], beforeText?: (i: number) => void): { documents: ExchangeDocument[]; outcome: ReadOutcome } {
	const documents: ExchangeDocument[] = [];
	const skipped: string[] = [];
	const summary = new ExportSummaryBuilder();
	let annotationCount = 0;
	let relationCount = 0;
	let orphaned = 0;
	let orphanRelations = 0;
	paths.forEach((full, i) => {
		beforeText?.(i);
		const text = readFile(full, 'article', (bytes) => decodeUtf8(bytes, full, 'article', true))!;
		if (!looksLikeArticle(text)) {
			return;
		}
		const sidecarPath = sidecarPathFor(full);
		const decoded = readFile(sidecarPath, 'sidecar', decodeSidecarBytes, true);
		let annotations: Annotation[] = [];
		let relations: Relation[] = [];
		const fast = decoded?.ok ? readUnchanged(decoded.text, text) : undefined;
		if (fast) {
			annotations = fast.annotations;
			relations = fast.relations;
		} else if (decoded !== undefined) {
			const opened = decoded.ok ? openSidecarSession({ sidecarText: decoded.text, articleText: text, articleName: baseName(full) }) : decoded;
			if (!opened.ok) {
				const e = opened.errors[0];
				skipped.push(`${sidecarPath}:${e.line}:${e.column}: ${e.message}`);
				return;
			}
			const session = opened.session;
			const orphans = new Set(session.orphans);
			annotations = session.doc.data.annotations.filter((a) => !orphans.has(a.id));
			orphaned += orphans.size;
			relations = session.doc.data.relations.filter((r) => !orphans.has(r.from) && !orphans.has(r.to));
			orphanRelations += session.doc.data.relations.length - relations.length;
		}
		const doc: ExchangeDocument = { path: relativeSlashPath(corpusDir, full), text, annotations, relations };
		summary.addDocument(doc);
		annotationCount += annotations.length;
		relationCount += relations.length;
		documents.push(doc);
	});
	return {
		documents,
		outcome: { articles: documents.length, annotations: annotationCount, relations: relationCount, orphaned, orphanRelations, skipped, summary: summary.summary() },
	};
}

/** A file's bytes made into a value; undefined when it does not exist and `mayBeMissing`. */
function readFile<T>(file: string, what: string, decode: (bytes: Uint8Array) => T, mayBeMissing = false): T | undefined {
	let bytes: Uint8Array;
	try {
		bytes = fs.readFileSync(file);
	} catch (error) {
		if (mayBeMissing && (error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}
		throw fileError(error, file, what);
	}
	return decode(bytes);
}

/**
 * The sidecar's annotations when it records this very article text (nothing to re-anchor) and is
 * in the printer's layout: read without the YAML Document API, which costs milliseconds per file
 * (`readSidecarFast` refuses whatever the codec would, and anything it is unsure of). Undefined:
 * open a session.
 */
function readUnchanged(sidecarText: string, articleText: string): { annotations: Annotation[]; relations: Relation[] } | undefined {
	const canonical = canonicalText(articleText);
	const textHash = hashArticleText(canonical);
	const data = readSidecarFast(sidecarText, { codePointLength: codePointLength(canonical), textHash });
	return data && data.textHash === textHash ? data : undefined;
}

/**
 * Converts `documents` (the articles numbered from `firstIndex`) and writes each one's files
 * under the writer's folder as soon as it is converted. `afterArticle(n)`: n articles written.
 */
export function writeArticles(
	exporter: ArticleExporter, documents: readonly ExchangeDocument[], firstIndex: number, context: ExportContext, writer: ExportWriter,
	afterArticle?: (written: number) => void,
): { part: ExportPart; files: number } {
	const tally = new ExportTally();
	let files = 0;
	documents.forEach((doc, i) => {
		const converted = exporter.exportArticle(doc, firstIndex + i, context);
		for (const f of converted.files) {
			writer.write(f);
		}
		files += converted.files.length;
		tally.addArticle(converted);
		afterArticle?.(i + 1);
	});
	return { part: tally.part(), files };
}

/**
 * Writes export files under a folder (folders made as needed). Written plainly: no fsync, no
 * temporary name. An export is not a sidecar: it is a product made again at will, and the
 * fsyncs of sidecar writes took half of an export's time. A failure names the file.
 */
export class ExportWriter {
	private readonly root: string;
	private readonly made = new Set<string>();

	constructor(outDir: string) {
		this.root = path.resolve(outDir);
	}

	write(f: ExchangeFile): void {
		const full = path.resolve(this.root, ...f.path.split('/'));
		if (full !== this.root && !full.startsWith(this.root + path.sep)) {
			throw new Error(`refusing to write ${f.path}: outside ${this.root}`);
		}
		try {
			const dir = path.dirname(full);
			if (!this.made.has(dir)) {
				fs.mkdirSync(dir, { recursive: true });
				this.made.add(dir);
			}
			fs.writeFileSync(full, f.text);
		} catch (error) {
			throw fileError(error, full, 'export file');
		}
	}
}
