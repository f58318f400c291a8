import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NodeFileError } from './fileErrors';
import { isProcessAlive } from './liveProcess';

/**
 * Lock files for writers of one file across processes (CLI runs, the extension host, merge
 * drivers), on one machine or a shared folder.
 *
 * Why our own and not `proper-lockfile`: that library can only tell a dead holder by the age of
 * its lock (at least 2 s, 10 s by default), so every writer killed mid-save would stall the next
 * one for seconds. Here the lock names its holder (pid, host), so a lock of a process that no
 * longer runs on this machine is broken at once; the age rule remains for hung holders, other
 * machines and recycled pids, with the holder refreshing the lock's mtime while it works.
 *
 * The lock is created complete or not at all: the owner record goes to a temp file that is
 * hard-linked to `<file>.lock` (link fails if the name exists, also on NFS). File systems
 * without hard links fall back to an exclusive create.
 */

export interface FileLockOptions {
	/** Give up waiting after this long (default 20 s, more than {@link staleMs} so a hung holder is broken first). */
	readonly timeoutMs?: number;
	/** A lock whose mtime is older than this is stale, whoever holds it (default 10 s). */
	readonly staleMs?: number;
}

/** What a lock file says about its holder. */
interface LockOwner {
	readonly pid: number;
	readonly host: string;
	readonly time: number;
	readonly token: string;
}

/** A lock file as found on disk. `owner` is undefined when its content is not ours or incomplete. */
interface LockSnapshot {
	readonly owner: LockOwner | undefined;
	readonly mtimeMs: number;
	readonly ino: number;
}

export interface HeldLock {
	readonly path: string;
	/** False when another writer broke this lock as stale (this one hung longer than the stale age). */
	stillHeld(): Promise<boolean>;
}

const DEFAULT_STALE_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 20_000;
const MAX_POLL_MS = 50;

/** Runs `work` while holding `lockPath`; the lock is released however `work` ends. */
export async function withFileLock<T>(lockPath: string, work: (lock: HeldLock) => Promise<T>, options: FileLockOptions = {}): Promise<T> {
	const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
	const owner: LockOwner = { pid: process.pid, host: os.hostname(), time: Date.now(), token: randomBytes(8).toString('hex') };
	await acquire(lockPath, owner, staleMs, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
	const held: HeldLock = { path: lockPath, stillHeld: async () => (await readLock(lockPath))?.owner?.token === owner.token };
	const heartbeat = setInterval(
		() => {
			const now = new Date();
			fs.utimes(lockPath, now, now).catch(() => undefined);
		},
		Math.max(100, staleMs / 4),
	);
	heartbeat.unref();
	try {
		return await work(held);
	} finally {
		clearInterval(heartbeat);
		if (await held.stillHeld()) {
			await fs.rm(lockPath, { force: true });
		}
	}
}

async function acquire(lockPath: string, owner: LockOwner, staleMs: number, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let wait = 1;
	for (;;) {
		if (await tryCreate(lockPath, owner)) {
			return;
		}
		const found = await readLock(lockPath);
		if (found === undefined) {
			continue; // released meanwhile: try again at once
		}
		if (isStale(found, staleMs)) {
			await breakLock(lockPath, found);
			continue;
		}
		if (Date.now() >= deadline) {
			const who = found.owner ? `process ${found.owner.pid} on ${found.owner.host}` : 'another writer';
			throw new NodeFileError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for the lock ${lockPath}, held by ${who}; nothing was written`, 'ETIMEDOUT');
		}
		// Jittered backoff so waiting writers do not retry in lockstep.
		await new Promise((resolve) => setTimeout(resolve, wait * (0.5 + Math.random())));
		wait = Math.min(wait * 2, MAX_POLL_MS);
	}
}

/** Creates the lock with its owner record in one step; false when someone holds it. */
async function tryCreate(lockPath: string, owner: LockOwner): Promise<boolean> {
	const record = JSON.stringify(owner);
	const temp = path.join(path.dirname(lockPath), `.${path.basename(lockPath)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
	try {
		await fs.writeFile(temp, record, { flag: 'wx' });
		try {
			await fs.link(temp, lockPath);
			return true;
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'EEXIST') {
				return false;
			}
			if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') {
				throw error;
			}
		}
		// No hard links here: exclusive create. A holder killed between create and write leaves
		// an empty lock, which the age rule breaks.
		try {
			await fs.writeFile(lockPath, record, { flag: 'wx' });
			return true;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
				return false;
			}
			throw error;
		}
	} catch (error) {
		throw new NodeFileError(`cannot create the lock ${lockPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, (error as NodeJS.ErrnoException).code);
	} finally {
		await fs.rm(temp, { force: true });
	}
}

async function readLock(lockPath: string): Promise<LockSnapshot | undefined> {
	let handle;
	try {
		handle = await fs.open(lockPath, 'r');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}
		throw new NodeFileError(`cannot read the lock ${lockPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, (error as NodeJS.ErrnoException).code);
	}
	try {
		const [stat, text] = await Promise.all([handle.stat(), handle.readFile('utf8')]);
		return { owner: parseOwner(text), mtimeMs: stat.mtimeMs, ino: stat.ino };
	} finally {
		await handle.close();
	}
}

function parseOwner(text: string): LockOwner | undefined {
	try {
		const value = JSON.parse(text) as Partial<LockOwner>;
		if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.time === 'number' && typeof value.token === 'string') {
			return value as LockOwner;
		}
	} catch {
		// not a lock we wrote, or a half-written one: only the age rule applies
	}
	return undefined;
}

/** Dead holder on this machine, or no sign of life (mtime refresh) for `staleMs`. */
function isStale(lock: LockSnapshot, staleMs: number): boolean {
	if (lock.owner && lock.owner.host === os.hostname() && !isProcessAlive(lock.owner.pid)) {
		return true;
	}
	return Date.now() - lock.mtimeMs > staleMs;
}

/**
 * Removes a stale lock without removing a fresh one that replaced it meanwhile: the lock is
 * renamed aside (atomic), and if what was moved is not the lock judged stale it is linked back.
 */
async function breakLock(lockPath: string, stale: LockSnapshot): Promise<void> {
	const aside = path.join(path.dirname(lockPath), `.${path.basename(lockPath)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
	try {
		await fs.rename(lockPath, aside);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return; // another waiter broke it first
		}
		throw new NodeFileError(`cannot break the stale lock ${lockPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
	}
	try {
		const moved = await readLock(aside);
		if (moved && (moved.ino !== stale.ino || moved.owner?.token !== stale.owner?.token)) {
			// A live lock: give it back. If a third writer took the name meanwhile, the owner
			// sees stillHeld() false before writing and refuses.
			await fs.link(aside, lockPath).catch(() => undefined);
		}
	} finally {
		await fs.rm(aside, { force: true });
	}
}
