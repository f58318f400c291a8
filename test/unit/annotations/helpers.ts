/** Shared fixtures for the annotation tests. */
import * as assert from 'assert';
import { makeSelector, type AnchorTarget } from '../../../src/core/annotations/anchoring';
import type { Annotation } from '../../../src/core/annotations/model';
import { editorOffset, sidecarOffset } from '../../../src/core/annotations/offsets';

/** A Dutch article in the corpus format (header line, paragraphs separated by blank lines). */
export const ARTICLE = [
	' date 2025-07 De Amerikaanse president Donald Trump heeft aangekondigd dat de Verenigde Staten meer wapens naar Oekraïne zullen sturen.',
	'',
	'Maandag sprak Trump met journalisten in het Witte Huis en verklaarde dat Oekraïne zwaar wordt getroffen door Rusland.',
	'',
	'Afgelopen vrijdag vertelde Trump aan verslaggevers dat Oekraïne Patriot-raketten nodig heeft om zichzelf te verdedigen.',
	'',
	'‘Lang en inhoudelijk’',
	'',
	'President Poetin reageerde niet op vragen van de pers. Het Kremlin zei later dat Poetin „geen commentaar” had.',
].join('\n');


/** Selector for the n-th occurrence (0-based) of `quote` in `text`. */
export function selectOccurrence(text: string, quote: string, nth = 0): AnchorTarget {
	let at = -1;
	for (let k = 0; k <= nth; k++) {
		at = text.indexOf(quote, at + 1);
	}
	assert.ok(at >= 0, `"${quote}" not in text`);
	return makeSelector(text, editorOffset(at), editorOffset(at + quote.length));
}

/** Line-level LCS diff: which lines were removed from `a` and added in `b`. */
export function lineDiff(a: string, b: string): { removed: string[]; added: string[]; addedAt: number[] } {
	const x = a.split('\n');
	const y = b.split('\n');
	const n = x.length;
	const m = y.length;
	const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
	for (let i = n - 1; i >= 0; i--) {
		for (let j = m - 1; j >= 0; j--) {
			dp[i][j] = x[i] === y[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
		}
	}
	const removed: string[] = [];
	const added: string[] = [];
	const addedAt: number[] = [];
	let i = 0;
	let j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && x[i] === y[j]) {
			i++;
			j++;
		} else if (j < m && (i >= n || dp[i][j + 1] >= dp[i + 1][j])) {
			added.push(y[j]);
			addedAt.push(j);
			j++;
		} else {
			removed.push(x[i]);
			i++;
		}
	}
	return { removed, added, addedAt };
}

/** A complete annotation with fixed metadata. */
export function ann(id: string, start: number, end: number, quote: string, extra: Partial<Annotation> = {}): Annotation {
	return {
		id,
		label: 'claim',
		start: sidecarOffset(start),
		end: sidecarOffset(end),
		quote,
		prefix: '',
		suffix: '',
		author: 'Jan Jansen',
		created: '2026-11-23T18:00:00Z',
		modified: '2026-11-23T18:00:00Z',
		...extra,
	};
}
