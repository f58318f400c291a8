import * as vscode from 'vscode';
import type { CorpusApi, CorpusTestingApi } from './api';
import { CommandId, LANGUAGE_ID, ViewId } from './constants';
import { ArticleLanguageDetector } from './features/articleLanguage/articleLanguageDetector';
import { HeaderDiagnostics } from './features/articleLanguage/headerDiagnostics';
import { ARTICLES_TREE_COMMANDS } from './features/articlesTree/articlesTreeCommands';
import type { LoadedFeatures } from './lazyFeatures';
import { ArticleDocumentCache } from './platform/articleDocuments';
import { CommandRegistry } from './platform/commandRegistry';
import { ConfigurationService } from './platform/configuration';
import { EditorDecorationSetter, RecordingDecorationSetter } from './platform/decorationSetter';
import { LazyBundle } from './platform/lazyBundle';
import { OutputLogger } from './platform/logger';
import { DeferredTreeViews } from './platform/treeViews';

/** Offsets still pending in memory are written through the annotation store on the way out, if it was loaded. */
let features: LazyBundle<LoadedFeatures> | undefined;

/**
 * Composition root: builds the services, hands them to the features, and registers everything for
 * disposal. Activation itself runs only what every start needs — article recognition and the
 * header checks. The Articles view (dist/lazy-articles.js) and the other features, with `yaml` and
 * the tagger (dist/lazy-features.js, src/lazyFeatures.ts), load when first needed: one of their
 * views is shown, one of their commands runs, or (for the features) an article is open.
 */
export function activate(context: vscode.ExtensionContext): CorpusApi {
	const started = performance.now();
	const logger = new OutputLogger();
	const config = new ConfigurationService();
	const documents = new ArticleDocumentCache();
	const commands = new CommandRegistry(logger);
	// In test mode decorations are also recorded: VS Code cannot read them back from an editor.
	const recorder = context.extensionMode === vscode.ExtensionMode.Test ? new RecordingDecorationSetter() : undefined;
	const setter = recorder ?? new EditorDecorationSetter();

	const detector = new ArticleLanguageDetector(config, logger);
	const headerDiagnostics = new HeaderDiagnostics(documents);
	commands.register(CommandId.DetectArticles, async () => {
		const switched = await detector.detectAll();
		void vscode.window.showInformationMessage(`Corpus Annotator: ${switched} open document(s) recognised as articles.`);
	});

	const views = new DeferredTreeViews();
	const articlesTree = new LazyBundle(
		context.extensionUri,
		logger,
		'lazy-articles.js',
		(m: typeof import('./features/articlesTree/articlesTreeView')) => new m.ArticlesTreeView(config, commands, logger, context.extensionUri, context.storageUri, views.create),
	);
	const lazyFeatures = new LazyBundle(context.extensionUri, logger, 'lazy-features.js', (m: typeof import('./lazyFeatures')) =>
		m.registerFeatures({ context, commands, config, documents, setter, logger, createView: views.create }),
	);
	features = lazyFeatures;
	views.defer(ViewId.Articles, () => articlesTree.load('its view was shown'));
	for (const id of [ViewId.Entities, ViewId.AnnotationChanges, ViewId.Disagreements]) {
		views.defer(id, () => lazyFeatures.load(`the view ${id} was shown`));
	}
	commands.defer(ARTICLES_TREE_COMMANDS, () => articlesTree.load('one of its commands ran'));
	// Every other contributed command is the features'.
	const contributed = (context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? [];
	commands.defer(
		contributed.map((c) => c.command),
		() => lazyFeatures.load('one of their commands ran'),
	);
	const articleOpened = vscode.workspace.onDidOpenTextDocument((document) => {
		if (document.languageId === LANGUAGE_ID) {
			articleOpened.dispose();
			lazyFeatures.load('an article opened');
		}
	});
	if (vscode.workspace.textDocuments.some((d) => d.languageId === LANGUAGE_ID)) {
		lazyFeatures.load('an article was open at activation');
	}
	context.subscriptions.push(logger, config, documents, commands, detector, headerDiagnostics, articlesTree, lazyFeatures, views, articleOpened);

	const testing: CorpusTestingApi | undefined = recorder
		? {
				detectArticles: () => detector.detectAll(),
				decorations: { recorded: (uri, key) => recorder.recorded(uri, key), repaint: (uri) => lazyFeatures.load('the testing API asked').testing.repaint(uri) },
				get articlesTree() {
					return articlesTree.load('the testing API asked').testing;
				},
				get entities() {
					return lazyFeatures.load('the testing API asked').testing.entities;
				},
				get annotations() {
					return lazyFeatures.load('the testing API asked').testing.annotations;
				},
				get review() {
					return lazyFeatures.load('the testing API asked').testing.review;
				},
				get agreement() {
					return lazyFeatures.load('the testing API asked').testing.agreement;
				},
			}
		: undefined;
	logger.info(`activate() ran in ${(performance.now() - started).toFixed(1)} ms`);
	return { apiVersion: 1, testing };
}

/** Writes annotation offsets still pending in memory; everything else is disposed through context.subscriptions. */
export function deactivate(): Promise<void> | undefined {
	return features?.ifLoaded?.annotationStore.flushAll();
}
