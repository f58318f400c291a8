/**
 * Reading many files of a git version at once: one `git ls-tree` lists them, one long-lived
 * `git cat-file --batch` process returns their contents, however many there are (one process
 * per file costs milliseconds each, which is minutes for a corpus). The working tree is read
 * from disk behind the same interface, so `agree` and the Disagreements view treat a ref and
 * `WORKTREE` alike.
 */
import { isUtf8 } from 'buffer';
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import { promises as fsp } from 'fs';
import * as path from 'path';
import type { ArticleInput, SideInput } from '../core/agreement/compare';
import { decodeSidecarBytes, type SidecarError } from '../core/annotations/sidecarValidator';
import { articlePathFor, isSidecarPath, isSkippedFolder } from '../core/corpus/corpusLayout';
import { git, GitError, resolveCommit } from './git';

/** The name `agree` and the view use for the files on disk. */
export const WORKTREE = 'WORKTREE';

interface Waiting {
	readonly resolve: (bytes: Uint8Array | undefined) => void;
	readonly reject: (error: Error) => void;
}

/**
 * One `git cat-file --batch` process. Requests are answered in the order they were made, so
 * any number may be in flight; {@link close} ends the process.
 */
export class GitBlobReader {
	private readonly child: ChildProcessWithoutNullStreams;
	private readonly waiting: Waiting[] = [];
	private buffer: Buffer = Buffer.alloc(0);
	/** Bytes of the object being received (after its header line), or -1 while waiting for a header. */
	private bodyLength = -1;
	private failure: Error | undefined;
	private stderr = '';
	private unsent = '';
	private readonly exited: Promise<void>;

	constructor(cwd: string) {
		this.child = spawn('git', ['--no-optional-locks', 'cat-file', '--batch'], { cwd, windowsHide: true, stdio: ['pipe', 'pipe', 'pipe'] });
		this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
		this.child.stderr.on('data', (chunk: Buffer) => {
			this.stderr += chunk.toString('utf8');
		});
		// A closed pipe is reported through 'exit'/'error' below; without a listener it would throw.
		this.child.stdin.on('error', () => undefined);
		this.exited = new Promise((resolve) => {
			this.child.on('error', (error: NodeJS.ErrnoException) => {
				this.fail(new GitError(error.code === 'ENOENT' ? 'git is not installed or not on PATH' : `git cat-file: ${error.message}`, this.stderr, undefined));
				resolve();
			});
			this.child.on('close', (code) => {
				if (this.waiting.length > 0) {
					this.fail(new GitError(`git cat-file --batch ended (exit ${code}) with requests unanswered: ${this.stderr.trim()}`, this.stderr, code ?? undefined));
				}
				resolve();
			});
		});
	}

	/** The contents of an object (a blob id, or `<commit>:<path>`); undefined when it does not exist. */
	read(object: string): Promise<Uint8Array | undefined> {
		if (this.failure) {
			return Promise.reject(this.failure);
		}
		if (/[\n\r]/.test(object)) {
			return Promise.reject(new GitError(`not an object name: ${JSON.stringify(object)}`, '', undefined));
		}
		return new Promise((resolve, reject) => {
			this.waiting.push({ resolve, reject });
			// Requests made in one turn of the event loop go to git in one write.
			if (this.unsent === '') {
				setImmediate(() => this.flush());
			}
			this.unsent += `${object}\n`;
		});
	}

	private flush(): void {
		const text = this.unsent;
		this.unsent = '';
		if (text !== '' && !this.failure) {
			this.child.stdin.write(text);
		}
	}

	/** Ends the process once every request made so far is answered. */
	async close(): Promise<void> {
		this.flush();
		this.child.stdin.end();
		await this.exited;
	}

	private fail(error: Error): void {
		this.failure ??= error;
		for (const w of this.waiting.splice(0)) {
			w.reject(this.failure);
		}
	}

	private receive(chunk: Buffer): void {
		this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
		let offset = 0;
		for (;;) {
			if (this.bodyLength < 0) {
				const nl = this.buffer.indexOf(0x0a, offset);
				if (nl < 0) {
					break;
				}
				const header = this.buffer.toString('utf8', offset, nl);
				offset = nl + 1;
				// `<oid> <type> <size>`, or `<name> missing` / `<name> ambiguous`.
				const m = / (\S+) (\d+)$/.exec(header);
				if (!m) {
					this.waiting.shift()?.resolve(undefined);
					continue;
				}
				this.bodyLength = Number(m[2]);
			}
			if (this.buffer.length - offset < this.bodyLength + 1) {
				break;
			}
			// A copy: the chunk's memory is reused by later reads.
			const body = Uint8Array.prototype.slice.call(this.buffer, offset, offset + this.bodyLength);
			offset += this.bodyLength + 1; // the object's bytes, then LF
			this.bodyLength = -1;
			this.waiting.shift()?.resolve(body);
		}
		this.buffer = offset >= this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(offset);
	}
}

/** The files of one version of a folder: a git commit's tree, or the working tree. */
export interface CorpusVersion {
	/** What the version was asked for as (`main`, `WORKTREE`). */
	readonly name: string;
	/** Files below the folder (paths relative to it, forward slashes), dot folders and node_modules left out. */
	readonly paths: readonly string[];
	has(relativePath: string): boolean;
	/**
	 * The git object id of a file (equal ids, equal contents), or undefined in the working tree:
	 * lets a caller read a file shared by two versions once.
	 */
	objectId(relativePath: string): string | undefined;
	/** The file's bytes; undefined when it is not in this version. */
	read(relativePath: string): Promise<Uint8Array | undefined>;
}

