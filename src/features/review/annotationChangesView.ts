import * as path from 'path';
import * as vscode from 'vscode';
import { CommandId, ViewId } from '../../constants';
import { SIDECAR_GLOB } from '../../core/corpus/corpusLayout';
import { Disposable } from '../../platform/dispose';
import { gitDirectory, repositoryRoot } from '../../node/git';
import type { Logger } from '../../platform/logger';
import type { TreeViewFactory } from '../../platform/treeViews';
import { ReviewDecorator } from './reviewDecorator';
import { reviewRepository, type ArticleReview, type RepositoryReview, type ReviewChange, type ReviewChangeKind } from './reviewModel';

export type ReviewNode =
	| { readonly kind: 'repo'; readonly repo: RepositoryReview }
	| { readonly kind: 'article'; readonly repo: RepositoryReview; readonly article: ArticleReview }
	| { readonly kind: 'change'; readonly repo: RepositoryReview; readonly article: ArticleReview; readonly change: ReviewChange };

export const NOT_A_REPOSITORY_MESSAGE = 'This folder is not in a git repository — annotation changes are compared between git commits.';
const NO_FOLDER_MESSAGE = 'Open a folder in a git repository to review annotation changes.';

const ICONS: Readonly<Record<ReviewChangeKind, [string, string]>> = {
	added: ['diff-added', 'gitDecoration.addedResourceForeground'],
	removed: ['diff-removed', 'gitDecoration.deletedResourceForeground'],
	relabelled: ['tag', 'gitDecoration.modifiedResourceForeground'],
	moved: ['arrow-both', 'gitDecoration.modifiedResourceForeground'],
	requoted: ['quote', 'gitDecoration.modifiedResourceForeground'],
	note: ['note', 'gitDecoration.modifiedResourceForeground'],
	entity: ['symbol-class', 'gitDecoration.modifiedResourceForeground'],
	other: ['diff-modified', 'gitDecoration.modifiedResourceForeground'],
	'relation-added': ['link', 'gitDecoration.addedResourceForeground'],
	'relation-removed': ['debug-disconnect', 'gitDecoration.deletedResourceForeground'],
	'relation-changed': ['link', 'gitDecoration.modifiedResourceForeground'],
};

/** Refresh delay after a file or git state change: a checkout or merge fires many events. */
const DEBOUNCE_MS = 400;

/**
 * The Annotation Changes view: per repository and article, the annotations added, removed and
 * changed between two versions (default HEAD → working tree), read with the git CLI.
 */
