import * as vscode from 'vscode';
import { CommandId } from '../../constants';
import { ARTICLE_SELECTOR, type ArticleDocumentCache } from '../../platform/articleDocuments';
import type { ConfigurationService } from '../../platform/configuration';
import { Disposable } from '../../platform/dispose';
import { headerLensTitle, paragraphLensTitle } from './annotationText';
import type { AnnotationStore, LiveAnnotation } from './annotationStore';

const QUOTE_PREVIEW = 28;

/**
 * Code lenses, as `corpusAnnotator.annotations.codeLens` says: `headerOnly` — the header line
 * (counts of annotations and relations, orphans, pending changes; opens the sidecar); `paragraphs` (default) — plus one lens per
 * annotated paragraph with its counts (selects its first annotation, whose hover has the actions);
 * `all` — plus "Tag paragraph" on every paragraph and label/edit/delete per annotation.
 * Orphans are never given a lens on the text: they have no place in it.
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
		this._register(vscode.languages.registerCodeLensProvider(ARTICLE_SELECTOR, this));
		this._register(store.onDidChange(() => this._onDidChangeCodeLenses.fire()));
		this._register(config.onDidChange(() => this._onDidChangeCodeLenses.fire()));
	}

	async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
		const mode = this.config.current.annotations.codeLens;
		const { annotations, relations, errors, pendingChanges } = await this.store.get(document);
		const lenses: vscode.CodeLens[] = [];
		const anchored = annotations.filter((a) => a.status !== 'orphaned');
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
			const title = headerLensTitle(anchored.length, annotations.length - anchored.length, pendingChanges, relations.length);
			lenses.push(new vscode.CodeLens(top, { title, command: CommandId.OpenSidecar, arguments: [document.uri], tooltip: 'Open the annotations file' }));
		}
		if (mode === 'headerOnly') {
			return lenses;
		}
		for (const block of this.documents.get(document).blocks) {
			if (block.kind === 'heading') {
				continue;
			}
			const inBlock = anchored.filter((a) => a.start < block.end && a.end > block.start);
			const range = new vscode.Range(block.line, 0, block.line, 0);
			if (mode === 'all') {
				lenses.push(
					new vscode.CodeLens(range, {
						title: `$(tag) Tag paragraph${inBlock.length > 0 ? ` (${inBlock.length})` : ''}`,
						command: CommandId.TagParagraph,
						arguments: [document.uri, block.line],
					}),
				);
				for (const live of anchored.filter((a) => document.positionAt(a.start).line === block.line)) {
					lenses.push(...this.annotationLenses(document, live, range));
				}
			} else if (inBlock.length > 0) {
				lenses.push(
					new vscode.CodeLens(range, {
						title: paragraphLensTitle(inBlock.map((a) => a.annotation.label)),
						command: CommandId.SelectAnnotation,
						arguments: [document.uri, inBlock[0].annotation.id],
						tooltip: 'Select the first annotation of this paragraph (its hover has the actions; Ctrl+Alt+] goes to the next)',
					}),
				);
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
