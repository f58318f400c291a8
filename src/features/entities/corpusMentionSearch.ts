import * as vscode from 'vscode';
import { looksLikeArticle } from '../../core/article/articleParser';
import { wholeNamePattern } from '../../core/text/namePattern';

export interface CorpusMention {
	readonly uri: vscode.Uri;
	readonly range: vscode.Range;
	readonly text: string;
	readonly lineText: string;
}

/**
 * Every mention of any of `spellings` in the corpus's articles (open documents are read from the
 * editor so unsaved text counts). Reports progress and stops when cancelled.
 */
export async function findMentionsInCorpus(
	spellings: readonly string[],
	progress?: vscode.Progress<{ message?: string; increment?: number }>,
	token?: vscode.CancellationToken,
): Promise<CorpusMention[]> {
	const files = await vscode.workspace.findFiles('**/*.txt', '**/{node_modules,.git,.vscode-test}/**');
	files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
	const pattern = wholeNamePattern(spellings);
	if (!pattern) {
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
			progress?.report({ message: `${i} of ${files.length} files`, increment: (50 / files.length) * 100 });
		}
		const uri = files[i];
		const document = open.get(uri.toString());
		const text = document ? document.getText() : decoder.decode(await vscode.workspace.fs.readFile(uri));
		if (!looksLikeArticle(text)) {
			continue;
		}
		pattern.lastIndex = 0;
		let lineStarts: number[] | undefined;
		for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
			lineStarts ??= computeLineStarts(text);
			const start = positionAt(lineStarts, m.index);
			const end = positionAt(lineStarts, m.index + m[0].length);
			const lineEnd = start.line + 1 < lineStarts.length ? lineStarts[start.line + 1] : text.length;
			found.push({ uri, range: new vscode.Range(start, end), text: m[0], lineText: text.slice(lineStarts[start.line], lineEnd).trimEnd() });
		}
	}
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
