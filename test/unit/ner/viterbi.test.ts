import * as assert from 'node:assert/strict';
import { viterbi } from '../../../src/core/ner/decoder';
import { seededRandom } from '../../../src/core/util/seededRandom';
import { isValidSequence, LABELS, NUM_LABELS } from '../../../src/core/ner/labels';

const L = NUM_LABELS;
const lab = (s: string): number => LABELS.indexOf(s);

function zeros(): { trans: Float32Array; start: Float32Array; end: Float32Array } {
	return { trans: new Float32Array(L * L), start: new Float32Array(L), end: new Float32Array(L) };
}

describe('constrained Viterbi', () => {
	it('never follows emissions into an invalid BILOU sequence', () => {
		// Emissions prefer I-PER at the start, then B-LOC right after B-PER, then end on B-ORG.
		const want = ['I-PER', 'B-PER', 'B-LOC', 'B-ORG'];
		const emit = new Float32Array(want.length * L);
		want.forEach((t, i) => (emit[i * L + lab(t)] = 10));
		const tw = zeros();
		// Transition weights that would love the invalid B-PER → B-LOC and I-PER start.
		tw.trans[lab('B-PER') * L + lab('B-LOC')] = 100;
		tw.start[lab('I-PER')] = 100;
		tw.end[lab('B-ORG')] = 100;
		const path = viterbi(want.length, emit, tw);
		assert.ok(isValidSequence(path), `invalid path ${Array.from(path, (l) => LABELS[l]).join(' ')}`);
	});

	it('returns valid sequences for random scores and the best one when it is valid', () => {
		const rng = seededRandom(42);
		for (let trial = 0; trial < 300; trial++) {
			const n = 1 + Math.floor(rng() * 8);
			const emit = Float32Array.from({ length: n * L }, () => rng() * 20 - 10);
			const tw = zeros();
			tw.trans.forEach((_, i) => (tw.trans[i] = rng() * 10 - 5));
			const path = viterbi(n, emit, tw);
			assert.ok(isValidSequence(path));
		}
		const emit = new Float32Array(3 * L);
		['B-ORG', 'I-ORG', 'L-ORG'].forEach((t, i) => (emit[i * L + lab(t)] = 5));
		assert.deepEqual(Array.from(viterbi(3, emit, zeros()), (l) => LABELS[l]), ['B-ORG', 'I-ORG', 'L-ORG']);
	});
});
