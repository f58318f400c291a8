import * as assert from 'node:assert/strict';
import { FeatureExtractor, normalizeWord, phraseHash, wordFeatureNames, wordShapes } from '../../../src/core/ner/features';
import { hashString } from '../../../src/core/ner/featureHash';

function recorder(): { resolve: (h: number) => number; rowOf: Map<number, number> } {
	const rowOf = new Map<number, number>();
	return {
		rowOf,
		resolve: (h) => {
			let r = rowOf.get(h);
			if (r === undefined) {
				r = rowOf.size;
				rowOf.set(h, r);
			}
			return r;
		},
	};
}

describe('ner features', () => {
	it('computes shapes and word features with hyphen parts, prefixes and suffixes', () => {
		assert.deepEqual(wordShapes('Patriot-raketten'), { long: 'Xxx-xx', short: 'Xx-x' });
		assert.deepEqual(wordShapes('F-16'), { long: 'X-dd', short: 'X-d' });
		const { own } = wordFeatureNames('Patriot-raketten');
		for (const f of ['w=Patriot-raketten', 'l=patriot-raketten', 'p1=P', 'p4=Patr', 's1=n', 's5=etten', 'h1=patriot', 'hL=raketten', 'hs1=Xx', 'ss=Xx-x']) {
			assert.ok(own.includes(f), `missing ${f}`);
		}
	});

	it('uses casing statistics and lexicon features when resources are given', () => {
		const lower = new Set([hashString('kuleba')]);
		const { own, si } = wordFeatureNames('Kuleba', { lowerSeen: lower, capMid: new Set(), lexLower: new Set(), lexCap: new Set([hashString('kuleba')]) });
		assert.ok(own.includes('cs=1'));
		assert.ok(own.includes('lx=6'));
		assert.ok(si.includes('ss=Xx'));
	});

	it('extracts window, bigram, sentence-initial and gazetteer features for a known sentence', () => {
		const { resolve, rowOf } = recorder();
		const gaz = new Map<number, number>([
			[phraseHash(['Kyiv']), 1 << 1],
			[phraseHash(['Minister', 'Kuleba']), 1 << 0],
		]);
		const ex = new FeatureExtractor({ gazetteer: { get: (h) => gaz.get(h) ?? -1 } }, resolve);
		const words = ['Minister', 'Kuleba', 'bezoekt', 'Kyiv', '.'];
		const f = ex.extract(words);
		assert.equal(f.offsets.length, words.length + 1);
		const rowsOf = (t: number): Set<number> => new Set(f.rows.subarray(f.offsets[t], f.offsets[t + 1]));
		const r = (name: string): number => rowOf.get(hashString(name)) ?? -1;
		assert.ok(rowsOf(1).has(r('w=Kuleba')));
		assert.ok(rowsOf(1).has(r('w-1=minister')));
		assert.ok(rowsOf(1).has(r('w+1=bezoekt')));
		assert.ok(rowsOf(1).has(r('w+2=kyiv')));
		assert.ok(rowsOf(1).has(r('sh-1=Xx')));
		assert.ok(rowsOf(0).has(r('w-1=\u0002<s>')));
		assert.ok(rowsOf(3).has(r('gz=U-LOC')));
		assert.ok(rowsOf(0).has(r('gz=B-PER')));
		assert.ok(rowsOf(1).has(r('gz=L-PER')));
		assert.ok(!rowsOf(2).has(r('gz=U-LOC')));
		// The same capitalised word gets a different sentence-initial conjunction at position 0.
		const g = ex.extract(['Kuleba', 'bezoekt', 'Kyiv']);
		const first = new Set(g.rows.subarray(g.offsets[0], g.offsets[1]));
		assert.ok([...rowsOf(1)].some((x) => !first.has(x)));
		// Identical contexts give identical features.
		const h = ex.extract(words);
		assert.deepEqual(Array.from(h.rows), Array.from(f.rows));
		// Document-level features add rows.
		const d = ex.extract(words, { doc: [-1, 1, -1, 2, -1] });
		assert.ok(d.rows.length === f.rows.length + 4);
	});

	it('normalizes typographic quotes and dashes to the CoNLL forms', () => {
		assert.equal(normalizeWord('zo’n'), "zo'n");
		assert.equal(normalizeWord('“'), '"');
		assert.equal(normalizeWord('Oekraïense'), 'Oekraïense');
	});
});
