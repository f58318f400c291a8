import * as vscode from 'vscode';
import { createAnnotation, isoTimestamp, makeIdGenerator } from '../../core/annotations/factory';
import type { LabelDef } from '../../core/annotations/model';
import { editorOffset } from '../../core/annotations/offsets';
import { wholeNamePattern } from '../../core/text/namePattern';
import { CommandId } from '../../constants';
import type { ArticleDocumentCache } from '../../platform/articleDocuments';
import type { AuthorResolver } from '../../platform/author';
import type { CommandRegistry } from '../../platform/commandRegistry';
import { CancelledError, UserError } from '../../platform/userError';
import { activeArticleEditor, activeEditorFor, pickAnnotation, preview, resolveArticle } from './annotationPicks';
import { AnnotationStore } from './annotationStore';
import { stepAnnotation } from './liveSpans';
import type { LabelSchemaService } from './labelSchemaService';

const LAST_LABEL_KEY = 'corpusAnnotator.lastLabel';

/** An entity mention the "accept entity" command can turn into an annotation. */
export interface EntityAtOffset {
	readonly start: number;
	readonly end: number;
	readonly type: string;
	readonly canonical?: string;
	readonly text: string;
}

export interface AnnotationCommandDeps {
	readonly store: AnnotationStore;
	readonly labels: LabelSchemaService;
	readonly documents: ArticleDocumentCache;
	readonly author: AuthorResolver;
	readonly memento: vscode.Memento;
	readonly entityAt: (document: vscode.TextDocument, offset: number) => Promise<EntityAtOffset | undefined>;
}

/** Options tests and keybindings may pass to skip the prompts. */
interface TagOptions {
	label?: string;
	note?: string;
	/** For "tag all occurrences": accept every occurrence without the preview. */
	acceptAll?: boolean;
}

export function registerAnnotationCommands(commands: CommandRegistry, deps: AnnotationCommandDeps): void {
	const c = new AnnotationCommands(deps);
	commands.register(CommandId.TagSelection, (options?: TagOptions) => c.tagSelection(options));
	commands.register(CommandId.TagParagraph, (uri?: vscode.Uri | string, line?: number, options?: TagOptions) => c.tagParagraph(uri, line, options));
	commands.register(CommandId.TagAllOccurrences, (options?: TagOptions) => c.tagAllOccurrences(options));
	commands.register(CommandId.EditNote, (uri?: vscode.Uri | string, id?: string, note?: string) => c.editNote(uri, id, note));
	commands.register(CommandId.ChangeLabel, (uri?: vscode.Uri | string, id?: string, label?: string) => c.changeLabel(uri, id, label));
	commands.register(CommandId.DeleteAnnotation, (uri?: vscode.Uri | string, id?: string) => c.delete(uri, id));
	commands.register(CommandId.SelectAnnotation, (uri: vscode.Uri | string, id: string) => c.select(uri, id));
	commands.register(CommandId.NextAnnotation, () => c.go(1));
	commands.register(CommandId.PreviousAnnotation, () => c.go(-1));
	commands.register(CommandId.AcceptEntity, (options?: TagOptions) => c.acceptEntity(options));
	commands.register(CommandId.OpenSidecar, (uri?: vscode.Uri | string) => c.openSidecar(uri));
	commands.register(CommandId.UndoAnnotationChange, () => c.undo('undo'));
	commands.register(CommandId.RedoAnnotationChange, () => c.undo('redo'));
	commands.register(CommandId.ReanchorToSelection, (uri?: vscode.Uri | string, id?: string) => c.reanchorToSelection(uri, id));
}

class AnnotationCommands {
	/** The annotation Next/Previous last went to: several may share one span. */
	private lastVisited: { uri: string; id: string } | undefined;

	constructor(private readonly deps: AnnotationCommandDeps) {}

	async tagSelection(options: TagOptions = {}): Promise<string[]> {
		const editor = activeArticleEditor();
		const selections = editor.selections.filter((s) => !s.isEmpty);
		if (selections.length === 0) {
			throw new UserError('Select the passage to tag first (or use “Tag Paragraph” with the cursor in a paragraph).');
		}
		await this.deps.store.assertWritable(editor.document);
		const label = await this.pickLabel(editor.document, options.label);
		return this.add(
			editor.document,
			selections.map((s) => trimRange(editor.document, s)),
			label,
			options.note,
		);
	}

