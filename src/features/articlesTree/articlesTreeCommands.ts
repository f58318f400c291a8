import { CommandId } from '../../constants';

/**
 * The commands ArticlesTreeView registers. Activation registers them before the view's bundle
 * (dist/lazy-articles.js) is loaded, and loads it when one of them runs.
 */
export const ARTICLES_TREE_COMMANDS: readonly string[] = [
	CommandId.RefreshArticles,
	CommandId.FilterArticles,
	CommandId.ClearArticleFilter,
	CommandId.ToggleArticleSortOrder,
	CommandId.OpenSampleCorpus,
];
