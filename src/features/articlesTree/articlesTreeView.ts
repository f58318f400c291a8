import * as vscode from 'vscode';
import type { ArticlesTreeItemData, ArticlesTreeNodeHandle, ArticlesTreeTestingApi } from '../../api';
import { CommandId, CONFIG_SECTION, ContextKey, ViewId } from '../../constants';
import { DEFAULT_LABELS } from '../../core/annotations/defaultLabels';
import { parseFilter, type SortOrder } from '../../core/corpus/corpusIndex';
import type { CommandRegistry } from '../../platform/commandRegistry';
import type { ConfigurationService } from '../../platform/configuration';
import { Disposable } from '../../platform/dispose';
import type { Logger } from '../../platform/logger';
import type { TreeViewFactory } from '../../platform/treeViews';
import { UserError } from '../../platform/userError';
import { AnnotationCountBadges } from './annotationCountBadges';
import { ArticlesTreeProvider } from './articlesTreeProvider';
import type { ArticleTreeNode } from './articleTreeNodes';
import { articleCount } from './treeItems';
import { StorageIndexSnapshotStore } from './indexSnapshotStore';
import { WorkspaceCorpus } from './workspaceCorpus';

/**
 * The "Articles" view of the Corpus container: the tree, its title-bar commands (filter, clear,
 * sort order, refresh), the progress shown while indexing, and following the active editor.
 */
export class ArticlesTreeView extends Disposable {
	private readonly corpus: WorkspaceCorpus;
	private readonly provider: ArticlesTreeProvider;
	private readonly view: vscode.TreeView<ArticleTreeNode>;
	private sortOrder: SortOrder;
	private lastRevealed: string | undefined;
	private firstIndex: Promise<void> | undefined;
	private readonly snapshots: StorageIndexSnapshotStore | undefined;

	constructor(
		config: ConfigurationService,
		commands: CommandRegistry,
		private readonly logger: Logger,
		private readonly extensionUri: vscode.Uri,
		/** The extension's workspace storage, where the index is kept between sessions (none without a workspace). */
		storageUri: vscode.Uri | undefined,
		createView: TreeViewFactory,
	) {
		super();
		this.sortOrder = config.current.tree.sortOrder;
		this.snapshots = storageUri && new StorageIndexSnapshotStore(storageUri);
		this.corpus = this._register(new WorkspaceCorpus(logger, this.snapshots));
		this.provider = this._register(new ArticlesTreeProvider(this.corpus, () => this.sortOrder));
		this._register(new AnnotationCountBadges(this.corpus));
		this.view = this._register(createView(ViewId.Articles, this.provider));

		this._register(
			config.onDidChange((c) => {
				if (c.tree.sortOrder !== this.sortOrder) {
					this.sortOrder = c.tree.sortOrder;
					this.provider.refreshAll();
				}
			}),
		);
		this._register(this.corpus.onDidChange((e) => this.onCorpusChanged(e.indexing)));
		this._register(vscode.window.onDidChangeActiveTextEditor(() => this.followActiveEditor()));
		this._register(
			this.view.onDidChangeVisibility((e) => {
				if (e.visible) {
					void this.ensureIndexed();
					this.followActiveEditor();
				}
			}),
		);
		if (this.view.visible) {
			void this.ensureIndexed();
		}

		commands.register(CommandId.RefreshArticles, () => this.withProgress(this.corpus.refresh()));
		commands.register(CommandId.FilterArticles, () => this.promptFilter());
		commands.register(CommandId.ClearArticleFilter, () => this.setFilter(''));
		commands.register(CommandId.ToggleArticleSortOrder, () => this.toggleSortOrder());
		commands.register(CommandId.OpenSampleCorpus, () => this.openSampleCorpus());
	}

	/** Starts the first index (once) with progress in the view; resolves when it is complete. */
	ensureIndexed(): Promise<void> {
		if (!this.firstIndex) {
			this.firstIndex = this.withProgress(this.corpus.start()).then(() => {
				void vscode.commands.executeCommand('setContext', ContextKey.ArticlesIndexed, true);
				this.updateContext();
				this.followActiveEditor();
			});
		}
		return this.firstIndex;
	}

	/** Sets the filter (`''` clears it): text in the lead, `label:<id>`, `entity:<name>`. */
	setFilter(text: string): void {
		const filter = parseFilter(text);
		this.corpus.index.setFilter(filter);
		void vscode.commands.executeCommand('setContext', ContextKey.ArticleFilterActive, filter !== undefined);
		this.updateMessage();
		this.provider.refreshAll();
		this.followActiveEditor();
	}

