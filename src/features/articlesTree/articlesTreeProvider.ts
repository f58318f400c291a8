import * as vscode from 'vscode';
import { UNDATED_KEY, type CorpusEntry, type IndexChange, type SortOrder } from '../../core/corpus/corpusIndex';
import { Disposable } from '../../platform/dispose';
import { ArticleTreeNodes, type ArticleTreeNode } from './articleTreeNodes';
import { toTreeItem, type TreeItemContext } from './treeItems';
import type { WorkspaceCorpus } from './workspaceCorpus';

/** While the first index runs, the top level is refreshed at most this often. */
const INDEXING_REFRESH_MS = 250;

/**
 * Year → month → article tree over the {@link WorkspaceCorpus}, undated articles in a final
 * group. `getChildren` only reads the index; changes are turned into targeted refreshes of the
 * groups they touched (the whole tree only when the top level changed).
 */
export class ArticlesTreeProvider extends Disposable implements vscode.TreeDataProvider<ArticleTreeNode> {
	private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<ArticleTreeNode | ArticleTreeNode[] | undefined>());
	readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

	private readonly nodes = new ArticleTreeNodes();
	private readonly itemContext: TreeItemContext;
	/** Ids of the top-level nodes last returned, to notice when the top level changes under a filter. */
	private rootIds = '';
	private pending: IndexChange | undefined;
	private timer: ReturnType<typeof setTimeout> | undefined;

	constructor(
		private readonly corpus: WorkspaceCorpus,
		private readonly sortOrder: () => SortOrder,
	) {
		super();
		this.itemContext = {
			count: (node) => this.count(node),
			entry: (id) => corpus.index.get(id),
			uriOf: (entry) => corpus.uriOf(entry),
			folderName: (entry) => (corpus.folderCount > 1 ? corpus.folderName(entry) : undefined),
		};
		this._register(corpus.onDidChange((e) => this.schedule(e.change, e.indexing)));
		this._register({ dispose: () => clearTimeout(this.timer) });
	}

	getChildren(node?: ArticleTreeNode): ArticleTreeNode[] {
		void this.corpus.start();
		const index = this.corpus.index;
		const order = this.sortOrder();
		if (!node) {
			const children = index.yearGroups(order).map((g) => this.nodes.year(g.year));
			if (index.undatedCount() > 0) {
				children.push(this.nodes.undated());
			}
			this.rootIds = children.map((c) => c.id).join('\n');
			return children;
		}
		switch (node.kind) {
			case 'year':
				return index.monthGroups(node.year, order).map((g) => this.nodes.month(g.year, g.month));
			case 'month':
				return index.articles(node.year, node.month).map((e) => this.nodes.article(e.id));
			case 'undated':
				return index.undatedArticles().map((e) => this.nodes.article(e.id));
			case 'article':
				return [];
		}
	}

	getTreeItem(node: ArticleTreeNode): vscode.TreeItem {
		return toTreeItem(node, this.itemContext);
	}

	getParent(node: ArticleTreeNode): ArticleTreeNode | undefined {
		switch (node.kind) {
			case 'year':
			case 'undated':
				return undefined;
			case 'month':
				return this.nodes.year(node.year);
			case 'article': {
				const entry = this.corpus.index.get(node.entryId);
				return entry ? this.parentOf(entry) : undefined;
			}
		}
	}

	/** The node of an indexed article (for `reveal`), or undefined when it is not shown. */
	nodeFor(entry: CorpusEntry): ArticleTreeNode | undefined {
		return this.corpus.index.isVisible(entry.id) ? this.nodes.article(entry.id) : undefined;
	}

	/**
	 * Sends the refreshes still waiting for their timer now. `TreeView.reveal` waits for the
	 * refreshes fired before it, not for these: revealing an article in a month the view has not
	 * been told about would otherwise fail in VS Code ("Cannot resolve tree item for element").
	 */
	flushPendingRefresh(): void {
		if (this.timer !== undefined) {
			clearTimeout(this.timer);
			this.flush();
		}
	}

	/** Redraws everything (filter or sort order changed). */
	refreshAll(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		this.pending = undefined;
		this._onDidChangeTreeData.fire(undefined);
	}

	private parentOf(entry: CorpusEntry): ArticleTreeNode {
		return entry.date ? this.nodes.month(entry.date.year, entry.date.month) : this.nodes.undated();
	}

	private count(node: ArticleTreeNode): number {
		const index = this.corpus.index;
		switch (node.kind) {
			case 'year':
				return index.yearCount(node.year);
			case 'month':
				return index.monthCount(node.year, node.month);
			case 'undated':
				return index.undatedCount();
			case 'article':
				return 1;
		}
	}

	private schedule(change: IndexChange, indexing: boolean): void {
		if (!this.pending) {
			this.pending = { structural: false, keys: new Set() };
		}
		this.pending.structural ||= change.structural;
		for (const key of change.keys) {
			this.pending.keys.add(key);
		}
		// Live edits, and the first rows of an empty view (a restored snapshot, the first batch),
		// go out on the next tick; after that, while indexing, the top level is throttled.
		this.timer ??= setTimeout(() => this.flush(), indexing && this.rootIds !== '' ? INDEXING_REFRESH_MS : 0);
	}

	private flush(): void {
		this.timer = undefined;
		const change = this.pending;
		this.pending = undefined;
		if (!change) {
			return;
		}
		if (change.structural || this.topLevelChanged()) {
			this._onDidChangeTreeData.fire(undefined);
			return;
		}
		const index = this.corpus.index;
		const fire: ArticleTreeNode[] = [];
		for (const key of change.keys) {
			const node = this.nodes.peek(key);
			if (!node) {
				continue; // never shown: nothing to refresh
			}
			if (node.kind === 'article' && !index.get(node.entryId)) {
				this.nodes.forget(key);
				continue;
			}
			if (node.kind === 'month' && index.monthCount(node.year, node.month) === 0) {
				continue; // gone: its year is refreshed
			}
			if (node.kind === 'undated' && key === UNDATED_KEY && index.undatedCount() === 0) {
				continue;
			}
			fire.push(node);
		}
		if (fire.length > 0) {
			this._onDidChangeTreeData.fire(fire);
		}
	}

	private topLevelChanged(): boolean {
		const index = this.corpus.index;
		const ids = index.yearGroups(this.sortOrder()).map((g) => `year:${g.year}`);
		if (index.undatedCount() > 0) {
			ids.push(UNDATED_KEY);
		}
		return ids.join('\n') !== this.rootIds;
	}
}
