import * as assert from 'assert';
import * as vscode from 'vscode';
import type { CorpusApi } from '../../src/api';

export const EXTENSION_ID = 'corpus-annotator.corpus-annotator';

/** Activates the extension under test and returns its API (test seams included). */
export async function getApi(): Promise<CorpusApi> {
	const extension = vscode.extensions.getExtension<CorpusApi>(EXTENSION_ID);
	assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
	const api = await extension.activate();
	assert.ok(api.testing, 'the extension did not expose its testing API: is it running in test mode?');
	return api;
}

export function workspaceRoot(): vscode.Uri {
	const folder = vscode.workspace.workspaceFolders?.[0];
	assert.ok(folder, 'the tests need a workspace folder (test/fixtures/workspace copy)');
	return folder.uri;
}

export function fixtureUri(relativePath: string): vscode.Uri {
	return vscode.Uri.joinPath(workspaceRoot(), ...relativePath.split('/'));
}

export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
	const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
	return vscode.window.showTextDocument(document);
}

/** Polls `probe` until it returns a truthy value or the deadline passes; never a fixed sleep. */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let delay = 10;
	for (;;) {
		const value = await probe();
		if (value) {
			return value;
		}
		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		}
		await new Promise((resolve) => setTimeout(resolve, delay));
		delay = Math.min(delay * 2, 200);
	}
}

/** The open document for `uri` (the language switch replaces the document object). */
export function findDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
	return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
}

export async function closeAllEditors(): Promise<void> {
	await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

interface GitApiRepository {
	readonly rootUri: vscode.Uri;
}
interface GitApi {
	readonly repositories: readonly GitApiRepository[];
	getRepository(uri: vscode.Uri): GitApiRepository | null;
}

/**
 * Removes the repository a suite made of the shared workspace (`<root>/.git`). VS Code's own git
 * extension is told to close it first: otherwise it keeps running git (`check-ignore --stdin`)
 * in a folder that is no longer a repository, and the broken pipe surfaces as an uncaught error
 * in whichever test runs next.
 */
export async function removeWorkspaceRepository(root: string): Promise<void> {
	const fs = await import('fs');
	const path = await import('path');
	const git = vscode.extensions.getExtension<{ getAPI(version: 1): GitApi }>('vscode.git');
	const api = git?.isActive ? git.exports.getAPI(1) : undefined;
	const rootUri = vscode.Uri.file(root);
	if (api?.getRepository(rootUri)) {
		await vscode.commands.executeCommand('git.close', rootUri);
		await waitFor(() => !api.getRepository(rootUri), 'VS Code to close the repository');
	}
	fs.rmSync(path.join(root, '.git'), { recursive: true, force: true });
}
