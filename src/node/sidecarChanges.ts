/**
 * Which sidecars differ between two versions, and their texts, at git speed: one `git diff --raw`
 * names the changed files with both blob ids (a sidecar whose blob is the same on both sides is
 * never listed, so never read or parsed), and one `git cat-file --batch` process reads every
 * blob (a `git show` per file costs a process start each).
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import { SIDECAR_PATHSPEC } from '../core/corpus/corpusLayout';
import { decodeUtf8 } from './files';
import { EMPTY_TREE, git, GitError, resolveCommit, type SidecarFileChange } from './git';
import { GitBlobReader } from './gitBatch';

/** The id git prints for "not in this version" and for a working-tree file it did not hash. */
const NO_BLOB = /^0+$/;

/**
 * Sidecars (`*.ann.yaml`) under `dir` that differ between `from` and `to`, sorted by path. `to`
 * undefined means the working tree (untracked sidecars included). `from` `HEAD` in a repository
 * without commits compares with the empty tree. Paths are relative to `dir`. A text that is not
 * valid UTF-8 is decoded with replacement characters, so the sidecar's reader reports it.
 */
export async function changedSidecars(dir: string, from: string, to: string | undefined): Promise<SidecarFileChange[]> {
	const fromCommit = await resolveCommit(dir, from);
	if (!fromCommit && from !== 'HEAD') {
		throw new GitError(`unknown revision "${from}"`, '', 128);
	}
	let toCommit: string | undefined;
	if (to !== undefined) {
		toCommit = await resolveCommit(dir, to);
		if (!toCommit) {
			throw new GitError(`unknown revision "${to}"`, '', 128);
		}
	}
	const raw = await git(dir, ['diff', '--raw', '-z', '--no-renames', '--no-abbrev', '--relative', fromCommit ?? EMPTY_TREE, ...(toCommit ? [toCommit] : []), '--', SIDECAR_PATHSPEC]);
	const blobs = new Map<string, { before?: string; after?: string }>();
	for (const entry of parseRawDiff(raw)) {
		blobs.set(entry.path, { before: entry.before, after: entry.after });
	}
	if (!toCommit) {
		for (const name of splitZ(await git(dir, ['ls-files', '-z', '--others', '--exclude-standard', '--', SIDECAR_PATHSPEC]))) {
			// Untracked: on disk only (a path the old version had is listed by the diff as deleted).
			blobs.set(name, { before: blobs.get(name)?.before });
		}
	}
	const reader = new GitBlobReader(dir);
	try {
		const names = [...blobs.keys()].sort();
		const texts = await Promise.all(
			names.map(async (name) => {
				const { before, after } = blobs.get(name)!;
				const [b, a] = await Promise.all([
					before === undefined ? undefined : reader.read(before),
					after !== undefined ? reader.read(after) : toCommit ? undefined : fsp.readFile(path.join(dir, name)).catch(() => undefined),
				]);
				return { path: name, before: text(b), after: text(a) };
			}),
		);
		// A working-tree file git did not hash may be unchanged after all.
		return texts.filter((t) => t.before !== t.after);
	} finally {
		await reader.close();
	}
}

function text(bytes: Uint8Array | undefined): string | undefined {
	if (bytes === undefined) {
		return undefined;
	}
	try {
		return decodeUtf8(bytes, '', 'sidecar', true);
	} catch {
		return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
	}
}

/** One entry of `git diff --raw -z`: blob ids, undefined for "absent" or "working tree, not hashed". */
export interface RawDiffEntry {
	readonly path: string;
	readonly before: string | undefined;
	readonly after: string | undefined;
}

/** Parses `:<mode> <mode> <oid> <oid> <status>\0<path>\0…` (no renames, so one path per entry). */
export function parseRawDiff(raw: string): RawDiffEntry[] {
	const out: RawDiffEntry[] = [];
	const fields = raw.split('\0');
	for (let i = 0; i + 1 < fields.length; i += 2) {
		const head = fields[i];
		if (!head.startsWith(':')) {
			break;
		}
		const [, , oldOid, newOid] = head.slice(1).split(' ');
		out.push({ path: fields[i + 1], before: NO_BLOB.test(oldOid) ? undefined : oldOid, after: NO_BLOB.test(newOid) ? undefined : newOid });
	}
	return out;
}

function splitZ(out: string): string[] {
	return out.split('\0').filter((s) => s !== '');
}
