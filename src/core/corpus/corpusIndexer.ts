import { HEAD_BYTES, summarizeArticleBytes } from './articleSummary';
import { joinCorpusPath, type CorpusFileSystem, type FileStat } from './corpusFileSystem';
import { withEntryFields, type CorpusEntry } from './corpusIndex';
import { ARTICLE_EXTENSION, isSkippedFolder, SIDECAR_SUFFIX, sidecarPathFor } from './corpusLayout';
import { EMPTY_SIDECAR_SUMMARY, scanSidecar, SIDECAR_MAX_BYTES, type SidecarSummary } from './sidecarSummary';

/** Reads kept in flight at once: enough to keep the OS busy, few enough to bound memory. */
const CONCURRENCY = 64;
/** The longest stretch of synchronous work between two yields to the host's event loop. */
const TIME_SLICE_MS = 20;
/** A synchronous read slower than this (ms) suggests a cold or network disk. */
const SLOW_SYNC_READ_MS = 0.5;
/** Consecutive slices in which most synchronous reads were slow before the indexer stops using them. */
const SLOW_SLICES_TO_SWITCH = 3;

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
	/** Lets the host run other work; default `setImmediate` where there is one, else `setTimeout(0)`. */
	readonly yieldToHost?: () => Promise<void>;
	/**
	 * Milliseconds since any fixed moment; default `performance.now()`. It decides when a time
	 * slice is used up and whether synchronous reads are slow. Tests pass a virtual clock.
	 */
	readonly clock?: () => number;
}

