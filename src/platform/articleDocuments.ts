import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../constants';
import { parseArticle, type ParsedArticle } from '../core/article/articleParser';
import { Disposable } from './dispose';

/**
 * Where articles can live: files on disk. Git's comparison copies (`git:`), untitled buffers,
 * output channels and settings documents are never articles, so nothing is read or written
 * next to them. Use it as the document selector of every provider.
 */
export const ARTICLE_SELECTOR: vscode.DocumentFilter = { language: LANGUAGE_ID, scheme: 'file' };

/** True for a file of an open workspace folder, on disk (`file:`), whatever its language. */
export function isWorkspaceFile(uri: vscode.Uri): boolean {
	return uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(uri) !== undefined;
}

/** True for editor documents in our language that are files of the workspace on disk. */
export function isArticleDocument(document: vscode.TextDocument): boolean {
	return document.languageId === LANGUAGE_ID && isWorkspaceFile(document.uri);
}

/** Parsed articles cached per (document, version) so features never parse the same text twice. */
export class ArticleDocumentCache extends Disposable {
	private readonly cache = new Map<string, { version: number; parsed: ParsedArticle }>();

	constructor() {
		super();
		this._register(vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())));
	}

	get(document: vscode.TextDocument): ParsedArticle {
		const key = document.uri.toString();
		const hit = this.cache.get(key);
		if (hit && hit.version === document.version) {
			return hit.parsed;
		}
		const parsed = parseArticle(document.getText());
		this.cache.set(key, { version: document.version, parsed });
		return parsed;
	}
}
