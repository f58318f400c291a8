import * as vscode from 'vscode';
import { writeFileAtomic as writeLocalFileAtomic } from '../node/atomicFile';
import { decodeUtf8, startsWithBom } from '../node/files';
import { updateFileLocked, type LockedUpdateResult } from '../node/lockedUpdate';

/**
 * Writes a file so that readers see either the old or the new content, never a half-written one:
 * the bytes go to a temporary sibling first, which is then renamed over the target.
 *
 * Local files use the Node layer's write (fsync, rename through symlinks, stale temp files
 * removed): `workspace.fs.rename` with `overwrite` deletes the target first, leaving a moment
 * with no file at all. Other file systems (remote, virtual) go through `workspace.fs`, the best
 * they offer.
 */
export async function writeFileAtomic(uri: vscode.Uri, content: string | Uint8Array): Promise<void> {
	if (uri.scheme === 'file') {
		await writeLocalFileAtomic(uri.fsPath, content);
		return;
	}
	const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
	const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
	const temp = vscode.Uri.joinPath(uri, '..', `.${name}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
	await vscode.workspace.fs.writeFile(temp, bytes);
	try {
		await vscode.workspace.fs.rename(temp, uri, { overwrite: true });
	} catch (error) {
		await vscode.workspace.fs.delete(temp).then(undefined, () => undefined);
		throw error;
	}
}

/** Tries of the read-compare-write loop on file systems without locks before giving up. */
const UNLOCKED_ATTEMPTS = 5;

/**
 * Compare-and-swap update of a text file (see the Node layer's `updateFileLocked`): `update`
 * gets the current text (BOM stripped, kept on write; undefined = no file) and returns the new
 * text, or undefined to write nothing. Local files are updated under a lock file, so the
 * command line and other windows never lose each other's changes. Remote and virtual file
 * systems have no lock: the file is read again just before writing and, if it changed
 * meanwhile, `update` runs again on the newer text (best effort: a writer between that read
 * and the write can still be overwritten).
 */
export async function updateUriLocked(
	uri: vscode.Uri,
	update: (current: string | undefined) => string | undefined | Promise<string | undefined>,
): Promise<LockedUpdateResult> {
	if (uri.scheme === 'file') {
		return updateFileLocked(uri.fsPath, update);
	}
	let current = await readWithBom(uri);
	for (let attempt = 1; ; attempt++) {
		const next = await update(current?.text);
		if (next === undefined) {
			return { written: false, text: current?.text };
		}
		const latest = await readWithBom(uri);
		if (sameBytes(latest?.bytes, current?.bytes)) {
			const body = next.startsWith('\uFEFF') ? next.slice(1) : next;
			await writeFileAtomic(uri, current?.bom || body !== next ? `\uFEFF${body}` : body);
			return { written: true, text: body };
		}
		if (attempt >= UNLOCKED_ATTEMPTS) {
			throw new Error(`${uri.toString(true)} kept changing while it was being written; nothing was written`);
		}
		current = latest;
	}
}

async function readWithBom(uri: vscode.Uri): Promise<{ bytes: Uint8Array; text: string; bom: boolean } | undefined> {
	let bytes: Uint8Array;
	try {
		bytes = await vscode.workspace.fs.readFile(uri);
	} catch (error) {
		if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
			return undefined;
		}
		throw error;
	}
	const bom = startsWithBom(bytes);
	return { bytes, text: decodeUtf8(bom ? bytes.subarray(3) : bytes, uri.toString(true), 'file', true), bom };
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
	if (a === undefined || b === undefined) {
		return a === b;
	}
	return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Reads a text file, or returns undefined when it does not exist. */
export async function readTextIfExists(uri: vscode.Uri): Promise<string | undefined> {
	try {
		return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
	} catch (error) {
		if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
			return undefined;
		}
		throw error;
	}
}