/** `setImmediate` where the host has it (Node: runs right after pending I/O, no 1 ms clamp), else `setTimeout(0)`. */
const defaultYield = (): Promise<void> => {
	const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
	return new Promise((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
};

/** Sub-millisecond clock where the host has one. */
const defaultClock: () => number = (() => {
	const performance = (globalThis as { performance?: { now(): number } }).performance;
	return performance ? () => performance.now() : () => Date.now();
})();

/**
 * Indexes every article under `root`: lists the `.txt` and `.ann.yaml` files (nested folders
 * included), reads the first {@link HEAD_BYTES} of each `.txt`, summarises it (non-articles are
 * dropped), then scans the sidecars for annotation counts. Never blocks the caller's event loop
 * for longer than about {@link TIME_SLICE_MS} ms.
 *
 * Each file goes through one reading path (see {@link FileReads}). When the file system has
 * synchronous reads (a local disk) they are used inside the time slices: far cheaper per file
 * than async round trips, and next to no garbage. If they turn out slow (a cold or network disk)
 * the rest is read asynchronously, {@link CONCURRENCY} at a time ({@link Pacer}).
 * A spread-out sample of the articles is read first, so the first batch already shows (nearly)
 * every year, whatever the folder layout.
 * Returns the entries in no particular order (a `CorpusIndex` sorts them).
 */
export async function indexCorpus(fs: CorpusFileSystem, root: string, options: IndexOptions = {}): Promise<CorpusEntry[]> {
	const sync = syncReads(fs);
	const pacer = new Pacer(options.clock ?? defaultClock, options.yieldToHost ?? defaultYield, sync !== undefined);
	const asynchronous = asyncReads(fs);
	/** The reads for the next file: the synchronous ones (timed) while they stay fast. */
	const read = <T>(task: (reads: FileReads) => MaybePromise<T>): MaybePromise<T> =>
		sync && pacer.syncAllowed ? pacer.timed(() => task(sync)) : task(asynchronous);
	const cancelled = options.isCancelled ?? (() => false);
	const rootKey = options.rootKey ?? '';
	const idFor = options.idFor;
	const previous = options.previous;
	options.onProgress?.({ phase: 'listing', done: 0, total: 0 });
	const files = options.files ?? (await walk(fs, root, pacer, cancelled));
	const found: string[] = [];
	/** Sidecar paths without their extension: an article `<stem>.txt` has one when its stem is here. */
	const sidecarStems = new Set<string>();
	for (const file of files) {
		if (endsWithIgnoringCase(file, SIDECAR_SUFFIX)) {
			// The indexer reads `<stem>.ann.yaml` exactly, so only that spelling counts.
			if (file.endsWith(SIDECAR_SUFFIX)) {
				sidecarStems.add(file.slice(0, -SIDECAR_SUFFIX.length));
			}
		} else if (endsWithIgnoringCase(file, ARTICLE_EXTENSION)) {
			found.push(file);
		}
	}
	const articles = sampleFirst(found);

	const entries: CorpusEntry[] = [];
	/** Positions in `entries` of the articles that have a sidecar. */
	const withSidecars: number[] = [];
	const headers = new BatchPublisher('headers', articles.length, options.onBatch, options.onProgress);
	await forEach(articles, pacer, cancelled, headers.publish, (path) => {
		const id = idFor ? idFor(path) : path;
		return whenReady(
			read((reads) => indexArticle(reads, joinCorpusPath(root, path), path, id, rootKey, previous?.(id))),
			(entry) => {
				if (entry && sidecarStems.size > 0 && sidecarStems.has(path.slice(0, -ARTICLE_EXTENSION.length))) {
					withSidecars.push(entries.length);
				}
				if (entry) {
					entries.push(entry);
				}
				headers.add(entry);
			},
		);
	});
	headers.publish();

	// Second pass: annotation counts. Counts arrive after the tree can already show the years.
	const sidecars = new BatchPublisher('sidecars', withSidecars.length, options.onSidecars, options.onProgress);
	await forEach(withSidecars, pacer, cancelled, sidecars.publish, (position) =>
		whenReady(
			read((reads) => readSidecar(reads, joinCorpusPath(root, sidecarPathFor(entries[position].path)))),
			(summary) => {
				const updated = summary.annotationCount > 0 || summary.labels.length > 0 ? withSidecar(entries[position], summary) : undefined;
				if (updated) {
					entries[position] = updated;
				}
				sidecars.add(updated);
			},
		),
	);
	sidecars.publish();
	options.onProgress?.({ phase: 'done', done: entries.length, total: entries.length });
	return entries;
}

/** Collects the entries of one pass between yields and hands them on as one batch, with the pass's progress. */
class BatchPublisher {
	private batch: CorpusEntry[] = [];
	private done = 0;

	constructor(
		private readonly phase: IndexProgress['phase'],
		private readonly total: number,
		private readonly onBatch: ((entries: readonly CorpusEntry[]) => void) | undefined,
		private readonly onProgress: ((progress: IndexProgress) => void) | undefined,
	) {}

	/** One file handled; `entry` is what it added or changed (undefined: nothing). */
	add(entry: CorpusEntry | undefined): void {
		this.done++;
		if (entry) {
			this.batch.push(entry);
		}
	}

	readonly publish = (): void => {
		if (this.batch.length > 0) {
			this.onBatch?.(this.batch);
			this.batch = [];
		}
		this.onProgress?.({ phase: this.phase, done: this.done, total: this.total });
	};
}

/**
 * Summarises one `.txt` file: undefined when it is missing or not an article. Reuses
 * `options.previous` when mtime and size are unchanged. With `withSidecar` (the default) the
 * sidecar next to it is scanned too; without it the previous counts are kept. Uses the file
 * system's synchronous reads when it has them (one file: no time slice to keep).
 */
export async function indexArticleFile(
	fs: CorpusFileSystem,
	root: string,
	relativePath: string,
	options: Pick<IndexOptions, 'rootKey' | 'idFor' | 'previous'> & { withSidecar?: boolean } = {},
): Promise<CorpusEntry | undefined> {
	const reads = syncReads(fs) ?? asyncReads(fs);
	const id = options.idFor ? options.idFor(relativePath) : relativePath;
	const entry = await indexArticle(reads, joinCorpusPath(root, relativePath), relativePath, id, options.rootKey ?? '', options.previous?.(id));
	if (!entry || options.withSidecar === false) {
		return entry;
	}
	return withSidecar(entry, await readSidecar(reads, joinCorpusPath(root, sidecarPathFor(relativePath))));
}

/** Scans a sidecar; a missing or unreadable one counts as empty. */
export async function readSidecarSummary(fs: CorpusFileSystem, path: string): Promise<SidecarSummary> {
	return readSidecar(syncReads(fs) ?? asyncReads(fs), path);
}

type MaybePromise<T> = T | Promise<T>;

/**
 * The file calls the indexer makes, all synchronous or all asynchronous, so that each file is
 * handled by one piece of code ({@link indexArticle}, {@link readSidecar}) whichever they are.
 * Each throws (or rejects) when the file is missing, except `stat`.
 */
interface FileReads {
	stat(path: string): MaybePromise<FileStat | undefined>;
	readHeadAndStat(path: string, bytes: number): MaybePromise<{ readonly bytes: Uint8Array; readonly stat: FileStat }>;
	/** No bytes for a folder. */
	readHead(path: string, bytes: number): MaybePromise<Uint8Array>;
}

/** The file system's synchronous calls, when it has both. */
function syncReads(fs: CorpusFileSystem): FileReads | undefined {
	const { readHeadAndStatSync, statSync } = fs;
	if (!readHeadAndStatSync || !statSync) {
		return undefined;
	}
	return {
		stat: (path) => statSync.call(fs, path),
		readHeadAndStat: (path, bytes) => readHeadAndStatSync.call(fs, path, bytes),
		readHead: (path, bytes) => readHeadAndStatSync.call(fs, path, bytes).bytes,
	};
}

function asyncReads(fs: CorpusFileSystem): FileReads {
	return {
		stat: (path) => fs.stat(path),
		readHeadAndStat: fs.readHeadAndStat
			? (path, bytes) => fs.readHeadAndStat!(path, bytes)
			: async (path, bytes) => {
					const [stat, head] = await Promise.all([fs.stat(path), fs.readHead(path, bytes)]);
					if (!stat) {
						throw new Error(`${path} disappeared while it was read`);
					}
					return { bytes: head, stat };
				},
		// Large limits (sidecars) do not go through readHeadAndStat, which may allocate the whole limit.
		readHead: (path, bytes) => fs.readHead(path, bytes),
	};
}

/** `next(value)` at once when `value` is not a promise, else when it resolves. */
function whenReady<T, R>(value: MaybePromise<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> {
	return value instanceof Promise ? value.then(next) : next(value);
}

/** {@link whenReady} for a read that may fail: a failure (thrown or rejected) gives `failed`. */
function afterRead<T, R>(read: () => MaybePromise<T>, next: (value: T) => MaybePromise<R>, failed: R): MaybePromise<R> {
	let value: MaybePromise<T>;
	try {
		value = read();
	} catch {
		// A file that vanished or cannot be read is left out of the index; the next event or refresh sees it again.
		return failed;
	}
	return value instanceof Promise ? value.then(next, () => failed) : next(value);
}

const sidecarDecoder = new TextDecoder('utf-8');

/** The counts of a sidecar; a missing or unreadable one counts as empty. */
function readSidecar(reads: FileReads, path: string): MaybePromise<SidecarSummary> {
	// The bytes may be a view of a shared buffer (see CorpusFileSystem.readHeadAndStatSync): decoded at once.
	return afterRead(() => reads.readHead(path, SIDECAR_MAX_BYTES), (bytes) => scanSidecar(sidecarDecoder.decode(bytes)), EMPTY_SIDECAR_SUMMARY);
}

/** The entry of one `.txt` file without its sidecar (counts from `previous`), or undefined. */
function indexArticle(
	reads: FileReads,
	full: string,
	relativePath: string,
	id: string,
	rootKey: string,
	previous: CorpusEntry | undefined,
): MaybePromise<CorpusEntry | undefined> {
	const readEntry = (): MaybePromise<CorpusEntry | undefined> =>
		afterRead(
			() => reads.readHeadAndStat(full, HEAD_BYTES),
			({ bytes, stat }) => (stat.type === 'file' ? toEntry(id, rootKey, relativePath, stat, bytes, previous ?? EMPTY_SIDECAR_SUMMARY) : undefined),
			undefined,
		);
	if (!previous) {
		return readEntry();
	}
	// Cached: a stat decides whether the file needs reading at all.
	return afterRead(
		() => reads.stat(full),
		(stat) => (!stat || stat.type !== 'file' ? undefined : isUnchanged(previous, stat, relativePath) ? previous : readEntry()),
		undefined,
	);
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
		: withEntryFields(entry, { annotationCount: sidecar.annotationCount, labels: sidecar.labels, entities: sidecar.entities });
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
async function walk(fs: CorpusFileSystem, root: string, pacer: Pacer, cancelled: () => boolean): Promise<string[]> {
	const found: string[] = [];
	let level = [''];
	while (level.length > 0 && !cancelled()) {
		const next: string[] = [];
		await forEach(level, pacer, cancelled, undefined, async (dir) => {
			let entries;
			try {
				entries = await fs.list(joinCorpusPath(root, dir));
			} catch {
				// A folder that vanished or cannot be listed: its files are not part of the index.
				return;
			}
			for (const entry of entries) {
				const relative = dir.length > 0 ? `${dir}/${entry.name}` : entry.name;
				if (entry.type === 'directory') {
					if (!isSkippedFolder(entry.name)) {
						next.push(relative);
					}
				} else if (entry.type === 'file' && (endsWithIgnoringCase(entry.name, ARTICLE_EXTENSION) || endsWithIgnoringCase(entry.name, SIDECAR_SUFFIX))) {
					found.push(relative);
				}
			}
		});
		level = next;
	}
	return found;
}

/**
 * Runs `task` over `items`. A task that finishes synchronously lets the next one start at once;
 * tasks that wait for I/O run {@link CONCURRENCY} at a time. When the time slice is used up,
 * `onSlice` runs (to publish a batch) and every worker waits for one shared yield to the host.
 */
async function forEach<T>(
	items: readonly T[],
	pacer: Pacer,
	cancelled: () => boolean,
	onSlice: (() => void) | undefined,
	task: (item: T) => MaybePromise<void>,
): Promise<void> {
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < items.length && !cancelled()) {
			if (pacer.due()) {
				await pacer.yield(onSlice);
				continue;
			}
			const pending = task(items[next++]);
			if (pending) {
				await pending;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

/**
 * Paces the indexer on the host's event loop with one clock: says when a time slice is used up
 * (all workers then share one yield), and whether synchronous reads may still be used. They stop
 * for good after {@link SLOW_SLICES_TO_SWITCH} slices in a row in which most were slower than
 * {@link SLOW_SYNC_READ_MS} (one slow read is more likely a GC pause or the process being descheduled).
 */
class Pacer {
	private sliceStart: number;
	private pending: Promise<void> | undefined;
	private syncReadCount = 0;
	private slowSyncReadCount = 0;
	private slowSlices = 0;

	constructor(
		private readonly clock: () => number,
		private readonly yieldToHost: () => Promise<void>,
		/** False when the file system has no synchronous reads, or once they turned out slow. */
		public syncAllowed: boolean,
	) {
		this.sliceStart = clock();
	}

	due(): boolean {
		return this.clock() - this.sliceStart >= TIME_SLICE_MS;
	}

	/** Runs a synchronous read, noting whether it was slow. */
	timed<T>(read: () => T): T {
		const start = this.clock();
		try {
			return read();
		} finally {
			this.syncReadCount++;
			if (this.clock() - start > SLOW_SYNC_READ_MS) {
				this.slowSyncReadCount++;
			}
		}
	}

	/** Ends the slice: the first worker to get here runs `beforeYield`; all share the one yield. */
	yield(beforeYield?: () => void): Promise<void> {
		if (!this.pending) {
			this.endSlice();
			beforeYield?.();
			this.pending = this.yieldToHost().then(() => {
				this.pending = undefined;
				this.sliceStart = this.clock();
			});
		}
		return this.pending;
	}

	private endSlice(): void {
		if (this.syncReadCount > 0) {
			this.slowSlices = this.slowSyncReadCount * 2 > this.syncReadCount ? this.slowSlices + 1 : 0;
			if (this.slowSlices >= SLOW_SLICES_TO_SWITCH) {
				this.syncAllowed = false;
			}
		}
		this.syncReadCount = 0;
		this.slowSyncReadCount = 0;
	}
}
