import * as vscode from 'vscode';
import { formatArticleDate, parseHeader } from '../../core/article/articleParser';
import { makeSelector, prepareText, shiftForEdits, toEditorRange, type PreparedText, type TextSelector } from '../../core/annotations/anchoring';
import { hashArticleText } from '../../core/annotations/textHash';
import { editorOffset, sidecarOffset, type EditorRange } from '../../core/annotations/offsets';
import type { Annotation, Relation } from '../../core/annotations/model';
import { openSidecarSession, type SidecarSession } from '../../core/annotations/sidecarSession';
import { SidecarEditError, createSidecar, parseSidecar, serializeIfChanged, type SidecarDocument, type SidecarError } from '../../core/annotations/sidecarCodec';
import { baseName, isSidecarPath, articlePathFor, sidecarPathFor, SIDECAR_GLOB } from '../../core/corpus/corpusLayout';
import { isArticleDocument } from '../../platform/articleDocuments';
import { readTextIfExists, updateUriLocked } from '../../platform/atomicWrite';
import { Disposable } from '../../platform/dispose';
import type { Logger } from '../../platform/logger';
import { UserError } from '../../platform/userError';
import { AnnotationHistory, historyKey, type HistoryDirection, type HistorySnapshot } from './annotationHistory';
import { readableParserMessage } from './annotationText';
import { compareSpans, editedSpanSurvives } from './liveSpans';

/** Where an annotation is in the open editor, and how sure we are. */
export type LiveStatus = 'anchored' | 'moved' | 'fuzzy' | 'edited' | 'orphaned';

/** An annotation where it is in the editor; for an orphan, its last known place clamped to the text (never drawn). */
export interface LiveAnnotation extends EditorRange {
	readonly annotation: Annotation;
	readonly status: LiveStatus;
	/** Why an orphan could not be anchored. */
	readonly reason?: string;
}

/** The annotations of one open article, as loaded from its sidecar. */
export interface ArticleAnnotations {
	readonly articleUri: vscode.Uri;
	readonly sidecarUri: vscode.Uri;
	/** Order (start, end, id) of the editor positions. Empty when there is no sidecar yet. */
	readonly annotations: readonly LiveAnnotation[];
	/** The links between annotations, in file order (orphans' relations included). */
	readonly relations: readonly Relation[];
	/** Set when the sidecar exists but cannot be read: nothing is written until it is fixed. */
	readonly errors?: readonly SidecarError[];
	/** Annotation changes made while the article had unsaved edits: written when it is saved. */
	readonly pendingChanges: number;
}

interface LiveRange extends EditorRange {
	status: LiveStatus;
	reason?: string;
}

type Snapshot = HistorySnapshot<LiveRange>;

/** What a change may do beyond editing the document directly. */
export interface SidecarEdits {
	/**
	 * Points an annotation at a new passage (the analyst chose it): the one way an orphan's
	 * offsets, quote and context may change. False when the id is unknown.
	 */
	reanchor(id: string, selector: TextSelector): boolean;
}

/** A command's change to the in-memory sidecar; see {@link AnnotationStore.modify}. */
export type SidecarChange<T> = (doc: SidecarDocument, text: PreparedText, edits: SidecarEdits) => T;

/** A command's change to the in-memory sidecar that is not written yet. */
interface PendingChange {
	/** Re-run on a newer sidecar when another program wrote it meanwhile; undefined for an undo or redo (a restored text cannot be replayed). */
	readonly change?: SidecarChange<unknown>;
	/** `document.version` of the article it was made on: the editor offsets it used belong to that text. */
	readonly version: number;
	/** What its last run returned (the ids it made, …), handed back by `modify`. */
	result?: unknown;
	/** Why it was dropped unwritten, if it was. */
	dropped?: string;
}

