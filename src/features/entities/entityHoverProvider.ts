import * as vscode from 'vscode';
import { spellingsOf } from '../../core/entities/entityList';
import { ENTITY_TYPE_NAMES } from '../../core/entities/entityTypes';
import { CommandId, LANGUAGE_ID } from '../../constants';
import { Disposable } from '../../platform/dispose';
import { escapeMarkdown as escape } from '../../platform/markdown';
import { findMentionsInCorpus } from './corpusMentionSearch';
import type { EntityDecorator } from './entityDecorator';
import type { EntityService } from './entityService';

/** Above this many `.txt` files the hover offers a link instead of counting corpus mentions itself. */
const MAX_FILES_FOR_HOVER_COUNT = 3000;

/** Hover on a highlighted entity: type, canonical entity, mentions in this article and in the corpus. */
export class EntityHoverProvider extends Disposable implements vscode.HoverProvider {
	private readonly corpusCounts = new Map<string, Promise<{ mentions: number; articles: number } | undefined>>();

	constructor(
		private readonly entities: EntityService,
		private readonly decorator: EntityDecorator,
	) {
		super();
		this._register(vscode.languages.registerHoverProvider({ language: LANGUAGE_ID }, this));
		// Counts go stale when any article or list changes; recomputing lazily on the next hover is cheap enough.
		this._register(vscode.workspace.onDidSaveTextDocument(() => this.corpusCounts.clear()));
		this._register(entities.onDidChange(() => this.corpusCounts.clear()));
	}

	async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
		if (!this.decorator.isEnabled) {
			return undefined;
		}
		const offset = document.offsetAt(position);
		const mentions = await this.entities.mentions(document);
		const mention = mentions.find((m) => m.start <= offset && offset < m.end && this.decorator.isTypeVisible(m.type));
		if (!mention) {
			return undefined;
		}
		const listed = await this.entities.lookup(document.uri, mention.text);
		const spellings = listed ? spellingsOf(listed) : [mention.text];
		const key = mention.canonical ?? mention.text;
		const inArticle = mentions.filter((m) => (m.canonical ?? m.text) === key).length;
		const corpus = await this.corpusCount(spellings);

		const md = new vscode.MarkdownString(undefined, true);
		md.isTrusted = { enabledCommands: [CommandId.FindEntityMentions, CommandId.AddToEntityList, CommandId.MarkNotEntity] };
		md.appendMarkdown(`**${ENTITY_TYPE_NAMES[mention.type]}** (${mention.type})`);
		md.appendMarkdown(mention.canonical ? ` — ${escape(mention.canonical)} _(entity list)_` : ' — _found by the tagger_');
		md.appendMarkdown('\n\n');
		if (listed && listed.aliases.length > 0) {
			md.appendMarkdown(`Also written: ${spellings.filter((s) => s !== mention.text).map(escape).join(', ')}\n\n`);
		}
		md.appendMarkdown(`${inArticle} mention${inArticle === 1 ? '' : 's'} in this article`);
		if (corpus) {
			md.appendMarkdown(` · ${corpus.mentions} in ${corpus.articles} article${corpus.articles === 1 ? '' : 's'} of the corpus`);
		}
		const args = encodeURIComponent(JSON.stringify([{ spellings, label: key }]));
		const addArgs = encodeURIComponent(JSON.stringify([{ uri: document.uri.toString(), text: mention.text, type: mention.type }]));
		md.appendMarkdown(
			`\n\n[Find all mentions](command:${CommandId.FindEntityMentions}?${args}) · ` +
				`[Add to entity list](command:${CommandId.AddToEntityList}?${addArgs}) · ` +
				`[Not an entity](command:${CommandId.MarkNotEntity}?${addArgs})`,
		);
		const range = new vscode.Range(document.positionAt(mention.start), document.positionAt(mention.end));
		return new vscode.Hover(md, range);
	}

	private corpusCount(spellings: readonly string[]): Promise<{ mentions: number; articles: number } | undefined> {
		const key = spellings.join('\u0000');
		let count = this.corpusCounts.get(key);
		if (!count) {
			count = (async () => {
				const files = await vscode.workspace.findFiles('**/*.txt', '**/{node_modules,.git,.vscode-test}/**', MAX_FILES_FOR_HOVER_COUNT + 1);
				if (files.length > MAX_FILES_FOR_HOVER_COUNT) {
					return undefined;
				}
				const found = await findMentionsInCorpus(spellings);
				return { mentions: found.length, articles: new Set(found.map((f) => f.uri.toString())).size };
			})();
			this.corpusCounts.set(key, count);
		}
		return count;
	}
}
