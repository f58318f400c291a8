import * as assert from 'assert';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { closeAllEditors, findDocument, fixtureUri, getApi, waitFor } from './helpers';

// An article of this suite's own (written in `before`, removed in `after`), so no other suite sees it.
const ARTICLE = 'relations/040_ee55ff6600112233.txt';
const SIDECAR = ARTICLE.replace(/\.txt$/, '.ann.yaml');
const TEXT = [
	'date 2024-03 Kabinet wil nieuwe kerncentrales bouwen',
	'',
	'Minister Hermans zegt dat de stroomprijs daardoor op termijn daalt.',
	'',
	'Het kabinet trekt er acht miljard euro voor uit in de komende tien jaar.',
	'',
	'Critici wijzen erop dat de bouw van kerncentrales vaak jaren vertraging oploopt.',
	'',
].join('\n');

interface SidecarRelation {
	id: string;
	type: string;
	from: string;
	to: string;
	author?: string;
	created?: string;
	modified?: string;
}

type Chooser = (items: readonly vscode.QuickPickItem[], options: vscode.QuickPickOptions | undefined) => vscode.QuickPickItem | undefined;

/**
 * Answers the extension's quick picks and modal questions in order, as an analyst at the keyboard
 * would: each `showQuickPick` takes the next chooser, each `showWarningMessage` the next answer.
 * Everything asked is recorded.
 */
class Prompts implements vscode.Disposable {
	readonly asked: { items: readonly vscode.QuickPickItem[]; options?: vscode.QuickPickOptions }[] = [];
	readonly warnings: { message: string; modal: boolean }[] = [];
	private readonly picks: Chooser[] = [];
	private readonly answers: (string | undefined)[] = [];
	private readonly original = { showQuickPick: vscode.window.showQuickPick, showWarningMessage: vscode.window.showWarningMessage };

	constructor() {
		const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
		window.showQuickPick = (async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) => {
			const list = await items;
			this.asked.push({ items: list, options });
			const choose = this.picks.shift();
			assert.ok(choose, `an unexpected quick pick: ${options?.title ?? '(no title)'}`);
			return choose(list, options);
		}) as unknown as typeof vscode.window.showQuickPick;
		window.showWarningMessage = (async (message: string, ...rest: unknown[]) => {
			const modal = typeof rest[0] === 'object' && rest[0] !== null && (rest[0] as vscode.MessageOptions).modal === true;
			this.warnings.push({ message, modal });
			return this.answers.shift();
		}) as unknown as typeof vscode.window.showWarningMessage;
	}

	pick(chooser: Chooser): this {
		this.picks.push(chooser);
		return this;
	}

	answer(button: string | undefined): this {
		this.answers.push(button);
		return this;
	}

	dispose(): void {
		Object.assign(vscode.window, this.original);
		assert.deepStrictEqual(this.picks.length, 0, 'every prepared quick pick was asked');
	}
}

function byLabel(prefix: string): Chooser {
	return (items) => {
		const found = items.find((i) => i.kind !== vscode.QuickPickItemKind.Separator && i.label.startsWith(prefix));
		assert.ok(found, `no quick pick item "${prefix}…" among ${items.map((i) => i.label).join(' | ')}`);
		return found;
	};
}

async function readText(path: string): Promise<string | undefined> {
	try {
		return new TextDecoder().decode(await vscode.workspace.fs.readFile(fixtureUri(path)));
	} catch {
		return undefined;
	}
}

async function sidecar(): Promise<{ text: string; ids: string[]; relations: SidecarRelation[] }> {
	const text = await readText(SIDECAR);
	assert.ok(text, 'no sidecar');
	const data = parse(text) as { annotations?: { id: string }[]; relations?: SidecarRelation[] };
	return { text, ids: (data.annotations ?? []).map((a) => a.id), relations: data.relations ?? [] };
}

/** The lines of `b` that are not in `a`, when `b` is `a` with lines inserted (undefined when it is not). */
function insertedLines(a: readonly string[], b: readonly string[]): string[] | undefined {
	const inserted: string[] = [];
	let j = 0;
	for (const line of b) {
		if (j < a.length && a[j] === line) {
			j++;
		} else {
			inserted.push(line);
		}
	}
	return j === a.length ? inserted : undefined;
}

