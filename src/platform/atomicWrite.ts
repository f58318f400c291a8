import { promises as fs } from 'fs';
import * as vscode from 'vscode';

/**
 * Writes a file so that readers see either the old or the new content, never a half-written one:
 * the bytes go to a temporary sibling first, which is then renamed over the target.
 *
 * Local files use Node's `rename`, which replaces the target atomically; `workspace.fs.rename`
 * with `overwrite` deletes the target first, leaving a moment with no file at all. Other file
 * systems (remote, virtual) go through `workspace.fs`, the best they offer.
 */
export async function writeFileAtomic(uri: vscode.Uri, content: string | Uint8Array): Promise<void> {
	const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
	const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
	const temp = vscode.Uri.joinPath(uri, '..', `.${name}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
	if (uri.scheme === 'file') {
		await fs.writeFile(temp.fsPath, bytes);
		try {
			await fs.rename(temp.fsPath, uri.fsPath);
		} catch (error) {
			await fs.rm(temp.fsPath, { force: true });
			throw error;
		}
		return;
	}
	await vscode.workspace.fs.writeFile(temp, bytes);
	try {
		await vscode.workspace.fs.rename(temp, uri, { overwrite: true });
	} catch (error) {
		await vscode.workspace.fs.delete(temp).then(undefined, () => undefined);
		throw error;
	}
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
