import { replaceFileContent, resolveWriteTarget } from './atomicFile';
import { NodeFileError } from './fileErrors';
import { withFileLock, type FileLockOptions } from './fileLock';
import { decodeUtf8, readBytesIfExists, startsWithBom } from './files';

export interface LockedUpdateResult {
	/** True when `update` returned text and it was written. */
	written: boolean;
	/** The file's text now (BOM not included): what was written, or the unchanged content (undefined: no file). */
	text: string | undefined;
}

export interface LockedUpdateOptions extends FileLockOptions {
	/** Names the file in error messages ("sidecar", "label schema"); default "file". */
	readonly what?: string;
}

/**
 * Compare-and-swap update of a text file: takes `<file>.lock` (stale locks of dead or hung
 * writers are broken), re-reads the file (BOM stripped for `update`, kept on write), calls
 * `update(current)` with the fresh content (undefined = no file), and if it returns a string
 * writes it via temp file + rename (through a symlink to its target). Returning undefined
 * writes nothing. Stale `.<name>.*.tmp` files of dead processes are removed. `update` may
 * throw to refuse; nothing is written then.
 *
 * If another writer judged this one's lock stale (it stalled past the stale age) before it
 * wrote, nothing is written and the whole update runs again, up to three times, on the text
 * the other writer left: `update` must be a function of `current`, not of earlier calls.
 *
 * Invalid UTF-8 in the current file is refused before `update` runs: a file we cannot read is
 * a file we do not touch.
 */
export async function updateFileLocked(
	file: string,
	update: (current: string | undefined) => string | undefined | Promise<string | undefined>,
	options: LockedUpdateOptions = {},
): Promise<LockedUpdateResult> {
	const what = options.what ?? 'file';
	const target = await resolveWriteTarget(file, what);
	for (let attempt = 1; ; attempt++) {
		try {
			return await updateUnderLock(file, target, update, options, what);
		} catch (error) {
			// Nothing was written: run the whole update again on what the new holder left.
			if (!(error instanceof NodeFileError && error.code === LOCK_LOST) || attempt >= MAX_ATTEMPTS) {
				throw error;
			}
		}
	}
}

/** Code of the error for a lock another writer took over (judged stale) before this one wrote. */
const LOCK_LOST = 'ELOCKLOST';
const MAX_ATTEMPTS = 3;

function updateUnderLock(
	file: string,
	target: string,
	update: (current: string | undefined) => string | undefined | Promise<string | undefined>,
	options: LockedUpdateOptions,
	what: string,
): Promise<LockedUpdateResult> {
	return withFileLock(
		`${target}.lock`,
		async (lock) => {
			const bytes = await readBytesIfExists(target, what);
			const hadBom = bytes !== undefined && startsWithBom(bytes);
			const current = bytes === undefined ? undefined : decodeUtf8(hadBom ? bytes.subarray(3) : bytes, file, what, true);
			const next = await update(current);
			if (next === undefined) {
				return { written: false, text: current };
			}
			const body = next.startsWith('\uFEFF') ? next.slice(1) : next;
			const keepBom = hadBom || body !== next;
			if (!(await lock.stillHeld())) {
				throw new NodeFileError(`${what} ${file}: another writer took over the lock while this update ran; nothing was written`, LOCK_LOST);
			}
			// Temp files exist only while their writer holds the lock, so new litter implies a lock
			// that had to be broken.
			await replaceFileContent(target, new TextEncoder().encode(keepBom ? `\uFEFF${body}` : body), what, lock.brokeStale);
			return { written: true, text: body };
		},
		options,
	);
}
