import * as vscode from 'vscode';
import type { CorpusApi, CorpusTestingApi } from './api';
import { CommandId } from './constants';
import { ArticleLanguageDetector } from './features/articleLanguage/articleLanguageDetector';
import { HeaderDiagnostics } from './features/articleLanguage/headerDiagnostics';
import { ArticleDocumentCache } from './platform/articleDocuments';
import { CommandRegistry } from './platform/commandRegistry';
import { ConfigurationService } from './platform/configuration';
import { OutputLogger } from './platform/logger';

/** Composition root: builds the services, hands them to the features, and registers everything for disposal. */
export function activate(context: vscode.ExtensionContext): CorpusApi {
	const logger = new OutputLogger();
	const config = new ConfigurationService();
	const documents = new ArticleDocumentCache();
	const commands = new CommandRegistry(logger);
	const detector = new ArticleLanguageDetector(config, logger);
	context.subscriptions.push(logger, config, documents, commands, detector, new HeaderDiagnostics(documents));

	commands.register(CommandId.DetectArticles, async () => {
		const switched = await detector.detectAll();
		void vscode.window.showInformationMessage(`Corpus Annotator: ${switched} open document(s) recognised as articles.`);
	});

	const testing: CorpusTestingApi | undefined =
		context.extensionMode === vscode.ExtensionMode.Test ? { detectArticles: () => detector.detectAll() } : undefined;
	return { apiVersion: 1, testing };
}

export function deactivate(): void {
	// Everything is disposed through context.subscriptions.
}
