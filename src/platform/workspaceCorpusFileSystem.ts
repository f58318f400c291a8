import * as vscode from 'vscode';
import { NodeCorpusFileSystem } from '../node/nodeCorpusFileSystem';
import type { CorpusFileSystem, DirectoryEntry, FileStat } from '../core/corpus/corpusFileSystem';
import { CORPUS_FILES_GLOB, isSkippedFolder } from '../core/corpus/corpusLayout';

/** Segments of characters `Uri.toString()` does not encode (RFC 3986 unreserved). */
const PLAIN_PATH = /^[A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+)*$/;
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

/**
 * {@link CorpusFileSystem} for one workspace folder: paths are relative to the folder, forward
 * slashes, '' for the folder itself. Everything goes through `vscode.workspace.fs` (remote and
 * virtual workspaces work) except one fast path: `workspace.fs` can only read whole files, so
 * for local `file:` folders `readHead` reads just the first bytes with Node's `fs` (the command
 * line's {@link NodeCorpusFileSystem}). Indexing 100,000 articles must not read 100,000 whole files.
 */
export class WorkspaceCorpusFileSystem implements CorpusFileSystem {
	/** Local fast path (the command line's implementation: plain Node `fs`, no VS Code). */
	private readonly local = new NodeCorpusFileSystem();

	/**
	 * Synchronous reads for local folders only (see {@link CorpusFileSystem.readHeadAndStatSync}):
	 * the indexer uses them inside its time slices. Paths are joined by hand, not through `Uri`:
	 * Node accepts forward slashes on every platform, and this runs once per article.
	 */
	readonly readHeadAndStatSync?: (path: string, bytes: number) => { bytes: Uint8Array; stat: FileStat };
	readonly statSync?: (path: string) => FileStat | undefined;
	/** `folder` as text with a trailing slash, when entry ids can be built by concatenation (see {@link uriString}). */
	private readonly folderPrefix: string | undefined;

	constructor(readonly folder: vscode.Uri) {
		const folderText = folder.toString();
		this.folderPrefix = folder.query === '' && folder.fragment === '' && !folderText.endsWith('/') ? `${folderText}/` : undefined;
		if (folder.scheme === 'file') {
			const root = folder.fsPath.replace(/[\\/]+$/, '');
			const local = (path: string): string => (path.length === 0 ? folder.fsPath : `${root}/${path}`);
			this.readHeadAndStatSync = (path, bytes) => this.local.readHeadAndStatSync(local(path), bytes);
			this.statSync = (path) => this.local.statSync(local(path));
		}
	}

	uri(relativePath: string): vscode.Uri {
		return relativePath.length === 0 ? this.folder : vscode.Uri.joinPath(this.folder, ...relativePath.split('/'));
	}

	/**
	 * `uri(relativePath).toString()`, by string concatenation when that gives the same text: the
	 * folder's URI has no query, fragment or trailing slash and the path has only characters a
	 * URI keeps as they are, no `.`/`..` segment. Restoring 100,000 entries must not build
	 * 100,000 `Uri` objects. Anything else goes through `Uri`.
	 */
	uriString(relativePath: string): string {
		if (this.folderPrefix !== undefined && PLAIN_PATH.test(relativePath) && !DOT_SEGMENT.test(relativePath)) {
			return this.folderPrefix + relativePath;
		}
		return this.uri(relativePath).toString();
	}

	/** The folder-relative path of `uri`, or undefined when it lies outside the folder. */
	relativePath(uri: vscode.Uri): string | undefined {
		if (uri.scheme !== this.folder.scheme || uri.authority !== this.folder.authority) {
			return undefined;
		}
		const base = this.folder.path.endsWith('/') ? this.folder.path : `${this.folder.path}/`;
		return uri.path.startsWith(base) ? uri.path.slice(base.length) : undefined;
	}

	async list(dir: string): Promise<readonly DirectoryEntry[]> {
		const entries = await vscode.workspace.fs.readDirectory(this.uri(dir));
		return entries.map(([name, type]) => ({ name, type: toType(type) }));
	}

	async readHead(path: string, bytes: number): Promise<Uint8Array> {
		const uri = this.uri(path);
		if (uri.scheme === 'file') {
			return this.local.readHead(uri.fsPath, bytes);
		}
		const all = await vscode.workspace.fs.readFile(uri);
		return all.length > bytes ? all.subarray(0, bytes) : all;
	}

	async readHeadAndStat(path: string, bytes: number): Promise<{ bytes: Uint8Array; stat: FileStat }> {
		const uri = this.uri(path);
		if (uri.scheme === 'file') {
			return this.local.readHeadAndStat(uri.fsPath, bytes);
		}
		const [stat, head] = await Promise.all([vscode.workspace.fs.stat(uri), this.readHead(path, bytes)]);
		return { bytes: head, stat: { type: toType(stat.type), mtime: stat.mtime, size: stat.size } };
	}

	async stat(path: string): Promise<FileStat | undefined> {
		try {
			const s = await vscode.workspace.fs.stat(this.uri(path));
			return { type: toType(s.type), mtime: s.mtime, size: s.size };
		} catch {
			return undefined;
		}
	}

	/**
	 * Every `.txt` and `.ann.yaml` in the folder via the search service (ripgrep), which is much
	 * faster than walking directories through the extension API. Honours `files.exclude`;
	 * dot folders and `node_modules` are skipped like the command line's walk does.
	 */
	async findCorpusFiles(token?: vscode.CancellationToken): Promise<string[]> {
		const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(this.folder, CORPUS_FILES_GLOB), undefined, undefined, token);
		const paths: string[] = [];
		for (const uri of uris) {
			const relative = this.relativePath(uri);
			if (relative !== undefined && !isIgnoredPath(relative)) {
				paths.push(relative);
			}
		}
		return paths;
	}
}

/** True for paths inside folders no walk enters (dot folders, `node_modules`): never part of the corpus. */
export function isIgnoredPath(relativePath: string): boolean {
	const segments = relativePath.split('/');
	segments.pop();
	return segments.some(isSkippedFolder);
}

function toType(type: vscode.FileType): FileStat['type'] {
	if (type & vscode.FileType.Directory) {
		return 'directory';
	}
	return type & vscode.FileType.File ? 'file' : 'other';
}