export class AnnotationChangesView extends Disposable implements vscode.TreeDataProvider<ReviewNode> {
	private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<void>());
	readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
	private readonly view: vscode.TreeView<ReviewNode>;
	private readonly gitWatchers = new Map<string, vscode.Disposable>();
	private reviews: RepositoryReview[] = [];
	private from = 'HEAD';
	private to: string | undefined;
	private timer: ReturnType<typeof setTimeout> | undefined;
	private running: Promise<void> = Promise.resolve();
	private dirty = true;

	constructor(
		private readonly decorator: ReviewDecorator,
		private readonly logger: Logger,
		createView: TreeViewFactory,
	) {
		super();
		this.view = this._register(createView(ViewId.AnnotationChanges, this));
		const sidecars = this._register(vscode.workspace.createFileSystemWatcher(SIDECAR_GLOB));
		for (const event of [sidecars.onDidChange, sidecars.onDidCreate, sidecars.onDidDelete]) {
			this._register(event(() => this.schedule()));
		}
		this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.schedule()));
		this._register(this.view.onDidChangeVisibility((e) => {
			if (!e.visible) {
				this.decorator.clear();
			} else if (this.dirty) {
				this.schedule();
			}
		}));
		this._register(this.view.onDidChangeSelection((e) => {
			const shown = this.decorator.shownArticle;
			const selected = e.selection[0];
			const stillShown = selected && selected.kind !== 'repo' && vscode.Uri.file(selected.article.articlePath).toString() === shown;
			if (shown && !stillShown) {
				this.decorator.clear();
			}
		}));
		this._register({ dispose: () => { clearTimeout(this.timer); this.gitWatchers.forEach((w) => w.dispose()); } });
		this.schedule();
	}

	/** The versions compared: `from` (a ref) and `to` (a ref, or undefined for the working tree). */
	get comparison(): { from: string; to: string | undefined } {
		return { from: this.from, to: this.to };
	}

	/** Compares other versions and refreshes. */
	compare(from: string, to: string | undefined): Promise<void> {
		this.from = from;
		this.to = to;
		return this.refresh();
	}

	get message(): string | undefined {
		return this.view.message;
	}

	get repositories(): readonly RepositoryReview[] {
		return this.reviews;
	}

	/** Repository roots of the workspace folders (deduplicated, in folder order). */
	async roots(): Promise<string[]> {
		const roots: string[] = [];
		for (const folder of vscode.workspace.workspaceFolders ?? []) {
			if (folder.uri.scheme !== 'file') {
				continue;
			}
			const root = await repositoryRoot(folder.uri.fsPath).catch((error: unknown) => {
				this.logger.warn(`Annotation Changes: ${error instanceof Error ? error.message : String(error)}`);
				return undefined;
			});
			if (root && !roots.includes(root)) {
				roots.push(root);
			}
		}
		return roots;
	}

	/** Re-reads every repository; resolves when the view shows the result. Calls are serialised. */
	refresh(): Promise<void> {
		clearTimeout(this.timer);
		this.running = this.running.then(() => this.doRefresh()).catch((error: unknown) => this.logger.error('Annotation Changes refresh failed', error));
		return this.running;
	}

	private schedule(): void {
		this.dirty = true;
		clearTimeout(this.timer);
		this.timer = setTimeout(() => void this.refresh(), DEBOUNCE_MS);
	}

	private async doRefresh(): Promise<void> {
		this.dirty = false;
		const roots = await this.roots();
		await this.watchRepositories(roots);
		const target = this.to ?? 'the working tree';
		this.reviews = await Promise.all(
			roots.map((root) =>
				reviewRepository(root, this.from, this.to).catch((error: unknown): RepositoryReview => ({
					root, articles: [], error: error instanceof Error ? error.message : String(error),
				})),
			),
		);
		if ((vscode.workspace.workspaceFolders ?? []).length === 0) {
			this.view.message = NO_FOLDER_MESSAGE;
		} else if (roots.length === 0) {
			this.view.message = NOT_A_REPOSITORY_MESSAGE;
		} else if (this.reviews.every((r) => r.articles.length === 0 && !r.error)) {
			this.view.message = `No annotation changes between ${this.from} and ${target}.`;
		} else {
			const errors = this.reviews.filter((r) => r.error).map((r) => `${path.basename(r.root)}: ${r.error}`);
			this.view.message = errors.length > 0 ? errors.join('\n') : undefined;
		}
		this.view.description = roots.length > 0 ? `${this.from} ↔ ${this.to ?? 'Working Tree'}` : undefined;
		const byUri = new Map<string, ArticleReview>();
		for (const repo of this.reviews) {
			for (const article of repo.articles) {
				byUri.set(vscode.Uri.file(article.articlePath).toString(), article);
			}
		}
		this.decorator.update(byUri);
		this._onDidChangeTreeData.fire();
	}

	/** Watches each repository's HEAD, index and refs (a commit, checkout, merge or stage changes the comparison). */
	private async watchRepositories(roots: readonly string[]): Promise<void> {
		for (const [root, watcher] of [...this.gitWatchers]) {
			if (!roots.includes(root)) {
				watcher.dispose();
				this.gitWatchers.delete(root);
			}
		}
		for (const root of roots) {
			if (this.gitWatchers.has(root)) {
				continue;
			}
			const gitDir = vscode.Uri.file(await gitDirectory(root).catch(() => path.join(root, '.git')));
			const watchers = ['HEAD', 'index', 'refs/**'].map((glob) => vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(gitDir, glob)));
			const listeners = watchers.flatMap((w) => [w.onDidChange, w.onDidCreate, w.onDidDelete].map((event) => event(() => this.schedule())));
			this.gitWatchers.set(root, vscode.Disposable.from(...listeners, ...watchers));
		}
	}

	getChildren(node?: ReviewNode): ReviewNode[] {
		if (!node) {
			if (this.reviews.length === 1) {
				const [repo] = this.reviews;
				return repo.articles.map((article) => ({ kind: 'article', repo, article }));
			}
			return this.reviews.filter((r) => r.articles.length > 0).map((repo) => ({ kind: 'repo', repo }));
		}
		if (node.kind === 'repo') {
			return node.repo.articles.map((article) => ({ kind: 'article', repo: node.repo, article }));
		}
		if (node.kind === 'article') {
			return node.article.changes.map((change) => ({ kind: 'change', repo: node.repo, article: node.article, change }));
		}
		return [];
	}

	getParent(node: ReviewNode): ReviewNode | undefined {
		if (node.kind === 'change') {
			return { kind: 'article', repo: node.repo, article: node.article };
		}
		if (node.kind === 'article' && this.reviews.length > 1) {
			return { kind: 'repo', repo: node.repo };
		}
		return undefined;
	}

	getTreeItem(node: ReviewNode): vscode.TreeItem {
		if (node.kind === 'repo') {
			const item = new vscode.TreeItem(path.basename(node.repo.root), vscode.TreeItemCollapsibleState.Expanded);
			item.id = `repo:${node.repo.root}`;
			item.iconPath = new vscode.ThemeIcon('repo');
			item.description = `${node.repo.articles.length} article${node.repo.articles.length === 1 ? '' : 's'}`;
			item.tooltip = node.repo.root;
			item.contextValue = 'annotationChanges.repo';
			return item;
		}
		if (node.kind === 'article') {
			const { article } = node;
			const item = new vscode.TreeItem(path.posix.basename(article.article), vscode.TreeItemCollapsibleState.Expanded);
			item.id = `article:${node.repo.root}:${article.article}`;
			item.resourceUri = vscode.Uri.file(article.articlePath);
			item.description = counts(article);
			item.tooltip = article.problem ? `${article.article}\n${article.problem}` : article.article;
			if (article.problem) {
				item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
			}
			item.contextValue = 'annotationChanges.article';
			return item;
		}
		const { change } = node;
		const item = new vscode.TreeItem(change.label, vscode.TreeItemCollapsibleState.None);
		item.id = `change:${node.repo.root}:${node.article.article}:${change.id}`;
		item.description = change.detail;
		const [icon, color] = ICONS[change.kind];
		item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
		item.tooltip = tooltip(change);
		item.contextValue = `annotationChanges.change.${change.kind}`;
		item.command = { command: CommandId.OpenAnnotationChange, title: 'Show Change', arguments: [node.article.articlePath, change.id] };
		return item;
	}

	/** Opens the article with its changes drawn and the given one selected (a relation: its `from` annotation). */
	async open(articlePath: string, id: string): Promise<vscode.TextEditor | undefined> {
		const article = this.reviews.flatMap((r) => r.articles).find((a) => a.articlePath === articlePath);
		const change = article?.changes.find((c) => c.id === id);
		if (!article || !change) {
			return undefined;
		}
		const uri = vscode.Uri.file(articlePath);
		const document = await vscode.workspace.openTextDocument(uri);
		const editor = await vscode.window.showTextDocument(document, { preserveFocus: false });
		this.decorator.show(uri, article);
		if (!change.annotation) {
			return editor; // a relation whose annotations neither version has: nowhere to jump
		}
		const range = ReviewDecorator.rangeOf(editor.document, change.annotation);
		editor.selection = new vscode.Selection(range.start, range.end);
		editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
		return editor;
	}
}

