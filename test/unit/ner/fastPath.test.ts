import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expTransitions, Marginals, viterbi } from '../../../src/core/ner/decoder';
import { documentCasing, documentMajority } from '../../../src/core/ner/docFeatures';
import { FeatureExtractor, normalizeWord, phraseHash } from '../../../src/core/ner/features';
import { bilouToChunks, NUM_LABELS as L } from '../../../src/core/ner/labels';
import { loadModel, type LoadedModel } from '../../../src/core/ner/tagger';
import { tokenizeDocument } from '../../../src/core/ner/tokenizer';
import { seededRandom } from '../../../src/core/util/seededRandom';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

const TEXT = [
	'Minister Fleur Agema van Volksgezondheid wil het eigen risico in 2026 verlagen, zei ze dinsdag in de Tweede Kamer.',
	'Premier Bart De Wever (N-VA) en koning Filip ontmoetten Zelensky in het Kasteel van Laken.',
	'Trump @POTUS schreef op X. dat Oekraïne Patriot-raketten krijgt; #Oekraïne Kiev reageerde.',
	"Sparta Rotterdam won met 2-1 van Feyenoord. Trumps tarieven raken ASML en Shell, aldus De Wevers woordvoerder.",
	'Agema reist naar Peru en Taipei. Agema zei: "We doen het."',
].join('\n');

const sentencesOf = (text: string): string[][] => tokenizeDocument(text).map((s) => s.map((t) => normalizeWord(t.text)));

function recorder(): (h: number) => number {
	const rowOf = new Map<number, number>();
	return (h) => {
		let r = rowOf.get(h);
		if (r === undefined) {
			r = rowOf.size;
			rowOf.set(h, r);
		}
		return r;
	};
}

describe('ner fast path (per-word sums, reused buffers): the same results as the plain path', function () {
	this.timeout(60000);

	it('extractContext: per token the word\'s own rows then the context rows are exactly extract()\'s rows; the scorer runs once per distinct word', () => {
		const gaz = new Map<number, number>([[phraseHash(['Tweede', 'Kamer']), 1 << 2]]);
		const calls = new Map<string, number>();
		let current = '';
		const scorer = (own: Int32Array): Float32Array => {
			calls.set(current, (calls.get(current) ?? 0) + 1);
			return Float32Array.from(own.slice(0, L));
		};
		const ex = new FeatureExtractor({ gazetteer: { get: (h) => gaz.get(h) ?? -1 } }, recorder(), scorer);
		const sentences = sentencesOf(TEXT);
		for (const words of [...sentences, ...sentences]) {
			current = words.join(' ');
			const full = ex.extract(words);
			const cf = ex.extractContext(words);
			assert.equal(cf.words.length, words.length);
			for (let t = 0; t < words.length; t++) {
				const joined = [...cf.words[t].own, ...cf.context.rows.subarray(cf.context.offsets[t], cf.context.offsets[t + 1])];
				assert.deepEqual(joined, Array.from(full.rows.subarray(full.offsets[t], full.offsets[t + 1])), `token ${t} of "${current}"`);
				assert.deepEqual(Array.from(cf.wordScores[t]), Array.from(cf.words[t].own.slice(0, L)));
			}
			const second = { doc: words.map((_, i) => (i % 3) - 1), labels: words.map((_, i) => i % L), casing: words.map((_, i) => (i % 4) - 1) };
			assert.deepEqual(ex.extractSecond(words, second, cf), ex.extractSecond(words, second));
		}
		// Second round of the same sentences: every word's sums came from the cache.
		const distinct = new Set(sentences.flat()).size;
		const total = [...calls.values()].reduce((a, b) => a + b, 0);
		assert.equal(total, distinct);
	});

	it('Marginals.compute reusing its buffers gives the same probabilities, bit for bit, as a fresh instance', () => {
		const rng = seededRandom(11);
		const tw = { trans: new Float32Array(L * L).map(() => (rng() - 0.5) * 6), start: new Float32Array(L).map(() => rng()), end: new Float32Array(L).map(() => rng()) };
		const et = expTransitions(tw, 4);
		const reused = new Marginals(0, new Float32Array(0), et);
		let compared = 0;
		for (const n of [40, 3, 17, 1, 90, 8]) {
			const emit = new Float32Array(n * L).map(() => Math.round((rng() - 0.5) * 40));
			const best = viterbi(n, emit, tw);
			const chunks = bilouToChunks(best);
			const fresh = new Marginals(n, emit, et);
			const from = chunks.length > 0 ? chunks[0].start : 0;
			reused.compute(n, emit, from);
			for (const c of chunks) {
				const type = ['PER', 'LOC', 'ORG', 'MISC'].indexOf(c.type);
				assert.equal(reused.chunkProbability(c.start, c.end, type), fresh.chunkProbability(c.start, c.end, type));
				compared++;
			}
		}
		assert.ok(compared > 5, `only ${compared} chunks compared`);
	});

	describe('with the shipped model', () => {
		let shipped: LoadedModel;
		before(function () {
			const file = path.join(ROOT, 'models', 'nl-ner.model');
			if (!fs.existsSync(file)) {
				this.skip();
			}
			shipped = loadModel(fs.readFileSync(file));
		});

		/** Labels by the plain path: extract() with every row, both passes, as adaptation decodes. */
		const plainLabels = (model: LoadedModel, words: string[]): number[] => {
			const f = model.features.extract(words);
			const first = viterbi(words.length, model.sentenceEmissions(words, 0, f), model.transitions(0));
			if (model.passes === 1) {
				return Array.from(first);
			}
			const extra = model.features.extractSecond(words, { doc: documentMajority([words], [first])[0], labels: first, casing: documentCasing([words])[0] });
			return Array.from(viterbi(words.length, model.sentenceEmissions(words, 1, f, extra), model.transitions(1)));
		};

		it('analyse gives the labels of the plain path, for the shipped model and for one adapted from corrections', () => {
			// U-ORG (label 12) for Vooruit: the adapted model carries a weight overlay (float weights).
			const adapted = shipped.adapt([{ words: ['Vooruit', 'wil', 'meer', '.'], gold: Int32Array.from([12, -1, -1, -1]) }]).model;
			assert.ok(adapted.adaptation && adapted.adaptation.keys.length > 0);
			for (const model of [shipped, adapted]) {
				for (const words of sentencesOf(TEXT)) {
					assert.deepEqual(Array.from(model.analyse([words], { consistency: false }).labels[0]), plainLabels(model, words), words.join(' '));
				}
			}
		});
	});
});
