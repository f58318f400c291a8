import * as vscode from 'vscode';
import { addEntityToListText, addNotEntityToListText, spellingsOf } from '../../core/entities/entityList';
import { ENTITY_TYPE_NAMES, ENTITY_TYPES, isEntityType, type EntityMention, type EntityType } from '../../core/entities/entityTypes';
import { appendCorrectionText, isCorrectionType, sentenceAt, type CorrectionType, type NerCorrection } from '../../core/entities/nerCorrections';
import { CommandId } from '../../constants';
import { isArticleDocument } from '../../platform/articleDocuments';
import { updateUriLocked } from '../../platform/atomicWrite';
import { AuthorResolver } from '../../platform/author';
import type { CommandRegistry } from '../../platform/commandRegistry';
import { CancelledError, UserError } from '../../platform/userError';
import { findMentionsInCorpus, type CorpusMention } from './corpusMentionSearch';
import type { EntityDecorator } from './entityDecorator';
import type { EntityService } from './entityService';
import { entityForms } from './mentionSpellings';

/** Arguments the hover links and tests pass; from the palette everything is asked. */
export interface EntityTarget {
	uri?: string;
	text?: string;
	type?: EntityType;
	/** Canonical name; asked when absent. */
	name?: string;
}

export function registerEntityCommands(commands: CommandRegistry, entities: EntityService, decorator: EntityDecorator): void {
	commands.register(CommandId.ToggleEntityHighlights, () => decorator.toggle());
	commands.register(CommandId.ToggleEntityType, async (type?: EntityType) => {
		if (isEntityType(type)) {
			return decorator.toggleType(type);
		}
		const picked = await vscode.window.showQuickPick(
			ENTITY_TYPES.map((t) => ({ label: ENTITY_TYPE_NAMES[t], description: t, type: t, picked: decorator.isTypeVisible(t) })),
			{ canPickMany: true, title: 'Entity types to highlight' },
		);
		if (!picked) {
			throw new CancelledError();
		}
		for (const t of ENTITY_TYPES) {
			await decorator.toggleType(
				t,
				picked.some((p) => p.type === t),
			);
		}
	});
	commands.register(CommandId.AddToEntityList, (target?: EntityTarget) => addToEntityList(entities, target));
	commands.register(CommandId.MarkNotEntity, (target?: EntityTarget) => markNotEntity(entities, target));
	commands.register(CommandId.FindEntityMentions, (query?: MentionQuery) => findEntityMentions(entities, query));
	const author = new AuthorResolver(() => vscode.workspace.getConfiguration('corpusAnnotator').get<string>('annotations.author', ''));
	commands.register(CommandId.ChangeEntityType, (target?: TypeChangeTarget) => changeEntityType(entities, author, target));
	commands.register(CommandId.LearnFromEntityCorrections, async () => {
		const uri = activeArticleUri();
		const stats = await entities.learner.relearn(uri);
		void vscode.window.setStatusBarMessage(
			stats ? `Corpus Annotator: entity model learnt from the corrections in ${(stats.ms / 1000).toFixed(1)} s.` : 'Corpus Annotator: there are no entity corrections to learn from.',
			4000,
		);
		return stats;
	});
	commands.register(CommandId.ResetEntityModel, async () => {
		await entities.learner.reset(activeArticleUri());
		void vscode.window.setStatusBarMessage('Corpus Annotator: entities are tagged with the shipped model again (the corrections file is kept).', 4000);
	});
}

function activeArticleUri(): vscode.Uri {
	const uri = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
	if (!uri) {
		throw new UserError('Open a folder first: the entity corrections live in .corpus/ner-corrections.yaml of the workspace folder.');
	}
	return uri;
}

/** Change Entity Type from a hover link or a test: the mention's offsets in the document, optionally the new type. */
export interface TypeChangeTarget {
	uri: string;
	start: number;
	end: number;
	type?: CorrectionType;
}

const TYPE_CHOICES: { type: CorrectionType; label: string }[] = [...ENTITY_TYPES.map((t) => ({ type: t as CorrectionType, label: ENTITY_TYPE_NAMES[t] })), { type: 'none', label: 'Not an entity' }];

/**
 * Records the analyst's type for a highlight in the corrections file (the highlight changes in this
 * article at once; the workspace model then learns from it in the background).
 */
