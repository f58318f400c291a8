import * as vscode from 'vscode';
import { ENTITY_TYPE_NAMES, ENTITY_TYPES, type EntityMention, type EntityType } from '../../core/entities/entityTypes';
import { ViewId } from '../../constants';
import { isArticleDocument } from '../../platform/articleDocuments';
import { Disposable } from '../../platform/dispose';
import type { TreeViewFactory } from '../../platform/treeViews';
import type { EntityService } from './entityService';

export type EntitiesNode =
	| { readonly kind: 'type'; readonly type: EntityType; readonly count: number; readonly entities: EntityEntry[] }
	| { readonly kind: 'entity'; readonly entry: EntityEntry };

export interface EntityEntry {
	readonly type: EntityType;
	/** Canonical name when listed, else the text as written. */
	readonly name: string;
	readonly listed: boolean;
	readonly mentions: EntityMention[];
	readonly spellings: string[];
}

const TYPE_ICONS: Readonly<Record<EntityType, string>> = { PER: 'person', LOC: 'location', ORG: 'organization', MISC: 'symbol-misc' };

/** The Entities view: the active article's entities by type, with mention counts. */
export class EntitiesView extends Disposable implements vscode.TreeDataProvider<EntitiesNode> {
	private roots: EntitiesNode[] = [];
	private document: vscode.TextDocument | undefined;
	private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<void>());
	readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
	private readonly view: vscode.TreeView<EntitiesNode>;
	private timer: ReturnType<typeof setTimeout> | undefined;

	constructor(
		private readonly entities: EntityService,
		createView: TreeViewFactory,
	) {
		super();
		this.view = this._register(createView(ViewId.Entities, this));
		this._register(vscode.window.onDidChangeActiveTextEditor(() => this.scheduleRefresh(0)));
		// A .txt opens as plain text and becomes an article a moment later, in the same editor and
		// without an active-editor change: the first article opened would otherwise stay unlisted.
		this._register(
			vscode.workspace.onDidOpenTextDocument((d) => {
				if (d.uri.toString() === vscode.window.activeTextEditor?.document.uri.toString()) {
					this.scheduleRefresh(0);
				}
			}),
		);
		this._register(
			vscode.workspace.onDidChangeTextDocument((e) => {
				if (e.document === this.document) {
					this.scheduleRefresh(300);
				}
			}),
		);
		this._register(entities.onDidChange(() => this.scheduleRefresh(0)));
		this._register({ dispose: () => clearTimeout(this.timer) });
		this.scheduleRefresh(0);
	}

	/** Resolves once the view reflects the current active editor. */
	async refresh(): Promise<void> {
		const active = vscode.window.activeTextEditor?.document.uri.toString();
		// The document object of the editor is replaced on the language switch: find the current one.
		const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === active && isArticleDocument(d));
		this.document = document;
		if (!document) {
			this.roots = [];
			this.view.message = 'Open an article to see its entities.';
		} else {
			this.roots = groupMentions(await this.entities.mentions(document));
			const total = this.roots.reduce((n, r) => n + (r.kind === 'type' ? r.count : 0), 0);
			this.view.message = total === 0 ? 'No entities found in this article.' : undefined;
			this.view.description = `${total} mention${total === 1 ? '' : 's'}`;
		}
		this._onDidChangeTreeData.fire();
	}

	getChildren(node?: EntitiesNode): EntitiesNode[] {
		if (!node) {
			return this.roots;
		}
		return node.kind === 'type' ? node.entities.map((entry) => ({ kind: 'entity', entry })) : [];
	}

	getTreeItem(node: EntitiesNode): vscode.TreeItem {
		if (node.kind === 'type') {
			const item = new vscode.TreeItem(ENTITY_TYPE_NAMES[node.type], vscode.TreeItemCollapsibleState.Expanded);
			item.id = `type:${node.type}`;
			item.description = String(node.count);
			item.iconPath = new vscode.ThemeIcon(TYPE_ICONS[node.type]);
			item.contextValue = 'entityType';
			return item;
		}
		const { entry } = node;
		const item = new vscode.TreeItem(entry.name, vscode.TreeItemCollapsibleState.None);
		item.id = `entity:${entry.type}:${entry.name}`;
		const others = entry.spellings.filter((s) => s !== entry.name);
		item.description = `${entry.mentions.length}×${others.length > 0 ? ` · ${others.join(', ')}` : ''}`;
		item.tooltip = `${ENTITY_TYPE_NAMES[entry.type]}${entry.listed ? ' (entity list)' : ''}: ${entry.mentions.length} mention(s) in this article`;
		item.contextValue = entry.listed ? 'entity.listed' : 'entity';
		if (this.document) {
			const first = entry.mentions[0];
			item.command = {
				command: 'vscode.open',
				title: 'Show first mention',
				arguments: [
					this.document.uri,
					{ selection: new vscode.Range(this.document.positionAt(first.start), this.document.positionAt(first.end)) } satisfies vscode.TextDocumentShowOptions,
				],
			};
		}
		return item;
	}

	private scheduleRefresh(delay: number): void {
		clearTimeout(this.timer);
		this.timer = setTimeout(() => {
			this.refresh().catch((error: unknown) => {
				// A provider never shows notifications: the view says what went wrong instead.
				this.view.message = `Entities unavailable: ${error instanceof Error ? error.message : String(error)}`;
			});
		}, delay);
	}
}

/** Groups an article's mentions by type, then by canonical name (or text), most mentioned first. */
export function groupMentions(mentions: readonly EntityMention[]): EntitiesNode[] {
	const roots: EntitiesNode[] = [];
	for (const type of ENTITY_TYPES) {
		const byName = new Map<string, EntityEntry>();
		for (const m of mentions) {
			if (m.type !== type) {
				continue;
			}
			const name = m.canonical ?? m.text;
			let entry = byName.get(name);
			if (!entry) {
				entry = { type, name, listed: m.canonical !== undefined, mentions: [], spellings: [] };
				byName.set(name, entry);
			}
			entry.mentions.push(m);
			if (!entry.spellings.includes(m.text)) {
				entry.spellings.push(m.text);
			}
		}
		if (byName.size > 0) {
			const entities = [...byName.values()].sort((a, b) => b.mentions.length - a.mentions.length || a.name.localeCompare(b.name));
			roots.push({ kind: 'type', type, count: entities.reduce((n, e) => n + e.mentions.length, 0), entities });
		}
	}
	return roots;
}
