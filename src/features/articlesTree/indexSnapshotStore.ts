import * as vscode from 'vscode';
import { hashArticleText } from '../../core/annotations/textHash';
import type { IndexSnapshotStore } from './workspaceCorpus';

/**
 * Index snapshots in the extension's workspace storage (`context.storageUri`), one file per
 * workspace folder, named by a hash of the folder's URI. Written to a temp file and renamed, so
 * a session killed mid-write leaves the previous snapshot (or none), never half of one.
 */
export class StorageIndexSnapshotStore implements IndexSnapshotStore {
	/** Folders whose version-1 (JSON) snapshot was already removed in this session. */
	private readonly legacyRemoved = new Set<string>();

	constructor(private readonly storageUri: vscode.Uri) {}

	fileFor(folderKey: string): vscode.Uri {
		return vscode.Uri.joinPath(this.storageUri, `corpus-index-${this.nameFor(folderKey)}.bin`);
	}

	async load(folderKey: string): Promise<Uint8Array | undefined> {
		try {
			return await vscode.workspace.fs.readFile(this.fileFor(folderKey));
		} catch {
			return undefined; // first session, or storage cleared
		}
	}

	async save(folderKey: string, snapshot: Uint8Array): Promise<void> {
		await vscode.workspace.fs.createDirectory(this.storageUri);
		const file = this.fileFor(folderKey);
		const temp = file.with({ path: `${file.path}.${Date.now().toString(36)}.tmp` });
		await vscode.workspace.fs.writeFile(temp, snapshot);
		await vscode.workspace.fs.rename(temp, file, { overwrite: true });
		await this.removeLegacy(folderKey);
	}

	/** The JSON snapshot earlier versions kept under another name: never read again, so not left behind. */
	private async removeLegacy(folderKey: string): Promise<void> {
		if (this.legacyRemoved.has(folderKey)) {
			return;
		}
		this.legacyRemoved.add(folderKey);
		try {
			await vscode.workspace.fs.delete(vscode.Uri.joinPath(this.storageUri, `corpus-index-${this.nameFor(folderKey)}.json`));
		} catch {
			// none there
		}
	}

	private nameFor(folderKey: string): string {
		return hashArticleText(folderKey).slice('sha256:'.length, 'sha256:'.length + 16);
	}
}
