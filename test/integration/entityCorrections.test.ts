import * as assert from 'assert';
import * as vscode from 'vscode';
import type { CorpusTestingApi } from '../../src/api';
import { closeAllEditors, fixtureUri, getApi, waitFor } from './helpers';

/** Two articles written by the test: the shipped model types "Zandmotor" wrongly and unsure in both (ORG, about 0.3). */
const STORM = 'learning/001_storm.txt';
const STORM_TEXT = ' date 2025-01 Storm\nBij storm verliest de Zandmotor veel zand. Het water stijgt snel.';
const BARRIER = 'learning/002_kering.txt';
const BARRIER_TEXT = ' date 2025-02 Zee\nDe Zandmotor is een kunstmatig schiereiland bij Den Haag.';
const CORRECTIONS = '.corpus/ner-corrections.yaml';

async function write(path: string, text: string): Promise<void> {
	await vscode.workspace.fs.writeFile(fixtureUri(path), new TextEncoder().encode(text));
}

async function show(path: string): Promise<vscode.TextEditor> {
	const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixtureUri(path)));
	await waitFor(() => editor.document.languageId === 'corpus-article' || vscode.window.activeTextEditor?.document.languageId === 'corpus-article', 'the article language');
	return waitFor(() => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === fixtureUri(path).toString() && e.document.languageId === 'corpus-article'), 'the article editor');
}

function paintedTexts(testing: CorpusTestingApi, path: string, key: string): string[] {
	return (testing.decorations.recorded(fixtureUri(path).toString(), key) ?? []).map((r) => r.text);
}

async function hoverText(editor: vscode.TextEditor, offset: number): Promise<string> {
	const hovers = await waitFor(async () => {
		const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, editor.document.positionAt(offset));
		return found.length > 0 ? found : undefined;
	}, 'a hover');
	return hovers
		.flatMap((h) => h.contents)
		.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
		.join('\n');
}

const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('corpusAnnotator.entities');

describe('entity confidence and learning from corrections', () => {
	let testing: CorpusTestingApi;
	before(async () => {
		testing = (await getApi()).testing!;
		await write(STORM, STORM_TEXT);
		await write(BARRIER, BARRIER_TEXT);
	});
	afterEach(closeAllEditors);
	after(async () => {
		await settings().update('hideBelowThreshold', undefined, vscode.ConfigurationTarget.Workspace);
		for (const path of [STORM, BARRIER, CORRECTIONS]) {
			await vscode.workspace.fs.delete(fixtureUri(path)).then(undefined, () => undefined);
		}
	});

	it('shows the confidence and source in the hover, draws unsure mentions fainter and can hide them', async () => {
		const editor = await show(STORM);
		const uri = editor.document.uri.toString();
		const mentions = await testing.entities.mentions(uri);
		const sandEngine = mentions.find((m) => m.text === 'Zandmotor');
		assert.ok(sandEngine && sandEngine.type === 'ORG' && sandEngine.confidence < 0.6, JSON.stringify(mentions));
		await waitFor(async () => {
			await testing.decorations.repaint(uri);
			return paintedTexts(testing, STORM, 'entity.ORG.faint').includes('Zandmotor');
		}, 'the unsure mention drawn with the faint decoration');
		assert.ok(!paintedTexts(testing, STORM, 'entity.ORG').includes('Zandmotor'), 'not also with the normal one');
		const hover = await hoverText(editor, sandEngine.start + 2);
		assert.match(hover, new RegExp(`Confidence ${sandEngine.confidence.toFixed(2)} · source: tagger — below the minimum 0\\.60, drawn fainter`), hover);
		assert.match(hover, /\[Change type…\]\(command:corpusAnnotator\.changeEntityType\?/);

		await settings().update('hideBelowThreshold', true, vscode.ConfigurationTarget.Workspace);
		await waitFor(async () => {
			await testing.decorations.repaint(uri);
			return !paintedTexts(testing, STORM, 'entity.ORG.faint').includes('Zandmotor');
		}, 'the unsure mention hidden');
		await settings().update('hideBelowThreshold', undefined, vscode.ConfigurationTarget.Workspace);
		await waitFor(async () => {
			await testing.decorations.repaint(uri);
			return paintedTexts(testing, STORM, 'entity.ORG.faint').includes('Zandmotor');
		}, 'the unsure mention back');
	});

	it('Change Entity Type writes the correction, retypes the highlight here at once and, after learning, in another article', async () => {
		const editor = await show(STORM);
		const uri = editor.document.uri.toString();
		const sandEngine = (await testing.entities.mentions(uri)).find((m) => m.text === 'Zandmotor')!;
		await vscode.commands.executeCommand('corpusAnnotator.changeEntityType', { uri, start: sandEngine.start, end: sandEngine.end, type: 'LOC' });
		const file = new TextDecoder().decode(await vscode.workspace.fs.readFile(fixtureUri(CORRECTIONS)));
		assert.match(file, /corrections:\n {2}- sentence: "Bij storm verliest de Zandmotor veel zand\."\n {4}spans:\n {6}- text: "Zandmotor"\n {8}start: 22\n {8}end: 31\n {8}type: LOC\n {4}article: "learning\/001_storm\.txt"\n {4}author: ".+"\n {4}time: "\d{4}-/, file);
		await waitFor(async () => {
			await testing.decorations.repaint(uri);
			return paintedTexts(testing, STORM, 'entity.LOC').includes('Zandmotor');
		}, 'the highlight retyped in this article');
		const here = (await testing.entities.mentions(uri)).find((m) => m.text === 'Zandmotor');
		assert.deepStrictEqual([here?.type, here?.source, here?.confidence], ['LOC', 'correction', 1]);

		const learnt = await testing.entities.whenLearnt(uri);
		assert.ok(learnt && learnt.rows > 0 && learnt.ms < 10_000, JSON.stringify(learnt));
		const other = await show(BARRIER);
		const otherUri = other.document.uri.toString();
		await waitFor(async () => {
			await testing.decorations.repaint(otherUri);
			return paintedTexts(testing, BARRIER, 'entity.LOC').includes('Zandmotor');
		}, `the name learnt in a new context (painted PER: ${paintedTexts(testing, BARRIER, 'entity.PER').join(', ')})`);
		const there = (await testing.entities.mentions(otherUri)).find((m) => m.text === 'Zandmotor');
		assert.strictEqual(there?.source, 'tagger', 'the other article changed through the model, not the correction');

		await vscode.commands.executeCommand('corpusAnnotator.resetEntityModel');
		await waitFor(async () => {
			await testing.decorations.repaint(otherUri);
			return !paintedTexts(testing, BARRIER, 'entity.LOC').includes('Zandmotor');
		}, 'the shipped model back after the reset');
		await vscode.commands.executeCommand('corpusAnnotator.learnFromEntityCorrections');
		await waitFor(async () => {
			await testing.decorations.repaint(otherUri);
			return paintedTexts(testing, BARRIER, 'entity.LOC').includes('Zandmotor');
		}, 'learnt again');
	});
});
