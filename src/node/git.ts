/**
 * The git command line, for the review features (CLI `diff`/`setup-git` and the Annotation
 * Changes view). Node only (child_process, fs) and free of `vscode`, so the CLI and the
 * extension host share it; a web build has no git and does not load it.
 *
 * Every call runs `git` from PATH with `execFile` (no shell), `-c core.quotepath=off` and
 * NUL-separated output where paths are listed.
 */
import { execFile } from 'child_process';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { SIDECAR_PATHSPEC } from '../core/corpus/corpusLayout';
import { writeFileAtomic } from './atomicFile';

/** The id of git's empty tree: the "before" of a repository without commits. */
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** A git command that failed (non-zero exit or git missing). */
export class GitError extends Error {
	constructor(
		message: string,
		readonly stderr: string,
		readonly exitCode: number | undefined,
	) {
		super(message);
		this.name = 'GitError';
	}
}

/** Runs git in `cwd`; resolves stdout, rejects with {@link GitError}. */
export function git(cwd: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile(
			'git',
			// --no-optional-locks: never rewrite the index just to refresh stat data (the view watches .git/index).
			['--no-optional-locks', '-c', 'core.quotepath=off', ...args],
			{ cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', env: env ? { ...process.env, ...env } : process.env, windowsHide: true },
			(error, stdout, stderr) => {
				if (error) {
					const code = typeof error.code === 'number' ? error.code : undefined;
					const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
					const message = missing ? 'git is not installed or not on PATH' : `git ${args.join(' ')}: ${stderr.trim() || error.message}`;
					reject(new GitError(message, stderr, code));
				} else {
					resolve(stdout);
				}
			},
		);
	});
}

/** The absolute `.git` folder of the repository containing `dir` (a worktree's own git dir included). */
export async function gitDirectory(dir: string): Promise<string> {
	return path.resolve(dir, (await git(dir, ['rev-parse', '--absolute-git-dir'])).trim());
}

/** The repository's top folder for `dir`, or undefined when `dir` is not inside a work tree. */
export async function repositoryRoot(dir: string): Promise<string | undefined> {
	try {
		const out = await git(dir, ['rev-parse', '--show-toplevel']);
		return path.resolve(out.trim());
	} catch (error) {
		if (error instanceof GitError && error.message === 'git is not installed or not on PATH') {
			throw error;
		}
		return undefined;
	}
}

