import * as vscode from 'vscode';
import { formatArticleDate, parseHeader } from '../../core/article/articleParser';
import { makeSelector, prepareText, reanchor, shiftForEdits, toEditorRange, type PreparedText } from '../../core/annotations/anchoring';
import { hashArticleText } from '../../core/annotations/hash';
import type { Annotation } from '../../core/annotations/model';
import { createSidecar, parseSidecar, serializeIfChanged, type SidecarDocument, type SidecarError } from '../../core/annotations/sidecarCodec';
import { baseName, isSidecarPath, articlePathFor, sidecarPathFor } from '../../core/annotations/sidecarPaths';
import { isArticleDocument } from '../../platform/articleDocuments';
import { readTextIfExists, writeFileAtomic } from '../../platform/atomicWrite';
import { Disposable } from '../../platform/dispose';
import type { Logger } from '../../platform/logger';
import { UserError } from '../../platform/userError';

/** Where an annotation is in the open editor, and how sure we are. */
export type LiveStatus = 'anchored' | 'moved' | 'fuzzy' | 'edited' | 'orphaned';

export interface LiveAnnotation {
	readonly annotation: Annotation;
	/** UTF-16 offsets into the editor text; for orphans, the last known position clamped to the text. */
	readonly start: number;
	readonly end: number;
	readonly status: LiveStatus;
	/** Why an orphan could not be anchored. */
	readonly reason?: string;
}

/** The annotations of one open article, as loaded from its sidecar. */
export interface ArticleAnnotations {
	readonly articleUri: vscode.Uri;
	readonly sidecarUri: vscode.Uri;
	/** Document order. Empty when there is no sidecar yet. */
	readonly annotations: readonly LiveAnnotation[];
	/** Set when the sidecar exists but cannot be read: nothing is written until it is fixed. */
	readonly errors?: readonly SidecarError[];
}

interface Entry {
	articleUri: vscode.Uri;
	sidecarUri: vscode.Uri;
	/** Sidecar text as last read or written by us; undefined when the file does not exist. */
	diskText: string | undefined;
	doc: SidecarDocument | undefined;
	errors: SidecarError[] | undefined;
	live: Map<string, { start: number; end: number; status: LiveStatus; reason?: string }>;
	/** Offsets moved by edits since the sidecar was last written. */
	offsetsPending: boolean;
	undo: { before: string | undefined; after: string }[];
	redo: { before: string | undefined; after: string }[];
}

const UNDO_DEPTH = 100;

/**
 * Loads, anchors, edits and saves the sidecars of open articles.
 *
 * - Sidecars are written at once after each command, atomically, with offsets into the editor's
 *   current text and that text's hash, so a crash loses nothing and a reader can tell which text
 *   the offsets belong to.
 * - While the article is edited, offsets follow the edits in memory; they are written when the
 *   article is saved (or another annotation change is written).
 * - When the article changed outside VS Code (hash differs), annotations are re-anchored by
 *   quote and context; moved ones are saved with their new offsets, orphans stay in the file as
 *   they were and are reported.
 * - A sidecar that does not parse is never written; every change is refused with its position.
 * - A sidecar changed on disk by someone else is re-read before we write, never clobbered.
 */
export class AnnotationStore extends Disposable {
	private readonly entries = new Map<string, Entry>();
	private readonly loading = new Map<string, Promise<Entry>>();
	private readonly _onDidChange = this._register(new vscode.EventEmitter<vscode.Uri>());
	/** Fires the article URI whenever its annotations or their positions changed. */
	readonly onDidChange = this._onDidChange.event;
	private queue: Promise<unknown> = Promise.resolve();