/**
 * The version `ref` of the folder `dir`: `WORKTREE` for the files on disk, else a ref git can
 * resolve to a commit (throws {@link GitError} "unknown revision" otherwise). Committed files are
 * read through `reader` (one process for any number of versions of the repository).
 */
export async function openCorpusVersion(dir: string, ref: string, reader: () => GitBlobReader): Promise<CorpusVersion> {
	if (ref === WORKTREE) {
		return workingTree(dir);
	}
	const commit = await resolveCommit(dir, ref);
	if (!commit) {
		throw new GitError(`unknown revision "${ref}" (not a branch, tag or commit of this repository)`, '', 128);
	}
	const objects = new Map<string, string>();
	// Paths are printed relative to `dir` (the current folder of the command).
	const out = await git(dir, ['ls-tree', '-r', '-z', '--end-of-options', commit, '--', '.']);
	for (const record of out.split('\0')) {
		const tab = record.indexOf('\t');
		if (tab < 0) {
			continue;
		}
		const [mode, type, oid] = record.slice(0, tab).split(' ');
		const file = record.slice(tab + 1);
		// Regular files only: symlinks (120000) and submodules (commit) are not corpus files.
		if (type === 'blob' && (mode === '100644' || mode === '100755') && !file.split('/').slice(0, -1).some(isSkippedFolder)) {
			objects.set(file, oid);
		}
	}
	const paths = [...objects.keys()].sort();
	return {
		name: ref,
		paths,
		has: (p) => objects.has(p),
		objectId: (p) => objects.get(p),
		read: async (p) => {
			const oid = objects.get(p);
			return oid === undefined ? undefined : reader().read(oid);
		},
	};
}

async function workingTree(dir: string): Promise<CorpusVersion> {
	const files = new Set<string>();
	const walk = async (folder: string, prefix: string): Promise<void> => {
		const entries = await fsp.readdir(folder, { withFileTypes: true });
		for (const e of entries) {
			if (e.isDirectory()) {
				if (!isSkippedFolder(e.name)) {
					await walk(path.join(folder, e.name), `${prefix}${e.name}/`);
				}
			} else if (e.isFile() || e.isSymbolicLink()) {
				files.add(`${prefix}${e.name}`);
			}
		}
	};
	await walk(dir, '');
	const paths = [...files].sort();
	return {
		name: WORKTREE,
		paths,
		has: (p) => files.has(p),
		objectId: () => undefined,
		read: async (p) => {
			if (!files.has(p)) {
				return undefined;
			}
			try {
				return await fsp.readFile(path.join(dir, ...p.split('/')));
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') {
					return undefined;
				}
				throw error;
			}
		},
	};
}

/**
 * Reads, for every article annotated in `a` or `b` (a sidecar under the folder in either), both
 * sides' sidecar and article and the working tree's article, and hands each to `visit` (in no
 * particular order). An article that is the same object in both versions is read once; up to
 * `concurrency` articles are in flight, so the one cat-file process is never idle. The working
 * tree's text is read only where the sides' texts differ, unless `alwaysCurrent`.
 */
export async function readArticleInputs(
	dir: string, a: CorpusVersion, b: CorpusVersion, visit: (input: ArticleInput) => void, options: { concurrency?: number; alwaysCurrent?: boolean } = {},
): Promise<void> {
	const concurrency = options.concurrency ?? 64;
	const sidecars = [...new Set([...a.paths, ...b.paths])].filter(isSidecarPath).sort();
	const current = a.name === WORKTREE ? a : b.name === WORKTREE ? b : await workingTree(dir);
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < sidecars.length) {
			const sidecar = sidecars[next++];
			const article = articlePathFor(sidecar)!;
			const shared = a.objectId(article) !== undefined && a.objectId(article) === b.objectId(article);
			const sa = await readSide(a, sidecar, article);
			const sb = await readSide(b, sidecar, article, shared ? sa : undefined);
			// The working tree's text is only needed when the sides' texts differ (it is what both are compared in then).
			const own = current === a ? sa : current === b ? sb : undefined;
			const needed = own === undefined && (options.alwaysCurrent === true || sa.article !== sb.article);
			visit({ article, sidecar, a: sa, b: sb, current: own ? own.article : needed ? decoded(await current.read(article)).text : undefined });
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

/** One side's sidecar and article (the article taken from `sameArticle` when both versions share it). */
async function readSide(version: CorpusVersion, sidecar: string, article: string, sameArticle?: SideInput): Promise<SideInput> {
	const [sidecarBytes, articleBytes] = await Promise.all([version.read(sidecar), sameArticle ? undefined : version.read(article)]);
	const s = decoded(sidecarBytes);
	const t = sameArticle ? { text: sameArticle.article, errors: sameArticle.articleErrors } : decoded(articleBytes);
	return { sidecar: s.text, sidecarErrors: s.errors, article: t.text, articleErrors: t.errors };
}

/** Strict UTF-8 (BOM removed), or the position of the first bad byte. */
function decoded(bytes: Uint8Array | undefined): { text?: string; errors?: readonly SidecarError[] } {
	if (bytes === undefined) {
		return {};
	}
	// Node's native check and decoder first (several times faster on a corpus); the core's decoder finds the position.
	if (isUtf8(bytes)) {
		const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
		return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
	}
	const d = decodeSidecarBytes(bytes);
	return d.ok ? { text: d.text } : { errors: d.errors };
}
