export const LANGUAGE_ID = 'corpus-article';
export const CONFIG_SECTION = 'corpusAnnotator';

/** Every command the extension contributes; package.json must list the same ids (checked by a unit test). */
export const enum CommandId {
	DetectArticles = 'corpusAnnotator.detectArticles',
}
