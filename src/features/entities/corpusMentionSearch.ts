import * as vscode from 'vscode';
import { looksLikeArticle } from '../../core/article/articleParser';
import { findEntityForms, type EntityForms } from './mentionSpellings';

export interface CorpusMention {
	readonly uri: vscode.Uri;
	readonly range: vscode.Range;
	readonly text: string;
	readonly lineText: string;
}

/**
 * Every mention of an entity in the corpus's articles — each spelling, possessives, and a
 * person's surname in the articles naming them in full (see `mentionSpellings.ts`). Open
 * documents are read from the editor so unsaved text counts. Reports `done` of `total` files
 * as it goes and stops when cancelled.
 */
export async function findMentionsInCorpus(
	forms: EntityForms,
	progress?: (done: number, total: number) => void,
	token?: vscode.CancellationToken,
): Promise<CorpusMention[]> {
	const files = await vscode.workspace.findFiles('**/*.txt', '**/{node_modules,.git,.vscode-test}/**');
	files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
	if (forms.spellings.length === 0) {
		return [];
	}
	const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
	const found: CorpusMention[] = [];
	const decoder = new TextDecoder();
	for (let i = 0; i < files.length; i++) {
		if (token?.isCancellationRequested) {
			break;
		}
		if (i % 50 === 0) {
			progress?.(i, files.length);
		}
		const uri = files[i];
		const document = open.get(uri.toString());
		const text = document ? document.getText() : decoder.decode(await vscode.workspace.fs.readFile(uri));
		if (!looksLikeArticle(text)) {
			continue;
		}
		let lineStarts: number[] | undefined;
		for (const m of findEntityForms(text, forms)) {
			lineStarts ??= computeLineStarts(text);
			const start = positionAt(lineStarts, m.start);
			const end = positionAt(lineStarts, m.end);
			const lineEnd = start.line + 1 < lineStarts.length ? lineStarts[start.line + 1] : text.length;
			found.push({ uri, range: new vscode.Range(start, end), text: m.text, lineText: text.slice(lineStarts[start.line], lineEnd).trimEnd() });
		}
	}
	progress?.(files.length, files.length);
	return found;
}

function computeLineStarts(text: string): number[] {
	const starts = [0];
	for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
		starts.push(i + 1);
	}
	return starts;
}

function positionAt(lineStarts: readonly number[], offset: number): vscode.Position {
	let lo = 0;
	let hi = lineStarts.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (lineStarts[mid] <= offset) {
			lo = mid;
		} else {
			hi = mid - 1;
		}
	}
	return new vscode.Position(lo, offset - lineStarts[lo]);
}
