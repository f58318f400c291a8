import * as vscode from 'vscode';
import type { ArticleIssue } from '../../core/article/articleParser';
import { type ArticleDocumentCache, isArticleDocument } from '../../platform/articleDocuments';
import { Disposable } from '../../platform/dispose';

const SOURCE = 'Corpus Annotator';

/** Publishes malformed-header and encoding problems of open articles to the Problems panel. */
export class HeaderDiagnostics extends Disposable {
	private readonly collection = this._register(vscode.languages.createDiagnosticCollection('corpus-article'));

	constructor(private readonly documents: ArticleDocumentCache) {
		super();
		this._register(vscode.workspace.onDidOpenTextDocument((d) => this.update(d)));
		this._register(vscode.workspace.onDidChangeTextDocument((e) => this.update(e.document)));
		this._register(vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)));
		for (const document of vscode.workspace.textDocuments) {
			this.update(document);
		}
	}

	private update(document: vscode.TextDocument): void {
		if (!isArticleDocument(document)) {
			this.collection.delete(document.uri);
			return;
		}
		const parsed = this.documents.get(document);
		const diagnostics = parsed.issues.map((issue) => toDiagnostic(document, issue));
		if (!parsed.header && document.getText().trim().length > 0) {
			const line = document.lineAt(0).range;
			diagnostics.push(
				withSource(
					new vscode.Diagnostic(
						line,
						'Line 1 is not an article header: it should start with " date YYYY-MM " followed by the lead paragraph.',
						vscode.DiagnosticSeverity.Error,
					),
					'missing-header',
				),
			);
		}
		this.collection.set(document.uri, diagnostics);
	}
}

function toDiagnostic(document: vscode.TextDocument, issue: ArticleIssue): vscode.Diagnostic {
	const range = new vscode.Range(document.positionAt(issue.start), document.positionAt(issue.end));
	const severity = issue.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
	return withSource(new vscode.Diagnostic(range, issue.message, severity), issue.code);
}

function withSource(diagnostic: vscode.Diagnostic, code: string): vscode.Diagnostic {
	diagnostic.source = SOURCE;
	diagnostic.code = code;
	return diagnostic;
}
