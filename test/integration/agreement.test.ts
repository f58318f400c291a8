import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AgreementTestingApi, CorpusTestingApi } from '../../src/api';
import { closeAllEditors, getApi, waitFor, workspaceRoot, removeWorkspaceRepository } from './helpers';

const ARTICLE = 'agreement/040_aa11bb22cc33dd44.txt';
const SIDECAR = 'agreement/040_aa11bb22cc33dd44.ann.yaml';
const TEXT = ' date 2024-05 De minister van Defensie kondigde nieuwe steun aan Oekraïne aan.\n\nVolgens het kabinet gaat het om luchtverdediging.';

/** A complete sidecar as the extension writes it (TEXT has no characters outside the BMP: UTF-16 offsets are code points). */
function sidecar(annotations: { id: string; label: string; quote: string; author: string }[]): string {
	const hash = `sha256:${createHash('sha256').update(TEXT, 'utf8').digest('hex')}`;
	const lines = ['version: 1', `article: ${path.posix.basename(ARTICLE)}`, 'date: 2024-05', `textHash: ${hash}`, 'annotations:'];
	for (const a of annotations.map((x) => ({ ...x, start: TEXT.indexOf(x.quote) })).sort((x, y) => x.start - y.start)) {
		const end = a.start + a.quote.length;
		lines.push(`  - id: ${a.id}`, `    label: ${a.label}`, `    start: ${a.start}`, `    end: ${end}`, `    quote: ${a.quote}`,
			`    prefix: ${JSON.stringify(TEXT.slice(Math.max(0, a.start - 32), a.start))}`, `    suffix: ${JSON.stringify(TEXT.slice(end, end + 32))}`, `    author: ${a.author}`);
	}
	return lines.join('\n') + '\n';
}

describe('agreement: settling disagreements in the Disagreements view', function () {
	this.timeout(60_000);
	let testing: CorpusTestingApi;
	let agreement: AgreementTestingApi;
	let root: string;
	const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	const write = (rel: string, text: string): void => {
		fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
		fs.writeFileSync(path.join(root, rel), text);
	};
	const progress = async (expected: string): Promise<void> => {
		await waitFor(async () => {
			await agreement.whenSettled();
			return agreement.view().progress === expected;
		}, `progress "${expected}" (now "${agreement.view().progress}")`);
	};

	before(async function () {
		testing = (await getApi()).testing!;
		agreement = testing.agreement;
		root = workspaceRoot().fsPath;
		if (fs.existsSync(path.join(root, '.git'))) {
			this.skip(); // the suite makes the workspace a repository of its own and removes it after
		}
		write(ARTICLE, TEXT);
		git('init', '-q', '-b', 'main');
		git('config', 'user.name', 'Curator Test');
		git('config', 'user.email', 'curator@example.org');
		git('config', 'commit.gpgsign', 'false');
		git('add', '--', ARTICLE);
		git('commit', '-q', '-m', 'article');
		git('checkout', '-q', '-b', 'alice');
		write(SIDECAR, sidecar([
			{ id: 'a1', label: 'event', quote: 'De minister van Defensie', author: 'alice' },
			{ id: 'a2', label: 'claim', quote: 'steun aan Oekraïne', author: 'alice' },
			{ id: 'a3', label: 'claim', quote: 'luchtverdediging', author: 'alice' },
		]));
		git('add', '--', SIDECAR);
		git('commit', '-q', '-m', 'alice');
		git('checkout', '-q', '-b', 'bob', 'main');
		write(SIDECAR, sidecar([
			{ id: 'b1', label: 'event', quote: 'De minister van Defensie', author: 'bob' },
			{ id: 'b2', label: 'claim', quote: 'nieuwe steun aan Oekraïne', author: 'bob' },
			{ id: 'b3', label: 'attribution', quote: 'het kabinet', author: 'bob' },
		]));
		git('add', '--', SIDECAR);
		git('commit', '-q', '-m', 'bob');
		// The curator works on main: no sidecar in the working tree yet.
		git('checkout', '-q', 'main');
		assert.ok(!fs.existsSync(path.join(root, SIDECAR)));
	});

	after(async () => {
		await closeAllEditors();
		await removeWorkspaceRepository(root);
		fs.rmSync(path.join(root, 'agreement'), { recursive: true, force: true });
	});

	it('shows the figures, the progress and each disagreement, and draws both versions in the article', async () => {
		await agreement.compare('alice', 'bob', 'refs');
		const view = agreement.view();
		assert.strictEqual(view.progress, '0 of 3 settled');
		// One exact match of three each: exact F1 = 2·1 / 6; overlap F1 = 2·2 / 6.
		assert.match(view.message ?? '', /^alice ↔ bob: exact F1 0\.333 · overlap F1 0\.667 · κ /);
		assert.deepStrictEqual(view.articles.map((a) => [a.article, a.disagreements.map((d) => [d.kind, d.a, d.b])]), [
			[ARTICLE, [
				['boundary-differs', 'steun aan Oekraïne', 'nieuwe steun aan Oekraïne'],
				['only-b', undefined, 'het kabinet'],
				['only-a', 'luchtverdediging', undefined],
			]],
		]);
		const uri = await agreement.open(ARTICLE, 0);
		assert.ok(uri, 'the article did not open');
		const a = await waitFor(() => testing.decorations.recorded(uri, 'agreement.a'), 'agreement.a decorations');
		assert.deepStrictEqual(a.map((r) => r.text), ['steun aan Oekraïne', 'luchtverdediging']);
		assert.deepStrictEqual(testing.decorations.recorded(uri, 'agreement.b')?.map((r) => r.text), ['nieuwe steun aan Oekraïne', 'het kabinet']);
		assert.strictEqual(vscode.window.activeTextEditor?.document.getText(vscode.window.activeTextEditor.selection), 'nieuwe steun aan Oekraïne');
	});

	it('writes each decision to the working tree sidecar, marked curated, and counts it settled', async () => {
		await agreement.settle('accept-b'); // boundaries: bob's span
		await progress('1 of 3 settled');
		await agreement.settle('reject-both'); // only bob: het kabinet
		await progress('2 of 3 settled');
		await agreement.settle('accept-a'); // only alice: luchtverdediging
		await progress('3 of 3 settled');
		const written = fs.readFileSync(path.join(root, SIDECAR), 'utf8');
		const annotations = written.split('\n  - ').slice(1).map((item) => Object.fromEntries(item.split('\n').map((l) => l.trim().split(/: (.*)/s).slice(0, 2))));
		assert.deepStrictEqual(annotations.map((x) => [x.id, x.quote, x.author]), [['b2', 'nieuwe steun aan Oekraïne', 'bob'], ['a3', 'luchtverdediging', 'alice']]);
		for (const x of annotations) {
			assert.ok(x.curated_by && /^\d{4}-\d{2}-\d{2}T/.test(x.curated ?? ''), JSON.stringify(x));
		}
		const uri = vscode.Uri.file(path.join(root, ARTICLE)).toString();
		await waitFor(() => testing.decorations.recorded(uri, 'agreement.a')?.length === 0, 'settled disagreements no longer drawn');
	});

	it('an undo of a decision makes its disagreement open again', async () => {
		await vscode.commands.executeCommand('corpusAnnotator.undoAnnotationChange');
		await waitFor(() => !fs.readFileSync(path.join(root, SIDECAR), 'utf8').includes('luchtverdediging'), 'the undo written to the sidecar');
		await progress('2 of 3 settled');
		assert.deepStrictEqual(agreement.view().articles[0].disagreements.map((d) => d.settled), [true, true, false]);
	});
});
