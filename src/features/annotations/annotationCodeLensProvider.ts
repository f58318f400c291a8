import * as vscode from 'vscode';
import { CommandId, LANGUAGE_ID } from '../../constants';
import type { ArticleDocumentCache } from '../../platform/articleDocuments';
import type { ConfigurationService } from '../../platform/configuration';
import { Disposable } from '../../platform/dispose';
import type { AnnotationStore, LiveAnnotation } from './annotationStore';

const QUOTE_PREVIEW = 28;

/**
 * Code lenses on the header line (annotation count, open the sidecar), on each paragraph (tag
 * it, its count) and on lines holding annotations (label, edit, delete). Off with
 * `corpusAnnotator.annotations.codeLens`.
 */
export class AnnotationCodeLensProvider extends Disposable implements vscode.CodeLensProvider {
	private readonly _onDidChangeCodeLenses = this._register(new vscode.EventEmitter<void>());
	readonly onDidChangeCodeLenses = this._onDidChangeCodeLenses.event;

	constructor(
		private readonly store: AnnotationStore,
		private readonly documents: ArticleDocumentCache,
		private readonly config: ConfigurationService,
	) {
		super();
		this._register(vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, this));
		this._register(store.onDidChange(() => this._onDidChangeCodeLenses.fire()));
		this._register(config.onDidChange(() => this._onDidChangeCodeLenses.fire()));
	}

	async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
		if (!this.config.current.annotations.codeLens) {
			return [];
		}
		const { annotations, errors } = await this.store.get(document);
		const parsed = this.documents.get(document);
		const lenses: vscode.CodeLens[] = [];
		const anchored = annotations.filter((a) => a.status !== 'orphaned');
		const orphans = annotations.length - anchored.length;
		const top = new vscode.Range(0, 0, 0, 0);
		if (errors) {
			lenses.push(
				new vscode.CodeLens(top, {
					title: `$(error) Annotations file cannot be read (line ${errors[0].line}) — open it`,
					command: CommandId.OpenSidecar,
					arguments: [document.uri],
				}),
			);
		} else {
			const summary = `${anchored.length} annotation${anchored.length === 1 ? '' : 's'}${orphans > 0 ? ` · ${orphans} not found` : ''}`;
			lenses.push(new vscode.CodeLens(top, { title: summary, command: CommandId.OpenSidecar, arguments: [document.uri], tooltip: 'Open the annotations file' }));
		}
		for (const block of parsed.blocks) {
			if (block.kind === 'heading') {
				continue;
			}
			const inBlock = anchored.filter((a) => a.start < block.end && a.end > block.start).length;
			const range = new vscode.Range(block.line, 0, block.line, 0);
			lenses.push(
				new vscode.CodeLens(range, {
					title: `$(tag) Tag paragraph${inBlock > 0 ? ` (${inBlock})` : ''}`,
					command: CommandId.TagParagraph,
					arguments: [document.uri, block.line],
				}),
			);
			for (const live of anchored.filter((a) => document.positionAt(a.start).line === block.line)) {
				lenses.push(...this.annotationLenses(document, live, range));
			}
		}
		return lenses;
	}

	private annotationLenses(document: vscode.TextDocument, live: LiveAnnotation, range: vscode.Range): vscode.CodeLens[] {
		const { annotation } = live;
		const quote = annotation.quote.length > QUOTE_PREVIEW ? `${annotation.quote.slice(0, QUOTE_PREVIEW)}…` : annotation.quote;
		return [
			new vscode.CodeLens(range, {
				title: `${annotation.label}: “${quote}”${annotation.note ? ' $(note)' : ''}`,
				command: CommandId.ChangeLabel,
				arguments: [document.uri, annotation.id],
				tooltip: `Change the label of ${annotation.id}${annotation.note ? `\nNote: ${annotation.note}` : ''}`,
			}),
			new vscode.CodeLens(range, { title: '$(edit)', command: CommandId.EditNote, arguments: [document.uri, annotation.id], tooltip: 'Add or edit the note' }),
			new vscode.CodeLens(range, { title: '$(trash)', command: CommandId.DeleteAnnotation, arguments: [document.uri, annotation.id], tooltip: 'Delete this annotation' }),
		];
	}
}
