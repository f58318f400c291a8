import * as vscode from 'vscode';
import { reanchor, toEditorRange } from '../../core/annotations/anchoring';
import type { Annotation } from '../../core/annotations/model';
import type { DecorationSetter } from '../../platform/decorationSetter';
import { Disposable } from '../../platform/dispose';
import { isRelationChange, type ArticleReview } from './reviewModel';

/** Decoration keys (as the test recorder sees them). */
export const REVIEW_DECORATION_KEYS = { added: 'review.added', removed: 'review.removed', changed: 'review.changed' } as const;

/**
 * Draws the annotation changes of the article whose change is selected in the view: added ones
 * in the diff editor's inserted colour, removed ones struck through in its removed colour where
 * they were, changed ones with a dotted border. Positions come from re-anchoring each annotation in the current
 * text (offsets in a committed sidecar may refer to an older article text).
 */
export class ReviewDecorator extends Disposable {
	private readonly types: Record<keyof typeof REVIEW_DECORATION_KEYS, vscode.TextEditorDecorationType>;
	/** Article file URI → its changes, for the articles that were opened from the view. */
	private readonly shown = new Map<string, ArticleReview>();

	constructor(private readonly setter: DecorationSetter) {
		super();
		// The diff editor's own colours, so a change reads as "inserted/removed" in every theme and
		// never as an entity highlight (Place is green too): background only, no extra border.
		this.types = {
			added: this._register(vscode.window.createTextEditorDecorationType({
				backgroundColor: new vscode.ThemeColor('diffEditor.insertedTextBackground'),
				border: '1px solid',
				borderColor: new vscode.ThemeColor('diffEditor.insertedTextBorder'),
				overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
				overviewRulerLane: vscode.OverviewRulerLane.Left,
			})),
			removed: this._register(vscode.window.createTextEditorDecorationType({
				backgroundColor: new vscode.ThemeColor('diffEditor.removedTextBackground'),
				border: '1px solid',
				borderColor: new vscode.ThemeColor('diffEditor.removedTextBorder'),
				textDecoration: 'line-through',
				overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
				overviewRulerLane: vscode.OverviewRulerLane.Left,
			})),
			changed: this._register(vscode.window.createTextEditorDecorationType({
				border: '1px dotted',
				borderColor: new vscode.ThemeColor('editorOverviewRuler.modifiedForeground'),
				overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.modifiedForeground'),
				overviewRulerLane: vscode.OverviewRulerLane.Left,
			})),
		};
		this._register(vscode.window.onDidChangeVisibleTextEditors(() => this.paintVisible()));
	}

	/** Remembers the changes of an article and paints its visible editors. */
	show(uri: vscode.Uri, review: ArticleReview): void {
		// One article at a time: the one whose change is selected in the view.
		if (!this.shown.has(uri.toString())) {
			this.clear();
		}
		this.shown.set(uri.toString(), review);
		this.paintVisible();
	}

	/** The article whose changes are drawn, if any. */
	get shownArticle(): string | undefined {
		return [...this.shown.keys()][0];
	}

	/** Removes every change highlight (the change is no longer selected, the view was hidden, highlights were toggled). */
	clear(): void {
		for (const key of [...this.shown.keys()]) {
			this.shown.delete(key);
			for (const editor of vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === key)) {
				this.paint(editor, undefined);
			}
		}
	}

	/** After a refresh: new changes for articles on show, or none (clears them). */
	update(reviews: ReadonlyMap<string, ArticleReview>): void {
		for (const key of [...this.shown.keys()]) {
			const review = reviews.get(key);
			if (review) {
				this.shown.set(key, review);
			} else {
				this.shown.delete(key);
				for (const editor of vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === key)) {
					this.paint(editor, undefined);
				}
			}
		}
		this.paintVisible();
	}

	/** Editor range of an annotation in `document` (re-anchored; stored offsets when it cannot be found). */
	static rangeOf(document: vscode.TextDocument, a: Annotation): vscode.Range {
		const text = document.getText();
		const r = reanchor(text, a);
		const start = r.start ?? a.start;
		const end = r.end ?? a.end;
		const utf16 = toEditorRange(text, start, end);
		const s = Math.min(utf16.start, text.length);
		const e = Math.min(Math.max(utf16.end, s), text.length);
		return new vscode.Range(document.positionAt(s), document.positionAt(e));
	}

	private paintVisible(): void {
		for (const editor of vscode.window.visibleTextEditors) {
			const review = this.shown.get(editor.document.uri.toString());
			if (review) {
				this.paint(editor, review);
			}
		}
	}

	private paint(editor: vscode.TextEditor, review: ArticleReview | undefined): void {
		const groups: Record<keyof typeof REVIEW_DECORATION_KEYS, vscode.DecorationOptions[]> = { added: [], removed: [], changed: [] };
		for (const change of review?.changes ?? []) {
			if (isRelationChange(change) || !change.annotation) {
				continue; // relation changes are listed, not drawn: their annotations did not change
			}
			const group = change.kind === 'added' ? 'added' : change.kind === 'removed' ? 'removed' : 'changed';
			groups[group].push({ range: ReviewDecorator.rangeOf(editor.document, change.annotation), hoverMessage: `${change.label} — ${change.detail}` });
		}
		for (const key of Object.keys(groups) as (keyof typeof groups)[]) {
			this.setter.set(editor, REVIEW_DECORATION_KEYS[key], this.types[key], groups[key]);
		}
	}
}
