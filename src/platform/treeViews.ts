import * as vscode from 'vscode';

/** Makes the TreeView of a contributed view for its data provider. */
export type TreeViewFactory = <T>(id: string, provider: vscode.TreeDataProvider<T>) => vscode.TreeView<T>;

/** Features that run in every workspace from activation on create their views directly. */
export const createTreeView: TreeViewFactory = (id, provider) => vscode.window.createTreeView(id, { treeDataProvider: provider, showCollapseAll: true });

/**
 * The views of features loaded after activation (platform/lazyBundle.ts), created at activation so
 * that VS Code has a provider to ask: the first time it asks a view for its children (the view is
 * shown), that view's `load` runs, and the feature's provider, handed over by `create`, takes the
 * view over.
 */
export class DeferredTreeViews implements vscode.Disposable {
	private readonly views = new Map<string, DeferredTreeView<unknown>>();

	/** Creates the view `id` now; `load` must end in a `create(id, …)` call. */
	defer(id: string, load: () => void): void {
		this.views.set(id, new DeferredTreeView(id, load));
	}

	/** The factory the loaded features create their views with. */
	readonly create: TreeViewFactory = <T>(id: string, provider: vscode.TreeDataProvider<T>): vscode.TreeView<T> => {
		const deferred = this.views.get(id) as DeferredTreeView<T> | undefined;
		return deferred ? deferred.attach(provider) : createTreeView(id, provider);
	};

	dispose(): void {
		for (const view of this.views.values()) {
			view.dispose();
		}
	}
}

class DeferredTreeView<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
	private provider: vscode.TreeDataProvider<T> | undefined;
	private readonly changed = new vscode.EventEmitter<T | T[] | undefined | null | void>();
	readonly onDidChangeTreeData = this.changed.event;
	private readonly view: vscode.TreeView<T>;
	private forwarding: vscode.Disposable | undefined;

	constructor(
		id: string,
		private readonly load: () => void,
	) {
		this.view = vscode.window.createTreeView(id, { treeDataProvider: this, showCollapseAll: true });
	}

	attach(provider: vscode.TreeDataProvider<T>): vscode.TreeView<T> {
		this.provider = provider;
		this.forwarding = provider.onDidChangeTreeData?.((e) => this.changed.fire(e));
		this.changed.fire();
		return this.view;
	}

	getChildren(element?: T): vscode.ProviderResult<T[]> {
		if (!this.provider) {
			this.load();
		}
		return this.provider ? this.provider.getChildren(element) : [];
	}

	getTreeItem(element: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
		if (!this.provider) {
			throw new Error('a deferred view was asked for an item before its provider arrived');
		}
		return this.provider.getTreeItem(element);
	}

	// `reveal` needs getParent (the Disagreements view reveals the disagreement it opens).
	getParent(element: T): vscode.ProviderResult<T> {
		return this.provider?.getParent?.(element);
	}

	dispose(): void {
		this.forwarding?.dispose();
		this.changed.dispose();
		if (!this.provider) {
			// Once attached, the view is the feature's and disposed with it.
			this.view.dispose();
		}
	}
}