	constructor(private readonly logger: Logger) {
		super();
		this._register(vscode.workspace.onDidChangeTextDocument((e) => this.onArticleEdited(e)));
		this._register(vscode.workspace.onDidSaveTextDocument((d) => void this.onArticleSaved(d)));
		this._register(
			vscode.workspace.onDidCloseTextDocument((d) => {
				const entry = this.entries.get(d.uri.toString());
				if (entry?.offsetsPending && !d.isDirty) {
					void this.serialized(() => this.flush(entry, d));
				}
				this.entries.delete(d.uri.toString());
			}),
		);
		const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/*.ann.yaml'));
		const onSidecar = (uri: vscode.Uri): void => void this.onSidecarChangedOnDisk(uri);
		this._register(watcher.onDidChange(onSidecar));
		this._register(watcher.onDidCreate(onSidecar));
		this._register(watcher.onDidDelete(onSidecar));
	}

	static sidecarUriFor(articleUri: vscode.Uri): vscode.Uri {
		return articleUri.with({ path: sidecarPathFor(articleUri.path) });
	}

	/** The annotations of an open article (loaded and anchored on first use). */
	async get(document: vscode.TextDocument): Promise<ArticleAnnotations> {
		return this.view(await this.entryFor(document));
	}

	/**
	 * Changes the sidecar of `document` through `change` and writes it. Refuses (with the file,
	 * line and column) when the sidecar cannot be read. Returns what `change` returned.
	 */
	async modify<T>(document: vscode.TextDocument, change: (doc: SidecarDocument, text: PreparedText) => T): Promise<T> {
		return this.serialized(async () => {
			const entry = await this.entryFor(document);
			await this.refreshFromDisk(entry, document);
			this.assertWritable(entry);
			const prepared = prepareText(document.getText());
			entry.doc ??= createSidecar(this.header(entry, document));
			this.syncOffsets(entry, prepared);
			const result = change(entry.doc, prepared);
			this.rebuildLive(entry, prepared);
			await this.write(entry, document, prepared, true);
			return result;
		});
	}

	/** Reverts the last annotation change of this article, if the sidecar still holds it. */
	async undo(document: vscode.TextDocument, direction: 'undo' | 'redo' = 'undo'): Promise<boolean> {
		return this.serialized(async () => {
			const entry = await this.entryFor(document);
			const stack = direction === 'undo' ? entry.undo : entry.redo;
			const step = stack.pop();
			if (!step) {
				return false;
			}
			const onDisk = await readTextIfExists(entry.sidecarUri);
			const [expected, target] = direction === 'undo' ? [step.after, step.before] : [step.before, step.after];
			if (onDisk !== expected) {
				stack.length = 0;
				throw new UserError(`Cannot ${direction}: ${baseName(entry.sidecarUri.path)} was changed since (by another tool or by hand).`);
			}
			if (target === undefined) {
				await vscode.workspace.fs.delete(entry.sidecarUri);
			} else {
				await writeFileAtomic(entry.sidecarUri, target);
			}
			(direction === 'undo' ? entry.redo : entry.undo).push(step);
			this.load(entry, document, target);
			this._onDidChange.fire(entry.articleUri);
			return true;
		});
	}

	/** Writes pending offset changes of every open article (used on deactivate). */
	async flushAll(): Promise<void> {
		for (const entry of this.entries.values()) {
			const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === entry.articleUri.toString());
			if (entry.offsetsPending && document && !document.isDirty) {
				await this.serialized(() => this.flush(entry, document));
			}
		}
	}

	// ---- loading and anchoring -------------------------------------------------------------

	private async entryFor(document: vscode.TextDocument): Promise<Entry> {
		const key = document.uri.toString();
		const existing = this.entries.get(key);
		if (existing) {
			return existing;
		}
		let pending = this.loading.get(key);
		if (!pending) {
			pending = (async () => {
				const sidecarUri = AnnotationStore.sidecarUriFor(document.uri);
				const entry: Entry = {
					articleUri: document.uri,
					sidecarUri,
					diskText: undefined,
					doc: undefined,
					errors: undefined,
					live: new Map(),
					offsetsPending: false,
					undo: [],
					redo: [],
				};
				this.load(entry, document, await readTextIfExists(sidecarUri));
				this.entries.set(key, entry);
				this.loading.delete(key);
				if (entry.offsetsPending && !document.isDirty) {
					// The article changed outside VS Code: save the re-anchored offsets right away.
					// Queued, not awaited: entryFor may itself run inside a queued task.
					this.flushSoon(entry, document);
				}
				return entry;
			})();
			this.loading.set(key, pending);
		}
		return pending;
	}