async function changeEntityType(entities: EntityService, author: AuthorResolver, target?: TypeChangeTarget): Promise<NerCorrection> {
	let document: vscode.TextDocument;
	let mention: EntityMention | undefined;
	if (target?.uri) {
		document = await vscode.workspace.openTextDocument(vscode.Uri.parse(target.uri));
		mention = (await entities.mentions(document)).find((m) => m.start === target.start && m.end === target.end);
	} else {
		const editor = vscode.window.activeTextEditor;
		if (!editor || !isArticleDocument(editor.document)) {
			throw new UserError('Open an article and put the cursor on a highlighted entity first.');
		}
		document = editor.document;
		const offset = document.offsetAt(editor.selection.active);
		mention = (await entities.mentions(document)).find((m) => m.start <= offset && offset <= m.end);
	}
	if (!mention) {
		throw new UserError('There is no highlighted entity there: put the cursor on a highlight first.');
	}
	let type = target?.type;
	if (!isCorrectionType(type)) {
		const current = mention.type;
		const picked = await vscode.window.showQuickPick(
			TYPE_CHOICES.map((c) => ({ label: c.label, description: c.type === current ? `${c.type} · now` : c.type === 'none' ? 'remove the highlight' : c.type, type: c.type })),
			{ title: `Change the type of “${mention.text}”`, placeHolder: 'The tagger learns from this correction' },
		);
		if (!picked) {
			throw new CancelledError();
		}
		type = picked.type;
	}
	const text = document.getText();
	const where = sentenceAt(text, mention.start);
	const fileUri = await entities.learner.correctionsUri(document.uri);
	if (!where || !fileUri) {
		throw new UserError('Open the article inside a workspace folder: corrections live in its .corpus/ner-corrections.yaml.');
	}
	const folder = vscode.workspace.getWorkspaceFolder(document.uri);
	const correction: NerCorrection = {
		sentence: where.sentence,
		spans: [{ text: mention.text, start: mention.start - where.start, end: mention.end - where.start, type }],
		article: vscode.workspace.asRelativePath(document.uri, false),
		author: await author.resolve(folder?.uri),
		time: new Date().toISOString(),
	};
	await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(fileUri, '..'));
	try {
		await updateUriLocked(fileUri, (current) => appendCorrectionText(current ?? '', correction));
	} catch (error) {
		throw new UserError(`Cannot add the correction to ${vscode.workspace.asRelativePath(fileUri)}: ${error instanceof Error ? error.message : String(error)}`, [
			{ title: 'Open Corrections', run: () => vscode.window.showTextDocument(fileUri) },
		]);
	}
	await entities.learner.invalidate(document.uri);
	const shown = type === 'none' ? 'not an entity' : ENTITY_TYPE_NAMES[type];
	void vscode.window.setStatusBarMessage(`Corpus Annotator: “${mention.text}” is now ${shown}; the tagger learns from it.`, 4000);
	return correction;
}

/** The mention under the cursor (or the selection) of the active article, as a target. */
async function targetFromEditor(entities: EntityService): Promise<Required<Pick<EntityTarget, 'uri' | 'text'>> & EntityTarget> {
	const editor = vscode.window.activeTextEditor;
	if (!editor || !isArticleDocument(editor.document)) {
		throw new UserError('Open an article and select a name (or put the cursor on a highlighted entity) first.');
	}
	const document = editor.document;
	if (!editor.selection.isEmpty) {
		const text = document.getText(editor.selection).trim();
		const offset = document.offsetAt(editor.selection.start);
		const hit = (await entities.mentions(document)).find((m) => m.start <= offset && offset < m.end);
		return { uri: document.uri.toString(), text, type: hit?.text === text ? hit.type : undefined };
	}
	const offset = document.offsetAt(editor.selection.active);
	const mention = (await entities.mentions(document)).find((m) => m.start <= offset && offset <= m.end);
	if (!mention) {
		throw new UserError('There is no highlighted entity at the cursor: select the name first.');
	}
	return { uri: document.uri.toString(), text: mention.text, type: mention.type };
}

async function addToEntityList(entities: EntityService, target?: EntityTarget): Promise<void> {
	const t = target?.uri && target.text ? { ...target, uri: target.uri, text: target.text } : await targetFromEditor(entities);
	if (t.text.length === 0 || t.text.includes('\n')) {
		throw new UserError('Select a name on one line to add it to the entity list.');
	}
	const uri = vscode.Uri.parse(t.uri);
	let type = t.type;
	if (!target?.name || !isEntityType(type)) {
		const pickedType = await vscode.window.showQuickPick(
			ENTITY_TYPES.map((e) => ({ label: ENTITY_TYPE_NAMES[e], description: e === type ? `${e} · found by the tagger` : e, type: e })).sort((a, b) =>
				a.type === type ? -1 : b.type === type ? 1 : 0,
			),
			{ title: `Add “${t.text}” to the entity list: type`, placeHolder: 'Which kind of entity is this?' },
		);
		if (!pickedType) {
			throw new CancelledError();
		}
		type = pickedType.type;
	}
	let name = target?.name;
	if (!name) {
		const matcher = await entities.matcherFor(uri);
		const sameType = matcher.list.entities.filter((e) => e.type === type);
		const items: (vscode.QuickPickItem & { name?: string })[] = [
			{ label: `$(add) New entity “${t.text}”`, name: t.text },
			...sameType.map((e) => ({ label: e.name, description: e.aliases.join(', '), detail: `Add “${t.text}” as another spelling`, name: e.name })),
			{ label: '$(edit) New entity with another canonical name…' },
		];
		const picked = await vscode.window.showQuickPick(items, { title: `Add “${t.text}”: canonical entity`, matchOnDescription: true });
		if (!picked) {
			throw new CancelledError();
		}
		name =
			picked.name ??
			(await vscode.window.showInputBox({ title: 'Canonical name', value: t.text, prompt: `The entity “${t.text}” stands for, e.g. “Volodymyr Zelensky”.` }))?.trim();
		if (!name) {
			throw new CancelledError();
		}
	}
	await editEntityList(entities, uri, (text) => addEntityToListText(text, { name: name, type: type, alias: t.text }));
	void vscode.window.setStatusBarMessage(`Corpus Annotator: “${t.text}” → ${name} (${type}) added to the entity list.`, 4000);
}

