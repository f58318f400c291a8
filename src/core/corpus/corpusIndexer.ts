import { HEAD_BYTES, summarizeArticleBytes } from './articleSummary';
import { joinCorpusPath, type CorpusFileSystem, type FileStat } from './corpusFileSystem';
import type { CorpusEntry } from './corpusIndex';
import { EMPTY_SIDECAR_SUMMARY, scanSidecar, SIDECAR_MAX_BYTES, type SidecarSummary } from './sidecarSummary';

export const ARTICLE_EXTENSION = '.txt';
export const SIDECAR_EXTENSION = '.ann.yaml';

/** Directories never walked: version control, dependencies, our own settings folder. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', '.corpus', '.vscode']);

/** Reads kept in flight at once: enough to keep the OS busy, few enough to bound memory. */
const CONCURRENCY = 64;
/** The longest stretch of synchronous work between two yields to the host's event loop. */
const TIME_SLICE_MS = 20;

/** `x.txt` → `x.ann.yaml` (same folder). */
export function sidecarPathFor(articlePath: string): string {
	return articlePath.slice(0, -ARTICLE_EXTENSION.length) + SIDECAR_EXTENSION;
}

/** `x.ann.yaml` → `x.txt`. */
export function articlePathFor(sidecarPath: string): string {
	return sidecarPath.slice(0, -SIDECAR_EXTENSION.length) + ARTICLE_EXTENSION;
}

export function isArticlePath(path: string): boolean {
	return path.toLowerCase().endsWith(ARTICLE_EXTENSION);
}

export function isSidecarPath(path: string): boolean {
	return path.toLowerCase().endsWith(SIDECAR_EXTENSION);
}

export interface IndexProgress {
	readonly phase: 'listing' | 'headers' | 'sidecars' | 'done';
	/** Files handled so far in this phase, and how many there are. */
	readonly done: number;
	readonly total: number;
}

export interface IndexOptions {
	/** Key of the root stored in every entry (`CorpusEntry.root`). Default ''. */
	readonly rootKey?: string;
	/** Entry id for a relative path. Default: the path itself. */
	readonly idFor?: (relativePath: string) => string;
	/**
	 * Relative paths of the candidate files, when the host can list them faster than a directory
	 * walk (the extension uses `workspace.findFiles`). Both articles and sidecars.
	 */
	readonly files?: readonly string[];
	/** Earlier entries by id: a file whose mtime and size are unchanged is not read again. */
	readonly previous?: (id: string) => CorpusEntry | undefined;
	/** Called with each batch of summarised articles, as soon as their headers are read. */
	readonly onBatch?: (entries: readonly CorpusEntry[]) => void;
	/** Called with each batch of entries whose annotation counts were filled in from sidecars. */
	readonly onSidecars?: (entries: readonly CorpusEntry[]) => void;
	readonly onProgress?: (progress: IndexProgress) => void;
	/** Checked between files; when it returns true the indexer stops and returns what it has. */
	readonly isCancelled?: () => boolean;
	/** Lets the host run other work; default `setTimeout(0)`. */
	readonly yieldToHost?: () => Promise<void>;
}

