import * as assert from 'assert';
import * as vscode from 'vscode';
import type { CorpusTestingApi, PaintedRange } from '../../src/api';
import { closeAllEditors, findDocument, fixtureUri, getApi, openFixture, waitFor } from './helpers';

const ARTICLE = '2024/001_0a1b2c3d4e5f6071.txt';

async function openArticle(): Promise<vscode.TextEditor> {
	const uri = fixtureUri(ARTICLE);
	await openFixture(ARTICLE);
	await waitFor(() => findDocument(uri)?.languageId === 'corpus-article', 'the article language');
	return waitFor(
		() => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString() && e.document.languageId === 'corpus-article'),
		'the article editor',
	);
}

function painted(testing: CorpusTestingApi, type: string): PaintedRange[] | undefined {
	return testing.decorations.recorded(fixtureUri(ARTICLE).toString(), `entity.${type}`);
}

describe('entity highlights', () => {
	let testing: CorpusTestingApi;
	before(async () => {
		testing = (await getApi()).testing!;
	});
	afterEach(closeAllEditors);

	it('paints persons, places and organisations with their type', async () => {
		await openArticle();
		const persons = await waitFor(() => painted(testing, 'PER'), 'person highlights');
		const texts = (type: string): string[] => (painted(testing, type) ?? []).map((r) => r.text);
		assert.ok(persons.some((r) => r.text === 'Zelensky' && r.start.line === 0), `persons: ${JSON.stringify(texts('PER'))}`);
		assert.ok(texts('PER').includes('Blinken'), `persons: ${JSON.stringify(texts('PER'))}`);
		assert.ok(texts('LOC').includes('Kiev'), `places: ${JSON.stringify(texts('LOC'))}`);
		const zelensky = persons.find((r) => r.text === 'Zelensky')!;
		assert.deepStrictEqual([zelensky.start.character, zelensky.end.character], [24, 32]);
	});

	it('applies the entity list: listed names get the list type, not-entities are never painted', async () => {
		await openArticle();
		await waitFor(() => painted(testing, 'MISC'), 'MISC highlights');
		const all = ['PER', 'LOC', 'ORG', 'MISC'].flatMap((t) => (painted(testing, t) ?? []).map((r) => `${t}:${r.text}`));
		assert.ok(all.includes('MISC:luchtverdediging'), `listed lowercase word is painted as MISC: ${all.join(', ')}`);
		assert.ok(!all.some((e) => e.endsWith(':Nieuwe steun') || e.endsWith(':Nieuwe')), `not-entity is not painted: ${all.join(', ')}`);
	});

	it('toggles all highlights and one type off and on', async () => {
		await openArticle();
		await waitFor(() => (painted(testing, 'PER')?.length ?? 0) > 0, 'person highlights');
		await vscode.commands.executeCommand('corpusAnnotator.toggleEntityHighlights');
		await waitFor(() => ['PER', 'LOC', 'ORG', 'MISC'].every((t) => painted(testing, t)?.length === 0), 'all highlights cleared');
		await vscode.commands.executeCommand('corpusAnnotator.toggleEntityHighlights');
		await waitFor(() => (painted(testing, 'PER')?.length ?? 0) > 0, 'highlights back');
		await vscode.commands.executeCommand('corpusAnnotator.toggleEntityType', 'PER');
		await waitFor(() => painted(testing, 'PER')?.length === 0 && (painted(testing, 'LOC')?.length ?? 0) > 0, 'persons hidden, places kept');
		await vscode.commands.executeCommand('corpusAnnotator.toggleEntityType', 'PER');
		await waitFor(() => (painted(testing, 'PER')?.length ?? 0) > 0, 'persons back');
	});

	it('shows type, canonical entity and counts on hover', async () => {
		const editor = await openArticle();
		const hovers = await waitFor(async () => {
			const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(0, 26));
			return found.length > 0 ? found : undefined;
		}, 'a hover');
		const text = hovers
			.flatMap((h) => h.contents)
			.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
			.join('\n');
		assert.match(text, /^\*\*Zelensky\*\* · Person \(PER\) — Volodymyr Zelensky _\(entity list\)_/, 'the text as written, its type and the canonical entity');
		assert.match(text, /Volodymyr Zelensky/);
		assert.match(text, /1 mention in this article/);
		// The fixture workspace mentions Zelensky in this article and in annotations/021_….txt.
		assert.match(text, /· 2 in 2 articles of the corpus/);
	});

	it('lists the article entities by type in the Entities view', async () => {
		await openArticle();
		const view = await waitFor(async () => {
			const v = await testing.entities.view();
			return v.length > 0 ? v : undefined;
		}, 'the Entities view');
		const persons = view.find((t) => t.type === 'PER');
		assert.ok(persons, JSON.stringify(view));
		assert.ok(persons.entities.some((e) => e.name === 'Antony Blinken' && e.mentions === 3), JSON.stringify(persons));
	});

	it('adds a selected name to the entity list and paints it with the chosen type', async () => {
		const editor = await openArticle();
		const uri = editor.document.uri.toString();
		await vscode.commands.executeCommand('corpusAnnotator.addToEntityList', { uri, text: 'Amerikaanse', type: 'MISC', name: 'Verenigde Staten (adjectief)' });
		const list = new TextDecoder().decode(await vscode.workspace.fs.readFile(fixtureUri('.corpus/entities.yaml')));
		assert.match(list, /- name: Verenigde Staten \(adjectief\)\n {4}type: MISC\n {4}aliases: \[Amerikaanse\]/);
		assert.ok(list.startsWith('# Test entity list'), 'the comment at the top is kept');
		await waitFor(async () => {
			await testing.decorations.repaint(uri);
			return painted(testing, 'MISC')?.some((r) => r.text === 'Amerikaanse');
		}, 'the new entity painted as MISC');
	});

	it('finds every mention of an entity, all spellings, across the corpus', async () => {
		const found = await vscode.commands.executeCommand<{ uri: vscode.Uri; text: string }[]>('corpusAnnotator.findEntityMentions', {
			spellings: ['Volodymyr Zelensky', 'Zelensky', 'Zelenski', 'Zelenskyj'],
			label: 'Volodymyr Zelensky',
		});
		await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
		const byFile = found.map((m) => `${vscode.workspace.asRelativePath(m.uri)}:${m.text}`).sort();
		assert.deepStrictEqual(byFile, ['2024/001_0a1b2c3d4e5f6071.txt:Zelensky', 'annotations/021_bb22cc33dd44ee55.txt:Zelensky']);
	});
});
