import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ArticlesTreeItemData, ArticlesTreeNodeHandle, ArticlesTreeTestingApi } from '../../src/api';
import { closeAllEditors, fixtureUri, getApi, openFixture, waitFor } from './helpers';

interface Row {
	readonly node: ArticlesTreeNodeHandle;
	readonly item: ArticlesTreeItemData;
	readonly depth: number;
}

/** Every node of the tree, depth first, with its item. */
async function walk(tree: ArticlesTreeTestingApi, parent?: ArticlesTreeNodeHandle, depth = 0): Promise<Row[]> {
	const rows: Row[] = [];
	for (const node of await tree.getChildren(parent)) {
		rows.push({ node, item: tree.getTreeItem(node), depth });
		rows.push(...(await walk(tree, node, depth + 1)));
	}
	return rows;
}

async function articleRow(tree: ArticlesTreeTestingApi, relativePath: string): Promise<Row | undefined> {
	const id = `article:${fixtureUri(relativePath).toString()}`;
	return (await walk(tree)).find((r) => r.node.id === id);
}

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('Articles tree', () => {
	let tree: ArticlesTreeTestingApi;

	before(async () => {
		tree = (await getApi()).testing!.articlesTree;
		await vscode.commands.executeCommand('corpusAnnotator.articles.focus');
		await tree.whenIndexed();
	});
	afterEach(async () => {
		tree.setFilter('');
		await closeAllEditors();
	});

	it('groups articles by year and month, undated last, without non-articles', async () => {
		const roots = (await tree.getChildren()).map((n) => tree.getTreeItem(n));
		const years = roots.filter((r) => /^\d{4}$/.test(r.label)).map((r) => r.label);
		assert.ok(years.includes('2023') && years.includes('2024'), `years: ${years.join(', ')}`);
		assert.deepStrictEqual(years, [...years].sort(), 'oldest first by default');
		const last = roots[roots.length - 1];
		assert.strictEqual(last.label, 'Undated');
		assert.strictEqual(last.icon, 'warning');
		assert.match(last.description ?? '', /^\d+ articles?$/);

		const rows = await walk(tree);
		assert.ok(!rows.some((r) => r.item.resourceUri?.endsWith('/notes.txt')), 'notes.txt is not an article');

		const article = await articleRow(tree, '2024/001_0a1b2c3d4e5f6071.txt');
		assert.ok(article, 'the 2024 article is in the tree');
		assert.strictEqual(article.depth, 2);
		assert.strictEqual(article.item.label, 'President Zelensky ontving in Kiev de Amerikaanse minister…');
		assert.strictEqual(article.item.description, '001');
		assert.strictEqual(article.item.command, 'vscode.open');
		assert.match(article.item.tooltip ?? '', /2024-03/);
		assert.match(article.item.tooltip ?? '', /2024\/001_0a1b2c3d4e5f6071\.txt/);
		assert.match(article.item.tooltip ?? '', /Blinken voor overleg over luchtverdediging/);
		const month = tree.getParent(article.node)!;
		assert.strictEqual(tree.getTreeItem(month).label, '03 · maart');
		assert.strictEqual(tree.getTreeItem(tree.getParent(month)!).label, '2024');

		const bad = await articleRow(tree, '003_badheader00000000.txt');
		assert.ok(bad);
		assert.strictEqual(tree.getParent(bad.node)?.id, 'undated');
		assert.strictEqual(bad.item.description, '003 · invalid month in "2025-13" (expected 01–12)');
		assert.strictEqual(bad.item.label, 'Deze kop heeft een onmogelijke maand.');
	});

	it('shows annotation counts from sidecars and updates them', async () => {
		// Other suites may have tagged this fixture already: count what its sidecar holds now.
		const sidecarText = new TextDecoder().decode(await vscode.workspace.fs.readFile(fixtureUri('annotations/021_bb22cc33dd44ee55.ann.yaml')));
		const count = (sidecarText.match(/^ {2}- id: /gm) ?? []).length;
		assert.ok(count >= 2);
		const annotated = await waitFor(async () => {
			const row = await articleRow(tree, 'annotations/021_bb22cc33dd44ee55.txt');
			return row?.item.description === `${count} ✎ · 021` ? row : undefined;
		}, `the count ${count}`);
		assert.ok(annotated);

		// In an existing folder: a watcher can miss files in folders created in the same instant (mkdir -p).
		const path = '030_0000000000000030.txt';
		const sidecarUri = fixtureUri('030_0000000000000030.ann.yaml');
		await vscode.workspace.fs.writeFile(fixtureUri(path), encode(' date 2021-04 Een artikel met een sidecar.'));
		await waitFor(async () => (await articleRow(tree, path))?.item.description === '030', 'the new article');
		const sidecar = 'version: 1\narticle: 030_0000000000000030.txt\nannotations:\n  - id: a1\n    label: person\n    start: 0\n    end: 3\n    quote: Een\n';
		await vscode.workspace.fs.writeFile(sidecarUri, encode(sidecar));
		await waitFor(async () => (await articleRow(tree, path))?.item.description === '1 ✎ · 030', 'the annotation count');
		await vscode.workspace.fs.delete(sidecarUri);
		await waitFor(async () => (await articleRow(tree, path))?.item.description === '030', 'the count to go with the sidecar');
		await vscode.workspace.fs.delete(fixtureUri(path));
		await waitFor(async () => !(await articleRow(tree, path)), 'the deleted article to leave the tree');
	});

	it('follows created, re-dated and deleted articles', async () => {
		// In an existing folder (see above): new folders are covered by the directory watcher, but a
		// file changed in a folder created the same instant can escape the OS watcher.
		const path = '031_0000000000000031.txt';
		const uri = fixtureUri(path);
		const yearLabels = async (): Promise<string[]> => (await tree.getChildren()).map((n) => tree.getTreeItem(n).label);
		await vscode.workspace.fs.writeFile(uri, encode(' date 2019-05 Nieuw artikel over Patriot-raketten voor Kiev.\n\nTweede alinea.'));
		await waitFor(async () => (await yearLabels()).includes('2019'), 'the year 2019 to appear');
		const created = await articleRow(tree, path);
		assert.strictEqual(created?.item.label, 'Nieuw artikel over Patriot-raketten voor Kiev.');
		assert.strictEqual(tree.getTreeItem(tree.getParent(created.node)!).label, '05 · mei');

		await vscode.workspace.fs.writeFile(uri, encode(' date 2019-13 Nieuw artikel over Patriot-raketten voor Kiev.'));
		await waitFor(async () => !(await yearLabels()).includes('2019'), 'the article to move to Undated');
		const redated = await articleRow(tree, path);
		assert.strictEqual(redated && tree.getParent(redated.node)?.id, 'undated');

		await vscode.workspace.fs.delete(uri);
		await waitFor(async () => !(await articleRow(tree, path)), 'the deleted article to leave the tree');
	});

	it('keeps the index for the next session and reads only what changed while closed', async () => {
		await tree.whenIndexed();
		await tree.saveIndexSnapshot();
		const first = await tree.reopenIndex();
		assert.ok(first.storageFile, 'the test host has workspace storage');
		assert.ok(first.restored > 0, 'the snapshot restored the index');
		assert.strictEqual(first.firstShown, first.restored, 'the first tree change shows the whole snapshot');
		assert.strictEqual(first.total, first.restored, 'nothing changed on disk');

		// Outside change while "closed": a new article, written without the extension's index seeing a save.
		const path = '032_0000000000000032.txt';
		await vscode.workspace.fs.writeFile(fixtureUri(path), encode(' date 2018-03 Artikel geschreven terwijl VS Code dicht was.'));
		try {
			const second = await tree.reopenIndex();
			assert.strictEqual(second.restored, first.restored);
			assert.strictEqual(second.total, first.total + 1, 'the check after the snapshot found the new article');
		} finally {
			await vscode.workspace.fs.delete(fixtureUri(path));
			await waitFor(async () => !(await articleRow(tree, path)), 'the deleted article to leave the tree');
		}
	});

	it('ignores a snapshot it cannot read (an older version, a corrupt file) and builds the index again', async () => {
		await tree.whenIndexed();
		await tree.saveIndexSnapshot();
		const kept = await tree.reopenIndex();
		assert.ok(kept.storageFile && kept.restored > 0);
		const file = vscode.Uri.parse(kept.storageFile);
		const version1 = JSON.stringify({ version: 1, root: vscode.workspace.workspaceFolders![0].uri.toString(), entries: [] });
		try {
			const unreadable = [
				['a version-1 snapshot', encode(version1)],
				['bytes that are no snapshot', Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256)],
				['the start of a snapshot', (await vscode.workspace.fs.readFile(file)).subarray(0, 100)],
			] as const;
			for (const [what, bytes] of unreadable) {
				await vscode.workspace.fs.writeFile(file, bytes);
				const reopened = await tree.reopenIndex();
				assert.strictEqual(reopened.restored, 0, `${what}: nothing restored`);
				assert.strictEqual(reopened.total, kept.total, `${what}: the index built from the files`);
			}
		} finally {
			await tree.saveIndexSnapshot();
		}
		const again = await tree.reopenIndex();
		assert.strictEqual(again.restored, kept.total, 'the rebuilt index was kept again');
	});

	it('reveals and selects the article of the active editor', async () => {
		await openFixture('2024/001_0a1b2c3d4e5f6071.txt');
		await waitFor(() => tree.revealedArticle() === '2024/001_0a1b2c3d4e5f6071.txt', 'the article to be selected');
		await openFixture('002_1b2c3d4e5f607182.txt');
		await waitFor(() => tree.revealedArticle() === '002_1b2c3d4e5f607182.txt', 'the selection to follow the editor');
	});

	it('reveals a new article in a month the tree has not shown yet', async () => {
		// Revealing the 2024 article expands 2024 (months 03 and 06); the new one is in 2024-11, opened
		// before its file event arrives. VS Code answered such a reveal from its cached months of 2024
		// ("Cannot resolve tree item for element 1/month:2024-11") when the tree had not been refreshed first.
		await openFixture('2024/001_0a1b2c3d4e5f6071.txt');
		await waitFor(() => tree.revealedArticle() === '2024/001_0a1b2c3d4e5f6071.txt', 'the 2024 article to be selected');
		const path = '2024/034_0000000000000034.txt';
		await vscode.workspace.fs.writeFile(fixtureUri(path), encode(' date 2024-11 Een artikel in een nieuwe maand.'));
		try {
			await openFixture(path);
			await waitFor(() => tree.revealedArticle() === path, 'the new article to be selected');
		} finally {
			await closeAllEditors();
			await vscode.workspace.fs.delete(fixtureUri(path));
			await waitFor(async () => !(await articleRow(tree, path)), 'the deleted article to leave the tree');
		}
	});

	it('narrows the tree with a filter and says so in the message', async () => {
		tree.setFilter('zelensky');
		assert.match(tree.message() ?? '', /^Filter: zelensky — \d+ articles? \(clear with ✕\)$/);
		const shown = (await walk(tree)).filter((r) => r.node.kind === 'article');
		assert.ok(shown.some((r) => r.item.resourceUri === fixtureUri('2024/001_0a1b2c3d4e5f6071.txt').toString()));
		assert.ok(!shown.some((r) => r.item.resourceUri === fixtureUri('002_1b2c3d4e5f607182.txt').toString()));
		for (const row of shown) {
			assert.match(`${row.item.label} ${row.item.tooltip}`, /zelensky/i);
		}

		tree.setFilter('label:claim');
		const labelled = (await walk(tree)).filter((r) => r.node.kind === 'article').map((r) => r.item.resourceUri);
		assert.ok(labelled.includes(fixtureUri('annotations/021_bb22cc33dd44ee55.txt').toString()));
		assert.ok(!labelled.includes(fixtureUri('2024/001_0a1b2c3d4e5f6071.txt').toString()));

		tree.setFilter('');
		assert.strictEqual(tree.message(), undefined);
	});
});
