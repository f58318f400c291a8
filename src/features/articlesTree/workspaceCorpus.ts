import * as vscode from 'vscode';
import { CorpusIndex, emptyChange, mergeChange, withEntryFields, type CorpusEntry, type IndexChange } from '../../core/corpus/corpusIndex';
import { indexArticleFile, indexCorpus, readSidecarSummary } from '../../core/corpus/corpusIndexer';
import { articlePathFor, CORPUS_FILES_GLOB, isArticlePath, isSidecarPath, sidecarPathFor } from '../../core/corpus/corpusLayout';
import { decodeIndexSnapshot, encodeIndexSnapshot } from '../../core/corpus/indexSnapshot';
import { Disposable } from '../../platform/dispose';
import type { Logger } from '../../platform/logger';
import { isIgnoredPath, WorkspaceCorpusFileSystem } from '../../platform/workspaceCorpusFileSystem';

/** Delay that coalesces a burst of file events (a `git checkout`, a folder copy) into one update. */
const EVENT_COALESCE_MS = 100;
/** Delay after the last change before the index snapshot is written again (a burst of edits writes once). */
const SNAPSHOT_DELAY_MS = 5000;

/**
 * Where the index is kept between sessions: one text per workspace folder (the extension's
 * workspace storage). Reads and writes may fail; the index then works as without a store.
 */
export interface IndexSnapshotStore {
	load(folderKey: string): Promise<Uint8Array | undefined>;
	save(folderKey: string, snapshot: Uint8Array): Promise<void>;
}

export interface CorpusChange {
	readonly change: IndexChange;
	/** True while the initial index (or a refresh) is still adding entries. */
	readonly indexing: boolean;
}

interface FolderState {
	readonly folder: vscode.WorkspaceFolder;
	readonly key: string;
	readonly fs: WorkspaceCorpusFileSystem;
	readonly disposables: vscode.Disposable[];
}

/**
 * The articles of every workspace folder in one {@link CorpusIndex}: builds it in the background
 * (lazily, on the first `start()`), keeps it current from file-system watchers with coalesced,
 * targeted updates, and reports which groups changed. Entry ids are file URIs; `root` is the
 * workspace folder's URI.
 */
export class WorkspaceCorpus extends Disposable {
	readonly index = new CorpusIndex();
	private readonly _onDidChange = this._register(new vscode.EventEmitter<CorpusChange>());
	/** Fires after entries were added, changed or removed. */
	readonly onDidChange = this._onDidChange.event;

	private readonly folders = new Map<string, FolderState>();
	private started = false;
	private _indexing = false;
	private work: Promise<void> = Promise.resolve();
	private readonly pending = new Map<string, { uri: vscode.Uri; deleted: boolean }>();
	private timer: ReturnType<typeof setTimeout> | undefined;
	/** Folders whose snapshot is out of date, and the timer that writes them. */
	private readonly unsaved = new Set<string>();
	private snapshotTimer: ReturnType<typeof setTimeout> | undefined;
	/** Entries shown from each folder's snapshot before its files were checked (for tests and the log). */
	private readonly restoredCounts = new Map<string, number>();

	constructor(private readonly logger: Logger, private readonly snapshots?: IndexSnapshotStore) {
		super();
		this._register({ dispose: () => this.clearFolders() });
		this._register({ dispose: () => clearTimeout(this.timer) });
		this._register({ dispose: () => clearTimeout(this.snapshotTimer) });
	}

	/** How many entries the last start showed from the folder's snapshot (0: none was usable). */
	restoredCount(folderKey: string): number {
		return this.restoredCounts.get(folderKey) ?? 0;
	}

	/** Writes the snapshots of folders changed since the last write now (tests; the timer does it otherwise). */
	async saveSnapshots(): Promise<void> {
		clearTimeout(this.snapshotTimer);
		this.snapshotTimer = undefined;
		const keys = [...this.unsaved];
		this.unsaved.clear();
		for (const key of keys) {
			await this.saveSnapshot(key);
		}
	}

	/** True while the initial index or a refresh runs. */
	get indexing(): boolean {
		return this._indexing;
	}

	get isStarted(): boolean {
		return this.started;
	}

	get folderCount(): number {
		return this.folders.size;
	}

	/** Starts indexing the workspace (once); resolves when the first index is complete. */
	start(): Promise<void> {
		if (!this.started) {
			this.started = true;
			this._register(vscode.workspace.onDidChangeWorkspaceFolders((e) => this.onFoldersChanged(e)));
			for (const folder of vscode.workspace.workspaceFolders ?? []) {
				this.addFolder(folder);
			}
			this.enqueue(() => this.indexAll(false));
		}
		return this.whenIdle();
	}

