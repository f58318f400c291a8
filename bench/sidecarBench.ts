/**
 * Micro benchmark of the sidecar codec and re-anchoring. Run after compiling:
 *   npx tsc -p tsconfig.test.json && node -e "require('./out/bench/sidecarBench').runSidecarBench().then(console.log)"
 * Figures are medians in milliseconds; "floor" entries are plain `yaml` on the same data,
 * the least any Document-API codec can cost.
 */
import { parse, stringify } from 'yaml';
import { createSidecar, parseSidecar, serializeIfChanged } from '../src/core/annotations/sidecarCodec';
import { makeSelector, prepareText, reanchorAll } from '../src/core/annotations/anchoring';
import { editorOffset } from '../src/core/annotations/offsets';
import type { Annotation } from '../src/core/annotations/model';

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

function time(runs: number, fn: () => void): number {
	fn(); // warm-up
	const xs: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t0 = performance.now();
		fn();
		xs.push(performance.now() - t0);
	}
	return Math.round(median(xs) * 100) / 100;
}

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = Math.imul(a ^ (a >>> 15), a | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const WORDS = ('De Amerikaanse president Donald Trump heeft aangekondigd dat de Verenigde Staten meer wapens naar ' +
	'Oekraïne zullen sturen om het door oorlog getroffen land te helpen zich te verdedigen tegen Russische aanvallen ' +
	'Maandag sprak Trump met journalisten in het Witte Huis en verklaarde dat Oekraïne zwaar wordt getroffen').split(' ');

/** A ~50 KB article in the corpus format. */
function makeArticle(r: () => number): string {
	const parts: string[] = [' date 2025-07 '];
	let size = 14;
	while (size < 50_000) {
		const w = WORDS[Math.floor(r() * WORDS.length)] + (r() < 0.03 ? '.\n\n' : ' ');
		parts.push(w);
		size += w.length;
	}
	return parts.join('');
}

/** Runs all measurements; keys name the operation, values are median milliseconds. */
export async function runSidecarBench(): Promise<Record<string, number>> {
	const r = rng(1);
	const article = makeArticle(r);
	const prepared = prepareText(article);
	const anns: Annotation[] = [];
	for (let i = 0; i < 1000; i++) {
		const s = 20 + Math.floor((i / 1000) * (article.length - 200));
		const sel = makeSelector(prepared, editorOffset(s), editorOffset(s + 15 + Math.floor(r() * 60)));
		anns.push({
			id: 'a' + i.toString(36).padStart(5, '0'), label: 'claim', ...sel,
			author: 'Jan Jansen', created: '2026-11-23T18:00:00Z', modified: '2026-11-23T18:00:00Z',
		});
	}
	const doc = createSidecar({ article: '000_3ffb0e8bd60704ce.txt', date: '2025-07', textHash: null });
	for (const a of anns) {
		doc.add(a);
	}
	const text = doc.toString();
	const plain = parse(text) as unknown;
	const extra: Annotation = { ...anns[500], id: 'znew01', label: 'event' };
	const edited = 'Een nieuwe eerste zin die alles verschuift. ' + article;

	const results: Record<string, number> = {
		sidecarBytes: text.length,
		'parse+typedView(1000)': time(15, () => {
			const p = parseSidecar(text);
			if (!p.ok || p.doc.data.annotations.length !== 1000) {
				throw new Error('bench: parse failed');
			}
		}),
		'floor:yaml.parse(1000)': time(15, () => parse(text)),
		'addOne+serialize(1000)': time(15, () => {
			const p = parseSidecar(text);
			if (!p.ok) {
				throw new Error('bench: parse failed');
			}
			p.doc.add(extra);
			serializeIfChanged(text, p.doc);
		}),
		'addOne+serialize(excl. parse)': 0,
		'floor:yaml.stringify(1000)': time(15, () => stringify(plain, { lineWidth: 0 })),
		'reanchorAll(1000, 50KB, insert at start)': time(9, () => {
			const res = reanchorAll(edited, anns);
			if (res.filter((x) => x.status === 'moved').length < 990) {
				throw new Error('bench: re-anchoring failed');
			}
		}),
		'reanchorAll+setOffsets+serialize(1000)': time(5, () => {
			const p = parseSidecar(text);
			if (!p.ok) {
				throw new Error('bench: parse failed');
			}
			const current = [...p.doc.data.annotations];
			reanchorAll(edited, current).forEach((res, i) => {
				const sel = res.selector;
				if (sel) {
					p.doc.setOffsets(current[i].id, sel.start, sel.end, sel.quote, sel.prefix, sel.suffix);
				}
			});
			serializeIfChanged(text, p.doc);
		}),
	};
	// Edit + serialise alone: subtract the parse cost measured above.
	results['addOne+serialize(excl. parse)'] = Math.round((results['addOne+serialize(1000)'] - results['parse+typedView(1000)']) * 100) / 100;
	return results;
}
