import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ReviewTestingApi, CorpusTestingApi } from '../../src/api';
import { closeAllEditors, getApi, waitFor, workspaceRoot, removeWorkspaceRepository } from './helpers';

const NOT_A_REPOSITORY = 'This folder is not in a git repository — annotation changes are compared between git commits.';
const ARTICLE = 'review/030_dd44ee55ff667788.txt';
const SIDECAR = 'review/030_dd44ee55ff667788.ann.yaml';
const TEXT = ' date 2024-05 De minister van Defensie kondigde nieuwe steun aan Oekraïne aan.\n\nVolgens het kabinet gaat het om luchtverdediging.\n';

interface Ann { id: string; label: string; quote: string; note?: string }
interface Rel { id: string; type: string; from: string; to: string }

/** A complete sidecar (context and text hash filled in), so opening the article leaves it as it is. */
function sidecar(annotations: Ann[], relations: Rel[] = []): string {
	const hash = `sha256:${createHash('sha256').update(TEXT, 'utf8').digest('hex')}`;
	const lines = ['# Review test sidecar.', 'version: 1', `article: ${path.posix.basename(ARTICLE)}`, 'date: 2024-05', `textHash: ${hash}`, 'annotations:'];
	const sorted = annotations.map((a) => ({ ...a, start: TEXT.indexOf(a.quote) })).sort((x, y) => x.start - y.start);
	for (const a of sorted) {
		assert.ok(a.start >= 0, a.quote);
		const end = a.start + a.quote.length;
		lines.push(`  - id: ${a.id}`, `    label: ${a.label}`, `    start: ${a.start}`, `    end: ${end}`, `    quote: ${a.quote}`);
		// TEXT has no characters outside the BMP: UTF-16 offsets are code points.
		lines.push(`    prefix: ${JSON.stringify(TEXT.slice(Math.max(0, a.start - 32), a.start))}`, `    suffix: ${JSON.stringify(TEXT.slice(end, end + 32))}`);
		if (a.note) {
			lines.push(`    note: ${a.note}`);
		}
	}
	if (relations.length > 0) {
		lines.push('relations:');
		for (const r of relations) {
			lines.push(`  - id: ${r.id}`, `    type: ${r.type}`, `    from: ${r.from}`, `    to: ${r.to}`);
		}
	}
	return lines.join('\n') + '\n';
}

