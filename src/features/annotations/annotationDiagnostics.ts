import * as vscode from 'vscode';
import { CommandId } from '../../constants';
import { ARTICLE_SELECTOR, isArticleDocument } from '../../platform/articleDocuments';
import { positionDiagnostic } from '../../platform/diagnostics';
import { Disposable } from '../../platform/dispose';
import { AnnotationStore } from './annotationStore';
import { readableParserMessage } from './annotationText';

export const ORPHAN_CODE = 'orphaned-annotation';
export const UNREADABLE_SIDECAR_CODE = 'unreadable-sidecar';
const ID_IN_MESSAGE = /^Annotation (\S+) /;

/**
 * Problems for annotations that could not be re-anchored (they stay in the sidecar, untouched)
 * and for sidecars that cannot be read, with quick fixes: re-anchor to the selection, delete.
 */
export class AnnotationDiagnostics extends Disposable implements vscode.CodeActionProvider {
	private readonly collection = this._register(vscode.languages.createDiagnosticCollection('corpus-annotations'));

	constructor(private readonly store: AnnotationStore) {
		super();
		this._register(store.onDidChange((uri) => void this.updateUri(uri)));
		this._register(vscode.workspace.onDidOpenTextDocument((d) => void this.update(d)));
		this._register(
			vscode.workspace.onDidCloseTextDocument((d) => {
				if (isArticleDocument(d)) {
					this.collection.delete(d.uri);
					this.collection.delete(AnnotationStore.sidecarUriFor(d.uri));
				}
			}),
		);
		this._register(vscode.languages.registerCodeActionsProvider(ARTICLE_SELECTOR, this, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }));
		for (const document of vscode.workspace.textDocuments) {
			void this.update(document);
		}
	}

	private async updateUri(uri: vscode.Uri): Promise<void> {
		const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
		if (document) {
			await this.update(document);
		}
	}

	async update(document: vscode.TextDocument): Promise<void> {
		if (!isArticleDocument(document)) {
			return;
		}
		const { annotations, errors, sidecarUri } = await this.store.get(document);
		const diagnostics: vscode.Diagnostic[] = [];
		for (const live of annotations) {
			if (live.status !== 'orphaned') {
				continue;
			}
			const a = live.annotation;
			const range = new vscode.Range(document.positionAt(live.start), document.positionAt(Math.max(live.start, live.end)));
			const why = live.reason === 'ambiguous' ? 'the quote now occurs in several places' : 'the quoted text is no longer in the article';
			const d = new vscode.Diagnostic(
				range,
				`Annotation ${a.id} (${a.label}) “${a.quote.length > 60 ? a.quote.slice(0, 60) + '…' : a.quote}” could not be re-anchored: ${why}. It is kept in the annotations file; re-anchor it to a selection or delete it.`,
				vscode.DiagnosticSeverity.Warning,
			);
			d.source = 'Corpus Annotator';
			d.code = ORPHAN_CODE;
			diagnostics.push(d);
		}
		if (errors) {
			const d = new vscode.Diagnostic(
				new vscode.Range(0, 0, 0, 0),
				`The annotations file ${sidecarUri.path.slice(sidecarUri.path.lastIndexOf('/') + 1)} cannot be read (line ${errors[0].line}, column ${errors[0].column}: ${readableParserMessage(errors[0].message)}). Annotations are not shown or changed until it is fixed.`,
				vscode.DiagnosticSeverity.Error,
			);
			d.source = 'Corpus Annotator';
			d.code = UNREADABLE_SIDECAR_CODE;
			diagnostics.push(d);
			this.collection.set(
				sidecarUri,
				errors.map(positionDiagnostic),
			);
		} else {
			this.collection.delete(sidecarUri);
		}
		this.collection.set(document.uri, diagnostics);
	}

	provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
		const actions: vscode.CodeAction[] = [];
		for (const diagnostic of context.diagnostics) {
			if (diagnostic.code === UNREADABLE_SIDECAR_CODE) {
				const open = new vscode.CodeAction('Open the annotations file', vscode.CodeActionKind.QuickFix);
				open.command = { title: open.title, command: CommandId.OpenSidecar, arguments: [document.uri] };
				open.diagnostics = [diagnostic];
				actions.push(open);
				continue;
			}
			const id = diagnostic.code === ORPHAN_CODE ? ID_IN_MESSAGE.exec(diagnostic.message)?.[1] : undefined;
			if (!id) {
				continue;
			}
			if (!range.isEmpty) {
				const reanchor = new vscode.CodeAction(`Re-anchor annotation ${id} to the selection`, vscode.CodeActionKind.QuickFix);
				reanchor.command = { title: reanchor.title, command: CommandId.ReanchorToSelection, arguments: [document.uri, id] };
				reanchor.diagnostics = [diagnostic];
				reanchor.isPreferred = true;
				actions.push(reanchor);
			}
			const remove = new vscode.CodeAction(`Delete orphaned annotation ${id}`, vscode.CodeActionKind.QuickFix);
			remove.command = { title: remove.title, command: CommandId.DeleteAnnotation, arguments: [document.uri, id] };
			remove.diagnostics = [diagnostic];
			actions.push(remove);
		}
		return actions;
	}
}