	/** Re-reads every folder; unchanged files (same mtime and size) are not read again. */
	refresh(): Promise<void> {
		if (!this.started) {
			return this.start();
		}
		this.enqueue(() => this.indexAll(true));
		return this.whenIdle();
	}

	/** Resolves once indexing and every pending file event have been processed. */
	async whenIdle(): Promise<void> {
		for (;;) {
			const work = this.work;
			await work;
			if (work === this.work && this.pending.size === 0) {
				return;
			}
			if (work === this.work) {
				// Events are waiting for their coalescing timer: process them now.
				this.flushPending();
			}
		}
	}

	uriOf(entry: CorpusEntry): vscode.Uri {
		return vscode.Uri.parse(entry.id);
	}

	/** Display name of the workspace folder an entry belongs to. */
	folderName(entry: CorpusEntry): string {
		return this.folders.get(entry.root)?.folder.name ?? '';
	}

	entryFor(uri: vscode.Uri): CorpusEntry | undefined {
		return this.index.get(uri.toString());
	}

	private enqueue(task: () => Promise<void>): void {
		this.work = this.work.then(task).catch((error: unknown) => this.logger.error('Indexing the corpus failed', error));
	}

	private emit(change: IndexChange): void {
		if (change.structural || change.keys.size > 0) {
			this._onDidChange.fire({ change, indexing: this._indexing });
			if (!this._indexing) {
				this.snapshotLater();
			}
		}
	}

	private snapshotLater(): void {
		if (!this.snapshots) {
			return;
		}
		for (const key of this.folders.keys()) {
			this.unsaved.add(key);
		}
		this.snapshotTimer ??= setTimeout(() => {
			this.snapshotTimer = undefined;
			void this.saveSnapshots();
		}, SNAPSHOT_DELAY_MS);
	}

	private async saveSnapshot(folderKey: string): Promise<void> {
		this.unsaved.delete(folderKey);
		if (!this.snapshots || !this.folders.has(folderKey)) {
			return;
		}
		try {
			await this.snapshots.save(folderKey, encodeIndexSnapshot(folderKey, this.index.values()));
		} catch (error) {
			this.logger.warn(`Could not keep the corpus index for the next session: ${String(error)}`);
		}
	}

	/** Shows the folder's entries from its snapshot, if there is a usable one; true when it did. */
	private async restoreSnapshot(state: FolderState): Promise<boolean> {
		let bytes: Uint8Array | undefined;
		try {
			bytes = await this.snapshots?.load(state.key);
		} catch {
			bytes = undefined;
		}
		const entries = bytes === undefined ? undefined : decodeIndexSnapshot(bytes, state.key, (path) => state.fs.uriString(path));
		this.restoredCounts.set(state.key, entries?.length ?? 0);
		if (!entries || entries.length === 0 || this.isDisposed) {
			return false;
		}
		this.emit(this.index.setMany(entries));
		return true;
	}