function counts(article: ArticleReview): string {
	const added = article.changes.filter((c) => c.kind === 'added' || c.kind === 'relation-added').length;
	const removed = article.changes.filter((c) => c.kind === 'removed' || c.kind === 'relation-removed').length;
	const changed = article.changes.length - added - removed;
	const parts = [added ? `+${added}` : '', removed ? `−${removed}` : '', changed ? `~${changed}` : ''].filter((p) => p !== '');
	return parts.join(' ') || 'unreadable';
}

function tooltip(change: ReviewChange): vscode.MarkdownString {
	const md = new vscode.MarkdownString();
	const r = change.relation;
	const a = change.annotation;
	let note: string | undefined;
	if (r) {
		md.appendMarkdown(`**${change.kind.replace('relation-', 'relation ')}** \`${r.id}\` — type \`${r.type}\`, from \`${r.from}\` to \`${r.to}\`\n\n`);
		md.appendText(change.label.replace(/^\S+ /, ''));
		if (change.relationBefore && change.relationBefore.type !== r.type) {
			md.appendMarkdown(`\n\ntype was \`${change.relationBefore.type}\``);
		}
		note = r.note;
	} else if (a) {
		md.appendMarkdown(`**${change.kind}** \`${a.id}\` — label \`${a.label}\`\n\n`);
		md.appendText(`“${a.quote}”`);
		if (change.before && change.before.label !== a.label) {
			md.appendMarkdown(`\n\nlabel was \`${change.before.label}\``);
		}
		note = a.note;
	}
	if (note) {
		md.appendMarkdown('\n\nNote: ');
		md.appendText(note);
	}
	return md;
}