	get testing(): ArticlesTreeTestingApi {
		const node = (handle: ArticlesTreeNodeHandle): ArticleTreeNode => handle as ArticleTreeNode;
		return {
			getChildren: async (handle) => {
				await this.ensureIndexed();
				return this.provider.getChildren(handle && node(handle));
			},
			getTreeItem: (handle) => toItemData(this.provider.getTreeItem(node(handle))),
			getParent: (handle) => this.provider.getParent(node(handle)),
			whenIndexed: async () => {
				await this.ensureIndexed();
				await this.corpus.whenIdle();
			},
			revealedArticle: () => {
				const selected = this.view.selection[0];
				const entry = selected?.kind === 'article' ? this.corpus.index.get(selected.entryId) : undefined;
				return entry?.path;
			},
			setFilter: (text) => this.setFilter(text),
			message: () => this.view.message,
			saveIndexSnapshot: () => this.corpus.saveSnapshots(),
			reopenIndex: async () => {
				// A second corpus over the same storage, as the next session would build it.
				const again = new WorkspaceCorpus(this.logger, this.snapshots);
				try {
					const shown = new Promise<number>((resolve) => {
						const sub = again.onDidChange(() => {
							sub.dispose();
							resolve(again.index.size);
						});
					});
					const started = again.start();
					const firstShown = await Promise.race([shown, started.then(() => again.index.size)]);
					await started;
					const folder = vscode.workspace.workspaceFolders?.[0]?.uri.toString() ?? '';
					return { restored: again.restoredCount(folder), firstShown, total: again.index.size, storageFile: this.snapshots?.fileFor(folder).toString() };
				} finally {
					again.dispose();
				}
			},
		};
	}

	private onCorpusChanged(indexing: boolean): void {
		if (this.corpus.index.filter) {
			this.updateMessage();
		}
		if (!indexing) {
			this.updateContext();
			this.followActiveEditor();
		}
	}

	private updateContext(): void {
		void vscode.commands.executeCommand('setContext', ContextKey.HasArticles, this.corpus.index.size > 0);
	}

	private updateMessage(): void {
		const filter = this.corpus.index.filter;
		this.view.message = filter ? `Filter: ${filter.source} — ${articleCount(this.corpus.index.visibleCount)} (clear with ✕)` : undefined;
	}

	/** Reveals and selects the active editor's article, when the view is visible and shows it. */
	private followActiveEditor(): void {
		const editor = vscode.window.activeTextEditor;
		if (!this.view.visible || !editor) {
			return;
		}
		const entry = this.corpus.entryFor(editor.document.uri);
		const node = entry && this.provider.nodeFor(entry);
		if (!node) {
			return;
		}
		const selected = this.view.selection[0];
		if (selected === node && this.lastRevealed === node.id) {
			return;
		}
		this.lastRevealed = node.id;
		this.provider.flushPendingRefresh();
		this.view.reveal(node, { select: true, focus: false, expand: false }).then(undefined, (error: unknown) => {
			this.lastRevealed = undefined;
			this.logger.warn(`Could not reveal ${entry.path} in the Articles view: ${error instanceof Error ? error.message : String(error)}`);
		});
	}

	private async promptFilter(): Promise<void> {
		const text = await vscode.window.showInputBox({
			title: 'Filter Articles',
			value: this.corpus.index.filter?.source ?? '',
			prompt: 'Text in the lead, label:<id> for an annotation label, entity:<name> for an entity. Empty clears the filter.',
			placeHolder: `e.g. Zelensky  ·  label:${DEFAULT_LABELS[0].id}  ·  entity:"Witte Huis"`,
		});
		if (text !== undefined) {
			this.setFilter(text);
		}
	}

	private async toggleSortOrder(): Promise<void> {
		const next: SortOrder = this.sortOrder === 'oldestFirst' ? 'newestFirst' : 'oldestFirst';
		const settings = vscode.workspace.getConfiguration(CONFIG_SECTION);
		const inspected = settings.inspect<string>('tree.sortOrder');
		// Change the value where it is set, so a workspace setting is not silently shadowed.
		const target =
			inspected?.workspaceFolderValue !== undefined
				? vscode.ConfigurationTarget.WorkspaceFolder
				: inspected?.workspaceValue !== undefined
					? vscode.ConfigurationTarget.Workspace
					: vscode.ConfigurationTarget.Global;
		this.sortOrder = next;
		this.provider.refreshAll();
		await settings.update('tree.sortOrder', next, target);
	}

	private async openSampleCorpus(): Promise<void> {
		const folder = vscode.Uri.joinPath(this.extensionUri, 'sample-corpus');
		try {
			await vscode.workspace.fs.stat(folder);
		} catch {
			throw new UserError('The sample corpus is missing from this installation of Corpus Annotator.');
		}
		await vscode.commands.executeCommand('vscode.openFolder', folder);
	}

	private withProgress(work: Promise<void>): Promise<void> {
		return Promise.resolve(
			vscode.window.withProgress({ location: { viewId: ViewId.Articles }, title: 'Indexing articles' }, () => work),
		);
	}
}

function toItemData(item: vscode.TreeItem): ArticlesTreeItemData {
	const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
	const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : item.tooltip;
	return {
		id: item.id ?? '',
		label,
		description: typeof item.description === 'string' ? item.description : undefined,
		tooltip,
		contextValue: item.contextValue,
		collapsible: item.collapsibleState !== undefined && item.collapsibleState !== vscode.TreeItemCollapsibleState.None,
		icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined,
		command: item.command?.command,
		resourceUri: item.resourceUri?.toString(),
	};
}