	/** Parses `text` into the entry and anchors every annotation against the editor text. */
	private load(entry: Entry, document: vscode.TextDocument, text: string | undefined): void {
		entry.diskText = text;
		entry.doc = undefined;
		entry.errors = undefined;
		entry.live = new Map();
		entry.offsetsPending = false;
		if (text === undefined) {
			return;
		}
		const parsed = parseSidecar(text);
		if (!parsed.ok) {
			entry.errors = parsed.errors;
			this.logger.warn(`${entry.sidecarUri.fsPath}: ${parsed.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('; ')}`);
			return;
		}
		entry.doc = parsed.doc;
		const prepared = prepareText(document.getText());
		const data = parsed.doc.data;
		const unchanged = data.textHash !== null && data.textHash === hashArticleText(prepared.raw);
		for (const annotation of data.annotations) {
			if (unchanged) {
				const r = toEditorRange(prepared, annotation.start, annotation.end);
				entry.live.set(annotation.id, { ...r, status: 'anchored' });
				continue;
			}
			const result = reanchor(prepared, annotation);
			if (result.status === 'orphaned' || result.start === undefined || result.end === undefined) {
				entry.live.set(annotation.id, { ...this.clampedRange(prepared, annotation), status: 'orphaned', reason: result.reason });
				continue;
			}
			const r = toEditorRange(prepared, result.start, result.end);
			entry.live.set(annotation.id, { ...r, status: result.status });
			if (result.status !== 'anchored' || annotation.start !== result.start) {
				entry.offsetsPending = true;
			}
		}
		if (!unchanged && data.annotations.length > 0) {
			entry.offsetsPending = true; // at least the text hash must be brought up to date
		}
	}

	private clampedRange(prepared: PreparedText, annotation: Annotation): { start: number; end: number } {
		const max = prepared.rawIndex.codePointLength;
		return toEditorRange(prepared, Math.min(annotation.start, max), Math.min(annotation.end, max));
	}

	/** Re-creates live ranges for annotations added or changed by a command (others keep theirs). */
	private rebuildLive(entry: Entry, prepared: PreparedText): void {
		const next = new Map<string, { start: number; end: number; status: LiveStatus; reason?: string }>();
		for (const annotation of entry.doc?.data.annotations ?? []) {
			const old = entry.live.get(annotation.id);
			const r = toEditorRange(prepared, annotation.start, annotation.end);
			if (old?.status === 'orphaned') {
				// Still an orphan unless a command (re-anchor to selection) pointed it at its quote again.
				const found = prepared.raw.slice(r.start, r.end).replace(/\r\n/g, '\n') === annotation.quote;
				next.set(annotation.id, found ? { ...r, status: 'anchored' } : old);
				continue;
			}
			next.set(annotation.id, { ...r, status: old?.status === 'moved' || old?.status === 'fuzzy' ? old.status : 'anchored' });
		}
		entry.live = next;
	}

	// ---- live editing ----------------------------------------------------------------------

