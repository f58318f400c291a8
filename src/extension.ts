import * as vscode from 'vscode';
import type { CorpusApi, CorpusTestingApi } from './api';
import { CommandId } from './constants';
import { registerAgreement } from './features/agreement/registerAgreement';
import { ArticleLanguageDetector } from './features/articleLanguage/articleLanguageDetector';
import { HeaderDiagnostics } from './features/articleLanguage/headerDiagnostics';
import type { AnnotationStore } from './features/annotations/annotationStore';
import { registerAnnotations } from './features/annotations/registerAnnotations';
import { ArticlesTreeView } from './features/articlesTree/articlesTreeView';
import { registerEntities } from './features/entities/registerEntities';
import { registerExchange } from './features/exchange/registerExchange';
import { registerReview } from './features/review/registerReview';
import { ArticleDocumentCache } from './platform/articleDocuments';
import { AuthorResolver } from './platform/author';
import { CommandRegistry } from './platform/commandRegistry';
import { ConfigurationService } from './platform/configuration';
import { EditorDecorationSetter, RecordingDecorationSetter } from './platform/decorationSetter';
import { OutputLogger } from './platform/logger';

/** The one handle `deactivate()` needs: offsets still pending in memory are written on the way out. */
let annotationStore: AnnotationStore | undefined;

/** Composition root: builds the services, hands them to the features, and registers everything for disposal. */
export function activate(context: vscode.ExtensionContext): CorpusApi {
	const started = performance.now();
	const logger = new OutputLogger();
	const config = new ConfigurationService();
	config.migrateLegacySettings().catch((error: unknown) => logger.warn(`could not rewrite old settings: ${String(error)}`));
	const documents = new ArticleDocumentCache();
	const commands = new CommandRegistry(logger);
	// In test mode decorations are also recorded: VS Code cannot read them back from an editor.
	const recorder = context.extensionMode === vscode.ExtensionMode.Test ? new RecordingDecorationSetter() : undefined;
	const setter = recorder ?? new EditorDecorationSetter();

	const detector = new ArticleLanguageDetector(config, logger);
	const headerDiagnostics = new HeaderDiagnostics(documents);
	const articlesTree = new ArticlesTreeView(config, commands, logger, context.extensionUri, context.storageUri);
	const entities = registerEntities(context, commands, setter, logger);
	const annotations = registerAnnotations(context, commands, config, documents, setter, logger, async (document, offset) =>
		(await entities.service.mentions(document)).find((m) => m.start <= offset && offset <= m.end),
	);
	const review = registerReview(context, commands, setter, logger);
	// Settled disagreements are written through the annotation store: the one, undoable write path for annotation changes.
	const agreement = registerAgreement(context, commands, setter, logger, annotations.store, new AuthorResolver(() => config.current.annotations.author));
	registerExchange(commands, logger);
	annotationStore = annotations.store;
	// Toggling highlights clears every highlight the analyst did not ask for again, review ones included.
	const reviewFollowsToggle = entities.onDidToggleHighlights(() => review.clearHighlights());
	context.subscriptions.push(
		logger,
		config,
		documents,
		commands,
		detector,
		headerDiagnostics,
		articlesTree,
		entities.disposable,
		annotations.disposable,
		review.disposable,
		agreement.disposable,
		reviewFollowsToggle,
	);

	commands.register(CommandId.DetectArticles, async () => {
		const switched = await detector.detectAll();
		void vscode.window.showInformationMessage(`Corpus Annotator: ${switched} open document(s) recognised as articles.`);
	});

	const testing: CorpusTestingApi | undefined = recorder
		? {
				detectArticles: () => detector.detectAll(),
				decorations: { recorded: (uri, key) => recorder.recorded(uri, key), repaint: entities.testing.repaint },
				entities: entities.testing.entities,
				annotations: annotations.testing,
				articlesTree: articlesTree.testing,
				review: review.testing,
				agreement: agreement.testing,
			}
		: undefined;
	logger.info(`activate() ran in ${(performance.now() - started).toFixed(1)} ms`);
	return { apiVersion: 1, testing };
}

/** Writes annotation offsets still pending in memory; everything else is disposed through context.subscriptions. */
export function deactivate(): Promise<void> | undefined {
	return annotationStore?.flushAll();
}
