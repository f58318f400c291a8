import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { escapeRegExp } from '../core/text/namePattern';
import { fileError, NodeFileError } from './fileErrors';
import { isProcessAlive } from './liveProcess';

/** Symbolic links followed before giving up (Linux's own limit). */
const MAX_LINKS = 40;

/**
 * The file a write to `file` must replace: symbolic links are followed to their target (a
 * dangling link to the file it names) so the link itself survives, and the folder is made
 * canonical so every name of one file shares one lock. A folder is refused.
 */
export async function resolveWriteTarget(file: string, what = 'file'): Promise<string> {
	let current = path.resolve(file);
	for (let links = 0; ; links++) {
		let stat;
		try {
			stat = await fs.lstat(current);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
				throw fileError(error, file, what);
			}
			break;
		}
		if (stat.isDirectory()) {
			throw new NodeFileError(`${what} ${file}: is a folder`, 'EISDIR');
		}
		if (!stat.isSymbolicLink()) {
			break;
		}
		if (links >= MAX_LINKS) {
			throw new NodeFileError(`${what} ${file}: too many levels of symbolic links`, 'ELOOP');
		}
		current = path.resolve(path.dirname(current), await fs.readlink(current));
	}
	try {
		return path.join(await fs.realpath(path.dirname(current)), path.basename(current));
	} catch (error) {
		throw fileError(error, path.dirname(current), 'folder');
	}
}

/** `.<name>.<pid>.<random>.tmp` next to `target`: the pid lets a later writer tell litter from work in progress. */
export function tempPathFor(target: string): string {
	return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}


/**
 * Removes temp files of `target` (and of its lock, `<name>.lock`) left by processes that no
 * longer run: a writer killed between creating its temp file and renaming it. Files of live
 * processes, this one included, are left alone. Returns how many were removed.
 */
export async function removeStaleTempFiles(target: string): Promise<number> {
	const dir = path.dirname(target);
	const pattern = new RegExp(`^\\.${escapeRegExp(path.basename(target))}(?:\\.lock)?\\.(\\d+)\\.[0-9a-z]+\\.tmp$`);
	let names: string[];
	try {
		names = await fs.readdir(dir);
	} catch {
		return 0; // the write that follows reports an unreadable folder
	}
	let removed = 0;
	for (const name of names) {
		const pid = Number(pattern.exec(name)?.[1]);
		if (pid && pid !== process.pid && !isProcessAlive(pid)) {
			await fs.rm(path.join(dir, name), { force: true });
			removed++;
		}
	}
	return removed;
}

/** Files whose folder this process has already cleared of other writers' temp files. */
const litterChecked = new Set<string>();

/**
 * Writes `bytes` to `target` (already resolved by {@link resolveWriteTarget}) so that readers and
 * crashes see the old or the new content, never part of one: temp file, fsync, rename over the
 * target, fsync of the folder. Keeps the file's permission bits.
 *
 * Stale temp files of `target` are removed first on its first write in this process, and
 * whenever `mayHaveLitter` (the caller broke a dead writer's lock). Not on every write: listing
 * a folder of 20,000 articles costs about 20 ms.
 */
export async function replaceFileContent(target: string, bytes: Uint8Array, what = 'file', mayHaveLitter = false): Promise<void> {
	if (mayHaveLitter || !litterChecked.has(target)) {
		await removeStaleTempFiles(target);
		litterChecked.add(target);
	}
	const mode = await fs.stat(target).then(
		(s) => s.mode & 0o7777,
		() => undefined,
	);
	const temp = tempPathFor(target);
	try {
		const handle = await fs.open(temp, 'wx', mode ?? 0o666);
		try {
			await handle.writeFile(bytes);
			if (mode !== undefined) {
				await handle.chmod(mode); // open's mode is masked by the umask
			}
			await handle.sync();
		} finally {
			await handle.close();
		}
		await fs.rename(temp, target);
	} catch (error) {
		await fs.rm(temp, { force: true });
		throw fileError(error, target, what);
	}
	await syncFolder(path.dirname(target));
}

/** Makes the rename durable. Best effort: Windows cannot open a folder for syncing. */
async function syncFolder(dir: string): Promise<void> {
	try {
		const handle = await fs.open(dir, 'r');
		try {
			await handle.sync();
		} finally {
			await handle.close();
		}
	} catch {
		// durability of the folder entry is a bonus; the content is already safe
	}
}

/** Atomic write of a whole file (see {@link replaceFileContent}), through symbolic links. */
export async function writeFileAtomic(file: string, content: string | Uint8Array, what = 'file'): Promise<void> {
	const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
	await replaceFileContent(await resolveWriteTarget(file, what), bytes, what);
}
