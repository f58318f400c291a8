import type * as vscode from 'vscode';
import { gitUserName, systemUserName } from '../node/corpusFiles';

/**
 * Who is annotating: the `corpusAnnotator.author` setting, else git's `user.name` for the
 * workspace, else the operating-system user (the command line's rule plus the setting).
 * git is asked once per session.
 */
export class AuthorResolver {
	private gitName: Promise<string | undefined> | undefined;

	constructor(private readonly configured: () => string) {}

	async resolve(folder: vscode.Uri | undefined): Promise<string> {
		const configured = this.configured().trim();
		if (configured) {
			return configured;
		}
		this.gitName ??= gitUserName(folder?.scheme === 'file' ? folder.fsPath : undefined);
		return (await this.gitName) ?? systemUserName();
	}
}