interface Entry {
	articleUri: vscode.Uri;
	sidecarUri: vscode.Uri;
	/** Sidecar text as last read or written by us; undefined when the file does not exist. */
	diskText: string | undefined;
	/** The sidecar as it is in memory: the file plus changes waiting for the article's save. */
	doc: SidecarDocument | undefined;
	/** The session the file was opened in; it guards orphans while `doc` is its document (an undo restores another). */
	session: SidecarSession | undefined;
	errors: SidecarError[] | undefined;
	live: Map<string, LiveRange>;
	/** The article text on disk as the editor last saw it (loaded, saved or reloaded). */
	savedArticleText: string;
	/** Annotation changes (commands) not yet written, in order: the article has unsaved edits, or the write is under way. */
	pending: PendingChange[];
	/** Offsets or the text hash differ from the file: written with the article's next save. */
	offsetsPending: boolean;
	/** Undo and redo of the annotation changes made in this session. */
	history: AnnotationHistory<LiveRange>;
}

/**
 * Loads, anchors, edits and saves the sidecars of open articles, keeping one promise: **the
 * sidecar on disk always matches the article on disk** (its offsets and `textHash` are for the
 * article file as it is, never for unsaved editor text).
 *
 * - A command on a clean article is written at once, atomically. On an article with unsaved
 *   edits it changes the sidecar in memory only ("pending") and is written when the article is
 *   saved; Revert File and closing without saving drop it.
 * - While the article is edited, offsets follow the edits in memory. A span whose text was
 *   replaced or mostly deleted becomes an orphan; it is never stretched over other text.
 * - When the article changed on disk (another tool, git), the sidecar is re-read and re-anchored
 *   against the new text, with the text the editor last saw as the previous version; re-anchored
 *   offsets are written at once. Orphans keep every stored field as it was.
 * - A sidecar that does not parse is never written; every change is refused with its position.
 * - Every write is compare-and-swap under the sidecar's lock file, the one the command line takes:
 *   if the file changed since we read it, it is re-read and the pending changes are run again on
 *   its new content, or refused with the reason. Nobody's update is lost, ours or theirs.
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
		this._register(vscode.workspace.onDidChangeTextDocument((e) => this.onArticleChanged(e)));
		this._register(vscode.workspace.onDidSaveTextDocument((d) => void this.onArticleSaved(d)));
		// Closing without saving drops pending changes: the entry (and its memory) goes with the document.
		this._register(vscode.workspace.onDidCloseTextDocument((d) => this.entries.delete(d.uri.toString())));
		const watcher = this._register(vscode.workspace.createFileSystemWatcher(SIDECAR_GLOB));
		const onSidecar = (uri: vscode.Uri): void => void this.onSidecarChangedOnDisk(uri);
		this._register(watcher.onDidChange(onSidecar));
		this._register(watcher.onDidCreate(onSidecar));
		this._register(watcher.onDidDelete(onSidecar));
	}

	static sidecarUriFor(articleUri: vscode.Uri): vscode.Uri {
		return articleUri.with({ path: sidecarPathFor(articleUri.path) });
	}

	/** The annotations of an open article (loaded and anchored on first use). Other documents have none. */
	async get(document: vscode.TextDocument): Promise<ArticleAnnotations> {
		if (!isArticleDocument(document)) {
			const sidecarUri = AnnotationStore.sidecarUriFor(document.uri);
			return { articleUri: document.uri, sidecarUri, annotations: [], relations: [], pendingChanges: 0 };
		}
		return this.view(await this.entryFor(document));
	}

	/**
	 * Refuses (with `file:line:column: message` and an Open File action) when the sidecar of
	 * `document` cannot be read. Commands call it before asking anything.
	 */
	async assertWritable(document: vscode.TextDocument): Promise<void> {
		if (!isArticleDocument(document)) {
			throw new UserError(`${vscode.workspace.asRelativePath(document.uri)} is not an article file of the workspace.`);
		}
		const entry = await this.entryFor(document);
		await this.serialized(() => this.refreshFromDisk(entry, document));
		this.throwIfUnreadable(entry);
	}

	/**
	 * Changes the sidecar of `document` through `change`: written at once when the article is
	 * saved, else kept in memory until it is. Refuses when the sidecar cannot be read. Returns
	 * what `change` returned.
	 */
	async modify<T>(document: vscode.TextDocument, change: SidecarChange<T>): Promise<T> {
		if (!isArticleDocument(document)) {
			throw new UserError(`${vscode.workspace.asRelativePath(document.uri)} is not an article file of the workspace.`);
		}
		return this.serialized(async () => {
			const entry = await this.entryFor(document);
			await this.refreshFromDisk(entry, document);
			this.throwIfUnreadable(entry);
			const pending: PendingChange = { change, version: document.version };
			this.apply(entry, document, pending);
			await this.writeIfSaved(entry, document);
			this._onDidChange.fire(entry.articleUri);
			this.throwIfDropped(entry, pending);
			// The last run's result: re-run on a newer file, the change may have made other ids.
			return pending.result as T;
		});
	}

	/**
	 * Reverts (or redoes) the last annotation change of this article, exactly, if nothing changed
	 * since: neither the annotations (by hand, another tool) nor the article text.
	 */
	async undo(document: vscode.TextDocument, direction: HistoryDirection = 'undo'): Promise<boolean> {
		return this.serialized(async () => {
			const entry = await this.entryFor(document);
			await this.refreshFromDisk(entry, document);
			const taken = entry.history.take(direction, { key: historyKey(entry.doc), version: document.version });
			if (!taken) {
				return false;
			}
			if ('stale' in taken) {
				const why = taken.stale === 'article' ? 'the article was edited since' : `${baseName(entry.sidecarUri.path)} was changed since (by another tool or by hand)`;
				throw new UserError(`Cannot ${direction} the annotation change: ${why}.`);
			}
			const { target } = taken;
			const restored = target.text === undefined ? undefined : parseSidecar(target.text);
			if (restored && !restored.ok) {
				throw new UserError(`Cannot ${direction}: the earlier annotations no longer parse.`);
			}
			entry.doc = restored?.doc;
			entry.live = new Map(target.live);
			const pending: PendingChange = { version: document.version };
			entry.pending.push(pending);
			await this.writeIfSaved(entry, document);
			this._onDidChange.fire(entry.articleUri);
			this.throwIfDropped(entry, pending);
			return true;
		});
	}

	/** Writes what is pending for every open article whose text is saved (used on deactivate). */
	async flushAll(): Promise<void> {
		for (const entry of this.entries.values()) {
			const document = this.openDocument(entry.articleUri);
			if (document && !document.isDirty && (entry.offsetsPending || entry.pending.length > 0)) {
				await this.serialized(() => this.writeOrWarn(entry, document));
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
				// With unsaved edits the text on disk is what the sidecar must match; read it.
				const saved = document.isDirty ? await readTextIfExists(document.uri).catch(() => undefined) : undefined;
				const entry: Entry = {
					articleUri: document.uri,
					sidecarUri,
					diskText: undefined,
					doc: undefined,
					session: undefined,
					errors: undefined,
					live: new Map(),
					savedArticleText: saved ?? document.getText(),
					pending: [],
					offsetsPending: false,
					history: new AnnotationHistory(),
				};
				try {
					this.load(entry, document, await readTextIfExists(sidecarUri));
					this.entries.set(key, entry);
				} finally {
					this.loading.delete(key);
				}
				if (entry.offsetsPending && !document.isDirty) {
					// The article changed while nobody looked (outside VS Code): write the re-anchored
					// offsets now. Queued, not awaited: entryFor may itself run inside a queued task.
					this.writeSoon(entry, document);
				}
				return entry;
			})();
			this.loading.set(key, pending);
		}
		return pending;
	}

	/**
	 * Parses the sidecar `text` into the entry and anchors every annotation in the editor text.
	 * Offsets stored for another text are re-anchored, with the text the editor last saw on disk
	 * as the previous version; orphans keep their stored fields and are never drawn.
	 */
	private load(entry: Entry, document: vscode.TextDocument, text: string | undefined): void {
		entry.diskText = text;
		entry.doc = undefined;
		entry.session = undefined;
		entry.errors = undefined;
		entry.live = new Map();
		entry.offsetsPending = false;
		entry.pending = [];
		if (text === undefined) {
			return;
		}
		// Previous version of the text: the article on disk as the editor last saw it, if the stored offsets are for it.
		const current = document.getText();
		const storedHash = /^textHash:[ \t]*['"]?(sha256:[0-9a-f]+)/m.exec(text)?.[1];
		const previous = entry.savedArticleText !== current && storedHash === hashArticleText(entry.savedArticleText) ? entry.savedArticleText : undefined;
		const opened = openSidecarSession({ sidecarText: text, articleText: current, articleName: baseName(entry.articleUri.path), previousArticleText: previous });
		if (!opened.ok) {
			entry.errors = opened.errors;
			this.logger.warn(`${entry.sidecarUri.fsPath}: ${opened.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('; ')}`);
			return;
		}
		const { session } = opened;
		entry.session = session;
		entry.doc = session.doc;
		for (const annotation of session.doc.data.annotations) {
			const result = session.anchors.get(annotation.id);
			if (!result || result.status === 'orphaned' || result.start === undefined || result.end === undefined) {
				// Stored fields untouched (the session guarantees it); the range only places its Problem.
				entry.live.set(annotation.id, { ...this.clampedRange(session.article, annotation), status: 'orphaned', reason: result?.reason });
			} else {
				entry.live.set(annotation.id, { ...toEditorRange(session.article, result.start, result.end), status: result.status });
			}
		}
		// Moved offsets or a new text hash: written as soon as the article on disk is this text.
		entry.offsetsPending = session.needsWrite();
	}

	private clampedRange(prepared: PreparedText, annotation: Annotation): EditorRange {
		const max = prepared.rawIndex.codePointLength;
		return toEditorRange(prepared, sidecarOffset(Math.min(annotation.start, max)), sidecarOffset(Math.min(annotation.end, max)));
	}

	/**
	 * After a command: annotations whose offsets it did not touch keep their live range and status
	 * (orphans stay orphans); new ones and re-anchored ones sit at their new offsets.
	 */
	private rebuildLive(entry: Entry, prepared: PreparedText, offsetsBefore: ReadonlyMap<string, string>): void {
		const next = new Map<string, LiveRange>();
		for (const annotation of entry.doc?.data.annotations ?? []) {
			const old = entry.live.get(annotation.id);
			if (old && offsetsBefore.get(annotation.id) === `${annotation.start}:${annotation.end}`) {
				next.set(annotation.id, old);
			} else {
				next.set(annotation.id, { ...toEditorRange(prepared, annotation.start, annotation.end), status: 'anchored' });
			}
		}
		entry.live = next;
	}

	// ---- the article changes ---------------------------------------------------------------

	private onArticleChanged(e: vscode.TextDocumentChangeEvent): void {
		const entry = this.entries.get(e.document.uri.toString());
		if (!entry) {
			return;
		}
		const document = e.document;
		if (e.contentChanges.length > 0) {
			this.followEdits(entry, document, e.contentChanges);
			this._onDidChange.fire(entry.articleUri);
		}
		if (document.isDirty) {
			return;
		}
		// Clean now. The flag can lag behind the first keystroke after a save, so the file decides:
		// only when the editor text is the article on disk is this a reload (Revert File, a change
		// on disk), an undo back to the saved text, or a save.
		const text = document.getText();
		const version = document.version;
		const reloaded = e.contentChanges.length > 0 && e.reason !== vscode.TextDocumentChangeReason.Undo && e.reason !== vscode.TextDocumentChangeReason.Redo;
		this.serialized(async () => {
			if ((await readTextIfExists(document.uri)) !== text) {
				return; // typing, with the dirty flag not yet up to date
			}
			if (reloaded) {
				// Pending changes go; the sidecar on disk is anchored again against the new text.
				await this.reloadFromDisk(entry, document, text);
			} else if (document.version === version) {
				await this.writeOrWarn(entry, document);
			}
		}).catch((error: unknown) => this.logger.error(`could not follow ${document.uri.fsPath} on disk`, error));
	}

	/** Moves live ranges through typing; spans replaced or mostly deleted become orphans. */
	private followEdits(entry: Entry, document: vscode.TextDocument, changes: readonly vscode.TextDocumentContentChangeEvent[]): void {
		const ids = [...entry.live.keys()].filter((id) => entry.live.get(id)!.status !== 'orphaned');
		if (ids.length === 0) {
			return;
		}
		const shifted = shiftForEdits(
			ids.map((id) => entry.live.get(id)!),
			changes.map((c) => ({ start: editorOffset(c.rangeOffset), end: editorOffset(c.rangeOffset + c.rangeLength), newLength: c.text.length })),
		);
		let text: string | undefined;
		ids.forEach((id, i) => {
			const s = shifted[i];
			const old = entry.live.get(id)!;
			if (s.status === 'unchanged' || s.status === 'shifted') {
				entry.live.set(id, { ...old, start: s.start, end: s.end });
				return;
			}
			text ??= document.getText();
			const quote = entry.doc?.get(id)?.quote ?? '';
			if (s.status === 'needs-reanchor' || s.end <= s.start || !editedSpanSurvives(quote, text.slice(s.start, s.end))) {
				entry.live.set(id, { start: s.start, end: s.start, status: 'orphaned', reason: s.status === 'needs-reanchor' ? 'replaced' : 'deleted' });
			} else {
				entry.live.set(id, { start: s.start, end: s.end, status: 'edited' });
			}
		});
		entry.offsetsPending = true;
	}

	/** The article was re-read from disk: drop what is pending, re-read the sidecar, anchor, write. */
	private async reloadFromDisk(entry: Entry, document: vscode.TextDocument, onDisk: string): Promise<void> {
		if (entry.pending.length > 0) {
			this.logger.info(`${entry.articleUri.fsPath} was reverted or re-read from disk: ${entry.pending.length} unsaved annotation change(s) dropped`);
		}
		this.load(entry, document, await readTextIfExists(entry.sidecarUri));
		entry.savedArticleText = onDisk;
		entry.history.clear();
		await this.writeOrWarn(entry, document);
		this._onDidChange.fire(entry.articleUri);
	}

	private async onArticleSaved(document: vscode.TextDocument): Promise<void> {
		const entry = this.entries.get(document.uri.toString());
		if (!entry) {
			return;
		}
		// The text that was saved: by the time the queue gets here the analyst may be typing again.
		const saved = document.getText();
		try {
			await this.serialized(async () => {
				entry.savedArticleText = saved;
				if (entry.doc && !entry.errors) {
					await this.writeOrWarn(entry, document);
				}
			});
		} catch (error) {
			this.logger.error(`could not save the annotations of ${document.uri.fsPath}`, error);
			void vscode.window.showErrorMessage(`Corpus Annotator: could not save ${baseName(entry.sidecarUri.path)}: ${error instanceof Error ? error.message : String(error)}`);
		}
	}

	private async onSidecarChangedOnDisk(sidecarUri: vscode.Uri): Promise<void> {
		if (!isSidecarPath(sidecarUri.path)) {
			return;
		}
		const articleUri = sidecarUri.with({ path: articlePathFor(sidecarUri.path)! });
		const entry = this.entries.get(articleUri.toString());
		const document = this.openDocument(articleUri);
		if (!entry || !document) {
			this._onDidChange.fire(articleUri);
			return;
		}
		await this.serialized(() => this.refreshFromDisk(entry, document));
	}

	// ---- writing ---------------------------------------------------------------------------

	/**
	 * Re-reads the sidecar if someone else changed it since we last looked; changes still pending
	 * are run again on its new content, or dropped with a warning saying why.
	 */
	private async refreshFromDisk(entry: Entry, document: vscode.TextDocument): Promise<void> {
		const text = await readTextIfExists(entry.sidecarUri);
		if (text === entry.diskText) {
			return;
		}
		this.logger.info(`${entry.sidecarUri.fsPath} changed on disk; re-reading it`);
		const count = entry.pending.length;
		const why = this.rebase(entry, document, text);
		if (why !== undefined) {
			void vscode.window.showWarningMessage(`Corpus Annotator: ${this.droppedMessage(entry, count, why)}`);
		}
		await this.writeOrWarn(entry, document);
		this._onDidChange.fire(entry.articleUri);
	}

	/**
	 * The sidecar is now `fresh` (another program wrote it): load it, then run the pending changes
	 * again on it, in order. Returns why they could not be (they are all dropped then).
	 */
	private rebase(entry: Entry, document: vscode.TextDocument, fresh: string | undefined): string | undefined {
		const pending = entry.pending;
		this.load(entry, document, fresh);
		entry.history.clear();
		const why = this.replay(entry, document, pending);
		if (why !== undefined) {
			this.load(entry, document, fresh);
			for (const change of pending) {
				change.dropped = why;
			}
		}
		return why;
	}

	private replay(entry: Entry, document: vscode.TextDocument, pending: readonly PendingChange[]): string | undefined {
		if (pending.length > 0 && entry.errors) {
			return 'it cannot be read any more';
		}
		for (const change of pending) {
			if (!change.change) {
				return 'an undo or redo cannot be applied to another version of the file';
			}
			if (change.version !== document.version) {
				return 'the article was edited after the change was made';
			}
			try {
				if (!this.apply(entry, document, change)) {
					return 'what the change was about is no longer in the file';
				}
			} catch (error) {
				return error instanceof Error ? error.message : String(error);
			}
		}
		return undefined;
	}

	/** Runs a command's change on the in-memory sidecar; true (and recorded as pending, with its undo step) when it changed something. */
	private apply(entry: Entry, document: vscode.TextDocument, pending: PendingChange): boolean {
		const prepared = prepareText(document.getText());
		entry.doc ??= createSidecar(this.header(entry, entry.savedArticleText));
		this.syncOffsets(entry, prepared);
		const before = this.snapshot(entry, document);
		const offsetsBefore = new Map(entry.doc.data.annotations.map((a) => [a.id, `${a.start}:${a.end}`]));
		pending.result = pending.change?.(entry.doc, prepared, this.edits(entry, entry.doc));
		this.rebuildLive(entry, prepared, offsetsBefore);
		if (!entry.history.record(before, this.snapshot(entry, document))) {
			return false;
		}
		entry.pending.push(pending);
		return true;
	}

	/** The session of `entry` while `doc` is its document. */
	private sessionOf(entry: Entry, doc: SidecarDocument): SidecarSession | undefined {
		return entry.session?.doc === doc ? entry.session : undefined;
	}

	private edits(entry: Entry, doc: SidecarDocument): SidecarEdits {
		return {
			reanchor: (id, s) => this.sessionOf(entry, doc)?.reanchor(id, s) ?? doc.setOffsets(id, s.start, s.end, s.quote, s.prefix, s.suffix),
		};
	}

	private droppedMessage(entry: Entry, count: number, why: string): string {
		return `${baseName(entry.sidecarUri.path)} was changed by another program meanwhile; ${count} annotation change(s) not yet written could not be applied to its new content (${why}) and were dropped.`;
	}

	/** A command whose change was dropped (the file changed under it and the change no longer applies) fails with the reason. */
	private throwIfDropped(entry: Entry, pending: PendingChange): void {
		if (pending.dropped !== undefined) {
			throw new UserError(`${vscode.workspace.asRelativePath(entry.sidecarUri)} was changed by another program meanwhile and your change could not be applied to its new content (${pending.dropped}); nothing was written.`);
		}
	}

	private throwIfUnreadable(entry: Entry): void {
		if (!entry.errors) {
			return;
		}
		const first = entry.errors[0];
		const where = `${vscode.workspace.asRelativePath(entry.sidecarUri)}:${first.line}:${first.column}`;
		throw new UserError(`${where}: ${readableParserMessage(first.message)} — annotations not changed. Fix the file first; it is never overwritten.`, [
			{
				title: 'Open File',
				run: () => {
					const at = new vscode.Position(Math.max(0, first.line - 1), Math.max(0, first.column - 1));
					return vscode.window.showTextDocument(entry.sidecarUri, { selection: new vscode.Range(at, at) });
				},
			},
		]);
	}

	/** Copies live editor positions of anchored annotations into the document (code points, fresh quote and context). */
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
			const sel = makeSelector(prepared, live.start, live.end);
			doc.setOffsets(annotation.id, sel.start, sel.end, sel.quote, sel.prefix, sel.suffix);
		}
	}

	private writeSoon(entry: Entry, document: vscode.TextDocument): void {
		this.serialized(() => this.writeOrWarn(entry, document)).catch((error: unknown) =>
			this.logger.error(`could not save annotation offsets to ${entry.sidecarUri.fsPath}`, error),
		);
	}

	/** Writes now when the article on disk is the editor text; otherwise the save will. Returns why pending changes were dropped, if they were. */
	private async writeIfSaved(entry: Entry, document: vscode.TextDocument): Promise<string | undefined> {
		if (!document.isDirty && !entry.errors && (entry.offsetsPending || entry.pending.length > 0)) {
			return this.write(entry, document);
		}
		return undefined;
	}

	/** `writeIfSaved` for writes no command waits on (a save, a reload): dropped changes are shown as a warning. */
	private async writeOrWarn(entry: Entry, document: vscode.TextDocument): Promise<void> {
		const count = entry.pending.length;
		const why = await this.writeIfSaved(entry, document);
		if (why !== undefined) {
			void vscode.window.showWarningMessage(`Corpus Annotator: ${this.droppedMessage(entry, count, why)}`);
		}
	}

	/**
	 * Writes the in-memory sidecar for the article text, only if that text is the article file on
	 * disk (`isDirty` lags behind the first edit after a save, the file does not) and the editor
	 * is still at that text when the lock is held: live ranges follow every keystroke at once.
	 * Under the lock, a sidecar that changed since we read it is loaded and the pending changes
	 * run again on it (`rebase`). Returns why they were dropped, if they could not be.
	 */
	private async write(entry: Entry, document: vscode.TextDocument): Promise<string | undefined> {
		const version = document.version;
		const text = document.getText();
		if (document.isDirty || (await readTextIfExists(document.uri).catch(() => undefined)) !== text) {
			return undefined; // unsaved edits: written with the save
		}
		let outcome: 'stale' | 'unchanged' | 'deleted' | 'written' = 'stale';
		let dropped: string | undefined;
		let rebased = false;
		const result = await updateUriLocked(entry.sidecarUri, async (current) => {
			if (document.version !== version || document.isDirty) {
				outcome = 'stale'; // typed while we waited: the save writes
				return undefined;
			}
			if (current !== entry.diskText) {
				rebased = true;
				dropped = this.rebase(entry, document, current) ?? dropped;
				if (entry.errors) {
					outcome = 'unchanged';
					return undefined;
				}
			}
			const next = this.nextSidecarText(entry, text);
			if (next === null) {
				await vscode.workspace.fs.delete(entry.sidecarUri);
				outcome = 'deleted';
				return undefined;
			}
			outcome = next === undefined ? 'unchanged' : 'written';
			return next;
		});
		if (rebased) {
			this._onDidChange.fire(entry.articleUri);
		}
		if (outcome === 'stale') {
			return dropped;
		}
		entry.savedArticleText = text;
		entry.pending = [];
		entry.offsetsPending = false;
		entry.diskText = outcome === 'deleted' ? undefined : result.text;
		if (outcome === 'written' && result.text !== undefined) {
			// The document learns what it wrote, so the next edit splices exactly what is on disk.
			const doc = entry.doc;
			if (doc && (doc.changed || doc.sourceText !== result.text)) {
				const session = this.sessionOf(entry, doc);
				if (session) {
					session.commit(result.text);
				} else {
					doc.commit(result.text);
				}
			}
			this._onDidChange.fire(entry.articleUri);
		}
		return dropped;
	}

	/**
	 * The sidecar text to write for the article `text`: offsets from the live ranges, the header
	 * when the article changed. Undefined when nothing changed; null when the file should go
	 * (undone back to "no annotations file").
	 */
	private nextSidecarText(entry: Entry, text: string): string | undefined | null {
		const doc = entry.doc;
		if (!doc) {
			return entry.diskText === undefined ? undefined : null;
		}
		this.syncOffsets(entry, prepareText(text));
		const header = this.header(entry, text);
		const current = doc.data;
		// Only touch the header when the article's text or date really changed (keeps diffs minimal).
		if (current.textHash !== header.textHash || current.date !== header.date || current.article !== header.article) {
			doc.setHeader(header);
		}
		// An undo restores a document parsed from an earlier text: that text is what to write.
		const next = this.serialize(entry, doc) ?? (doc.sourceText !== entry.diskText && !doc.changed ? doc.sourceText : undefined);
		return next === entry.diskText ? undefined : next;
	}

	/**
	 * The edited document's text, through its session when it has one: the session refuses an
	 * orphan changed other than by an explicit re-anchor. The refused changes are dropped (the file
	 * is read again) so they cannot block every later write.
	 */
	private serialize(entry: Entry, doc: SidecarDocument): string | undefined {
		const session = this.sessionOf(entry, doc);
		if (!session) {
			return serializeIfChanged(entry.diskText ?? '', doc);
		}
		try {
			return session.serialize();
		} catch (error) {
			if (error instanceof SidecarEditError) {
				const document = this.openDocument(entry.articleUri);
				if (document) {
					this.load(entry, document, entry.diskText);
				}
				throw new UserError(`${error.message} Nothing was written.`);
			}
			throw error;
		}
	}

	private header(entry: Entry, articleText: string): { article: string; date: string | null; textHash: string } {
		const end = articleText.indexOf('\n');
		const firstLine = end < 0 ? articleText : articleText.slice(0, end);
		const { date } = parseHeader(firstLine.replace(/\r$/, '').replace(/^\uFEFF/, ''));
		return { article: baseName(entry.articleUri.path), date: date ? formatArticleDate(date) : null, textHash: hashArticleText(articleText) };
	}

	private snapshot(entry: Entry, document: vscode.TextDocument): Snapshot {
		const doc = entry.doc;
		const text = doc ? (serializeIfChanged(entry.diskText ?? '', doc) ?? (doc.changed ? entry.diskText : doc.sourceText)) : undefined;
		return { text, key: historyKey(doc), live: new Map(entry.live), version: document.version };
	}

	private view(entry: Entry): ArticleAnnotations {
		const annotations: LiveAnnotation[] = [];
		for (const annotation of entry.doc?.data.annotations ?? []) {
			const live = entry.live.get(annotation.id);
			if (live) {
				annotations.push({ annotation, start: live.start, end: live.end, status: live.status, reason: live.reason });
			}
		}
		annotations.sort((a, b) => compareSpans({ ...a, id: a.annotation.id }, { ...b, id: b.annotation.id }));
		const relations = entry.doc?.data.relations ?? [];
		return { articleUri: entry.articleUri, sidecarUri: entry.sidecarUri, annotations, relations, errors: entry.errors, pendingChanges: entry.pending.length };
	}

	private openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
		return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && isArticleDocument(d));
	}

	/** Runs sidecar I/O one operation at a time, so a write never races a reload. */
	private serialized<T>(task: () => Promise<T>): Promise<T> {
		const run = this.queue.then(task, task);
		this.queue = run.catch(() => undefined);
		return run;
	}
}

