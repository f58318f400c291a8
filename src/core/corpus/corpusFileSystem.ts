/**
 * The little file access the corpus indexer needs. The command line implements it with Node's
 * `fs`, the extension with `vscode.workspace.fs`; tests use an in-memory fake. Paths are the
 * `root` given to the indexer joined with `/` and forward-slash relative paths.
 */
export interface CorpusFileSystem {
	/** Entries of a directory. Throws when `dir` does not exist. */
	list(dir: string): Promise<readonly DirectoryEntry[]>;
	/** Up to `bytes` bytes from the start of a file (fewer when the file is shorter). Throws when missing. */
	readHead(path: string, bytes: number): Promise<Uint8Array>;
	/** Modification time (ms) and size, or undefined when the file does not exist. */
	stat(path: string): Promise<FileStat | undefined>;
	/**
	 * Optional: `readHead` and `stat` in one go (open, fstat, read, close). Much cheaper than the
	 * two calls on a local disk; the indexer uses it when present. Throws when missing.
	 */
	readHeadAndStat?(path: string, bytes: number): Promise<{ readonly bytes: Uint8Array; readonly stat: FileStat }>;
	/**
	 * Optional synchronous `readHeadAndStat`, for local disks: there a system call takes a few
	 * microseconds and the async API's thread-pool round trips, callbacks and buffers cost several
	 * times more than the I/O itself. The indexer calls it only inside its time slices and falls
	 * back to the async methods when calls turn out to be slow (a cold or network disk).
	 * The returned bytes may be a view of a buffer that the next call overwrites: use them at once.
	 * Throws when missing. For a directory, returns its stat and no bytes.
	 */
	readHeadAndStatSync?(path: string, bytes: number): { readonly bytes: Uint8Array; readonly stat: FileStat };
	/** Optional synchronous `stat` (same conditions as {@link readHeadAndStatSync}). */
	statSync?(path: string): FileStat | undefined;
}

export interface DirectoryEntry {
	readonly name: string;
	readonly type: 'file' | 'directory' | 'other';
}

export interface FileStat {
	readonly type: 'file' | 'directory' | 'other';
	readonly mtime: number;
	readonly size: number;
}

/** Joins a root and a forward-slash relative path. */
export function joinCorpusPath(root: string, relative: string): string {
	if (relative.length === 0) {
		return root;
	}
	if (root.length === 0) {
		return relative;
	}
	return root.endsWith('/') ? root + relative : `${root}/${relative}`;
}