/** `setImmediate` where the host has it (Node: runs right after pending I/O, no 1 ms clamp), else `setTimeout(0)`. */
const defaultYield = (): Promise<void> => {
	const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
	return new Promise((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
};

/**
 * Indexes every article under `root`: lists the `.txt` and `.ann.yaml` files (nested folders
 * included), reads the first {@link HEAD_BYTES} of each `.txt`, summarises it (non-articles are
 * dropped), then scans the sidecars for annotation counts. Never blocks the caller's event loop
 * for longer than about {@link TIME_SLICE_MS} ms.
 *
 * When the file system has synchronous reads (a local disk) they are used inside the time
 * slices: far cheaper per file than async round trips, and next to no garbage. If they turn out
 * slow (a cold or network disk) the rest is read asynchronously, {@link CONCURRENCY} at a time.
 * A spread-out sample of the articles is read first, so the first batch already shows (nearly)
 * every year, whatever the folder layout.
 * Returns the entries in no particular order (a `CorpusIndex` sorts them).
 */
export async function indexCorpus(fs: CorpusFileSystem, root: string, options: IndexOptions = {}): Promise<CorpusEntry[]> {
	const slicer = new TimeSlicer(options.yieldToHost ?? defaultYield);
	const cancelled = options.isCancelled ?? (() => false);
	const rootKey = options.rootKey ?? '';
	const idFor = options.idFor;
	const previous = options.previous;
	options.onProgress?.({ phase: 'listing', done: 0, total: 0 });
	const files = options.files ?? (await walk(fs, root, slicer, cancelled));
	const found: string[] = [];
	/** Sidecar paths without their extension: an article `<stem>.txt` has one when its stem is here. */
	const sidecarStems = new Set<string>();
	for (const file of files) {
		if (endsWithIgnoringCase(file, SIDECAR_EXTENSION)) {
			// The indexer reads `<stem>.ann.yaml` exactly, so only that spelling counts.
			if (file.endsWith(SIDECAR_EXTENSION)) {
				sidecarStems.add(file.slice(0, -SIDECAR_EXTENSION.length));
			}
		} else if (endsWithIgnoringCase(file, ARTICLE_EXTENSION)) {
			found.push(file);
		}
	}
	const articles = sampleFirst(found);

	const entries: CorpusEntry[] = [];
	/** Positions in `entries` of the articles that have a sidecar. */
	const withSidecars: number[] = [];
	let batch: CorpusEntry[] = [];
	let done = 0;
	const flush = (): void => {
		if (batch.length > 0) {
			options.onBatch?.(batch);
			batch = [];
		}
		options.onProgress?.({ phase: 'headers', done, total: articles.length });
	};
	const add = (path: string, entry: CorpusEntry | undefined): void => {
		done++;
		if (entry) {
			if (sidecarStems.size > 0 && sidecarStems.has(path.slice(0, -ARTICLE_EXTENSION.length))) {
				withSidecars.push(entries.length);
			}
			entries.push(entry);
			batch.push(entry);
		}
	};
	const sync = fs.readHeadAndStatSync && (!previous || fs.statSync) ? fs : undefined;
	await forEach(
		articles,
		slicer,
		cancelled,
		sync &&
			((path) => {
				const id = idFor ? idFor(path) : path;
				add(path, indexArticleSync(sync, joinCorpusPath(root, path), path, id, rootKey, previous?.(id)));
			}),
		async (path) => {
			const id = idFor ? idFor(path) : path;
			add(path, await indexArticleAsync(fs, joinCorpusPath(root, path), path, id, rootKey, previous?.(id), undefined));
		},
		flush,
	);
	flush();

	// Second pass: annotation counts. Counts arrive after the tree can already show the years.
	let sidecarBatch: CorpusEntry[] = [];
	let sidecarsDone = 0;
	const flushSidecars = (): void => {
		if (sidecarBatch.length > 0) {
			options.onSidecars?.(sidecarBatch);
			sidecarBatch = [];
		}
		options.onProgress?.({ phase: 'sidecars', done: sidecarsDone, total: withSidecars.length });
	};
	const update = (position: number, summary: SidecarSummary): void => {
		sidecarsDone++;
		if (summary.annotationCount > 0 || summary.labels.length > 0) {
			const updated = withSidecar(entries[position], summary);
			entries[position] = updated;
			sidecarBatch.push(updated);
		}
	};
	const sidecarPath = (position: number): string => joinCorpusPath(root, sidecarPathFor(entries[position].path));
	await forEach(
		withSidecars,
		slicer,
		cancelled,
		fs.readHeadAndStatSync && ((position) => update(position, readSidecarSummarySync(fs, sidecarPath(position)))),
		async (position) => update(position, await readSidecarSummary(fs, sidecarPath(position))),
		flushSidecars,
	);
	flushSidecars();
	options.onProgress?.({ phase: 'done', done: entries.length, total: entries.length });
	return entries;
}

/**
 * Summarises one `.txt` file: undefined when it is missing or not an article. Reuses
 * `options.previous` when mtime and size are unchanged. With `withSidecar` (the default) the
 * sidecar next to it is scanned too; without it the previous counts are kept.
 */
export async function indexArticleFile(
	fs: CorpusFileSystem,
	root: string,
	relativePath: string,
	options: Pick<IndexOptions, 'rootKey' | 'idFor' | 'previous'> & { withSidecar?: boolean } = {},
): Promise<CorpusEntry | undefined> {
	const full = joinCorpusPath(root, relativePath);
	const id = options.idFor ? options.idFor(relativePath) : relativePath;
	const previous = options.previous?.(id);
	const rootKey = options.rootKey ?? '';
	const sidecarFull = joinCorpusPath(root, sidecarPathFor(relativePath));
	if (fs.readHeadAndStatSync && (!previous || fs.statSync)) {
		const entry = indexArticleSync(fs, full, relativePath, id, rootKey, previous);
		return entry && options.withSidecar !== false ? withSidecar(entry, readSidecarSummarySync(fs, sidecarFull)) : entry;
	}
	const sidecarRead = options.withSidecar === false ? undefined : readSidecarSummary(fs, sidecarFull);
	return indexArticleAsync(fs, full, relativePath, id, rootKey, previous, sidecarRead);
}

/** Scans a sidecar; a missing or unreadable one counts as empty. */
export async function readSidecarSummary(fs: CorpusFileSystem, path: string): Promise<SidecarSummary> {
	if (fs.readHeadAndStatSync) {
		return readSidecarSummarySync(fs, path);
	}
	try {
		return scanSidecar(sidecarDecoder.decode(await fs.readHead(path, SIDECAR_MAX_BYTES)));
	} catch {
		return EMPTY_SIDECAR_SUMMARY;
	}
}

const sidecarDecoder = new TextDecoder('utf-8');

function readSidecarSummarySync(fs: CorpusFileSystem, path: string): SidecarSummary {
	try {
		const { bytes, stat } = fs.readHeadAndStatSync!(path, SIDECAR_MAX_BYTES);
		return stat.type === 'file' ? scanSidecar(sidecarDecoder.decode(bytes)) : EMPTY_SIDECAR_SUMMARY;
	} catch {
		return EMPTY_SIDECAR_SUMMARY;
	}
}

/** {@link indexArticleFile} without the sidecar, with the file system's synchronous calls. */
function indexArticleSync(
	fs: CorpusFileSystem,
	full: string,
	relativePath: string,
	id: string,
	rootKey: string,
	previous: CorpusEntry | undefined,
): CorpusEntry | undefined {
	try {
		if (previous) {
			// Cached: a stat decides whether the file needs reading at all.
			const stat = fs.statSync!(full);
			if (!stat || stat.type !== 'file') {
				return undefined;
			}
			if (isUnchanged(previous, stat, relativePath)) {
				return previous;
			}
		}
		const { bytes, stat } = fs.readHeadAndStatSync!(full, HEAD_BYTES);
		return stat.type === 'file' ? toEntry(id, rootKey, relativePath, stat, bytes, previous ?? EMPTY_SIDECAR_SUMMARY) : undefined;
	} catch {
		return undefined;
	}
}

/** {@link indexArticleFile} with the async calls; `sidecarRead` (when given) supplies the counts. */
async function indexArticleAsync(
	fs: CorpusFileSystem,
	full: string,
	relativePath: string,
	id: string,
	rootKey: string,
	previous: CorpusEntry | undefined,
	sidecarRead: Promise<SidecarSummary> | undefined,
): Promise<CorpusEntry | undefined> {
	let stat: FileStat | undefined;
	let bytes: Uint8Array | undefined;
	try {
		if (previous) {
			// Cached: a stat decides whether the file needs reading at all.
			stat = await fs.stat(full);
		} else if (fs.readHeadAndStat) {
			({ stat, bytes } = await fs.readHeadAndStat(full, HEAD_BYTES));
		} else {
			[stat, bytes] = await Promise.all([fs.stat(full), fs.readHead(full, HEAD_BYTES)]);
		}
	} catch {
		await sidecarRead;
		return undefined;
	}
	const sidecar: SidecarSummary = (await sidecarRead) ?? previous ?? EMPTY_SIDECAR_SUMMARY;
	if (!stat || stat.type !== 'file') {
		return undefined;
	}
	if (previous && isUnchanged(previous, stat, relativePath)) {
		return withSidecar(previous, sidecar);
	}
	if (!bytes) {
		try {
			bytes = await fs.readHead(full, HEAD_BYTES);
		} catch {
			return undefined;
		}
	}
	return toEntry(id, rootKey, relativePath, stat, bytes, sidecar);
}

function isUnchanged(previous: CorpusEntry, stat: FileStat, relativePath: string): boolean {
	return previous.mtime === stat.mtime && previous.size === stat.size && previous.path === relativePath;
}

/** The entry for an article's head, or undefined when it is not an article. */
function toEntry(id: string, rootKey: string, relativePath: string, stat: FileStat, bytes: Uint8Array, sidecar: SidecarSummary): CorpusEntry | undefined {
	const summary = summarizeArticleBytes(relativePath, bytes, bytes.length >= HEAD_BYTES && stat.size > bytes.length);
	if (!summary) {
		return undefined;
	}
	return {
		id,
		root: rootKey,
		path: relativePath,
		mtime: stat.mtime,
		size: stat.size,
		date: summary.date,
		title: summary.title,
		leadExcerpt: summary.leadExcerpt,
		problem: summary.problem,
		annotationCount: sidecar.annotationCount,
		labels: sidecar.labels,
		entities: sidecar.entities,
	};
}

/** `entry` with the counts of `sidecar` (the same object when they are already its counts). */
function withSidecar(entry: CorpusEntry, sidecar: SidecarSummary): CorpusEntry {
	return sameSidecar(entry, sidecar)
		? entry
		: { ...entry, annotationCount: sidecar.annotationCount, labels: sidecar.labels, entities: sidecar.entities };
}

function sameSidecar(a: SidecarSummary, b: SidecarSummary): boolean {
	return a.annotationCount === b.annotationCount && a.labels.join('\n') === b.labels.join('\n') && a.entities.join('\n') === b.entities.join('\n');
}

/** `path.toLowerCase().endsWith(suffix)` for a lower-case ASCII `suffix`, without the copy. */
function endsWithIgnoringCase(path: string, suffix: string): boolean {
	const offset = path.length - suffix.length;
	if (offset < 0) {
		return false;
	}
	for (let i = 0; i < suffix.length; i++) {
		const c = path.charCodeAt(offset + i);
		// ASCII upper case → lower case; other characters compare as they are.
		if ((c >= 65 && c <= 90 ? c + 32 : c) !== suffix.charCodeAt(i)) {
			return false;
		}
	}
	return true;
}

/** Articles read first, spread evenly over the list: enough to see every year in the first batch. */
const SAMPLE_SIZE = 256;

/** `paths` with an evenly spread sample moved to the front (the rest keep their order, for locality). */
function sampleFirst(paths: string[]): string[] {
	const n = paths.length;
	if (n <= 4 * SAMPLE_SIZE) {
		return paths;
	}
	const step = Math.floor(n / SAMPLE_SIZE);
	const ordered: string[] = [];
	for (let i = 0; i < n; i += step) {
		ordered.push(paths[i]);
	}
	for (let i = 0; i < n; i++) {
		if (i % step !== 0) {
			ordered.push(paths[i]);
		}
	}
	return ordered;
}

/** Every `.txt` and `.ann.yaml` below `root`, as relative paths, skipping dot and dependency folders. */
async function walk(fs: CorpusFileSystem, root: string, slicer: TimeSlicer, cancelled: () => boolean): Promise<string[]> {
	const found: string[] = [];
	let level = [''];
	while (level.length > 0 && !cancelled()) {
		const next: string[] = [];
		await forEach(level, slicer, cancelled, undefined, async (dir) => {
			let entries;
			try {
				entries = await fs.list(joinCorpusPath(root, dir));
			} catch {
				return;
			}
			for (const entry of entries) {
				const relative = dir.length > 0 ? `${dir}/${entry.name}` : entry.name;
				if (entry.type === 'directory') {
					if (!entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name)) {
						next.push(relative);
					}
				} else if (entry.type === 'file' && (endsWithIgnoringCase(entry.name, ARTICLE_EXTENSION) || endsWithIgnoringCase(entry.name, SIDECAR_EXTENSION))) {
					found.push(relative);
				}
			}
		});
		level = next;
	}
	return found;
}

/** A synchronous call slower than this (ms) suggests a cold or network disk. */
const SLOW_SYNC_CALL_MS = 0.5;
/** Consecutive slices in which most calls were slow before the indexer turns to async reads. */
const SLOW_SLICES_TO_SWITCH = 3;

/** Sub-millisecond clock where the host has one. */
const clock: () => number = (() => {
	const performance = (globalThis as { performance?: { now(): number } }).performance;
	return performance ? () => performance.now() : () => Date.now();
})();

/**
 * Runs a task over `items`, yielding to the host whenever a time slice is used up; `onSlice` runs
 * at each yield (to publish a batch). With `syncTask` the items are handled synchronously inside
 * the slices until {@link SLOW_SLICES_TO_SWITCH} slices in a row show mostly slow calls (one slow
 * call is more likely a GC pause or the process being descheduled); the rest (or, without
 * `syncTask`, all) go to `asyncTask`, {@link CONCURRENCY} at a time.
 */
async function forEach<T>(
	items: readonly T[],
	slicer: TimeSlicer,
	cancelled: () => boolean,
	syncTask: ((item: T) => void) | undefined,
	asyncTask: (item: T) => Promise<void>,
	onSlice?: () => void,
): Promise<void> {
	let next = 0;
	if (syncTask) {
		let sliceItems = 0;
		let slowItems = 0;
		let slowSlices = 0;
		let last = clock();
		while (next < items.length && !cancelled()) {
			syncTask(items[next++]);
			const now = clock();
			sliceItems++;
			if (now - last > SLOW_SYNC_CALL_MS) {
				slowItems++;
			}
			last = now;
			if (slicer.due(Date.now())) {
				slowSlices = slowItems * 2 > sliceItems ? slowSlices + 1 : 0;
				onSlice?.();
				await slicer.yield();
				if (slowSlices >= SLOW_SLICES_TO_SWITCH) {
					break;
				}
				sliceItems = 0;
				slowItems = 0;
				last = clock();
			}
		}
	}
	const worker = async (): Promise<void> => {
		while (next < items.length && !cancelled()) {
			const item = items[next++];
			await asyncTask(item);
			if (slicer.due(Date.now())) {
				onSlice?.();
				await slicer.yield();
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length - next) }, worker));
}

/** Tracks how long the indexer has run since it last gave the event loop back. */
class TimeSlicer {
	private sliceStart = Date.now();
	private pending: Promise<void> | undefined;

	constructor(private readonly yieldToHost: () => Promise<void>) {}

	due(now: number): boolean {
		return now - this.sliceStart >= TIME_SLICE_MS;
	}

	/** All workers that notice the slice is used up share one yield. */
	yield(): Promise<void> {
		this.pending ??= this.yieldToHost().then(() => {
			this.pending = undefined;
			this.sliceStart = Date.now();
		});
		return this.pending;
	}
}
