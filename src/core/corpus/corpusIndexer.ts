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
 * included), reads the first {@link HEAD_BYTES} of each `.txt` in parallel, summarises it
 * (non-articles are dropped), then scans the sidecars for annotation counts. Never blocks the
 * caller's event loop for longer than about {@link TIME_SLICE_MS} ms.
 * Returns the entries in no particular order (a `CorpusIndex` sorts them).
 */
export async function indexCorpus(fs: CorpusFileSystem, root: string, options: IndexOptions = {}): Promise<CorpusEntry[]> {
	const slicer = new TimeSlicer(options.yieldToHost ?? defaultYield);
	const cancelled = options.isCancelled ?? (() => false);
	options.onProgress?.({ phase: 'listing', done: 0, total: 0 });
	const files = options.files ?? (await walk(fs, root, slicer, cancelled));
	const articles: string[] = [];
	const sidecars = new Set<string>();
	for (const file of files) {
		if (isSidecarPath(file)) {
			sidecars.add(file);
		} else if (isArticlePath(file)) {
			articles.push(file);
		}
	}

	const entries: CorpusEntry[] = [];
	let batch: CorpusEntry[] = [];
	let done = 0;
	const flush = (): void => {
		if (batch.length > 0) {
			options.onBatch?.(batch);
			batch = [];
		}
		options.onProgress?.({ phase: 'headers', done, total: articles.length });
	};
	await forEachConcurrently(articles, slicer, cancelled, async (path) => {
		const entry = await indexArticleFile(fs, root, path, { ...options, withSidecar: false });
		done++;
		if (entry) {
			entries.push(entry);
			batch.push(entry);
		}
	}, flush);
	flush();

	// Second pass: annotation counts. Counts arrive after the tree can already show the years.
	const withSidecars = entries.filter((e) => sidecars.has(sidecarPathFor(e.path)));
	let sidecarBatch: CorpusEntry[] = [];
	let sidecarsDone = 0;
	const flushSidecars = (): void => {
		if (sidecarBatch.length > 0) {
			options.onSidecars?.(sidecarBatch);
			sidecarBatch = [];
		}
		options.onProgress?.({ phase: 'sidecars', done: sidecarsDone, total: withSidecars.length });
	};
	const byId = new Map<string, number>();
	entries.forEach((e, i) => byId.set(e.id, i));
	await forEachConcurrently(withSidecars, slicer, cancelled, async (entry) => {
		const summary = await readSidecarSummary(fs, joinCorpusPath(root, sidecarPathFor(entry.path)));
		sidecarsDone++;
		if (summary.annotationCount > 0 || summary.labels.length > 0) {
			const updated = { ...entry, ...summary };
			entries[byId.get(entry.id)!] = updated;
			sidecarBatch.push(updated);
		}
	}, flushSidecars);
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
	const sidecarRead =
		options.withSidecar === false ? undefined : readSidecarSummary(fs, joinCorpusPath(root, sidecarPathFor(relativePath)));
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
	if (previous && previous.mtime === stat.mtime && previous.size === stat.size && previous.path === relativePath) {
		return sameSidecar(previous, sidecar) ? previous : { ...previous, ...pickSidecar(sidecar) };
	}
	if (!bytes) {
		try {
			bytes = await fs.readHead(full, HEAD_BYTES);
		} catch {
			return undefined;
		}
	}
	const summary = summarizeArticleBytes(relativePath, bytes, bytes.length >= HEAD_BYTES && stat.size > bytes.length);
	if (!summary) {
		return undefined;
	}
	return {
		id,
		root: options.rootKey ?? '',
		path: relativePath,
		mtime: stat.mtime,
		size: stat.size,
		date: summary.date,
		title: summary.title,
		leadExcerpt: summary.leadExcerpt,
		problem: summary.problem,
		...pickSidecar(sidecar),
	};
}

/** Scans a sidecar; a missing or unreadable one counts as empty. */
export async function readSidecarSummary(fs: CorpusFileSystem, path: string): Promise<SidecarSummary> {
	try {
		const bytes = await fs.readHead(path, SIDECAR_MAX_BYTES);
		return scanSidecar(new TextDecoder('utf-8').decode(bytes));
	} catch {
		return EMPTY_SIDECAR_SUMMARY;
	}
}

function pickSidecar(s: SidecarSummary): SidecarSummary {
	return { annotationCount: s.annotationCount, labels: s.labels, entities: s.entities };
}

function sameSidecar(a: SidecarSummary, b: SidecarSummary): boolean {
	return a.annotationCount === b.annotationCount && a.labels.join('\n') === b.labels.join('\n') && a.entities.join('\n') === b.entities.join('\n');
}

/** Every `.txt` and `.ann.yaml` below `root`, as relative paths, skipping dot and dependency folders. */
async function walk(fs: CorpusFileSystem, root: string, slicer: TimeSlicer, cancelled: () => boolean): Promise<string[]> {
	const found: string[] = [];
	let level = [''];
	while (level.length > 0 && !cancelled()) {
		const next: string[] = [];
		await forEachConcurrently(level, slicer, cancelled, async (dir) => {
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
				} else if (entry.type === 'file' && (isArticlePath(entry.name) || isSidecarPath(entry.name))) {
					found.push(relative);
				}
			}
		});
		level = next;
	}
	return found;
}

/**
 * Runs `task` over `items` with {@link CONCURRENCY} tasks in flight, yielding to the host when a
 * time slice is used up; `onSlice` runs at each yield (to publish a batch).
 */
async function forEachConcurrently<T>(
	items: readonly T[],
	slicer: TimeSlicer,
	cancelled: () => boolean,
	task: (item: T) => Promise<void>,
	onSlice?: () => void,
): Promise<void> {
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < items.length && !cancelled()) {
			const item = items[next++];
			await task(item);
			if (slicer.due()) {
				onSlice?.();
				await slicer.yield();
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

/** Tracks how long the indexer has run since it last gave the event loop back. */
class TimeSlicer {
	private sliceStart = Date.now();
	private pending: Promise<void> | undefined;

	constructor(private readonly yieldToHost: () => Promise<void>) {}

	due(): boolean {
		return Date.now() - this.sliceStart >= TIME_SLICE_MS;
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
