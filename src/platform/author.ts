import { execFile } from 'child_process';
import * as os from 'os';
import * as vscode from 'vscode';

/**
 * Who is annotating: the `corpusAnnotator.author` setting, else git's `user.name` for the
 * workspace, else the operating-system user. Looked up once per session.
 */
export class AuthorResolver {
	private gitName: Promise<string | undefined> | undefined;

	constructor(private readonly configured: () => string) {}

	async resolve(folder: vscode.Uri | undefined): Promise<string> {
		const configured = this.configured().trim();
		if (configured) {
			return configured;
		}
		this.gitName ??= new Promise((resolve) => {
			execFile('git', ['config', 'user.name'], { cwd: folder?.scheme === 'file' ? folder.fsPath : undefined, timeout: 3000 }, (error, stdout) =>
				resolve(error ? undefined : stdout.trim() || undefined),
			);
		});
		return (await this.gitName) ?? safeUserName();
	}
}

function safeUserName(): string {
	try {
		return os.userInfo().username;
	} catch {
		return 'unknown';
	}
}
