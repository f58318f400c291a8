import * as assert from 'assert';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import type { CorpusTestingApi } from '../../src/api';
import { closeAllEditors, findDocument, fixtureUri, getApi, openFixture, waitFor } from './helpers';

const EMOJI_CRLF = 'annotations/020_aa11bb22cc33dd44.txt';
const MOVED = 'annotations/021_bb22cc33dd44ee55.txt';
const CORRUPT = 'annotations/022_cc33dd44ee55ff66.txt';

interface SidecarAnnotation {
	id: string;
	label: string;
	start: number;
	end: number;
	quote: string;
	prefix: string;
	suffix: string;
	note?: string;
	author?: string;
}

async function openArticle(path: string): Promise<vscode.TextEditor> {
	const uri = fixtureUri(path);
	await openFixture(path);
	await waitFor(() => findDocument(uri)?.languageId === 'corpus-article', 'the article language');
	const editor = await waitFor(
		() => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString() && e.document.languageId === 'corpus-article'),
		'the article editor',
	);
	await vscode.window.showTextDocument(editor.document);
	return vscode.window.activeTextEditor!;
}

async function readText(path: string): Promise<string | undefined> {
	try {
		return new TextDecoder().decode(await vscode.workspace.fs.readFile(fixtureUri(path)));
	} catch {
		return undefined;
	}
}

async function readSidecar(articlePath: string): Promise<{ text: string; annotations: SidecarAnnotation[]; textHash: string }> {
	const text = await readText(articlePath.replace(/\.txt$/, '.ann.yaml'));
	assert.ok(text, `no sidecar for ${articlePath}`);
	const data = parse(text) as { annotations: SidecarAnnotation[]; textHash: string };
	return { text, annotations: data.annotations ?? [], textHash: data.textHash };
}

/** Code-point offset of the first `needle` in the text with CRLF turned into LF (the sidecar's unit). */
function codePointOffset(text: string, needle: string): number {
	const canonical = text.replace(/\r\n/g, '\n');
	return [...canonical.slice(0, canonical.indexOf(needle))].length;
}

/** True when every line of `a` appears in `b` in the same order (b = a plus insertions). */
function isSubsequence(a: readonly string[], b: readonly string[]): boolean {
	let j = 0;
	for (const line of b) {
		if (j < a.length && a[j] === line) {
			j++;
		}
	}
	return j === a.length;
}

function select(editor: vscode.TextEditor, needle: string): void {
	const offset = editor.document.getText().indexOf(needle);
	assert.ok(offset >= 0, `"${needle}" not in the article`);
	editor.selection = new vscode.Selection(editor.document.positionAt(offset), editor.document.positionAt(offset + needle.length));
}