async function markNotEntity(entities: EntityService, target?: EntityTarget): Promise<void> {
	const t = target?.uri && target.text ? { uri: target.uri, text: target.text } : await targetFromEditor(entities);
	await editEntityList(entities, vscode.Uri.parse(t.uri), (text) => addNotEntityToListText(text, t.text));
	void vscode.window.setStatusBarMessage(`Corpus Annotator: “${t.text}” will no longer be highlighted.`, 4000);
}

async function editEntityList(entities: EntityService, articleUri: vscode.Uri, edit: (text: string) => string): Promise<void> {
	const listUri = await entities.entityListUri(articleUri);
	if (!listUri) {
		throw new UserError('Open a folder first: the entity list lives in .corpus/entities.yaml of the workspace folder.');
	}
	const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === listUri.toString());
	if (open?.isDirty) {
		throw new UserError('The entity list has unsaved changes: save or revert it first.', [
			{ title: 'Open Entity List', run: () => vscode.window.showTextDocument(open) },
		]);
	}
	await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(listUri, '..'));
	let result;
	try {
		// Under the file's lock and re-applied on the text as it is then, so a teammate's or the CLI's edit is never lost.
		result = await updateUriLocked(listUri, (current) => {
			const before = current ?? '';
			const after = edit(before);
			if (after === before) {
				return undefined;
			}
			return before === '' ? '# Entities the analysts maintain: canonical name, type (PER, LOC, ORG, MISC) and other spellings.\n' + after : after;
		});
	} catch (error) {
		throw new UserError(`Cannot change ${vscode.workspace.asRelativePath(listUri)}: ${error instanceof Error ? error.message : String(error)}. Fix the file first.`, [
			{ title: 'Open Entity List', run: () => vscode.window.showTextDocument(listUri) },
		]);
	}
	if (result.written) {
		entities.invalidateLists();
	}
}

/** What Find Entity Mentions searches for: from the hover link, or the name at the cursor. */
export interface MentionQuery {
	spellings?: string[];
	label?: string;
	/** The entity type (`PER` adds surnames alone in articles naming the person in full). */
	type?: EntityType;
}

async function findEntityMentions(entities: EntityService, query?: MentionQuery): Promise<CorpusMention[]> {
	let spellings = query?.spellings;
	let label = query?.label;
	let type = query?.type;
	if (!spellings || spellings.length === 0) {
		const t = await targetFromEditor(entities);
		const listed = await entities.lookup(vscode.Uri.parse(t.uri), t.text);
		spellings = listed ? spellingsOf(listed) : [t.text];
		label = listed?.name ?? t.text;
		type = listed?.type ?? t.type;
	}
	const forms = entityForms(spellings, type === 'PER');
	const name = label ?? spellings[0];
	// The search reports its progress in the list it fills (no separate toast that could outlive it).
	const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { mention: CorpusMention }>();
	const cancel = new vscode.CancellationTokenSource();
	quickPick.title = `Finding “${name}” in the corpus…`;
	quickPick.busy = true;
	quickPick.matchOnDetail = true;
	quickPick.onDidAccept(() => {
		const picked = quickPick.selectedItems[0];
		quickPick.hide();
		if (picked) {
			void vscode.window.showTextDocument(picked.mention.uri, { selection: picked.mention.range });
		}
	});
	quickPick.onDidHide(() => {
		cancel.cancel();
		quickPick.dispose();
		cancel.dispose();
	});
	quickPick.show();
	const found = await findMentionsInCorpus(forms, (done, total) => (quickPick.placeholder = `Searching: ${done} of ${total} files`), cancel.token);
	const articles = new Set(found.map((f) => f.uri.toString())).size;
	const searched = [...forms.spellings, ...forms.surnames.map((s) => `${s} (where the full name occurs)`)];
	quickPick.busy = false;
	quickPick.title = `${found.length} mention${found.length === 1 ? '' : 's'} of ${name} in ${articles} article${articles === 1 ? '' : 's'}`;
	quickPick.placeholder = `Spellings: ${searched.join(', ')}, with possessives — type to filter`;
	quickPick.items = found.map((mention) => ({
		label: `${vscode.workspace.asRelativePath(mention.uri)}:${mention.range.start.line + 1}`,
		description: mention.text,
		detail: excerpt(mention),
		mention,
	}));
	return found;
}

function excerpt(mention: CorpusMention): string {
	const line = mention.lineText;
	const from = Math.max(0, mention.range.start.character - 60);
	const to = Math.min(line.length, mention.range.end.character + 60);
	return `${from > 0 ? '…' : ''}${line.slice(from, to)}${to < line.length ? '…' : ''}`;
}
