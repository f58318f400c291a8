import * as vscode from 'vscode';
import { isArticleDocument } from '../../platform/articleDocuments';
import type { DecorationSetter } from '../../platform/decorationSetter';
import { Disposable } from '../../platform/dispose';
import type { Logger } from '../../platform/logger';
import type { AnnotationStore } from './annotationStore';
import { LabelSchemaService } from './labelSchemaService';

/** Decoration keys as recorded by the test seam: `annotation.<label id>`. */
export function annotationDecorationKey(label: string): string {
	return `annotation.${label}`;
}

/**
 * Draws annotations as a thick underline in the label's colour (entity highlights use a
 * background and a thin border, so both stay readable on the same word). One decoration type
 * per colour, created once and reused.
 */
export class AnnotationDecorator extends Disposable {
	private readonly types = new Map<string, vscode.TextEditorDecorationType>();
	/** Labels painted last time per document, so a label whose last annotation went is cleared. */
	private readonly paintedLabels = new Map<string, Set<string>>();

	constructor(
		private readonly store: AnnotationStore,
		private readonly labels: LabelSchemaService,
		private readonly setter: DecorationSetter,
		private readonly logger: Logger,
	) {
		super();
		this._register({ dispose: () => this.types.forEach((t) => t.dispose()) });
		this._register(vscode.window.onDidChangeVisibleTextEditors(() => this.paintAll()));
		// A .txt opens as plain text and becomes an article a moment later, in the same editor.
		this._register(vscode.workspace.onDidOpenTextDocument((d) => void this.paintUri(d.uri)));
		this._register(store.onDidChange((uri) => this.paintUri(uri)));
		this._register(labels.onDidChange(() => this.paintAll()));
		this.paintAll();
	}

	paintAll(): void {
		for (const editor of vscode.window.visibleTextEditors) {
			void this.paint(editor);
		}
	}

	async paintUri(uri: vscode.Uri): Promise<void> {
		await Promise.all(vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === uri.toString()).map((e) => this.paint(e)));
	}

	/** One decoration type per label and colour, created on first use and kept. */
	private typeFor(label: string, color: string): vscode.TextEditorDecorationType {
		const key = `${label}\u0000${color}`;
		let type = this.types.get(key);
		if (!type) {
			type = vscode.window.createTextEditorDecorationType({
				borderStyle: 'none none solid none',
				borderWidth: '0 0 3px 0',
				borderColor: color,
				overviewRulerColor: color,
				overviewRulerLane: vscode.OverviewRulerLane.Left,
			});
			this.types.set(key, type);
		}
		return type;
	}

	private async paint(editor: vscode.TextEditor): Promise<void> {
		const document = editor.document;
		if (!isArticleDocument(document) || this.isDisposed) {
			return;
		}
		try {
			const [annotations, schema] = await Promise.all([this.store.get(document), this.labels.schemaFor(document.uri)]);
			const byLabel = new Map<string, vscode.DecorationOptions[]>();
			for (const live of annotations.annotations) {
				if (live.status === 'orphaned') {
					continue;
				}
				const list = byLabel.get(live.annotation.label) ?? [];
				list.push({ range: new vscode.Range(document.positionAt(live.start), document.positionAt(live.end)) });
				byLabel.set(live.annotation.label, list);
			}
			const key = document.uri.toString();
			const previous = this.paintedLabels.get(key) ?? new Set<string>();
			for (const label of new Set([...previous, ...byLabel.keys()])) {
				this.setter.set(editor, annotationDecorationKey(label), this.typeFor(label, LabelSchemaService.colorOf(schema, label)), byLabel.get(label) ?? []);
			}
			this.paintedLabels.set(key, new Set(byLabel.keys()));
		} catch (error) {
			this.logger.error(`could not draw annotations in ${document.uri.fsPath}`, error);
		}
	}
}