describe('annotations', () => {
	let testing: CorpusTestingApi;
	before(async () => {
		testing = (await getApi()).testing!;
	});
	afterEach(closeAllEditors);

	it('uses the nearest .corpus/labels.yaml of a nested corpus, as the CLI does', async () => {
		const nested = 'nested/030_dd44ee55ff660011.txt';
		const editor = await openArticle(nested);
		select(editor, 'Wethouder Jansen');
		// `bron` exists only in nested/.corpus/labels.yaml; the folder root has no schema.
		const ids = await vscode.commands.executeCommand<string[]>('corpusAnnotator.tagSelection', { label: 'bron' });
		assert.strictEqual(ids.length, 1);
		const sidecar = await waitFor(async () => (await readText(nested.replace(/\.txt$/, '.ann.yaml'))) ?? undefined, 'the nested sidecar');
		assert.match(sidecar, /label: bron/);
		await vscode.workspace.fs.delete(fixtureUri(nested.replace(/\.txt$/, '.ann.yaml')));
		// A label of the default set is not in the nested schema: refused (shown to the user), nothing written.
		assert.strictEqual(await vscode.commands.executeCommand('corpusAnnotator.tagSelection', { label: 'claim' }), undefined);
		assert.strictEqual(await readText(nested.replace(/\.txt$/, '.ann.yaml')), undefined);
	});

	it('tags a selection and writes the sidecar in code points (emoji, CRLF)', async () => {
		const editor = await openArticle(EMOJI_CRLF);
		select(editor, 'Stoltenberg');
		const ids = await vscode.commands.executeCommand<string[]>('corpusAnnotator.tagSelection', { label: 'attribution', note: 'Bron' });
		assert.strictEqual(ids?.length, 1);
		const { text, annotations } = await readSidecar(EMOJI_CRLF);
		assert.strictEqual(annotations.length, 1);
		const [a] = annotations;
		const expected = codePointOffset(editor.document.getText(), 'Stoltenberg');
		assert.deepStrictEqual([a.id, a.label, a.start, a.end, a.quote, a.note], [ids[0], 'attribution', expected, expected + 11, 'Stoltenberg', 'Bron']);
		assert.ok(a.prefix.endsWith('Secretaris-generaal '), a.prefix);
		assert.ok(a.author && a.author.length > 0);
		assert.ok(!text.includes('\r'), 'sidecars are written with LF line ends');
		assert.match(text, /^# Annotations for 020_aa11bb22cc33dd44\.txt/);
		const painted = await waitFor(() => testing.decorations.recorded(editor.document.uri.toString(), 'annotation.attribution'), 'the annotation decoration');
		assert.deepStrictEqual(
			painted.map((r) => r.text),
			['Stoltenberg'],
		);
	});

	it('tags every selection of a multi-cursor and undoes the change', async () => {
		const editor = await openArticle(EMOJI_CRLF);
		const before = await readSidecar(EMOJI_CRLF);
		const text = editor.document.getText();
		editor.selections = ['Kremlin', 'Lavrov'].map((needle) => {
			const offset = text.indexOf(needle);
			return new vscode.Selection(editor.document.positionAt(offset), editor.document.positionAt(offset + needle.length));
		});
		const ids = await vscode.commands.executeCommand<string[]>('corpusAnnotator.tagSelection', { label: 'attribution' });
		assert.strictEqual(ids?.length, 2);
		const after = await readSidecar(EMOJI_CRLF);
		assert.deepStrictEqual(
			after.annotations.map((a) => a.quote),
			['Stoltenberg', 'Kremlin', 'Lavrov'],
		);
		assert.ok(isSubsequence(before.text.split('\n'), after.text.split('\n')), 'only new lines were added; no existing line changed');
		await vscode.commands.executeCommand('corpusAnnotator.undoAnnotationChange');
		assert.strictEqual((await readSidecar(EMOJI_CRLF)).text, before.text, 'undo restores the sidecar exactly');
		await vscode.commands.executeCommand('corpusAnnotator.redoAnnotationChange');
		assert.strictEqual((await readSidecar(EMOJI_CRLF)).annotations.length, 3);
	});

	it('changes a label by changing exactly one line', async () => {
		await openArticle(EMOJI_CRLF);
		const before = await readSidecar(EMOJI_CRLF);
		const target = before.annotations.find((a) => a.quote === 'Kremlin')!;
		await vscode.commands.executeCommand('corpusAnnotator.changeLabel', fixtureUri(EMOJI_CRLF), target.id, 'claim');
		const after = await readSidecar(EMOJI_CRLF);
		const a = before.text.split('\n');
		const b = after.text.split('\n');
		assert.strictEqual(a.length, b.length);
		const changed = a.filter((line, i) => line !== b[i]);
		// The label line, plus the `modified` timestamp when the second has ticked over.
		assert.ok(changed.length >= 1 && changed.length <= 2, `changed lines: ${JSON.stringify(changed)}`);
		assert.ok(b.includes('    label: claim'));
	});

	it('offers code lenses: header, one per annotated paragraph, or all (setting)', async () => {
		const editor = await openArticle(EMOJI_CRLF);
		const titles = async (): Promise<{ line: number; title: string; command?: string }[]> =>
			(await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 100)).map((l) => ({
				line: l.range.start.line,
				title: l.command?.title ?? '',
				command: l.command?.command,
			}));
		const byDefault = await titles();
		const header = byDefault.find((l) => l.line === 0 && l.command === 'corpusAnnotator.openSidecar');
		assert.ok(header, JSON.stringify(byDefault));
		assert.match(header.title, /^3 annotations$/);
		assert.ok(!byDefault.some((l) => l.command === 'corpusAnnotator.tagParagraph'), 'no "Tag paragraph" crowding every paragraph');
		const paragraph = byDefault.filter((l) => l.command === '_corpusAnnotator.selectAnnotation');
		assert.deepStrictEqual(
			paragraph.map((l) => [l.line, l.title]),
			[
				[2, '$(tag) 1 annotation: attribution'],
				[6, '$(tag) 2 annotations: attribution · claim'],
			],
		);
		const settings = vscode.workspace.getConfiguration('corpusAnnotator.annotations');
		try {
			await settings.update('codeLens', 'headerOnly', vscode.ConfigurationTarget.Workspace);
			await waitFor(async () => (await titles()).length === 1, 'only the header lens');
			await settings.update('codeLens', 'all', vscode.ConfigurationTarget.Workspace);
			const all = await waitFor(async () => {
				const t = await titles();
				return t.some((l) => l.command === 'corpusAnnotator.tagParagraph') ? t : undefined;
			}, 'every lens');
			assert.deepStrictEqual(all.filter((l) => l.command === 'corpusAnnotator.tagParagraph').map((l) => l.line), [0, 2, 6], 'one per paragraph, none on the heading');
			assert.ok(all.some((l) => l.line === 2 && l.command === 'corpusAnnotator.changeLabel' && /^attribution: “Stoltenberg” \$\(note\)$/.test(l.title)));
		} finally {
			await settings.update('codeLens', undefined, vscode.ConfigurationTarget.Workspace);
		}
	});

	it('follows edits in the editor and saves the new offsets with the article', async () => {
		const editor = await openArticle(EMOJI_CRLF);
		const before = (await readSidecar(EMOJI_CRLF)).annotations.find((a) => a.quote === 'Stoltenberg')!;
		const insertAt = editor.document.positionAt(editor.document.getText().indexOf('Secretaris-generaal'));
		await editor.edit((b) => b.insert(insertAt, 'Op dinsdag 🙂 zei '));
		const live = await testing.annotations.list(editor.document.uri.toString());
		const moved = live.annotations.find((a) => a.id === before.id)!;
		assert.strictEqual(moved.text, 'Stoltenberg', 'the live range still covers the name after the insertion');
		assert.ok(await editor.document.save());
		const after = await waitFor(async () => {
			const s = await readSidecar(EMOJI_CRLF);
			const a = s.annotations.find((x) => x.id === before.id);
			return a && a.start !== before.start ? a : undefined;
		}, 'the sidecar offsets to follow the save');
		assert.strictEqual(after.start, before.start + [...'Op dinsdag 🙂 zei '].length);
		assert.strictEqual(after.quote, 'Stoltenberg');
	});

	it('re-anchors a moved annotation, keeps an orphan and reports it with quick fixes', async () => {
		const original = await readSidecar(MOVED);
		const editor = await openArticle(MOVED);
		const uri = editor.document.uri;
		const diagnostics = await waitFor(() => {
			const found = vscode.languages.getDiagnostics(uri).filter((d) => d.code === 'orphaned-annotation');
			return found.length > 0 ? found : undefined;
		}, 'the orphan diagnostic');
		assert.strictEqual(diagnostics.length, 1);
		assert.match(diagnostics[0].message, /^Annotation orphan1 \(claim\) “de oorlog is binnen een week voorbij” could not be re-anchored/);
		const list = await testing.annotations.list(uri.toString());
		const status = new Map(list.annotations.map((a) => [a.id, a.status]));
		assert.strictEqual(status.get('moved1'), 'moved');
		assert.strictEqual(status.get('orphan1'), 'orphaned');
		const saved = await waitFor(async () => {
			const s = await readSidecar(MOVED);
			return s.annotations.find((a) => a.id === 'moved1')?.start === 37 ? s : undefined;
		}, 'the moved offsets to be saved');
		const orphan = saved.annotations.find((a) => a.id === 'orphan1')!;
		assert.deepStrictEqual([orphan.start, orphan.end, orphan.quote], [100, 136, 'de oorlog is binnen een week voorbij'], 'the orphan is kept as it was');
		assert.ok(saved.text.includes('A comment a person added.'), 'comments are kept');
		assert.notStrictEqual(saved.textHash, original.textHash);
		const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostics[0].range);
		assert.ok(actions.some((a) => a.title === 'Delete orphaned annotation orphan1'), JSON.stringify(actions.map((a) => a.title)));
		select(editor, 'nieuwe sancties');
		const withSelection = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, editor.selection);
		const reanchor = withSelection.find((a) => a.title === 'Re-anchor annotation orphan1 to the selection');
		assert.ok(reanchor?.command, JSON.stringify(withSelection.map((a) => a.title)));
		await vscode.commands.executeCommand(reanchor.command.command, ...(reanchor.command.arguments ?? []));
		const fixed = (await readSidecar(MOVED)).annotations.find((a) => a.id === 'orphan1')!;
		assert.strictEqual(fixed.quote, 'nieuwe sancties');
		await waitFor(() => vscode.languages.getDiagnostics(uri).every((d) => d.code !== 'orphaned-annotation'), 'the orphan diagnostic to clear');
	});

	it('never overwrites a sidecar it cannot parse', async () => {
		const before = await readText(CORRUPT.replace(/\.txt$/, '.ann.yaml'));
		const editor = await openArticle(CORRUPT);
		const diagnostics = await waitFor(() => {
			const found = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.code === 'unreadable-sidecar');
			return found.length > 0 ? found : undefined;
		}, 'the unreadable-sidecar diagnostic');
		assert.match(diagnostics[0].message, /cannot be read \(line 7, column 1/);
		select(editor, 'tekst');
		await vscode.commands.executeCommand('corpusAnnotator.tagSelection', { label: 'claim' });
		assert.strictEqual(await readText(CORRUPT.replace(/\.txt$/, '.ann.yaml')), before, 'the corrupt file is untouched');
		const sidecarProblems = vscode.languages.getDiagnostics(fixtureUri(CORRUPT.replace(/\.txt$/, '.ann.yaml')));
		assert.strictEqual(sidecarProblems[0]?.range.start.line, 6);
	});

	it('re-reads a sidecar changed on disk instead of clobbering it', async () => {
		const editor = await openArticle(EMOJI_CRLF);
		const sidecarPath = EMOJI_CRLF.replace(/\.txt$/, '.ann.yaml');
		const current = (await readText(sidecarPath))!;
		const edited = current.replace('    note: Bron\n', '    note: Bron, aangevuld door een collega\n');
		assert.notStrictEqual(edited, current);
		await vscode.workspace.fs.writeFile(fixtureUri(sidecarPath), new TextEncoder().encode(edited));
		select(editor, 'Rutte');
		await vscode.commands.executeCommand('corpusAnnotator.tagSelection', { label: 'attribution' });
		const after = await readSidecar(EMOJI_CRLF);
		assert.ok(after.annotations.some((a) => a.note === 'Bron, aangevuld door een collega'), 'the colleague’s edit survived');
		assert.ok(after.annotations.some((a) => a.quote === 'Rutte'));
	});

	it('re-anchors and saves when an open article changes on disk', async () => {
		const editor = await openArticle(EMOJI_CRLF);
		const before = (await readSidecar(EMOJI_CRLF)).annotations.find((a) => a.quote === 'Lavrov')!;
		const onDisk = editor.document.getText();
		const inserted = 'Een nieuwe alinea, toegevoegd door een ander programma.\r\n\r\n';
		const changed = onDisk.replace('Het Kremlin', inserted + 'Het Kremlin');
		await vscode.workspace.fs.writeFile(fixtureUri(EMOJI_CRLF), new TextEncoder().encode(changed));
		await waitFor(() => editor.document.getText() === changed, 'the editor to reload the article');
		const after = await waitFor(async () => {
			const a = (await readSidecar(EMOJI_CRLF)).annotations.find((x) => x.id === before.id);
			return a && a.start !== before.start ? a : undefined;
		}, 'the sidecar to follow the change on disk');
		assert.strictEqual(after.start, before.start + [...inserted.replace(/\r\n/g, '\n')].length);
		const live = await testing.annotations.list(editor.document.uri.toString());
		assert.strictEqual(live.annotations.find((a) => a.id === before.id)?.text, 'Lavrov');
	});

	it('tags all occurrences of the selected text', async () => {
		const editor = await openArticle(MOVED);
		select(editor, 'Biden');
		const ids = await vscode.commands.executeCommand<string[]>('corpusAnnotator.tagAllOccurrences', { label: 'attribution', acceptAll: true });
		assert.strictEqual(ids?.length, 2);
		const quotes = (await readSidecar(MOVED)).annotations.filter((a) => a.label === 'attribution').map((a) => a.quote);
		assert.deepStrictEqual(quotes, ['Biden', 'Biden']);
	});
});
