/**
 * Re-anchoring benchmarks (part of `npm run bench`; alone after compiling:
 *   npx tsc -p tsconfig.test.json; node out/bench/anchoringBench.js).
 *
 * Articles are sample-corpus paragraphs repeated to size, so a 500 KB article repeats every
 * passage about a dozen times: the hard case for finding a quote by its context. The floor is
 * what any re-anchoring must at least do: prepare the text's offset index and check every
 * annotation's quote at its stored place, searching nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { makeSelector, prepareText, reanchorAll } from '../src/core/annotations/anchoring';
import { editorOffset } from '../src/core/annotations/offsets';
import type { AnchorResult, AnchorTarget } from '../src/core/annotations/anchoring';

/** A result row in the shape bench/runBench.ts tabulates. */
export interface AnchoringBenchRow {
	readonly group: string;
	readonly name: string;
	readonly value: number;
	readonly unit: 'ms';
	readonly floor: number;
	readonly floorWhat: string;
	readonly budget: { readonly text: string; readonly pass: boolean };
	readonly note: string;
}

/** Median milliseconds of `runs` calls after one warm-up call. */
function medianMs(runs: number, fn: () => void): number {
	fn();
	const xs = Array.from({ length: runs }, () => {
		const t0 = performance.now();
		fn();
		return performance.now() - t0;
	});
	return xs.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/** An article of about `units` UTF-16 units made of the paragraphs of `bodies`, in the corpus format. */
function repeatedArticle(bodies: readonly string[], units: number): string {
	const paragraphs = bodies.flatMap((b) => b.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p.length > 0));
	let text = ' date 2023-01 ';
	for (let i = 0; text.length < units; i++) {
		text += (i > 0 ? '\n\n' : '') + paragraphs[i % paragraphs.length];
	}
	return text + '\n';
}

/** `count` annotations of 1–3 words spread evenly over the article. */
function spreadAnnotations(text: string, count: number): AnchorTarget[] {
	const prepared = prepareText(text);
	const words = [...text.matchAll(/\p{L}[\p{L}\p{N}'-]*/gu)].filter((m) => m.index! > 14);
	return Array.from({ length: count }, (_, i) => {
		const k = Math.floor(((i + 0.5) / count) * words.length);
		const last = words[Math.min(words.length - 1, k + (i % 3))];
		return makeSelector(prepared, editorOffset(words[k].index!), editorOffset(last.index! + last[0].length));
	});
}

/** Changes one letter in the middle of every second annotation's quote (all of them in place). */
function destroyHalf(text: string, anns: readonly AnchorTarget[]): string {
	const t = prepareText(text);
	const cuts = anns.filter((_, i) => i % 2 === 0).map((a) => {
		const s = t.rawIndex.toUtf16(a.start), e = t.rawIndex.toUtf16(a.end);
		return s + Math.floor((e - s) / 2);
	}).sort((x, y) => y - x);
	let out = text;
	for (const at of cuts) {
		out = out.slice(0, at) + (out[at] === 'x' ? 'y' : 'x') + out.slice(at + 1);
	}
	return out;
}

function counts(results: readonly AnchorResult[]): string {
	const n = new Map<string, number>();
	for (const r of results) {
		const k = r.status === 'orphaned' ? `orphaned (${r.reason})` : r.status;
		n.set(k, (n.get(k) ?? 0) + 1);
	}
	return [...n].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v.toLocaleString('en')} ${k}`).join(', ');
}

/** Floor: prepare the text and check each quote at its stored place. */
function floorMs(text: string, anns: readonly AnchorTarget[], runs: number): number {
	let sink = 0;
	const ms = medianMs(runs, () => {
		const t = prepareText(text);
		for (const a of anns) {
			sink += t.canonical.startsWith(a.quote, t.canonIndex.toUtf16(a.start)) ? 1 : 0;
		}
	});
	return sink < 0 ? -1 : ms;
}

/** The re-anchoring rows: half the quotes destroyed in 500 KB, and a paragraph inserted at the top of 50 KB. */
export function anchoringBenchRows(bodies: readonly string[]): AnchoringBenchRow[] {
	const rows: AnchoringBenchRow[] = [];
	const group = 'Re-anchoring';
	const floorWhat = 'prepare the text\'s offset index and check every quote at its stored place (no search)';

	const big = repeatedArticle(bodies, 500_000);
	const bigAnns = spreadAnnotations(big, 10_000);
	const destroyed = destroyHalf(big, bigAnns);
	const bigFloor = floorMs(destroyed, bigAnns, 5);
	for (const previous of [true, false]) {
		let results: readonly AnchorResult[] = [];
		const ms = medianMs(3, () => {
			results = reanchorAll(destroyed, bigAnns, previous ? { previousText: big } : {});
		});
		rows.push({
			group, floorWhat, unit: 'ms', value: ms, floor: bigFloor,
			name: `10,000 annotations, ${(big.length / 1000).toFixed(0)} KB article, one letter changed in every second quote, ${previous ? 'with' : 'without'} the previous text`,
			budget: { text: '< 2 s', pass: ms < 2000 },
			note: `median of 3 after a warm-up; ${counts(results)}`,
		});
	}

	const mid = repeatedArticle(bodies, 50_000);
	const midAnns = spreadAnnotations(mid, 1000);
	const paragraph = 'Een nieuwe eerste alinea, boven het artikel gezet nadat de annotaties waren gemaakt.\n\n';
	const inserted = mid.replace(' date 2023-01 ', ' date 2023-01 ' + paragraph);
	const midFloor = floorMs(inserted, midAnns, 15);
	for (const previous of [true, false]) {
		let results: readonly AnchorResult[] = [];
		const ms = medianMs(15, () => {
			results = reanchorAll(inserted, midAnns, previous ? { previousText: mid } : {});
		});
		const exact = results.filter((r, i) => r.start === midAnns[i].start + paragraph.length).length;
		rows.push({
			group, floorWhat, unit: 'ms', value: ms, floor: midFloor,
			name: `1,000 annotations, ${(mid.length / 1000).toFixed(0)} KB article, a paragraph inserted at the top, ${previous ? 'with' : 'without'} the previous text`,
			budget: { text: '< 50 ms', pass: ms < 50 },
			note: `median of 15 after a warm-up; ${counts(results)}; ${exact.toLocaleString('en')} of 1,000 at their exact new place`,
		});
	}
	return rows;
}

if (require.main === module) {
	const dir = path.resolve(__dirname, '..', '..', 'sample-corpus');
	const bodies = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()
		.map((f) => fs.readFileSync(path.join(dir, f), 'utf8').replace(/^\uFEFF?\s*date \d{4}-\d{2} /, ''));
	for (const r of anchoringBenchRows(bodies)) {
		console.log(`${r.name}: ${r.value.toFixed(1)} ms (floor ${r.floor.toFixed(1)} ms, ${r.budget.text} ${r.budget.pass ? 'pass' : 'FAIL'}); ${r.note}`);
	}
}
