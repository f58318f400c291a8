/**
 * What `activate()` returns. Other extensions and our integration tests talk to the running
 * extension through this object only (integration tests must not import `src/`).
 */
export interface CorpusApi {
	readonly apiVersion: 1;
	/** Present only when the extension runs in test mode (`ExtensionMode.Test`). */
	readonly testing?: CorpusTestingApi;
}

/** A painted range as the decoration recorder saw it (zero-based lines and characters). */
export interface PaintedRange {
	readonly start: { readonly line: number; readonly character: number };
	readonly end: { readonly line: number; readonly character: number };
	readonly text: string;
}

/** Test seams: handles on live objects that the UI offers no way to read back. */
export interface CorpusTestingApi {
	/** Re-runs article recognition on every open document; resolves to how many were switched. */
	detectArticles(): Promise<number>;
	/** The Articles view (corpus tree). */
	articlesTree: ArticlesTreeTestingApi;
	decorations: {
		/** Ranges last painted in the document for a decoration key (`entity.PER`, …), or undefined if never painted. */
		recorded(uri: string, key: string): PaintedRange[] | undefined;
		/** Repaints the visible editors of the document now and resolves when done. */
		repaint(uri: string): Promise<void>;
	};
	annotations: {
		/** The annotations of an article as the extension holds them (UTF-16 editor offsets). */
		list(uri: string): Promise<{
			errors?: string[];
			/** Annotation changes held in memory until the article is saved. */
			pendingChanges: number;
			annotations: { id: string; label: string; status: string; start: number; end: number; text: string; quote: string; note?: string }[];
		}>;
	};
	entities: {
		/** The Entities view's content: types with counts and entity names with mention counts. */
		view(): Promise<{ type: string; count: number; entities: { name: string; mentions: number }[] }[]>;
		/** What the Entities view shows right now, without refreshing it first. */
		shown(): { type: string; count: number; entities: { name: string; mentions: number }[] }[];
		/** Milliseconds the tagger model took to load, once loaded. */
		modelLoadMs(): number | undefined;
		/** The mentions the highlights of an open article are drawn from (UTF-16 offsets). */
		mentions(uri: string): Promise<{ start: number; end: number; text: string; type: string; confidence: number; source: string }[]>;
		/** Waits for the workspace model to learn from the corrections of the folder of `uri`; what it learnt, if anything. */
		whenLearnt(uri: string): Promise<{ rows: number; passes: number; ms: number; fromStorage: boolean } | undefined>;
		/** Waits for the background pass of the corpus vote; resolves to the number of articles that voted. */
		whenCorpusIndexed(): Promise<number>;
	};
	/** The Annotation Changes view (review in source control). */
	review: ReviewTestingApi;
	/** The Disagreements view (agreement between analysts). */
	agreement: AgreementTestingApi;
}

/** Test seams of the Disagreements view. */
export interface AgreementTestingApi {
	/** Compares two refs (`WORKTREE` for the files on disk) or two authors; resolves when the view shows the result. */
	compare(a: string, b: string, mode: 'refs' | 'authors'): Promise<void>;
	/** The figures (message), the progress ("12 of 40 settled") and, per article, its disagreements. */
	view(): {
		message?: string;
		progress?: string;
		articles: { article: string; disagreements: { key: string; kind: string; settled: boolean; a?: string; b?: string }[] }[];
	};
	/** Opens disagreement `index` of an article (path relative to the repository) as a click does; resolves to the editor's URI. */
	open(article: string, index: number): Promise<string | undefined>;
	/** Settles the current disagreement as the Settle command does (without its quick pick), then moves to the next open one. */
	settle(decision: 'accept-a' | 'accept-b' | 'keep-both' | 'reject-both' | 'edit', edited?: { label: string; start: number; end: number }): Promise<void>;
	/** Resolves when changes of the working tree's sidecars seen so far are reflected in the view. */
	whenSettled(): Promise<void>;
}

/** Test seams of the Annotation Changes view. */
export interface ReviewTestingApi {
	/** Re-reads git now (skipping the debounce); resolves when the view shows the result. */
	refresh(): Promise<void>;
	/** Compares `from` with `to` (a ref, or undefined for the working tree) and refreshes. */
	compare(from: string, to?: string): Promise<void>;
	/**
	 * The view's content after a refresh: per article (path relative to the repository root), its
	 * changes (`kind`: added | removed | relabelled | moved | requoted | note | entity | other, and for relations relation-added | relation-removed | relation-changed with ids `relation:<id>`).
	 */
	view(): Promise<{ article: string; changes: { kind: string; id: string; label: string }[] }[]>;
	/** The view's message (not a git repository, no changes, git errors), if any. */
	message(): string | undefined;
	/** Opens a change as a click in the view does (decorations `review.added`/`review.removed`/`review.changed`); resolves to the editor's URI. */
	open(article: string, id: string): Promise<string | undefined>;
}

/** A node of the Articles tree, as the tree hands it out (opaque apart from these fields). */
export interface ArticlesTreeNodeHandle {
	readonly kind: 'year' | 'month' | 'undated' | 'article';
	/** The stable `TreeItem.id`: `year:2024`, `month:2024-07`, `undated`, `article:<file uri>`. */
	readonly id: string;
}

/** A tree item as plain data. */
export interface ArticlesTreeItemData {
	readonly id: string;
	readonly label: string;
	readonly description?: string;
	/** Markdown source of the tooltip (or its plain text). */
	readonly tooltip?: string;
	readonly contextValue?: string;
	readonly collapsible: boolean;
	/** Codicon id of the icon, when it is one. */
	readonly icon?: string;
	/** Command run on click (`vscode.open` for articles). */
	readonly command?: string;
	readonly resourceUri?: string;
}

export interface ArticlesTreeTestingApi {
	/** Children of a node (top level without one); starts the index and waits for the first one to finish. */
	getChildren(node?: ArticlesTreeNodeHandle): Promise<ArticlesTreeNodeHandle[]>;
	getTreeItem(node: ArticlesTreeNodeHandle): ArticlesTreeItemData;
	getParent(node: ArticlesTreeNodeHandle): ArticlesTreeNodeHandle | undefined;
	/** Resolves when the index is built and every pending file event has been applied. */
	whenIndexed(): Promise<void>;
	/** Relative path of the article selected in the view, if any. */
	revealedArticle(): string | undefined;
	/** Sets the filter as the Filter command would (`''` clears it). */
	setFilter(text: string): void;
	/** The view's message (shows the active filter). */
	message(): string | undefined;
	/** Writes the index snapshot for the next session now (otherwise written a few seconds after changes). */
	saveIndexSnapshot(): Promise<void>;
	/**
	 * Builds a second corpus index from the workspace storage as the next session would: how many
	 * entries the snapshot restored, how many the first change showed, how many after checking the files.
	 */
	reopenIndex(): Promise<{ restored: number; firstShown: number; total: number; storageFile: string | undefined }>;
}
