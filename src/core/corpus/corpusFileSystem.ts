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
