export const LANGUAGE_ID = 'corpus-article';
export const CONFIG_SECTION = 'corpusAnnotator';

/** Every command the extension contributes; package.json must list the same ids (checked by a unit test). */
export const enum CommandId {
	DetectArticles = 'corpusAnnotator.detectArticles',
	RefreshArticles = 'corpusAnnotator.refreshArticles',
	FilterArticles = 'corpusAnnotator.filterArticles',
	ClearArticleFilter = 'corpusAnnotator.clearArticleFilter',
	ToggleArticleSortOrder = 'corpusAnnotator.toggleArticleSortOrder',
	OpenSampleCorpus = 'corpusAnnotator.openSampleCorpus',
	ToggleEntityHighlights = 'corpusAnnotator.toggleEntityHighlights',
	ToggleEntityType = 'corpusAnnotator.toggleEntityType',
	AddToEntityList = 'corpusAnnotator.addToEntityList',
	MarkNotEntity = 'corpusAnnotator.markNotEntity',
	ChangeEntityType = 'corpusAnnotator.changeEntityType',
	LearnFromEntityCorrections = 'corpusAnnotator.learnFromEntityCorrections',
	ResetEntityModel = 'corpusAnnotator.resetEntityModel',
	FindEntityMentions = 'corpusAnnotator.findEntityMentions',
	TagSelection = 'corpusAnnotator.tagSelection',
	TagParagraph = 'corpusAnnotator.tagParagraph',
	TagAllOccurrences = 'corpusAnnotator.tagAllOccurrences',
	EditNote = 'corpusAnnotator.editNote',
	ChangeLabel = 'corpusAnnotator.changeLabel',
	DeleteAnnotation = 'corpusAnnotator.deleteAnnotation',
	NextAnnotation = 'corpusAnnotator.nextAnnotation',
	PreviousAnnotation = 'corpusAnnotator.previousAnnotation',
	AcceptEntity = 'corpusAnnotator.acceptEntity',
	OpenSidecar = 'corpusAnnotator.openSidecar',
	UndoAnnotationChange = 'corpusAnnotator.undoAnnotationChange',
	RedoAnnotationChange = 'corpusAnnotator.redoAnnotationChange',
	ReanchorToSelection = 'corpusAnnotator.reanchorToSelection',
	LinkAnnotation = 'corpusAnnotator.linkAnnotation',
	DeleteRelation = 'corpusAnnotator.deleteRelation',
	RefreshAnnotationChanges = 'corpusAnnotator.refreshAnnotationChanges',
	CompareAnnotationChanges = 'corpusAnnotator.compareAnnotationChangesWith',
	SetupGitMergeDriver = 'corpusAnnotator.setupGitMergeDriver',
	CompareAnalysts = 'corpusAnnotator.compareAnalysts',
	RefreshDisagreements = 'corpusAnnotator.refreshDisagreements',
	SettleDisagreement = 'corpusAnnotator.settleDisagreement',
	NextDisagreement = 'corpusAnnotator.nextDisagreement',
	PreviousDisagreement = 'corpusAnnotator.previousDisagreement',
	ExportCorpus = 'corpusAnnotator.exportCorpus',
	ImportAnnotations = 'corpusAnnotator.importAnnotations',
	/** Internal: run by a disagreement in the Disagreements view (article path, disagreement key). */
	OpenDisagreement = '_corpusAnnotator.openDisagreement',
	/** Internal: run by a change in the Annotation Changes view (article path, annotation id). */
	OpenAnnotationChange = '_corpusAnnotator.openAnnotationChange',
	/** Internal: run by a paragraph's code lens (article URI, annotation id): selects it and shows its hover. */
	SelectAnnotation = '_corpusAnnotator.selectAnnotation',
}

/** Views the extension contributes (package.json `contributes.views`). */
export const enum ViewId {
	Entities = 'corpusAnnotator.entities',
	Articles = 'corpusAnnotator.articles',
	AnnotationChanges = 'corpusAnnotator.annotationChanges',
	Disagreements = 'corpusAnnotator.disagreements',
}

/** Context keys set with `setContext` and used in package.json `when` clauses. */
export const enum ContextKey {
	/** True while the Articles view has a filter. */
	ArticleFilterActive = 'corpusAnnotator.articleFilterActive',
	/** True once the first index of the workspace has finished. */
	ArticlesIndexed = 'corpusAnnotator.articlesIndexed',
	/** True when the workspace holds at least one article. */
	HasArticles = 'corpusAnnotator.hasArticles',
	/** True while the Disagreements view compares two analysts. */
	HasDisagreements = 'corpusAnnotator.hasDisagreements',
}