describe('review: Annotation Changes view', function () {
	this.timeout(60_000);
	let testing: CorpusTestingApi;
	let review: ReviewTestingApi;
	let root: string;
	const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	const write = (rel: string, text: string): void => {
		fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
		fs.writeFileSync(path.join(root, rel), text);
	};

	before(async () => {
		testing = (await getApi()).testing!;
		review = testing.review;
		root = workspaceRoot().fsPath;
	});

	after(async () => {
		// Leave the shared workspace as the other suites expect it: no repository, no review files.
		await closeAllEditors();
		await removeWorkspaceRepository(root);
		fs.rmSync(path.join(root, 'review'), { recursive: true, force: true });
		fs.rmSync(path.join(root, '.gitattributes'), { force: true });
		await review.refresh();
	});

	it('explains that a folder outside git has nothing to compare', async function () {
		let inRepo = true;
		try {
			git('rev-parse', '--show-toplevel');
		} catch {
			inRepo = false;
		}
		if (inRepo) {
			this.skip(); // the temporary workspace happens to be inside a repository
		}
		await review.refresh();
		assert.strictEqual(review.message(), NOT_A_REPOSITORY);
		assert.deepStrictEqual(await review.view(), []);
	});

	it('lists the annotations added, removed and relabelled since HEAD, and draws them in the article', async () => {
		write(ARTICLE, TEXT);
		write(SIDECAR, sidecar([
			{ id: 'r1', label: 'claim', quote: 'nieuwe steun aan Oekraïne' },
			{ id: 'r2', label: 'event', quote: 'De minister van Defensie' },
			{ id: 'r3', label: 'claim', quote: 'luchtverdediging' },
		]));
		git('init', '-q', '-b', 'main');
		git('config', 'user.name', 'Review Test');
		git('config', 'user.email', 'review@example.org');
		git('config', 'commit.gpgsign', 'false');
		git('add', '-A');
		git('commit', '-q', '-m', 'base');
		await review.refresh();
		assert.deepStrictEqual(await review.view(), []);
		assert.strictEqual(review.message(), 'No annotation changes between HEAD and the working tree.');

		write(SIDECAR, sidecar([
			{ id: 'r1', label: 'framing', quote: 'nieuwe steun aan Oekraïne' },
			{ id: 'r3', label: 'claim', quote: 'luchtverdediging', note: 'Welke systemen?' },
			{ id: 'r4', label: 'attribution', quote: 'het kabinet' },
		]));
		await review.refresh();
		assert.strictEqual(review.message(), undefined);
		assert.deepStrictEqual(await review.view(), [
			{
				article: ARTICLE,
				changes: [
					{ kind: 'added', id: 'r4', label: '+ attribution “het kabinet”' },
					{ kind: 'removed', id: 'r2', label: '- event “De minister van Defensie”' },
					{ kind: 'relabelled', id: 'r1', label: '~ claim → framing “nieuwe steun aan Oekraïne”' },
					{ kind: 'note', id: 'r3', label: '✎ claim “luchtverdediging”' },
				],
			},
		]);

		const uri = await review.open(ARTICLE, 'r4');
		assert.ok(uri, 'the article did not open');
		const added = await waitFor(() => testing.decorations.recorded(uri, 'review.added'), 'review.added decorations');
		assert.deepStrictEqual(added.map((r) => r.text), ['het kabinet']);
		assert.deepStrictEqual(testing.decorations.recorded(uri, 'review.removed')?.map((r) => r.text), ['De minister van Defensie']);
		assert.deepStrictEqual(testing.decorations.recorded(uri, 'review.changed')?.map((r) => r.text), ['nieuwe steun aan Oekraïne', 'luchtverdediging']);
	});

	it('follows commits through the .git watchers and compares two chosen commits', async () => {
		git('add', '-A');
		git('commit', '-q', '-m', 'review round');
		await waitFor(() => review.message()?.startsWith('No annotation changes') === true, 'the view to notice the commit', 20_000).catch((error: Error) => {
			throw new Error(`${error.message}; the view says: ${review.message() ?? '(no message)'}`);
		});
		await review.compare('HEAD~1', 'HEAD');
		const view = await review.view();
		assert.deepStrictEqual(view.map((a) => [a.article, a.changes.map((c) => `${c.kind}:${c.id}`)]), [[ARTICLE, ['added:r4', 'removed:r2', 'relabelled:r1', 'note:r3']]]);
		await review.compare('HEAD');
		assert.deepStrictEqual(await review.view(), []);
	});

	it('lists relation changes under the article, and opening one selects its from annotation', async () => {
		const annotations: Ann[] = [
			{ id: 'r1', label: 'framing', quote: 'nieuwe steun aan Oekraïne' },
			{ id: 'r3', label: 'claim', quote: 'luchtverdediging', note: 'Welke systemen?' },
			{ id: 'r4', label: 'attribution', quote: 'het kabinet' },
		];
		write(SIDECAR, sidecar(annotations, [
			{ id: 'q1', type: 'source-of', from: 'r4', to: 'r3' },
			{ id: 'q2', type: 'about', from: 'r1', to: 'r3' },
		]));
		git('add', '-A');
		git('commit', '-q', '-m', 'relations');
		write(SIDECAR, sidecar(annotations, [
			{ id: 'q1', type: 'about', from: 'r4', to: 'r3' },
			{ id: 'q3', type: 'source-of', from: 'r4', to: 'r1' },
		]));
		await review.compare('HEAD');
		assert.deepStrictEqual(await review.view(), [
			{
				article: ARTICLE,
				changes: [
					{ kind: 'relation-added', id: 'relation:q3', label: '+ source-of “het kabinet” → “nieuwe steun aan Oekraïne”' },
					{ kind: 'relation-removed', id: 'relation:q2', label: '- about “nieuwe steun aan Oekraïne” → “luchtverdediging”' },
					{ kind: 'relation-changed', id: 'relation:q1', label: '~ about “het kabinet” → “luchtverdediging”' },
				],
			},
		]);
		const uri = await review.open(ARTICLE, 'relation:q3');
		assert.ok(uri, 'the article did not open');
		const editor = vscode.window.activeTextEditor;
		assert.strictEqual(editor?.document.uri.toString(), uri);
		assert.strictEqual(editor.document.getText(editor.selection), 'het kabinet', 'the from annotation is selected');
		// Relation changes are listed, not drawn: no annotation changed.
		const changed = await waitFor(() => testing.decorations.recorded(uri, 'review.changed'), 'review.changed decorations');
		assert.deepStrictEqual(changed, []);
		assert.deepStrictEqual(testing.decorations.recorded(uri, 'review.added'), []);
	});

	it('registers the sidecar merge driver in the repository', async () => {
		await vscode.commands.executeCommand('corpusAnnotator.setupGitMergeDriver');
		assert.strictEqual(fs.readFileSync(path.join(root, '.gitattributes'), 'utf8'), '*.ann.yaml merge=corpus-annotator\n');
		const driver = git('config', '--get', 'merge.corpus-annotator.driver').trim();
		assert.match(driver, /dist\/cli\.js merge-driver %O %A %B %P$/);
		assert.strictEqual(git('check-attr', 'merge', SIDECAR).trim(), `${SIDECAR}: merge: corpus-annotator`);
	});
});
