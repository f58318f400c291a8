import * as vscode from 'vscode';
import { hashArticleText } from '../../core/annotations/textHash';
import type { IndexSnapshotStore } from './workspaceCorpus';

/**
 * Index snapshots in the extension's workspace storage (`context.storageUri`), one file per
 * workspace folder, named by a hash of the folder's URI. Written to a temp file and renamed, so
 * a session killed mid-write leaves the previous snapshot (or none), never half of one.
 */
export class StorageIndexSnapshotStore implements IndexSnapshotStore {
	constructor(private readonly storageUri: vscode.Uri) {}

	fileFor(folderKey: string): vscode.Uri {
		return vscode.Uri.joinPath(this.storageUri, `corpus-index-${hashArticleText(folderKey).slice('sha256:'.length, 'sha256:'.length + 16)}.json`);
	}

	async load(folderKey: string): Promise<string | undefined> {
		try {
			return new TextDecoder().decode(await vscode.workspace.fs.readFile(this.fileFor(folderKey)));
		} catch {
			return undefined; // first session, or storage cleared
		}
	}

	async save(folderKey: string, text: string): Promise<void> {
		await vscode.workspace.fs.createDirectory(this.storageUri);
		const file = this.fileFor(folderKey);
		const temp = file.with({ path: `${file.path}.${Date.now().toString(36)}.tmp` });
		await vscode.workspace.fs.writeFile(temp, new TextEncoder().encode(text));
		await vscode.workspace.fs.rename(temp, file, { overwrite: true });
	}
}
