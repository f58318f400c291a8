import * as vscode from 'vscode';
import { Disposable } from '../../platform/dispose';
import type { WorkspaceCorpus } from './workspaceCorpus';

/**
 * A badge with the annotation count at the right end of each annotated article's row (and in
 * the Explorer): unlike the description it is never cut off by a long headline.
 */
export class AnnotationCountBadges extends Disposable implements vscode.FileDecorationProvider {
	private readonly _onDidChangeFileDecorations = this._register(new vscode.EventEmitter<undefined>());
	readonly onDidChangeFileDecorations = this._onDidChangeFileDecorations.event;

	constructor(private readonly corpus: WorkspaceCorpus) {
		super();
		this._register(vscode.window.registerFileDecorationProvider(this));
		this._register(corpus.onDidChange(() => this._onDidChangeFileDecorations.fire(undefined)));
	}

	provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
		const count = uri.scheme === 'file' ? (this.corpus.entryFor(uri)?.annotationCount ?? 0) : 0;
		if (count === 0) {
			return undefined;
		}
		// Badges hold two characters at most.
		return new vscode.FileDecoration(count > 99 ? '9+' : String(count), `${count} annotation${count === 1 ? '' : 's'}`);
	}
}
