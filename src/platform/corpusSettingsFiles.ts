import * as path from 'path';
import * as vscode from 'vscode';
import { findWorkspaceFile } from '../node/corpusFiles';

/**
 * The `.corpus/<name>` that applies to `uri`: the nearest one in its folder or a parent folder,
 * never above its workspace folder, as the CLI finds it (so a nested corpus gets the same labels
 * and lists in both). Falls back to the workspace folder's own `.corpus/<name>` (which may not
 * exist yet) for remote and virtual file systems, where the search is not possible.
 */
export async function corpusSettingsFileFor(uri: vscode.Uri, name: string): Promise<vscode.Uri | undefined> {
	const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
	const atFolderRoot = folder ? vscode.Uri.joinPath(folder.uri, '.corpus', name) : undefined;
	if (uri.scheme !== 'file' || folder?.uri.scheme !== 'file') {
		return atFolderRoot;
	}
	const found = await findWorkspaceFile(path.dirname(uri.fsPath), name, folder.uri.fsPath);
	return found ? vscode.Uri.file(found) : atFolderRoot;
}

/**
 * {@link corpusSettingsFileFor} of one file name, looked up once per folder of articles (every
 * article of a folder shares its nearest `.corpus/`). `clear()` when such a file is created or
 * deleted, since that can change which one is nearest.
 */
export class NearestCorpusFiles {
	private readonly byFolder = new Map<string, Promise<vscode.Uri | undefined>>();

	constructor(private readonly name: string) {}

	get(uri: vscode.Uri): Promise<vscode.Uri | undefined> {
		const folder = articleFolderKey(uri);
		let found = this.byFolder.get(folder);
		if (!found) {
			found = corpusSettingsFileFor(uri, this.name);
			this.byFolder.set(folder, found);
		}
		return found;
	}

	clear(): void {
		this.byFolder.clear();
	}
}

/** The folder holding `uri`, as a string key. */
export function articleFolderKey(uri: vscode.Uri): string {
	return uri.with({ path: uri.path.slice(0, uri.path.lastIndexOf('/') + 1), query: '', fragment: '' }).toString();
}