function cursorIn(editor: vscode.TextEditor, needle: string): void {
	const offset = editor.document.getText().indexOf(needle);
	assert.ok(offset >= 0, `"${needle}" not in the article`);
	const at = editor.document.positionAt(offset + 1);
	editor.selection = new vscode.Selection(at, at);
}

function select(editor: vscode.TextEditor, needle: string): void {
	const offset = editor.document.getText().indexOf(needle);
	assert.ok(offset >= 0, `"${needle}" not in the article`);
	editor.selection = new vscode.Selection(editor.document.positionAt(offset), editor.document.positionAt(offset + needle.length));
}

async function hoverText(editor: vscode.TextEditor, needle: string): Promise<string> {
	const position = editor.document.positionAt(editor.document.getText().indexOf(needle) + 1);
	const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
	return hovers
		.flatMap((h) => h.contents)
		.map((c) => (typeof c === 'string' ? c : c.value))
		.join('\n');
}

async function headerLens(uri: vscode.Uri): Promise<string | undefined> {
	const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
	return lenses.find((l) => l.range.start.line === 0 && l.command?.command === 'corpusAnnotator.openSidecar')?.command?.title;
}

describe('relations between annotations', () => {
	const ids: Record<'minister' | 'price' | 'delay', string> = { minister: '', price: '', delay: '' };
	let editor: vscode.TextEditor;

	before(async () => {
		await getApi();
		await vscode.workspace.fs.writeFile(fixtureUri(ARTICLE), new TextEncoder().encode(TEXT));
	});
	after(async () => {
		await closeAllEditors();
		await vscode.workspace.fs.delete(fixtureUri('relations'), { recursive: true });
	});

	it('links the annotation at the cursor to one picked nearest first, of a type that fits its labels', async () => {
		const uri = fixtureUri(ARTICLE);
		await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
		await waitFor(() => findDocument(uri)?.languageId === 'corpus-article', 'the article language');
		editor = await vscode.window.showTextDocument(findDocument(uri)!);
		for (const [key, needle, label] of [
			['minister', 'Minister Hermans', 'attribution'],
			['price', 'de stroomprijs daardoor op termijn daalt', 'claim'],
			['delay', 'vaak jaren vertraging oploopt', 'claim'],
		] as const) {
			select(editor, needle);
			const [id] = await vscode.commands.executeCommand<string[]>('corpusAnnotator.tagSelection', { label });
			assert.ok(id, `tagged ${needle}`);
			ids[key] = id;
		}
		await waitFor(async () => (await readText(SIDECAR))?.includes(ids.delay), 'the three annotations on disk');
		const before = await sidecar();
		assert.deepStrictEqual(before.relations, []);

		cursorIn(editor, 'Minister Hermans');
		const prompts = new Prompts().pick(byLabel('claim: “de stroomprijs')).pick(byLabel('source-of'));
		let relationId: string;
		try {
			relationId = await vscode.commands.executeCommand<string>('corpusAnnotator.linkAnnotation');
		} finally {
			prompts.dispose();
		}
		assert.ok(relationId, 'the command returns the new relation id');
		const [targets, types] = prompts.asked;
		assert.deepStrictEqual(
			targets.items.map((i) => i.label),
			['claim: “de stroomprijs daardoor op termijn daalt”', 'claim: “vaak jaren vertraging oploopt”'],
			'the other annotations, nearest first, with label and quote',
		);
		// attribution → claim: source-of and about fit; contradicts (claim → claim) is listed after a separator, marked.
		const typeLabels = types.items.map((i) => (i.kind === vscode.QuickPickItemKind.Separator ? '---' : i.label));
		assert.deepStrictEqual(typeLabels, ['source-of', 'about', '---', 'contradicts']);
		assert.match(types.items.at(-1)!.description ?? '', /meant from claim to claim/);

		await editor.document.save();
		const after = await sidecar();
		assert.deepStrictEqual(after.relations.map((r) => [r.id, r.type, r.from, r.to]), [[relationId, 'source-of', ids.minister, ids.price]]);
		const inserted = insertedLines(before.text.split('\n'), after.text.split('\n'));
		assert.ok(inserted, 'no existing line changed');
		assert.deepStrictEqual(
			inserted.map((l) => l.trim().replace(/^- /, '').split(':')[0]),
			['relations', 'id', 'type', 'from', 'to', 'author', 'created', 'modified'],
			'exactly the relation lines were added, in key order',
		);
	});

	it('lists the relation in the hover of both ends, with a link to the other, and counts it in the header lens', async () => {
		const fromHover = await hoverText(editor, 'Minister Hermans');
		assert.match(fromHover, /_source\\?-of_ → \[claim “de stroomprijs daardoor op termijn daalt”\]\(command:_corpusAnnotator\.selectAnnotation\?/);
		assert.ok(fromHover.includes(encodeURIComponent(JSON.stringify([editor.document.uri.toString(), ids.price]))), 'the link goes to the other end');
		const toHover = await hoverText(editor, 'de stroomprijs');
		assert.match(toHover, /_source\\?-of_ ← \[attribution “Minister Hermans”\]\(command:_corpusAnnotator\.selectAnnotation\?/);
		assert.doesNotMatch(await hoverText(editor, 'vaak jaren'), /source\\?-of/, 'an annotation without relations lists none');
		// The link's command goes to the other end.
		await vscode.commands.executeCommand('_corpusAnnotator.selectAnnotation', editor.document.uri.toString(), ids.price);
		await waitFor(() => vscode.window.activeTextEditor?.document.getText(vscode.window.activeTextEditor.selection) === 'de stroomprijs daardoor op termijn daalt', 'the jump to the other end');
		await waitFor(async () => (await headerLens(editor.document.uri)) === '3 annotations · 1 relation', 'the header lens to count the relation');
	});

	it('undoes and redoes the link', async () => {
		const linked = await sidecar();
		await vscode.commands.executeCommand('corpusAnnotator.undoAnnotationChange');
		await waitFor(async () => (await sidecar()).relations.length === 0, 'undo to remove the relation');
		assert.doesNotMatch((await sidecar()).text, /relations:/);
		await waitFor(async () => (await headerLens(editor.document.uri)) === '3 annotations', 'the lens without the relation');
		await vscode.commands.executeCommand('corpusAnnotator.redoAnnotationChange');
		await waitFor(async () => (await sidecar()).text === linked.text, 'redo to restore the file exactly');
	});

	it('asks before deleting an annotation with relations, deletes both in one step, and undo restores both', async () => {
		const linked = await sidecar();
		cursorIn(editor, 'de stroomprijs');
		// Refused at the question: nothing changes.
		let prompts = new Prompts().answer(undefined);
		try {
			await vscode.commands.executeCommand('corpusAnnotator.deleteAnnotation');
		} finally {
			prompts.dispose();
		}
		assert.deepStrictEqual(prompts.warnings, [{ message: 'Delete the annotation and its relation?', modal: true }]);
		assert.strictEqual((await sidecar()).text, linked.text, 'cancelled: nothing written');

		prompts = new Prompts().answer('Delete');
		try {
			await vscode.commands.executeCommand('corpusAnnotator.deleteAnnotation');
		} finally {
			prompts.dispose();
		}
		const deleted = await waitFor(async () => {
			const s = await sidecar();
			return !s.ids.includes(ids.price) ? s : undefined;
		}, 'the annotation to be deleted');
		assert.deepStrictEqual(deleted.ids, [ids.minister, ids.delay]);
		assert.deepStrictEqual(deleted.relations, [], 'its relation went with it');

		await vscode.commands.executeCommand('corpusAnnotator.undoAnnotationChange');
		await waitFor(async () => (await sidecar()).text === linked.text, 'one undo to restore the annotation and its relation');
	});

	it('deletes a relation from the annotation at the cursor', async () => {
		cursorIn(editor, 'Minister Hermans');
		await vscode.commands.executeCommand('corpusAnnotator.deleteRelation');
		await waitFor(async () => (await sidecar()).relations.length === 0, 'the relation to be deleted');
		assert.strictEqual((await sidecar()).ids.length, 3, 'the annotations stay');
	});

	it('keeps a link made with unsaved edits until the save, and runs it again on a sidecar changed meanwhile', async () => {
		const document = editor.document;
		const end = document.positionAt(document.getText().length);
		assert.ok(await editor.edit((b) => b.insert(end, 'Het debat gaat volgende week verder.\n')));
		cursorIn(editor, 'Minister Hermans');
		const id = await vscode.commands.executeCommand<string>('corpusAnnotator.linkAnnotation', undefined, { to: ids.delay, type: 'about' });
		assert.ok(id, 'linked without asking: the other end and the type were given');
		const testing = (await getApi()).testing!;
		assert.strictEqual((await testing.annotations.list(document.uri.toString())).pendingChanges, 1, 'held until the article is saved');
		assert.deepStrictEqual((await sidecar()).relations, [], 'nothing written before the save');
		// Another program changes the sidecar meanwhile: its change and ours both survive the save.
		const onDisk = (await sidecar()).text;
		await vscode.workspace.fs.writeFile(fixtureUri(SIDECAR), new TextEncoder().encode(`${onDisk}# checked by the desk\n`));
		await document.save();
		const saved = await waitFor(async () => {
			const s = await sidecar();
			return s.relations.length === 1 && s.text.includes('# checked by the desk') ? s : undefined;
		}, 'the save to write the relation onto the changed sidecar');
		assert.deepStrictEqual(saved.relations.map((r) => [r.id, r.type, r.from, r.to]), [[id, 'about', ids.minister, ids.delay]]);
		// The file is on disk before the store marks the change written (same write, one step later).
		await waitFor(async () => (await testing.annotations.list(document.uri.toString())).pendingChanges === 0, 'nothing pending after the save');
		assert.strictEqual((await sidecar()).relations.length, 1, 'written once');
	});

	it('offers the relation types of the nearest .corpus/labels.yaml', async () => {
		const schema = [
			'labels:',
			'  - id: attribution',
			'  - id: claim',
			'relations:',
			'  - id: cites',
			'    description: The claim cites the source',
			'    from: [claim]',
			'    to: [attribution]',
			'  - id: supports',
			'',
		].join('\n');
		await vscode.workspace.fs.writeFile(fixtureUri('relations/.corpus/labels.yaml'), new TextEncoder().encode(schema));
		cursorIn(editor, 'Minister Hermans');
		// Asks until the schema service has seen the new file; each round stops at the type (cancelled: nothing changes).
		const offered = await waitFor(async () => {
			const prompts = new Prompts().pick(byLabel('claim: “vaak jaren')).pick(() => undefined);
			try {
				await vscode.commands.executeCommand('corpusAnnotator.linkAnnotation');
			} finally {
				prompts.dispose();
			}
			const labels = prompts.asked[1].items.map((i) => (i.kind === vscode.QuickPickItemKind.Separator ? '---' : i.label));
			return labels.includes('cites') ? labels : undefined;
		}, 'the relation types of labels.yaml');
		// attribution → claim: `supports` (any labels) fits, `cites` (claim → attribution) is listed after the separator.
		assert.deepStrictEqual(offered, ['supports', '---', 'cites']);
		assert.strictEqual((await sidecar()).relations.length, 1, 'cancelled at the type: nothing added');
	});

	it('drops a pending link, saying why, when another program deleted its other end meanwhile', async () => {
		const document = editor.document;
		assert.ok(await editor.edit((b) => b.insert(document.positionAt(document.getText().length), 'Slot.\n')));
		cursorIn(editor, 'Minister Hermans');
		const prompts = new Prompts();
		try {
			await vscode.commands.executeCommand('corpusAnnotator.linkAnnotation', undefined, { to: ids.price, type: 'supports' });
			const onDisk = (await sidecar()).text;
			// Another program removes the annotation the pending link points to (its whole list item).
			const item = new RegExp(`^  - id: ${ids.price}\\n(?:    .*\\n)*`, 'm');
			assert.match(onDisk, item);
			await vscode.workspace.fs.writeFile(fixtureUri(SIDECAR), new TextEncoder().encode(onDisk.replace(item, '')));
			const warning = await waitFor(() => prompts.warnings.find((w) => /could not be applied/.test(w.message)), 'the warning that the link was dropped');
			assert.match(warning.message, /names no annotation/);
		} finally {
			prompts.dispose();
		}
		await document.save();
		const testing = (await getApi()).testing!;
		await waitFor(async () => (await testing.annotations.list(document.uri.toString())).pendingChanges === 0, 'nothing pending after the save');
		const saved = await sidecar();
		assert.ok(!saved.ids.includes(ids.price), 'the other program’s deletion stands');
		assert.deepStrictEqual(saved.relations.map((r) => r.type), ['about'], 'no relation to the deleted annotation was written');
	});
});