	private onArticleEdited(e: vscode.TextDocumentChangeEvent): void {
		const entry = this.entries.get(e.document.uri.toString());
		if (!entry) {
			return;
		}
		if (e.contentChanges.length === 0) {
			// A dirty-state change without text change: a reload from disk ends up here as "clean".
			if (entry.offsetsPending && !e.document.isDirty) {
				this.flushSoon(entry, e.document);
			}
			return;
		}
		if (entry.live.size === 0) {
			return;
		}
		const ids = [...entry.live.keys()].filter((id) => entry.live.get(id)!.status !== 'orphaned');
		const shifted = shiftForEdits(
			ids.map((id) => entry.live.get(id)!),
			e.contentChanges.map((c) => ({ start: c.rangeOffset, end: c.rangeOffset + c.rangeLength, newLength: c.text.length })),
		);
		let prepared: PreparedText | undefined;
		ids.forEach((id, i) => {
			const s = shifted[i];
			const old = entry.live.get(id)!;
			if (s.status === 'needs-reanchor') {
				// The whole span was replaced (a paste over it, or the file reloaded after a change on
				// disk): find the quote again now rather than stretch the span over the new text.
				const annotation = entry.doc?.get(id);
				prepared ??= prepareText(e.document.getText());
				const result = annotation ? reanchor(prepared, annotation) : undefined;
				if (!annotation || !result || result.status === 'orphaned' || result.start === undefined || result.end === undefined) {
					entry.live.set(id, { start: s.start, end: s.start, status: 'orphaned', reason: result?.reason ?? 'replaced' });
				} else {
					entry.live.set(id, { ...toEditorRange(prepared, result.start, result.end), status: result.status });
				}
				return;
			}
			const status: LiveStatus = s.status === 'unchanged' || s.status === 'shifted' ? old.status : 'edited';
			entry.live.set(id, { start: s.start, end: s.end, status });
		});
		entry.offsetsPending = true;
		if (!e.document.isDirty) {
			// Not dirty after a change: the editor reloaded the file from disk (git checkout, another
			// tool) or an undo returned to the saved text. There will be no save event: save now.
			this.flushSoon(entry, e.document);
		}
		this._onDidChange.fire(entry.articleUri);
	}

	private flushSoon(entry: Entry, document: vscode.TextDocument): void {
		this.serialized(() => this.flush(entry, document)).catch((error: unknown) =>
			this.logger.error(`could not save annotation offsets to ${entry.sidecarUri.fsPath}`, error),
		);
	}

	private async onArticleSaved(document: vscode.TextDocument): Promise<void> {
		const entry = this.entries.get(document.uri.toString());
		if (entry?.offsetsPending && isArticleDocument(document)) {
			try {
				await this.serialized(() => this.flush(entry, document));
			} catch (error) {
				this.logger.error(`could not save the annotations of ${document.uri.fsPath}`, error);
				void vscode.window.showErrorMessage(`Corpus Annotator: could not save ${baseName(entry.sidecarUri.path)}: ${error instanceof Error ? error.message : String(error)}`);
			}
		}
	}

