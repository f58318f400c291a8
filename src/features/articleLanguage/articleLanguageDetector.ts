import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../../constants';
import { looksLikeArticle } from '../../core/article/articleParser';
import type { ConfigurationService } from '../../platform/configuration';
import { Disposable } from '../../platform/dispose';
import type { Logger } from '../../platform/logger';

/**
 * Gives `.txt` articles our language. `firstLine` in the language contribution does not beat the
 * built-in `.txt` → Plain Text association, so we look at each plain-text document ourselves when
 * it opens (and at those already open on activation). A `.txt` that is not an article stays plain text.
 */
export class ArticleLanguageDetector extends Disposable {
	constructor(
		private readonly config: ConfigurationService,
		private readonly logger: Logger,
	) {
		super();
		this._register(vscode.workspace.onDidOpenTextDocument((d) => void this.detect(d)));
		this._register(
			vscode.workspace.onDidSaveTextDocument((d) => {
				// A new file typed from scratch becomes an article once its header is saved.
				void this.detect(d);
			}),
		);
		void this.detectAll();
	}

	/** Re-examines every open document; returns how many were switched to the article language. */
	async detectAll(): Promise<number> {
		const results = await Promise.all(vscode.workspace.textDocuments.map((d) => this.detect(d)));
		return results.filter(Boolean).length;
	}

	private async detect(document: vscode.TextDocument): Promise<boolean> {
		if (!this.config.current.detection.enabled || document.languageId !== 'plaintext') {
			return false;
		}
		const firstLine = document.lineCount > 0 ? document.lineAt(0).text : '';
		if (!looksLikeArticle(firstLine)) {
			return false;
		}
		try {
			await vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
			return true;
		} catch (error) {
			// The document may have been closed meanwhile; nothing to recognise then.
			this.logger.warn(`could not set the article language on ${document.uri.toString()}: ${String(error)}`);
			return false;
		}
	}
}
