import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, findDocument, fixtureUri, getApi, openFixture, waitFor } from './helpers';

describe('article recognition', () => {
	before(async () => {
		await getApi();
	});
	afterEach(closeAllEditors);

	it('opens a .txt article as corpus-article', async () => {
		const uri = fixtureUri('2024/001_0a1b2c3d4e5f6071.txt');
		await openFixture('2024/001_0a1b2c3d4e5f6071.txt');
		const document = await waitFor(() => {
			const d = findDocument(uri);
			return d?.languageId === 'corpus-article' ? d : undefined;
		}, 'the article language');
		assert.strictEqual(document.languageId, 'corpus-article');
		assert.deepStrictEqual(vscode.languages.getDiagnostics(uri), []);
	});

	it('leaves a .txt that is not an article as plain text', async () => {
		const api = await getApi();
		const editor = await openFixture('notes.txt');
		await api.testing!.detectArticles();
		assert.strictEqual(editor.document.languageId, 'plaintext');
	});

	it('reports a malformed header in the Problems panel with the exact range', async () => {
		const uri = fixtureUri('003_badheader00000000.txt');
		await openFixture('003_badheader00000000.txt');
		const diagnostics = await waitFor(() => {
			const found = vscode.languages.getDiagnostics(uri);
			return found.length > 0 ? found : undefined;
		}, 'header diagnostics');
		assert.strictEqual(diagnostics.length, 1);
		const [diagnostic] = diagnostics;
		assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Error);
		assert.strictEqual(diagnostic.code, 'invalid-month');
		assert.match(diagnostic.message, /month must be 01 to 12/);
		assert.deepStrictEqual(
			[diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.line, diagnostic.range.end.character],
			[0, 11, 0, 13],
		);
	});

	it('updates the diagnostic when the header is fixed', async () => {
		const uri = fixtureUri('003_badheader00000000.txt');
		const editor = await openFixture('003_badheader00000000.txt');
		await waitFor(() => editor.document.languageId === 'corpus-article' || findDocument(uri)?.languageId === 'corpus-article', 'language');
		const current = vscode.window.activeTextEditor!;
		await current.edit((b) => b.replace(new vscode.Range(0, 11, 0, 13), '12'));
		await waitFor(() => vscode.languages.getDiagnostics(uri).length === 0, 'the diagnostic to clear');
		await vscode.commands.executeCommand('workbench.action.files.revert');
	});
});
