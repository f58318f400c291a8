import * as vscode from 'vscode';

/**
 * Where decorations go. In normal use straight to the editor; in test mode also into a recording,
 * because VS Code has no API to read decorations back from an editor.
 */
export interface DecorationSetter {
	set(editor: vscode.TextEditor, key: string, type: vscode.TextEditorDecorationType, ranges: readonly vscode.Range[] | readonly vscode.DecorationOptions[]): void;
}

/** What a test reads back: for each document and decoration key, the ranges last painted. */
export interface RecordedDecoration {
	readonly start: { readonly line: number; readonly character: number };
	readonly end: { readonly line: number; readonly character: number };
	readonly text: string;
}

export class EditorDecorationSetter implements DecorationSetter {
	set(editor: vscode.TextEditor, _key: string, type: vscode.TextEditorDecorationType, ranges: readonly vscode.Range[] | readonly vscode.DecorationOptions[]): void {
		editor.setDecorations(type, ranges as vscode.Range[]);
	}
}

export class RecordingDecorationSetter extends EditorDecorationSetter {
	private readonly recordings = new Map<string, Map<string, RecordedDecoration[]>>();

	override set(editor: vscode.TextEditor, key: string, type: vscode.TextEditorDecorationType, ranges: readonly vscode.Range[] | readonly vscode.DecorationOptions[]): void {
		super.set(editor, key, type, ranges);
		const uri = editor.document.uri.toString();
		let byKey = this.recordings.get(uri);
		if (!byKey) {
			byKey = new Map();
			this.recordings.set(uri, byKey);
		}
		byKey.set(
			key,
			ranges.map((r) => {
				const range = r instanceof vscode.Range ? r : r.range;
				return {
					start: { line: range.start.line, character: range.start.character },
					end: { line: range.end.line, character: range.end.character },
					text: editor.document.getText(range),
				};
			}),
		);
	}

	recorded(uri: string, key: string): RecordedDecoration[] | undefined {
		return this.recordings.get(uri)?.get(key);
	}
}
