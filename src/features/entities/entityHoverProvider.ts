import * as vscode from 'vscode';
import { spellingsOf } from '../../core/entities/entityList';
import { ENTITY_TYPE_NAMES, MENTION_SOURCE_NAMES, type EntityMention } from '../../core/entities/entityTypes';
import { escapeRegExp } from '../../core/text/namePattern';
import { CommandId } from '../../constants';
import { ARTICLE_SELECTOR } from '../../platform/articleDocuments';
import { Disposable } from '../../platform/dispose';
import { escapeMarkdown as escape } from '../../platform/markdown';
import { findMentionsInCorpus } from './corpusMentionSearch';
import type { EntityDecorator } from './entityDecorator';
import type { EntityService } from './entityService';
import { entityForms, findEntityForms, type EntityForms } from './mentionSpellings';

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
		this._register(vscode.languages.registerHoverProvider(ARTICLE_SELECTOR, this));
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
		const mention = mentions.find((m) => m.start <= offset && offset < m.end && this.decorator.isShown(m));
		if (!mention) {
			return undefined;
		}
		const who = await this.identify(document, mention, mentions);
		const forms = entityForms(who.spellings, mention.type === 'PER');
		const inArticle = findEntityForms(document.getText(), forms).length;
		const corpus = await this.corpusCount(forms);

		const md = new vscode.MarkdownString(undefined, true);
		md.isTrusted = { enabledCommands: [CommandId.FindEntityMentions, CommandId.AddToEntityList, CommandId.MarkNotEntity, CommandId.ChangeEntityType] };
		md.appendMarkdown(`**${escape(mention.text)}** · ${ENTITY_TYPE_NAMES[mention.type]} (${mention.type})`);
		if (who.canonical !== undefined && who.canonical !== mention.text) {
			md.appendMarkdown(` — ${escape(who.canonical)}${who.listed ? ' _(entity list)_' : ' _(named so in this article)_'}`);
		} else if (who.listed) {
			md.appendMarkdown(' — _entity list_');
		}
		const faint = this.decorator.isFaint(mention) ? ` — below the minimum ${this.decorator.minimumConfidence.toFixed(2)}, drawn fainter` : '';
		md.appendMarkdown(`\n\nConfidence ${mention.confidence.toFixed(2)} · source: ${MENTION_SOURCE_NAMES[mention.source]}${faint}\n\n`);
		const others = [...forms.spellings, ...forms.surnames].filter((s) => s !== mention.text && s !== who.canonical);
		if (others.length > 0) {
			md.appendMarkdown(`Also written: ${others.map(escape).join(', ')}\n\n`);
		}
		md.appendMarkdown(`${inArticle} mention${inArticle === 1 ? '' : 's'} in this article`);
		if (corpus) {
			md.appendMarkdown(` · ${corpus.mentions} in ${corpus.articles} article${corpus.articles === 1 ? '' : 's'} of the corpus`);
		}
		const args = encodeURIComponent(JSON.stringify([{ spellings: forms.spellings, label: who.canonical ?? mention.text, type: mention.type }]));
		const addArgs = encodeURIComponent(JSON.stringify([{ uri: document.uri.toString(), text: mention.text, type: mention.type }]));
		const changeArgs = encodeURIComponent(JSON.stringify([{ uri: document.uri.toString(), start: mention.start, end: mention.end }]));
		md.appendMarkdown(
			`\n\n[Change type…](command:${CommandId.ChangeEntityType}?${changeArgs}) · ` +
				`[Find all mentions](command:${CommandId.FindEntityMentions}?${args}) · ` +
				`[Add to entity list](command:${CommandId.AddToEntityList}?${addArgs}) · ` +
				`[Not an entity](command:${CommandId.MarkNotEntity}?${addArgs})`,
		);
		const range = new vscode.Range(document.positionAt(mention.start), document.positionAt(mention.end));
		return new vscode.Hover(md, range);
	}

	/**
	 * Who a mention is: the listed entity its text (or the text without a possessive) belongs to;
	 * else, for a person's surname, the full name it stands for in this article; else itself.
	 */
	private async identify(document: vscode.TextDocument, mention: EntityMention, mentions: readonly EntityMention[]): Promise<{ canonical?: string; listed: boolean; spellings: string[] }> {
		const bare = mention.text.replace(/(?:['’]s?|(?<=[^sxz])s)$/u, '');
		for (const text of new Set([mention.text, bare])) {
			const listed = await this.entities.lookup(document.uri, text);
			if (listed) {
				return { canonical: listed.name, listed: true, spellings: spellingsOf(listed) };
			}
		}
		if (mention.canonical) {
			return { canonical: mention.canonical, listed: true, spellings: [mention.canonical, mention.text] };
		}
		const alsoBare = bare !== mention.text && bare.length > 0 && mentions.some((m) => m.text === bare) ? bare : undefined;
		if (mention.type === 'PER') {
			const surname = new RegExp(`\\s(?:${[mention.text, bare].map(escapeRegExp).join('|')})$`, 'u');
			const fullName = mentions.find((m) => m.type === 'PER' && m !== mention && surname.test(m.text));
			if (fullName) {
				const listed = await this.entities.lookup(document.uri, fullName.text);
				return listed
					? { canonical: listed.name, listed: true, spellings: spellingsOf(listed) }
					: { canonical: fullName.canonical ?? fullName.text, listed: false, spellings: [fullName.text] };
			}
		}
		return { listed: false, spellings: [alsoBare ?? mention.text] };
	}

	private corpusCount(forms: EntityForms): Promise<{ mentions: number; articles: number } | undefined> {
		const key = [...forms.spellings, '', ...forms.surnames].join('\u0000');
		let count = this.corpusCounts.get(key);
		if (!count) {
			count = (async () => {
				const files = await vscode.workspace.findFiles('**/*.txt', '**/{node_modules,.git,.vscode-test}/**', MAX_FILES_FOR_HOVER_COUNT + 1);
				if (files.length > MAX_FILES_FOR_HOVER_COUNT) {
					return undefined;
				}
				const found = await findMentionsInCorpus(forms);
				return { mentions: found.length, articles: new Set(found.map((f) => f.uri.toString())).size };
			})();
			this.corpusCounts.set(key, count);
		}
		return count;
	}
}
