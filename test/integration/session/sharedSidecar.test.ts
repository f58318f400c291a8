import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import type { CorpusTestingApi } from '../../../src/api';
import { EXTENSION_ID, findDocument, getApi, waitFor, workspaceRoot } from '../helpers';

/**
 * The extension and the command line on the same sidecar, in the session workspace: an article
 * annotated by the CLI is drawn the first time it opens, and the extension host tagging while a
 * CLI process annotates the same article never loses an update on either side.
 */

/** Articles no earlier test of the session suite opens (the first-open case needs a fresh one). */
const FIRST_OPEN = '014_f6e9aab594a7db9f.txt';
const SHARED = '013_2307a228ec7ba061.txt';
const MAX_ROUNDS = 200;
/** Rounds start until this much time has passed (the suite runs on two shared cores). */
const ROUNDS_BUDGET_MS = 60_000;

describe('the extension and the command line on one sidecar', function () {
	this.timeout(180_000);
	let testing: CorpusTestingApi;
	let root: string;
	let cliPath: string;
	const file = (rel: string): string => path.join(root, rel);
	const sidecarIds = (article: string): string[] => {
		const data = parse(fs.readFileSync(file(article.replace(/\.txt$/, '.ann.yaml')), 'utf8')) as { annotations?: { id: string }[] };
		return (data.annotations ?? []).map((a) => a.id);
	};

	/** `corpus-annotator annotate` in its own process (never blocking the extension host); resolves to the printed id. */
	function annotateWithCli(article: string, start: number, end: number, label: string): Promise<string> {
		return new Promise((resolve, reject) => {
			execFile(
				process.execPath,
				[cliPath, 'annotate', article, '--start', String(start), '--end', String(end), '--label', label, '--author', 'CLI'],
				// The host may be Electron (test-electron): run its binary as plain Node.
				{ cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } },
				(error, stdout, stderr) => (error ? reject(new Error(`annotate failed: ${stderr || error.message}`)) : resolve(stdout.trim())),
			);
		});
	}

	/** Code-point range of the first occurrence of `needle` (what the CLI takes). */
	function codePointRange(text: string, needle: string): { start: number; end: number } {
		const at = text.indexOf(needle);
		assert.ok(at >= 0, `"${needle}" not in the article`);
		const start = [...text.slice(0, at)].length;
		return { start, end: start + [...needle].length };
	}

	before(async () => {
		testing = (await getApi()).testing!;
		root = workspaceRoot().fsPath;
		cliPath = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
		assert.ok(fs.existsSync(cliPath), `${cliPath} (npm run build)`);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	after(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	it('draws the annotations of an article the first time it is opened, without a repaint', async () => {
		const uri = vscode.Uri.file(file(FIRST_OPEN));
		assert.ok(!findDocument(uri), `${FIRST_OPEN} was not opened before`);
		const quote = 'Oval Office';
		const sidecarSeen = new Promise<void>((resolve) => {
			const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, FIRST_OPEN.replace(/\.txt$/, '.ann.yaml')));
			watcher.onDidCreate(() => {
				watcher.dispose();
				resolve();
			});
		});
		const { start, end } = codePointRange(fs.readFileSync(file(FIRST_OPEN), 'utf8'), quote);
		await annotateWithCli(FIRST_OPEN, start, end, 'claim');
		// The store hears of the new sidecar in the same file event as this watcher: let that pass
		// first, so the only thing left to draw the underline is the article opening.
		await sidecarSeen;
		await vscode.commands.executeCommand('vscode.open', uri);
		// It opens as plain text and becomes an article in the same, already visible, editor.
		await waitFor(() => findDocument(uri)?.languageId === 'corpus-article', 'the article language');
		const painted = await waitFor(() => {
			const ranges = testing.decorations.recorded(uri.toString(), 'annotation.claim');
			return ranges && ranges.length > 0 ? ranges : undefined;
		}, 'the claim underline on first open', 15_000);
		assert.deepStrictEqual(
			painted.map((r) => r.text),
			[quote],
		);
	});

	it('the extension host tagging while a CLI process annotates the same article: no update lost', async () => {
		const uri = vscode.Uri.file(file(SHARED));
		const document = await vscode.workspace.openTextDocument(uri);
		await waitFor(() => findDocument(uri)?.languageId === 'corpus-article', 'the article language');
		const editor = await vscode.window.showTextDocument(findDocument(uri)!);
		const text = editor.document.getText();
		assert.ok(!document.isDirty);
		// Distinct words to tag from both sides, walked in turn.
		const words = [...new Set(text.match(/\p{Lu}\p{Ll}{4,}/gu) ?? [])].slice(0, 40);
		assert.ok(words.length >= 10, `enough words to tag: ${words.length}`);
		const fromCli: string[] = [];
		const fromExtension: string[] = [];
		const started = Date.now();
		let rounds = 0;
		while (rounds < MAX_ROUNDS && Date.now() - started < ROUNDS_BUDGET_MS) {
			const cliWord = words[rounds % words.length];
			const { start, end } = codePointRange(text, cliWord);
			// The CLI reads, re-anchors and writes while the extension keeps tagging: its whole
			// read-modify-write overlaps the extension's writes.
			let cliDone = false;
			const cli = annotateWithCli(SHARED, start, end, 'attribution').finally(() => (cliDone = true));
			let tags = 0;
			do {
				const word = words[(rounds * 7 + tags * 3 + 1) % words.length];
				const at = text.indexOf(word);
				editor.selection = new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + word.length));
				const ids = await vscode.commands.executeCommand<string[]>('corpusAnnotator.tagSelection', { label: 'claim' });
				assert.strictEqual(ids?.length, 1, `round ${rounds}: the extension's tag returned its id`);
				fromExtension.push(ids[0]);
				tags++;
			} while (!cliDone && tags < 3);
			fromCli.push(await cli);
			rounds++;
		}
		const elapsed = Date.now() - started;
		const onDisk = sidecarIds(SHARED);
		const missing = [...fromCli, ...fromExtension].filter((id) => !onDisk.includes(id));
		console.log(
			`      ${rounds} rounds in ${(elapsed / 1000).toFixed(1)} s: ${fromCli.length} CLI + ${fromExtension.length} extension annotations, ${missing.length} lost, ${onDisk.length} in the file`,
		);
		assert.ok(rounds >= 20, `at least 20 rounds ran (${rounds})`);
		assert.deepStrictEqual(missing, [], 'every id printed by the CLI and returned by the extension is in the file');
		assert.strictEqual(new Set([...fromCli, ...fromExtension]).size, fromCli.length + fromExtension.length, 'no id handed out twice');
		assert.strictEqual(onDisk.length, fromCli.length + fromExtension.length, 'nothing else in the file');
		// The extension ends up holding what is on disk, every annotation anchored.
		const live = await waitFor(async () => {
			const list = await testing.annotations.list(uri.toString());
			return list.annotations.length === onDisk.length ? list : undefined;
		}, 'the store to hold every annotation');
		assert.deepStrictEqual(live.annotations.filter((a) => a.status !== 'anchored').map((a) => a.id), []);
		assert.strictEqual(live.pendingChanges, 0);
	});
});