/** The commit a ref names, or undefined when it does not name one. */
export async function resolveCommit(dir: string, ref: string): Promise<string | undefined> {
	try {
		return (await git(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim() || undefined;
	} catch {
		return undefined;
	}
}

/** One sidecar that differs between two versions of the tree. */
export interface SidecarFileChange {
	/** Relative to the folder asked about, forward slashes. */
	readonly path: string;
	/** Text in the "from" version; undefined when the file did not exist there. */
	readonly before: string | undefined;
	/** Text in the "to" version (working tree when no ref); undefined when deleted. */
	readonly after: string | undefined;
}

// Which sidecars changed between two versions: sidecarChanges.ts (one cat-file process for every blob).

/** A ref offered by "Compare With…". */
export interface GitRefChoice {
	readonly ref: string;
	readonly kind: 'branch' | 'remote' | 'tag' | 'commit';
	readonly description: string;
}

/** Local and remote branches, tags and the last `commits` commits of HEAD. */
export async function listRefs(dir: string, commits = 20): Promise<GitRefChoice[]> {
	const refs: GitRefChoice[] = [];
	const out = await git(dir, ['for-each-ref', '--sort=-committerdate', '--format=%(refname)%00%(refname:short)%00%(subject)', 'refs/heads', 'refs/remotes', 'refs/tags']);
	for (const line of out.split('\n')) {
		const [full, short, subject] = line.split('\0');
		if (!full || full.endsWith('/HEAD')) {
			continue;
		}
		const kind = full.startsWith('refs/heads/') ? 'branch' : full.startsWith('refs/tags/') ? 'tag' : 'remote';
		refs.push({ ref: short, kind, description: subject ?? '' });
	}
	if (await resolveCommit(dir, 'HEAD')) {
		const log = await git(dir, ['log', `-${commits}`, '--format=%h%x00%s%x00%an, %ar']);
		for (const line of log.split('\n')) {
			const [hash, subject, who] = line.split('\0');
			if (hash) {
				refs.push({ ref: hash, kind: 'commit', description: `${subject ?? ''} — ${who ?? ''}` });
			}
		}
	}
	return refs;
}

// ---- merge driver registration ------------------------------------------------------------

/** Name of the merge driver in `.gitattributes` and git config. */
export const MERGE_DRIVER_NAME = 'corpus-annotator';
/** The `.gitattributes` line that routes sidecars to the driver. */
export const GITATTRIBUTES_LINE = `${SIDECAR_PATHSPEC} merge=${MERGE_DRIVER_NAME}`;

/** Quotes one word for the POSIX shell git runs merge drivers with. */
export function shellQuote(word: string): string {
	return /^[A-Za-z0-9_\-./:=@+,]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** How to start the CLI from a merge driver. */
export interface CliLauncher {
	/** Absolute path of the node (or Electron) executable. */
	readonly node: string;
	/** Absolute path of `dist/cli.js`. */
	readonly cli: string;
	/** Extra environment, e.g. `ELECTRON_RUN_AS_NODE=1` when `node` is VS Code's Electron binary. */
	readonly env?: Readonly<Record<string, string>>;
}

/** `merge.corpus-annotator.driver` value: `<node> <cli.js> merge-driver %O %A %B %P`, shell-quoted. */
export function mergeDriverCommand(launcher: CliLauncher): string {
	const env = Object.entries(launcher.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)} `).join('');
	const slash = (p: string): string => p.replace(/\\/g, '/'); // Git for Windows runs drivers in sh
	return `${env}${shellQuote(slash(launcher.node))} ${shellQuote(slash(launcher.cli))} merge-driver %O %A %B %P`;
}

/** What {@link setupMergeDriver} did. */
export interface SetupResult {
	readonly root: string;
	readonly attributesFile: string;
	/** False when `.gitattributes` already had the line. */
	readonly attributesAdded: boolean;
	readonly driver: string;
}

/**
 * Registers the sidecar merge driver for the repository containing `dir`: appends
 * {@link GITATTRIBUTES_LINE} to the repository's top-level `.gitattributes` (once) and sets
 * `merge.corpus-annotator.name`/`.driver` in the repository's own config (`.git/config`).
 */
export async function setupMergeDriver(dir: string, launcher: CliLauncher): Promise<SetupResult> {
	const root = await repositoryRoot(dir);
	if (!root) {
		throw new GitError(`${dir} is not inside a git repository`, '', 128);
	}
	const attributesFile = path.join(root, '.gitattributes');
	const existing = await fsp.readFile(attributesFile, 'utf8').catch(() => '');
	const has = existing.split(/\r?\n/).some((line) => /^\*\.ann\.yaml\s/.test(line.trim() + ' ') && line.includes(`merge=${MERGE_DRIVER_NAME}`));
	if (!has) {
		const eol = /\r\n/.test(existing) ? '\r\n' : '\n';
		const sep = existing === '' || existing.endsWith('\n') ? '' : eol;
		await writeFileAtomic(attributesFile, `${existing}${sep}${GITATTRIBUTES_LINE}${eol}`, '.gitattributes');
	}
	const driver = mergeDriverCommand(launcher);
	await git(root, ['config', '--local', `merge.${MERGE_DRIVER_NAME}.name`, 'Corpus Annotator sidecar merge (by annotation id)']);
	await git(root, ['config', '--local', `merge.${MERGE_DRIVER_NAME}.driver`, driver]);
	return { root, attributesFile, attributesAdded: !has, driver };
}