	async tagParagraph(uriArg?: vscode.Uri | string, line?: number, options: TagOptions = {}): Promise<string[]> {
		const document = await resolveArticle(uriArg);
		const targetLine = line ?? activeEditorFor(document)?.selection.active.line;
		const block = this.deps.documents.get(document).blocks.find((b) => b.line === targetLine);
		if (!block) {
			throw new UserError('Put the cursor in a paragraph to tag it.');
		}
		await this.deps.store.assertWritable(document);
		const label = await this.pickLabel(document, options.label);
		return this.add(document, [new vscode.Range(document.positionAt(block.start), document.positionAt(block.end))], label, options.note);
	}

	async tagAllOccurrences(options: TagOptions = {}): Promise<string[]> {
		const editor = activeArticleEditor();
		const document = editor.document;
		const selection = trimRange(document, editor.selection);
		const needle = document.getText(selection);
		if (needle.length === 0 || needle.includes('\n')) {
			throw new UserError('Select a word or phrase on one line to tag all its occurrences.');
		}
		await this.deps.store.assertWritable(document);
		const label = await this.pickLabel(document, options.label);
		const text = document.getText();
		const existing = (await this.deps.store.get(document)).annotations;
		const occurrences: vscode.Range[] = [];
		const pattern = wholeNamePattern([needle])!;
		for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
			const start = m.index;
			const end = start + m[0].length;
			if (!existing.some((a) => a.start === start && a.end === end && a.annotation.label === label)) {
				occurrences.push(new vscode.Range(document.positionAt(start), document.positionAt(end)));
			}
		}
		if (occurrences.length === 0) {
			throw new UserError(`Every occurrence of “${needle}” already carries the label ${label}.`);
		}
		let chosen = occurrences;
		if (!options.acceptAll) {
			const items = occurrences.map((range) => ({ label: `Line ${range.start.line + 1}`, detail: contextOf(document, range), range, picked: true }));
			const picked = await vscode.window.showQuickPick(items, {
				canPickMany: true,
				title: `Tag ${occurrences.length} occurrence${occurrences.length === 1 ? '' : 's'} of “${needle}” as ${label}`,
				placeHolder: 'Uncheck the occurrences to leave untagged, then press Enter',
				matchOnDetail: true,
			});
			if (!picked || picked.length === 0) {
				throw new CancelledError();
			}
			chosen = picked.map((p) => p.range);
		}
		return this.add(document, chosen, label, options.note);
	}

	async editNote(uriArg?: vscode.Uri | string, id?: string, note?: string): Promise<void> {
		const document = await resolveArticle(uriArg);
		await this.deps.store.assertWritable(document);
		const target = await pickAnnotation(this.deps.store, document, id, 'Which annotation gets the note?');
		const value =
			note ??
			(await vscode.window.showInputBox({
				title: `Note on ${target.annotation.label} “${preview(target.annotation.quote)}”`,
				value: target.annotation.note ?? '',
				prompt: 'Leave empty to remove the note.',
			}));
		if (value === undefined) {
			throw new CancelledError();
		}
		await this.deps.store.modify(document, (doc) => doc.update(target.annotation.id, { note: value.trim() === '' ? undefined : value, modified: now() }));
	}

	async changeLabel(uriArg?: vscode.Uri | string, id?: string, label?: string): Promise<void> {
		const document = await resolveArticle(uriArg);
		await this.deps.store.assertWritable(document);
		const target = await pickAnnotation(this.deps.store, document, id, 'Which annotation changes label?');
		const next = await this.pickLabel(document, label, target.annotation.label);
		if (next !== target.annotation.label) {
			await this.deps.store.modify(document, (doc) => doc.update(target.annotation.id, { label: next, modified: now() }));
		}
	}

	async delete(uriArg?: vscode.Uri | string, id?: string): Promise<void> {
		const document = await resolveArticle(uriArg);
		await this.deps.store.assertWritable(document);
		const target = await pickAnnotation(this.deps.store, document, id, 'Which annotation do you want to delete?', true);
		const targetId = target.annotation.id;
		const linked = new Set((await this.deps.store.get(document)).relations.filter((r) => r.from === targetId || r.to === targetId).map((r) => r.id));
		if (linked.size > 0) {
			const question = `Delete the annotation and its ${linked.size === 1 ? 'relation' : `${linked.size} relations`}?`;
			const answer = await vscode.window.showWarningMessage(
				question,
				{ modal: true, detail: `${target.annotation.label} “${preview(target.annotation.quote)}”. Undo with Ctrl+Alt+Z brings them all back.` },
				'Delete',
			);
			if (answer !== 'Delete') {
				throw new CancelledError();
			}
		}
		// One change, so one undo step brings the annotation and its relations back together.
		await this.deps.store.modify(document, (doc) => {
			const relations = doc.relationsOf(targetId);
			if (relations.some((r) => !linked.has(r.id))) {
				throw new UserError('a relation of the annotation was added meanwhile; run Delete Annotation again');
			}
			for (const relation of relations) {
				doc.removeRelation(relation.id);
			}
			return doc.remove(targetId);
		});
		const also = linked.size > 0 ? ` and ${linked.size === 1 ? 'its relation' : `its ${linked.size} relations`}` : '';
		void vscode.window.setStatusBarMessage(`Deleted ${target.annotation.label} “${preview(target.annotation.quote)}”${also} — undo with Ctrl+Alt+Z`, 5000);
	}

	/** Selects an annotation's text and shows its hover (label, note, actions). */
	async select(uriArg: vscode.Uri | string, id: string): Promise<void> {
		const document = await resolveArticle(uriArg);
		const target = await pickAnnotation(this.deps.store, document, id, 'Which annotation?');
		if (target.status === 'orphaned') {
			throw new UserError(`Annotation ${id} is not found in the text (orphaned): see Problems.`);
		}
		const editor = await vscode.window.showTextDocument(document, { preserveFocus: false });
		this.reveal(editor, target.start, target.end);
		this.lastVisited = { uri: document.uri.toString(), id };
		await vscode.commands.executeCommand('editor.action.showHover');
	}

	/** Steps to the next (1) or previous (-1) annotation in (start, end, id) order; resolves to its id. */
	async go(direction: 1 | -1): Promise<string> {
		const editor = activeArticleEditor();
		const document = editor.document;
		const anchored = (await this.deps.store.get(document)).annotations
			.filter((a) => a.status !== 'orphaned')
			.map((a) => ({ id: a.annotation.id, start: a.start, end: a.end }));
		const last = this.lastVisited?.uri === document.uri.toString() ? this.lastVisited.id : undefined;
		const next = stepAnnotation(anchored, document.offsetAt(editor.selection.start), document.offsetAt(editor.selection.end), direction, last);
		if (!next) {
			throw new UserError('This article has no annotations on its text yet.');
		}
		this.lastVisited = { uri: document.uri.toString(), id: next.id };
		this.reveal(editor, next.start, next.end);
		return next.id;
	}

	private reveal(editor: vscode.TextEditor, start: number, end: number): void {
		const range = new vscode.Range(editor.document.positionAt(start), editor.document.positionAt(end));
		editor.selection = new vscode.Selection(range.start, range.end);
		editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
	}

	async acceptEntity(options: TagOptions = {}): Promise<string[]> {
		const editor = activeArticleEditor();
		const document = editor.document;
		const entity = await this.deps.entityAt(document, document.offsetAt(editor.selection.active));
		if (!entity) {
			throw new UserError('Put the cursor on a highlighted entity to accept it as an annotation.');
		}
		await this.deps.store.assertWritable(document);
		const label = await this.pickLabel(document, options.label);
		const range = new vscode.Range(document.positionAt(entity.start), document.positionAt(entity.end));
		return this.add(document, [range], label, options.note, entity.canonical ?? entity.text);
	}

	async openSidecar(uriArg?: vscode.Uri | string): Promise<void> {
		const document = await resolveArticle(uriArg);
		const sidecar = AnnotationStore.sidecarUriFor(document.uri);
		try {
			await vscode.workspace.fs.stat(sidecar);
		} catch {
			throw new UserError('This article has no annotations file yet: tag a passage first.');
		}
		await vscode.window.showTextDocument(sidecar, { viewColumn: vscode.ViewColumn.Beside, preview: true });
	}

	async undo(direction: 'undo' | 'redo'): Promise<void> {
		const editor = activeArticleEditor();
		if (!(await this.deps.store.undo(editor.document, direction))) {
			void vscode.window.setStatusBarMessage(`Nothing to ${direction} in this article's annotations.`, 3000);
		}
	}

	async reanchorToSelection(uriArg?: vscode.Uri | string, id?: string): Promise<void> {
		const document = await resolveArticle(uriArg);
		const editor = activeEditorFor(document);
		if (!editor || editor.selection.isEmpty) {
			throw new UserError('Select the passage the annotation should point at, then run this again.');
		}
		await this.deps.store.assertWritable(document);
		const target = await pickAnnotation(this.deps.store, document, id, 'Which annotation moves to the selection?', true);
		const range = trimRange(document, editor.selection);
		await this.deps.store.modify(document, (doc, text, edits) => {
			const fresh = createAnnotation(text, editorOffset(document.offsetAt(range.start)), editorOffset(document.offsetAt(range.end)), target.annotation.label, {
				now: () => new Date(),
				author: target.annotation.author ?? '',
				newId: () => target.annotation.id,
			});
			// Through the session: the one way an orphan's stored offsets may change.
			edits.reanchor(target.annotation.id, fresh);
			doc.update(target.annotation.id, { modified: now() });
		});
	}

	// ---- helpers -----------------------------------------------------------------------------

	private async add(document: vscode.TextDocument, ranges: readonly vscode.Range[], label: string, note?: string, entity?: string): Promise<string[]> {
		const author = await this.deps.author.resolve(vscode.workspace.getWorkspaceFolder(document.uri)?.uri);
		await this.deps.memento.update(LAST_LABEL_KEY, label);
		return this.deps.store.modify(document, (doc, text) => {
			const taken = new Set(doc.data.annotations.map((a) => a.id));
			const newId = makeIdGenerator(Math.random, (id) => taken.has(id));
			const ids: string[] = [];
			for (const range of ranges) {
				const annotation = createAnnotation(text, editorOffset(document.offsetAt(range.start)), editorOffset(document.offsetAt(range.end)), label, {
					now: () => new Date(),
					author,
					newId: () => {
						const id = newId();
						taken.add(id);
						return id;
					},
				}, { note, entity });
				doc.add(annotation);
				ids.push(annotation.id);
			}
			return ids;
		});
	}

	/** Quick pick of the schema's labels, the last used one first; `given` skips the prompt. */
	private async pickLabel(document: vscode.TextDocument, given?: string, current?: string): Promise<string> {
		const schema = await this.deps.labels.schemaFor(document.uri);
		if (given) {
			if (!schema.labels.some((l) => l.id === given)) {
				throw new UserError(`There is no label “${given}” in ${schema.isDefault ? 'the default label set' : vscode.workspace.asRelativePath(schema.uri!)}.`);
			}
			return given;
		}
		const last = current ?? this.deps.memento.get<string>(LAST_LABEL_KEY);
		const ordered = [...schema.labels].sort((a, b) => (a.id === last ? -1 : b.id === last ? 1 : 0));
		const picked = await vscode.window.showQuickPick(
			ordered.map((l: LabelDef) => ({
				label: l.key ? `${l.key}  ${l.id}` : l.id,
				description: l.id === current ? 'current' : l.id === last ? 'last used' : undefined,
				detail: l.description,
				id: l.id,
			})),
			{ title: 'Label', placeHolder: 'Type the label or its key, Enter to tag', matchOnDetail: true },
		);
		if (!picked) {
			throw new CancelledError();
		}
		return picked.id;
	}
}

/** The selection without leading and trailing white space (double-click selections often include it). */
function trimRange(document: vscode.TextDocument, range: vscode.Range): vscode.Range {
	const text = document.getText(range);
	const lead = text.length - text.trimStart().length;
	const trail = text.length - text.trimEnd().length;
	const start = document.offsetAt(range.start) + lead;
	const end = Math.max(start, document.offsetAt(range.end) - trail);
	return new vscode.Range(document.positionAt(start), document.positionAt(end));
}

function contextOf(document: vscode.TextDocument, range: vscode.Range): string {
	const line = document.lineAt(range.start.line).text;
	const from = Math.max(0, range.start.character - 50);
	const to = Math.min(line.length, range.end.character + 50);
	return `${from > 0 ? '…' : ''}${line.slice(from, to)}${to < line.length ? '…' : ''}`;
}

function now(): string {
	return isoTimestamp(new Date());
}
