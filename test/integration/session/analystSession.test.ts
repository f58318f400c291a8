import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import type { CorpusTestingApi } from '../../../src/api';
import type { Annotation } from '../../../src/core/annotations/model';
import { findDocument, getApi, waitFor, workspaceRoot } from '../helpers';

/**
 * An analyst's ordinary session on a corpus that is a git repository with the articles
 * committed (the runner's --git), in order: open from the tree, tag, edit and save, change the
 * article outside, tag again, commit, review, step through the annotations, corrupt and repair
 * a sidecar. After every step the sidecar on disk must match the article on disk.
 */

const ARTICLE = '012_42fff6ff8f625d56.txt';
const SIDECAR = ARTICLE.replace(/\.txt$/, '.ann.yaml');

/** What the file stores of an annotation (types only: tests never load `src/`). */
type StoredAnnotation = Pick<Annotation, 'id' | 'label' | 'start' | 'end' | 'quote' | 'prefix' | 'suffix'>;

/** The canonical text (BOM dropped, CRLF → LF) the sidecar's offsets and hash refer to. */
function canonical(text: string): string {
	return text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
}

function sha256(text: string): string {
	return `sha256:${createHash('sha256').update(canonical(text), 'utf8').digest('hex')}`;
}

describe('an analyst session in a git repository', function () {
	this.timeout(120_000);
	let testing: CorpusTestingApi;
	let root: string;
	const file = (rel: string): string => path.join(root, rel);
	const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	const readSidecar = (): { text: string; textHash: string; annotations: StoredAnnotation[] } => {
		const text = fs.readFileSync(file(SIDECAR), 'utf8');
		const data = parse(text) as { textHash: string; annotations: StoredAnnotation[] };
		return { text, textHash: data.textHash, annotations: data.annotations ?? [] };
	};
	/** Orphans' stored fields as first seen: they must never change. */
	const orphanFields = new Map<string, StoredAnnotation>();

	/** The promise of the store: hash and every non-orphan quote agree with the article file on disk. */
	async function assertSidecarMatchesDisk(step: string): Promise<void> {
		if (!fs.existsSync(file(SIDECAR))) {
			return;
		}
		const sidecar = readSidecar();
		const article = fs.readFileSync(file(ARTICLE), 'utf8');
		assert.strictEqual(sidecar.textHash, sha256(article), `${step}: textHash is for the article on disk`);
		const codePoints = [...canonical(article)];
		const live = await testing.annotations.list(vscode.Uri.file(file(ARTICLE)).toString());
		const orphans = new Set(live.annotations.filter((a) => a.status === 'orphaned').map((a) => a.id));
		for (const a of sidecar.annotations) {
			if (orphans.has(a.id)) {
				const first = orphanFields.get(a.id) ?? a;
				orphanFields.set(a.id, first);
				assert.deepStrictEqual(a, first, `${step}: orphan ${a.id} keeps its stored fields`);
				continue;
			}
			assert.strictEqual(codePoints.slice(a.start, a.end).join(''), a.quote, `${step}: ${a.id} points at its quote in the file on disk`);
		}
	}

	async function articleEditor(): Promise<vscode.TextEditor> {
		const uri = vscode.Uri.file(file(ARTICLE));
		await waitFor(() => findDocument(uri)?.languageId === 'corpus-article', 'the article language');
		const document = findDocument(uri)!;
		return vscode.window.showTextDocument(document);
	}

	function select(editor: vscode.TextEditor, needle: string, occurrence = 0): vscode.Selection {
		const text = editor.document.getText();
		let at = -1;
		for (let i = 0; i <= occurrence; i++) {
			at = text.indexOf(needle, at + 1);
		}
		assert.ok(at >= 0, `"${needle}" not in the article`);
		editor.selection = new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + needle.length));
		return editor.selection;
	}

	async function tag(editor: vscode.TextEditor, needle: string, label: string, occurrence = 0): Promise<string> {
		select(editor, needle, occurrence);
		const ids = await vscode.commands.executeCommand<string[]>('corpusAnnotator.tagSelection', { label });
		assert.strictEqual(ids?.length, 1, `tagging "${needle}"`);
		return ids[0];
	}

	/** Our Problems anywhere in the workspace (header, annotations, labels, entity lists). */
	function ourProblems(): string[] {
		return vscode.languages
			.getDiagnostics()
			.flatMap(([uri, list]) => list.filter((d) => d.source === 'Corpus Annotator').map((d) => `${uri.toString()}: ${d.message}`));
	}

	before(async () => {
		testing = (await getApi()).testing!;
		root = workspaceRoot().fsPath;
		assert.ok(fs.existsSync(path.join(root, '.git')), 'the runner makes this workspace a git repository (--git)');
		assert.strictEqual(git('status', '--porcelain'), '', 'every article is committed');
	});

	after(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	it('1. opens an article from the Articles tree: no false Problems, Entities view filled at once', async () => {
		const years = await testing.articlesTree.getChildren();
		let node = undefined as (typeof years)[number] | undefined;
		for (const year of years) {
			for (const month of await testing.articlesTree.getChildren(year)) {
				node ??= (await testing.articlesTree.getChildren(month)).find((n) => n.id.endsWith(ARTICLE));
			}
		}
		assert.ok(node, `${ARTICLE} in the tree`);
		const item = testing.articlesTree.getTreeItem(node);
		assert.strictEqual(item.command, 'vscode.open');
		assert.ok(item.tooltip?.includes('verkiezingsoverwinning'), 'the lead is in the tooltip');
		await vscode.commands.executeCommand('vscode.open', vscode.Uri.parse(item.resourceUri!));
		const editor = await articleEditor();
		// Defect 5: the first article opened fills the view, without another editor change.
		const shown = await waitFor(() => {
			const types = testing.entities.shown();
			return types.length > 0 ? types : undefined;
		}, 'the Entities view to list the first article', 60_000);
		assert.ok(shown.some((t) => t.type === 'PER' && t.entities.some((e) => e.name === 'Donald Trump')), JSON.stringify(shown));

		// Defect 1: git's comparison copy of the article (quick diff) is not an article.
		const gitUri = editor.document.uri.with({ scheme: 'git', query: JSON.stringify({ path: editor.document.uri.fsPath, ref: 'HEAD' }) });
		const gitCopy = await vscode.workspace.openTextDocument(gitUri).then(
			(d) => d,
			() => undefined,
		);
		if (gitCopy) {
			await vscode.languages.setTextDocumentLanguage(gitCopy, 'corpus-article').then(undefined, () => undefined);
		}
		const untitled = await vscode.workspace.openTextDocument({ language: 'corpus-article', content: editor.document.getText() });
		await testing.decorations.repaint(editor.document.uri.toString());
		await waitFor(async () => (await testing.annotations.list(editor.document.uri.toString())).annotations.length === 0, 'the article to load (no sidecar yet)');
		assert.deepStrictEqual(ourProblems(), [], 'Problems empty on a clean corpus');
		assert.strictEqual((await testing.annotations.list(untitled.uri.toString())).annotations.length, 0);
		assert.strictEqual(git('status', '--porcelain'), '', 'nothing was written next to the article or a virtual copy');
		assert.ok(!fs.readdirSync(root).some((f) => f.endsWith('.ann.yaml')), 'no sidecar appeared');
	});

	it('2. tags from the keyboard on a saved article: written at once, matching the file', async () => {
		const editor = await articleEditor();
		await tag(editor, 'binnen een dag', 'claim');
		await tag(editor, 'Joe Biden', 'attribution');
		assert.strictEqual(readSidecar().annotations.length, 2);
		await assertSidecarMatchesDisk('after tagging');
	});

	it('3. edits, tags while unsaved (pending), saves: the sidecar follows the save only', async () => {
		const editor = await articleEditor();
		const before = readSidecar().text;
		const at = editor.document.getText().indexOf('President Volodimir Zelenski');
		await editor.edit((b) => b.insert(editor.document.positionAt(at), 'Trumps overwinning kwam niet als verrassing. '));
		assert.ok(editor.document.isDirty);
		const pendingId = await tag(editor, 'Poetin', 'attribution');
		assert.strictEqual(readSidecar().text, before, 'nothing written while the article is unsaved');
		const live = await testing.annotations.list(editor.document.uri.toString());
		assert.strictEqual(live.pendingChanges, 1);
		const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10);
		assert.ok(lenses.some((l) => /1 change pending save/.test(l.command?.title ?? '')), JSON.stringify(lenses.map((l) => l.command?.title)));
		await assertSidecarMatchesDisk('while dirty');
		assert.ok(await editor.document.save());
		await waitFor(() => readSidecar().annotations.some((a) => a.id === pendingId), 'the pending annotation to be written on save');
		await assertSidecarMatchesDisk('after save');
	});

	it('3b. Revert File and closing without saving drop pending changes', async () => {
		let editor = await articleEditor();
		const before = readSidecar().text;
		await editor.edit((b) => b.insert(editor.document.positionAt(editor.document.getText().indexOf('Biden versnelt')), 'Tussenkop. '));
		await tag(editor, 'Pentagon', 'attribution');
		await vscode.commands.executeCommand('workbench.action.files.revert');
		await waitFor(async () => !editor.document.isDirty && (await testing.annotations.list(editor.document.uri.toString())).pendingChanges === 0, 'the revert');
		let live = await testing.annotations.list(editor.document.uri.toString());
		assert.ok(!live.annotations.some((a) => a.quote === 'Pentagon'), 'reverted away');
		assert.strictEqual(readSidecar().text, before);

		editor = await articleEditor();
		await editor.edit((b) => b.insert(editor.document.positionAt(editor.document.getText().indexOf('Biden versnelt')), 'Tussenkop. '));
		await tag(editor, 'Pentagon', 'attribution');
		await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
		await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file(ARTICLE)));
		editor = await articleEditor();
		live = await testing.annotations.list(editor.document.uri.toString());
		assert.ok(!live.annotations.some((a) => a.quote === 'Pentagon'), 'closed without saving: dropped');
		assert.strictEqual(readSidecar().text, before);
		await assertSidecarMatchesDisk('after revert and close');
	});

	it('4. the article changes outside VS Code: re-anchored and saved, the orphan kept as it was and not drawn', async () => {
		const editor = await articleEditor();
		const uri = editor.document.uri;
		const stored = readSidecar().annotations;
		const claim = stored.find((a) => a.quote === 'binnen een dag')!;
		const onDisk = fs.readFileSync(file(ARTICLE), 'utf8');
		// Another tool removes the sentence with the claim and adds a paragraph at the top.
		const sentence = /De aankomende Amerikaanse president[^.]*\./.exec(onDisk)![0];
		const changed = onDisk.replace(sentence, 'Kyiv reageerde terughoudend.').replace('\n\n', '\n\nEen alinea die een ander programma toevoegde.\n\n');
		fs.writeFileSync(file(ARTICLE), changed);
		await waitFor(() => editor.document.getText() === changed, 'the editor to reload the article');
		await waitFor(() => readSidecar().textHash === sha256(changed), 'the sidecar to follow the article on disk');
		const live = await testing.annotations.list(uri.toString());
		const orphan = live.annotations.find((a) => a.id === claim.id)!;
		assert.strictEqual(orphan.status, 'orphaned');
		assert.deepStrictEqual(readSidecar().annotations.find((a) => a.id === claim.id), claim, 'the orphan keeps every stored field');
		orphanFields.set(claim.id, claim);
		await assertSidecarMatchesDisk('after the outside change');
		await waitFor(() => vscode.languages.getDiagnostics(uri).some((d) => d.code === 'orphaned-annotation'), 'the orphan as a Problem');
		await testing.decorations.repaint(uri.toString());
		const painted = testing.decorations.recorded(uri.toString(), 'annotation.claim') ?? [];
		assert.deepStrictEqual(painted, [], 'no underline on the text now at the orphan’s old place');
		const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
		const titles = lenses.map((l) => l.command?.title ?? '');
		assert.ok(titles.some((t) => t.includes('1 orphaned')), JSON.stringify(titles));
		assert.ok(!titles.some((t) => t.includes('claim')), `no lens names the orphan: ${JSON.stringify(titles)}`);
	});

	it('5. tags again: the orphan is not re-attached, and undo restores exactly', async () => {
		const editor = await articleEditor();
		const before = readSidecar().text;
		await tag(editor, 'Koersk', 'event');
		await assertSidecarMatchesDisk('after tagging next to an orphan');
		await vscode.commands.executeCommand('corpusAnnotator.undoAnnotationChange');
		assert.strictEqual(readSidecar().text, before, 'undo restores the sidecar exactly');
		await vscode.commands.executeCommand('corpusAnnotator.redoAnnotationChange');
		await assertSidecarMatchesDisk('after redo');
		await waitFor(() => vscode.languages.getDiagnostics(editor.document.uri).some((d) => d.code === 'orphaned-annotation'), 'the orphan still reported');
	});

	it('6. commits, then reviews the next changes in Annotation Changes', async () => {
		git('add', '-A');
		git('commit', '-q', '-m', 'Annotations of the morning');
		const editor = await articleEditor();
		const added = await tag(editor, 'Brjansk', 'event');
		const relabel = readSidecar().annotations.find((a) => a.quote === 'Joe Biden')!;
		await vscode.commands.executeCommand('corpusAnnotator.changeLabel', editor.document.uri, relabel.id, 'claim');
		const view = await waitFor(async () => {
			const v = await testing.review.view();
			const changes = v.find((a) => a.article === ARTICLE)?.changes ?? [];
			return changes.length >= 2 ? changes : undefined;
		}, 'the review to show both changes');
		assert.deepStrictEqual(
			view.map((c) => [c.kind, c.id]).sort(),
			[
				['added', added],
				['relabelled', relabel.id],
			].sort(),
		);
		await testing.review.open(ARTICLE, added);
		const uri = editor.document.uri.toString();
		await waitFor(() => (testing.decorations.recorded(uri, 'review.added') ?? []).length === 1, 'the added change highlighted');
		// Toggling highlights clears the review highlight too (defect 10).
		await vscode.commands.executeCommand('corpusAnnotator.toggleEntityHighlights');
		await waitFor(() => (testing.decorations.recorded(uri, 'review.added') ?? ['x']).length === 0, 'the review highlight to clear');
		await vscode.commands.executeCommand('corpusAnnotator.toggleEntityHighlights');
		await assertSidecarMatchesDisk('after review');
	});

	it('7. next/previous visit every annotation once, in (start, end, id) order, overlaps included', async () => {
		const editor = await articleEditor();
		// Three overlapping annotations on one line, as in issue 13.
		await tag(editor, 'President Volodimir Zelenski was er snel bij', 'claim');
		await tag(editor, 'Zelenski was er snel bij om Trump te feliciteren. Hij herinnerde aan hun ontmoeting', 'framing');
		await tag(editor, 'om Trump te feliciteren', 'attribution');
		const live = (await testing.annotations.list(editor.document.uri.toString())).annotations.filter((a) => a.status !== 'orphaned');
		const expected = [...live].sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : 1)).map((a) => a.id);
		editor.selection = new vscode.Selection(0, 0, 0, 0);
		const forward: string[] = [];
		for (let i = 0; i < expected.length; i++) {
			forward.push((await vscode.commands.executeCommand<string>('corpusAnnotator.nextAnnotation'))!);
		}
		assert.deepStrictEqual(forward, expected);
		assert.strictEqual(await vscode.commands.executeCommand<string>('corpusAnnotator.nextAnnotation'), expected[0], 'wraps around');
		const backward: string[] = [];
		for (let i = 0; i < expected.length; i++) {
			backward.push((await vscode.commands.executeCommand<string>('corpusAnnotator.previousAnnotation'))!);
		}
		assert.deepStrictEqual(backward, [...expected].reverse());
		await assertSidecarMatchesDisk('after navigation');
	});

	it('8. counts every spelling of an entity: aliases, surname alone, possessives', async () => {
		const editor = await articleEditor();
		const text = editor.document.getText();
		const inArticle = (text.match(/(?<![\p{L}\p{N}])(?:Donald Trump|Trump)(?:s|'s|’s)?(?![\p{L}\p{N}])/gu) ?? []).length;
		assert.ok(text.includes('Trumps'), 'the possessive typed in step 3');
		const at = text.indexOf('Trump te feliciteren');
		assert.ok(at > 0);
		const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, editor.document.positionAt(at + 2));
		const md = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
		assert.ok(md.includes('**Trump**'), `the hover names the text: ${md}`);
		assert.ok(md.includes('Donald Trump'), `and the canonical entity: ${md}`);
		assert.ok(md.includes(`${inArticle} mentions in this article`), `every spelling counted (${inArticle}): ${md}`);
		const found = await vscode.commands.executeCommand<unknown[]>('corpusAnnotator.findEntityMentions', { spellings: ['Donald Trump', 'Trump'], label: 'Donald Trump', type: 'PER' });
		await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
		let expected = 0;
		for (const name of git('ls-files', '*.txt').split('\n').filter((f) => f.length > 0)) {
			const t = fs.readFileSync(file(name), 'utf8');
			if (/^\uFEFF?[ \t]*date[ \t]+\d/.test(t)) {
				expected += (t.match(/(?<![\p{L}\p{N}])(?:Donald Trump|Trump)(?:s|'s|’s)?(?![\p{L}\p{N}])/gu) ?? []).length;
			}
		}
		assert.strictEqual(found?.length, expected);
	});

	it('9. a corrupt sidecar is refused before any prompt, then repaired', async () => {
		const editor = await articleEditor();
		const good = readSidecar().text;
		const corrupt = good.replace(/quote: (.*)\n/, 'quote: "$1\n');
		assert.notStrictEqual(corrupt, good);
		fs.writeFileSync(file(SIDECAR), corrupt);
		const problem = await waitFor(
			() => vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.code === 'unreadable-sidecar'),
			'the unreadable-sidecar Problem',
		);
		assert.match(problem.message, /cannot be read \(line \d+, column \d+: [^\n]+\)\./);
		assert.ok(!/at line \d+, column \d+/.test(problem.message), `the parser's own position is not repeated: ${problem.message}`);
		select(editor, 'Dnipro');
		// No label given: a prompt would keep the command pending; it must refuse first.
		await vscode.commands.executeCommand('corpusAnnotator.tagSelection');
		assert.strictEqual(fs.readFileSync(file(SIDECAR), 'utf8'), corrupt, 'the corrupt file is untouched');
		fs.writeFileSync(file(SIDECAR), good);
		await waitFor(() => !vscode.languages.getDiagnostics(editor.document.uri).some((d) => d.code === 'unreadable-sidecar'), 'the Problem to clear');
		await tag(editor, 'Dnipro', 'event');
		await assertSidecarMatchesDisk('after the repair');
		assert.deepStrictEqual(
			ourProblems().filter((p) => !p.includes('could not be re-anchored')),
			[],
			'only the real orphan remains a Problem',
		);
	});
});
