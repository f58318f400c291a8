import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { failureReason, NodeFileError } from './fileErrors';
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
 * The lock is created with an exclusive create and then filled with its owner record; a lock
 * found empty or unreadable is a holder killed in between (or not ours) and is broken once it
 * is older than {@link EMPTY_LOCK_GRACE_MS}.
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
	/** The clock just before reading: a reader that stalls after reading must not see the lock as older than it was. */
	readonly readAt: number;
}

export interface HeldLock {
	readonly path: string;
	/** True when a stale lock had to be broken: its holder may have left temp files behind. */
	readonly brokeStale: boolean;
	/** False when another writer broke this lock as stale (this one hung longer than the stale age). */
	stillHeld(): Promise<boolean>;
}

const DEFAULT_STALE_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 20_000;
const MAX_POLL_MS = 50;
/**
 * A live writer fills its lock microseconds after creating it; an empty lock this old is litter
 * of a writer killed in between. Generous, because a machine under load can stall a process.
 */
const EMPTY_LOCK_GRACE_MS = 5_000;

/** Runs `work` while holding `lockPath`; the lock is released however `work` ends. */
export async function withFileLock<T>(lockPath: string, work: (lock: HeldLock) => Promise<T>, options: FileLockOptions = {}): Promise<T> {
	const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
	const owner: LockOwner = { pid: process.pid, host: os.hostname(), time: Date.now(), token: randomBytes(8).toString('hex') };
	const leaveQueue = await queueInProcess(lockPath);
	let brokeStale: boolean;
	try {
		brokeStale = await acquire(lockPath, owner, staleMs, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
	} catch (error) {
		leaveQueue();
		throw error;
	}
	const held: HeldLock = { path: lockPath, brokeStale, stillHeld: async () => (await readLock(lockPath))?.owner?.token === owner.token };
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
		try {
			if (await held.stillHeld()) {
				await fs.rm(lockPath, { force: true });
			}
		} finally {
			leaveQueue();
		}
	}
}

/** Per lock path, the turn of the last writer of this process that asked for it. */
const inProcessTurns = new Map<string, Promise<void>>();

/**
 * Writers in one process (the extension host saving several edits) wait their turn here
 * instead of polling the lock file against each other. Resolves when it is this caller's
 * turn; the returned function ends it.
 */
async function queueInProcess(lockPath: string): Promise<() => void> {
	const previous = inProcessTurns.get(lockPath) ?? Promise.resolve();
	let end!: () => void;
	const turn = new Promise<void>((resolve) => (end = resolve));
	const tail = previous.then(() => turn);
	inProcessTurns.set(lockPath, tail);
	await previous;
	return () => {
		end();
		if (inProcessTurns.get(lockPath) === tail) {
			inProcessTurns.delete(lockPath);
		}
	};
}

/** Waits for the lock and takes it; true when a stale one was broken on the way. */
async function acquire(lockPath: string, owner: LockOwner, staleMs: number, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	let wait = 1;
	let brokeStale = false;
	for (;;) {
		if (await tryCreate(lockPath, owner)) {
			return brokeStale;
		}
		const found = await readLock(lockPath);
		if (found === undefined) {
			continue; // released meanwhile: try again at once
		}
		if (isStale(found, staleMs)) {
			await breakLock(lockPath, found);
			brokeStale = true;
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

/** Creates the lock and writes its owner record; false when someone holds it. */
async function tryCreate(lockPath: string, owner: LockOwner): Promise<boolean> {
	const handle = await openLock(lockPath, 'wx', 'EEXIST', 'cannot create the lock');
	if (!handle) {
		return false;
	}
	try {
		await handle.writeFile(JSON.stringify(owner));
	} finally {
		await handle.close();
	}
	return true;
}

async function readLock(lockPath: string): Promise<LockSnapshot | undefined> {
	const readAt = Date.now();
	const handle = await openLock(lockPath, 'r', 'ENOENT', 'cannot read the lock');
	if (!handle) {
		return undefined;
	}
	try {
		const [stat, text] = await Promise.all([handle.stat(), handle.readFile('utf8')]);
		return { owner: parseOwner(text), mtimeMs: stat.mtimeMs, ino: stat.ino, readAt };
	} finally {
		await handle.close();
	}
}

/** Opens the lock file; undefined when opening fails with `expected` (held, or gone). */
async function openLock(lockPath: string, flags: string, expected: string, doing: string): Promise<fs.FileHandle | undefined> {
	try {
		return await fs.open(lockPath, flags);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === expected) {
			return undefined;
		}
		throw lockError(doing, lockPath, error);
	}
}

function lockError(doing: string, lockPath: string, error: unknown): NodeFileError {
	return new NodeFileError(`${doing} ${lockPath}: ${failureReason(error)}`, (error as NodeJS.ErrnoException).code);
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

/** Dead holder on this machine, no sign of life (mtime refresh) for `staleMs`, or an empty lock past its grace. */
function isStale(lock: LockSnapshot, staleMs: number): boolean {
	if (lock.owner && lock.owner.host === os.hostname() && !isProcessAlive(lock.owner.pid)) {
		return true;
	}
	const age = lock.readAt - lock.mtimeMs;
	return age > staleMs || (lock.owner === undefined && age > Math.min(staleMs, EMPTY_LOCK_GRACE_MS));
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
		throw lockError('cannot break the stale lock', lockPath, error);
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
