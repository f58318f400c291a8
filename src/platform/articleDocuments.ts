import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../constants';
import { parseArticle, type ParsedArticle } from '../core/article/articleParser';
import { Disposable } from './dispose';

/** True for editor documents in our language. */
export function isArticleDocument(document: vscode.TextDocument): boolean {
	return document.languageId === LANGUAGE_ID;
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
