import * as vscode from 'vscode';
import { isArticleDocument } from '../../platform/articleDocuments';
import { CancelledError, UserError } from '../../platform/userError';
import type { AnnotationStore, LiveAnnotation } from './annotationStore';

/** Where the annotation and relation commands find their article, and how they ask which annotation. */

export function activeArticleEditor(): vscode.TextEditor {
	const editor = vscode.window.activeTextEditor;
	if (!editor || !isArticleDocument(editor.document)) {
		throw new UserError('Open an article (a corpus .txt file) first.');
	}
	return editor;
}

export function activeEditorFor(document: vscode.TextDocument): vscode.TextEditor | undefined {
	const active = vscode.window.activeTextEditor;
	return active?.document === document ? active : vscode.window.visibleTextEditors.find((e) => e.document === document);
}

/** The article `uriArg` names (a hover link, a test), or the one in the active editor. */
export async function resolveArticle(uriArg?: vscode.Uri | string): Promise<vscode.TextDocument> {
	if (uriArg === undefined) {
		return activeArticleEditor().document;
	}
	const uri = typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : uriArg;
	const document = await vscode.workspace.openTextDocument(uri);
	if (!isArticleDocument(document)) {
		throw new UserError(`${vscode.workspace.asRelativePath(uri)} is not an article.`);
	}
	return document;
}

/** A quote cut to fit a quick pick or a message. */
export function preview(text: string): string {
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** The quick pick line of an annotation: `label: “quote”`. */
export function annotationTitle(live: Pick<LiveAnnotation, 'annotation'>): string {
	return `${live.annotation.label}: “${preview(live.annotation.quote)}”`;
}

/** The annotation `id`, or the one under the cursor, or one the analyst picks (among those under the cursor when several overlap). */
export async function pickAnnotation(store: AnnotationStore, document: vscode.TextDocument, id: string | undefined, title: string, includeOrphans = false): Promise<LiveAnnotation> {
	const { annotations } = await store.get(document);
	if (id) {
		const found = annotations.find((a) => a.annotation.id === id);
		if (!found) {
			throw new UserError(`There is no annotation ${id} in this article (any more).`);
		}
		return found;
	}
	const editor = activeEditorFor(document);
	const offset = editor ? document.offsetAt(editor.selection.active) : -1;
	const candidates = annotations.filter((a) => (includeOrphans || a.status !== 'orphaned') && a.start <= offset && offset <= a.end);
	if (candidates.length === 1) {
		return candidates[0];
	}
	const pool = candidates.length > 0 ? candidates : annotations.filter((a) => includeOrphans || a.status !== 'orphaned');
	if (pool.length === 0) {
		throw new UserError('This article has no annotations yet.');
	}
	const picked = await vscode.window.showQuickPick(
		pool.map((a) => ({
			label: annotationTitle(a),
			description: a.status === 'orphaned' ? 'not found in the text' : `line ${document.positionAt(a.start).line + 1}`,
			detail: a.annotation.note,
			a,
		})),
		{ title },
	);
	if (!picked) {
		throw new CancelledError();
	}
	return picked.a;
}