	private async onSidecarChangedOnDisk(sidecarUri: vscode.Uri): Promise<void> {
		if (!isSidecarPath(sidecarUri.path)) {
			return;
		}
		const articlePath = articlePathFor(sidecarUri.path)!;
		const articleUri = sidecarUri.with({ path: articlePath });
		const entry = this.entries.get(articleUri.toString());
		const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === articleUri.toString());
		if (!entry || !document) {
			this._onDidChange.fire(articleUri);
			return;
		}
		await this.serialized(async () => {
			const text = await readTextIfExists(sidecarUri);
			if (text !== entry.diskText) {
				this.load(entry, document, text);
				entry.undo = [];
				entry.redo = [];
				this._onDidChange.fire(articleUri);
			}
		});
	}

	// ---- writing ---------------------------------------------------------------------------

	/** Re-reads the sidecar if someone else changed it since we last looked. */
	private async refreshFromDisk(entry: Entry, document: vscode.TextDocument): Promise<void> {
		const text = await readTextIfExists(entry.sidecarUri);
		if (text !== entry.diskText) {
			this.logger.info(`${entry.sidecarUri.fsPath} changed on disk; re-reading it before writing`);
			this.load(entry, document, text);
		}
	}

	private assertWritable(entry: Entry): void {
		if (entry.errors) {
			const first = entry.errors[0];
			const where = `${vscode.workspace.asRelativePath(entry.sidecarUri)}:${first.line}:${first.column}`;
			throw new UserError(`Annotations not changed: ${where} cannot be read (${first.message}). Fix the file first; it is never overwritten.`, [
				{
					title: 'Open File',
					run: () =>
						vscode.window.showTextDocument(entry.sidecarUri, {
							selection: new vscode.Range(Math.max(0, first.line - 1), Math.max(0, first.column - 1), Math.max(0, first.line - 1), Math.max(0, first.column - 1)),
						}),
				},
			]);
		}
	}

	/** Copies live editor positions into the document (code points, fresh quote and context). */
	private syncOffsets(entry: Entry, prepared: PreparedText): void {
		const doc = entry.doc;
		if (!doc) {
			return;
		}
		// A copy: setOffsets may move an annotation within the live array to keep document order.
		for (const annotation of [...doc.data.annotations]) {
			const live = entry.live.get(annotation.id);
			if (!live || live.status === 'orphaned') {
				continue;
			}
			if (live.end <= live.start) {
				entry.live.set(annotation.id, { ...live, status: 'orphaned', reason: 'deleted' });
				continue;
			}
			const sel = makeSelector(prepared, live.start, live.end);
			doc.setOffsets(annotation.id, sel.start, sel.end, sel.quote, sel.prefix, sel.suffix);
		}
	}

	private async flush(entry: Entry, document: vscode.TextDocument): Promise<void> {
		if (!entry.doc || entry.errors) {
			entry.offsetsPending = false;
			return;
		}
		await this.refreshFromDisk(entry, document);
		if (!entry.doc) {
			return;
		}
		const prepared = prepareText(document.getText());
		this.syncOffsets(entry, prepared);
		await this.write(entry, document, prepared, false);
		this._onDidChange.fire(entry.articleUri);
	}

	private async write(entry: Entry, document: vscode.TextDocument, prepared: PreparedText, recordUndo: boolean): Promise<void> {
		const doc = entry.doc!;
		const header = this.header(entry, document, prepared);
		const current = doc.data;
		// Only touch the header when the article's text or date really changed (keeps diffs minimal).
		if (current.textHash !== header.textHash || current.date !== header.date || current.article !== header.article) {
			doc.setHeader(header);
		}
		const next = serializeIfChanged(entry.diskText ?? '', doc);
		entry.offsetsPending = false;
		if (next === undefined) {
			return;
		}
		await writeFileAtomic(entry.sidecarUri, next);
		if (recordUndo) {
			entry.undo.push({ before: entry.diskText, after: next });
			entry.undo.splice(0, Math.max(0, entry.undo.length - UNDO_DEPTH));
			entry.redo = [];
		}
		// Re-parse our own output so the next edit diffs against exactly what is on disk.
		const reparsed = parseSidecar(next);
		entry.diskText = next;
		if (reparsed.ok) {
			entry.doc = reparsed.doc;
		}
		this._onDidChange.fire(entry.articleUri);
	}

	private header(entry: Entry, document: vscode.TextDocument, prepared?: PreparedText): { article: string; date: string | null; textHash: string } {
		const text = prepared?.raw ?? document.getText();
		const firstLine = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length);
		const { date } = parseHeader(firstLine.replace(/\r$/, ''));
		return { article: baseName(entry.articleUri.path), date: date ? formatArticleDate(date) : null, textHash: hashArticleText(text) };
	}

	private view(entry: Entry): ArticleAnnotations {
		const annotations: LiveAnnotation[] = [];
		for (const annotation of entry.doc?.data.annotations ?? []) {
			const live = entry.live.get(annotation.id);
			if (live) {
				annotations.push({ annotation, start: live.start, end: live.end, status: live.status, reason: live.reason });
			}
		}
		annotations.sort((a, b) => a.start - b.start || a.end - b.end);
		return { articleUri: entry.articleUri, sidecarUri: entry.sidecarUri, annotations, errors: entry.errors };
	}

	/** Runs sidecar I/O one operation at a time, so a write never races a reload. */
	private serialized<T>(task: () => Promise<T>): Promise<T> {
		const run = this.queue.then(task, task);
		this.queue = run.catch(() => undefined);
		return run;
	}
}