	private addFolder(folder: vscode.WorkspaceFolder): FolderState {
		const key = folder.uri.toString();
		const state: FolderState = { folder, key, fs: new WorkspaceCorpusFileSystem(folder.uri), disposables: [] };
		this.folders.set(key, state);
		const files = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, CORPUS_FILES_GLOB));
		// Directory moves and deletes are reported for the directory only, not for each file in it.
		const dirs = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**'), false, true, false);
		state.disposables.push(
			files,
			dirs,
			files.onDidCreate((uri) => this.queueEvent(uri, false)),
			files.onDidChange((uri) => this.queueEvent(uri, false)),
			files.onDidDelete((uri) => this.queueEvent(uri, true)),
			dirs.onDidCreate((uri) => this.queueDirectoryEvent(uri, false)),
			dirs.onDidDelete((uri) => this.queueDirectoryEvent(uri, true)),
		);
		return state;
	}

	private clearFolders(): void {
		for (const state of this.folders.values()) {
			for (const d of state.disposables) {
				d.dispose();
			}
		}
		this.folders.clear();
	}

	private onFoldersChanged(e: vscode.WorkspaceFoldersChangeEvent): void {
		for (const folder of e.removed) {
			const key = folder.uri.toString();
			const state = this.folders.get(key);
			state?.disposables.forEach((d) => d.dispose());
			this.folders.delete(key);
			this.enqueue(async () => this.emit(this.index.deleteWhere((entry) => entry.root === key)));
		}
		for (const folder of e.added) {
			const state = this.addFolder(folder);
			this.enqueue(() => this.indexFolder(state, false));
		}
	}

	private async indexAll(isRefresh: boolean): Promise<void> {
		for (const state of [...this.folders.values()]) {
			await this.indexFolder(state, isRefresh);
		}
	}

	private async indexFolder(state: FolderState, isRefresh: boolean): Promise<void> {
		if (this.isDisposed || !this.folders.has(state.key)) {
			return;
		}
		this._indexing = true;
		const started = Date.now();
		try {
			// Reopening: the tree shows the last session's index at once; the walk below then reads
			// only files whose size or mtime changed and drops the ones that are gone.
			const restored = !isRefresh && (await this.restoreSnapshot(state));
			if (restored) {
				this.logger.info(`Showed ${this.restoredCount(state.key)} articles of ${state.folder.name} from the last session in ${Date.now() - started} ms.`);
			}
			const checkAgainstIndex = isRefresh || restored;
			const files = await state.fs.findCorpusFiles();
			const seen = new Set<string>();
			const apply = (entries: readonly CorpusEntry[]): void => {
				const changed: CorpusEntry[] = [];
				for (const entry of entries) {
					seen.add(entry.id);
					if (this.index.get(entry.id) !== entry) {
						changed.push(entry);
					}
				}
				this.emit(this.index.setMany(changed));
			};
			const entries = await indexCorpus(state.fs, '', {
				rootKey: state.key,
				idFor: (path) => state.fs.uriString(path),
				files,
				previous: checkAgainstIndex ? (id) => this.index.get(id) : undefined,
				onBatch: apply,
				onSidecars: apply,
				isCancelled: () => this.isDisposed || !this.folders.has(state.key),
			});
			if (checkAgainstIndex) {
				// Files that disappeared without an event (watcher overflow, changes while closed).
				this.emit(this.index.deleteWhere((entry) => entry.root === state.key && !seen.has(entry.id)));
			}
			this.logger.info(`Indexed ${entries.length} articles of ${files.length} files in ${state.folder.name} in ${Date.now() - started} ms.`);
		} finally {
			this._indexing = false;
		}
		this.emit({ structural: true, keys: new Set() });
		await this.saveSnapshot(state.key);
	}

	private folderOf(uri: vscode.Uri): { state: FolderState; path: string } | undefined {
		const folder = vscode.workspace.getWorkspaceFolder(uri);
		const state = folder && this.folders.get(folder.uri.toString());
		const path = state?.fs.relativePath(uri);
		return state && path !== undefined && path.length > 0 && !isIgnoredPath(path) ? { state, path } : undefined;
	}

	private queueEvent(uri: vscode.Uri, deleted: boolean): void {
		this.pending.set(uri.toString(), { uri, deleted });
		this.timer ??= setTimeout(() => this.flushPending(), EVENT_COALESCE_MS);
	}

	private queueDirectoryEvent(uri: vscode.Uri, deleted: boolean): void {
		if (!isArticlePath(uri.path) && !isSidecarPath(uri.path)) {
			this.queueEvent(uri, deleted);
		}
	}

	private flushPending(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		if (this.pending.size === 0) {
			return;
		}
		const events = [...this.pending.values()];
		this.pending.clear();
		this.enqueue(() => this.applyEvents(events));
	}

	private async applyEvents(events: readonly { uri: vscode.Uri; deleted: boolean }[]): Promise<void> {
		const change = emptyChange();
		for (const { uri, deleted } of events) {
			const located = this.folderOf(uri);
			if (!located || this.isDisposed) {
				continue;
			}
			mergeChange(change, await this.applyEvent(located.state, located.path, uri, deleted));
		}
		this.emit(change);
	}

	private async applyEvent(state: FolderState, path: string, uri: vscode.Uri, deleted: boolean): Promise<IndexChange> {
		const options = { rootKey: state.key, idFor: (p: string) => state.fs.uriString(p) };
		if (isSidecarPath(path)) {
			const entry = this.index.get(state.fs.uriString(articlePathFor(path)!));
			if (!entry) {
				return emptyChange();
			}
			const summary = await readSidecarSummary(state.fs, sidecarPathFor(entry.path));
			return this.index.set(withEntryFields(entry, summary));
		}
		if (isArticlePath(path)) {
			const id = uri.toString();
			if (deleted) {
				return this.index.delete(id);
			}
			const previous = this.index.get(id);
			const entry = await indexArticleFile(state.fs, '', path, { ...options, previous: () => previous });
			if (!entry) {
				return this.index.delete(id);
			}
			return entry === previous ? emptyChange() : this.index.set(entry);
		}
		// A directory (or another file) was created or deleted.
		if (deleted) {
			return this.index.deleteWhere((e) => e.root === state.key && e.path.startsWith(`${path}/`));
		}
		const stat = await state.fs.stat(path);
		if (stat?.type !== 'directory') {
			return emptyChange();
		}
		const entries = await indexCorpus(state.fs, path, { rootKey: state.key, idFor: (p) => state.fs.uriString(`${path}/${p}`) });
		const change = emptyChange();
		for (const entry of entries) {
			mergeChange(change, this.index.set(withEntryFields(entry, { path: `${path}/${entry.path}` })));
		}
		return change;
	}
}
