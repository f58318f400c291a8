import * as vscode from 'vscode';
import { toEditorRange, type PreparedText } from '../../core/annotations/anchoring';
import { sidecarOffset } from '../../core/annotations/offsets';
import type { Disagreement } from '../../core/agreement/curation';
import type { AgreementSpan } from '../../core/agreement/matching';
import type { DecorationSetter } from '../../platform/decorationSetter';
import { Disposable } from '../../platform/dispose';

/** Decoration keys (as the test recorder sees them). */
export const AGREEMENT_DECORATION_KEYS = { a: 'agreement.a', b: 'agreement.b' } as const;

/** What is drawn in one article: its open disagreements, in the text they were computed in. */
export interface ShownDisagreements {
	readonly text: PreparedText;
	readonly open: readonly Disagreement[];
	readonly names: { readonly a: string; readonly b: string };
}

/**
 * Draws both versions of each open disagreement in the article: side A's span with a solid
 * border and background, side B's with a dashed border and its own background, in two themable
 * colours (`corpusAnnotator.agreement.side*`), so a pair that differs by a few characters shows
 * both boundaries at once.
 */
export class DisagreementDecorator extends Disposable {
	private readonly types: Record<'a' | 'b', vscode.TextEditorDecorationType>;
	private shown: { uri: string; what: ShownDisagreements } | undefined;

	constructor(private readonly setter: DecorationSetter) {
		super();
		const sideType = (side: 'A' | 'B', borderStyle: string, lane: vscode.OverviewRulerLane): vscode.TextEditorDecorationType => {
			const colour = (part: 'Background' | 'Border'): vscode.ThemeColor => new vscode.ThemeColor(`corpusAnnotator.agreement.side${side}${part}`);
			return this._register(vscode.window.createTextEditorDecorationType({
				backgroundColor: colour('Background'), border: `1px ${borderStyle}`, borderColor: colour('Border'),
				overviewRulerColor: colour('Border'), overviewRulerLane: lane,
			}));
		};
		this.types = { a: sideType('A', 'solid', vscode.OverviewRulerLane.Left), b: sideType('B', 'dashed', vscode.OverviewRulerLane.Right) };
		this._register(vscode.window.onDidChangeVisibleTextEditors(() => this.paintVisible()));
	}

	/** Draws `what` in the editors of `uri` (one article at a time). */
	show(uri: vscode.Uri, what: ShownDisagreements): void {
		if (this.shown && this.shown.uri !== uri.toString()) {
			this.clear();
		}
		this.shown = { uri: uri.toString(), what };
		this.paintVisible();
	}

	get shownArticle(): string | undefined {
		return this.shown?.uri;
	}

	clear(): void {
		const uri = this.shown?.uri;
		this.shown = undefined;
		for (const editor of visibleEditorsOf(uri)) {
			this.paint(editor, undefined);
		}
	}

	/** Editor range of a code-point span of `text` (agreement spans count code points of the compared text, like sidecars). */
	static range(document: vscode.TextDocument, text: PreparedText, start: number, end: number): vscode.Range {
		const r = toEditorRange(text, sidecarOffset(start), sidecarOffset(end));
		return new vscode.Range(document.positionAt(r.start), document.positionAt(r.end));
	}

	private paintVisible(): void {
		const shown = this.shown;
		for (const editor of visibleEditorsOf(shown?.uri)) {
			this.paint(editor, shown?.what);
		}
	}

	private paint(editor: vscode.TextEditor, what: ShownDisagreements | undefined): void {
		const groups: Record<'a' | 'b', vscode.DecorationOptions[]> = { a: [], b: [] };
		const add = (side: 'a' | 'b', s: AgreementSpan | undefined): void => {
			if (s && what) {
				const hover = new vscode.MarkdownString();
				hover.appendMarkdown(`**${side === 'a' ? what.names.a : what.names.b}**: \`${s.label}\``);
				groups[side].push({ range: DisagreementDecorator.range(editor.document, what.text, s.start, s.end), hoverMessage: hover });
			}
		};
		for (const d of what?.open ?? []) {
			add('a', d.a);
			add('b', d.b);
		}
		for (const side of ['a', 'b'] as const) {
			this.setter.set(editor, AGREEMENT_DECORATION_KEYS[side], this.types[side], groups[side]);
		}
	}
}

function visibleEditorsOf(uri: string | undefined): vscode.TextEditor[] {
	return uri === undefined ? [] : vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === uri);
}
