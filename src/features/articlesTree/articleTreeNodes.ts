import { articleKey, monthKey, UNDATED_KEY, yearKey } from '../../core/corpus/corpusIndex';

/**
 * Elements of the Articles tree: plain data with a stable `id` (also the `TreeItem.id`), so
 * expansion and selection survive refreshes and `TreeView.reveal` can find an article again.
 */
export type ArticleTreeNode =
	| { readonly kind: 'year'; readonly id: string; readonly year: number }
	| { readonly kind: 'month'; readonly id: string; readonly year: number; readonly month: number }
	| { readonly kind: 'undated'; readonly id: string }
	| { readonly kind: 'article'; readonly id: string; readonly entryId: string };

/**
 * Hands out one node object per id: VS Code identifies fired and revealed elements by object
 * identity, so the same article must always be the same object.
 */
export class ArticleTreeNodes {
	private readonly nodes = new Map<string, ArticleTreeNode>();

	year(year: number): ArticleTreeNode {
		return this.intern(yearKey(year), (id) => ({ kind: 'year', id, year }));
	}

	month(year: number, month: number): ArticleTreeNode {
		return this.intern(monthKey(year, month), (id) => ({ kind: 'month', id, year, month }));
	}

	undated(): ArticleTreeNode {
		return this.intern(UNDATED_KEY, (id) => ({ kind: 'undated', id }));
	}

	article(entryId: string): ArticleTreeNode {
		return this.intern(articleKey(entryId), (id) => ({ kind: 'article', id, entryId }));
	}

	/** The node handed out for `id`, if any. */
	peek(id: string): ArticleTreeNode | undefined {
		return this.nodes.get(id);
	}

	forget(id: string): void {
		this.nodes.delete(id);
	}

	clear(): void {
		this.nodes.clear();
	}

	private intern(id: string, create: (id: string) => ArticleTreeNode): ArticleTreeNode {
		let node = this.nodes.get(id);
		if (!node) {
			node = create(id);
			this.nodes.set(id, node);
		}
		return node;
	}
}
