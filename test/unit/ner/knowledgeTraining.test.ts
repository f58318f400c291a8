import * as assert from 'node:assert/strict';
import { parseConll } from '../../../src/core/ner/conllReader';
import { enforceConsistency, type ScoredChunk } from '../../../src/core/ner/docConsistency';
import { FeatureExtractor } from '../../../src/core/ner/features';
import { KnowledgeBuilder, knowledgeFeatureHashes, parseNameList } from '../../../src/core/ner/knowledge';
import { isValidSequence, LABELS, tagsToChunks } from '../../../src/core/ner/labels';
import { DEFAULT_TRAIN_OPTIONS, substituteMentions, trainNer } from '../../../src/core/ner/trainer';

const lab = (s: string): number => LABELS.indexOf(s);

describe('ner knowledge in training: mention substitution, knowledge scale, added surnames', () => {
	it('substitutes mentions by listed names of the same type, reproducibly, keeping the other words and valid tags', () => {
		const docs = parseConll('Piet B-PER\nJanssens I-PER\nwoont O\nin O\nGent B-LOC\n. O\n\nDe O\nNAVO B-ORG\nvergadert O\n\n');
		const names = [[['Caroline', 'van', 'der', 'Plas']], [['Kryvy', 'Rih']], [['Sparta', 'Rotterdam']], []];
		const a = substituteMentions(docs, names, 2, 1, 42);
		const b = substituteMentions(docs, names, 2, 1, 42);
		assert.deepEqual(a, b);
		assert.deepEqual(a.source, [0, 0]);
		const [s0, s1] = a.docs[0].sentences;
		assert.deepEqual(s0.words, ['Caroline', 'van', 'der', 'Plas', 'woont', 'in', 'Kryvy', 'Rih', '.']);
		assert.deepEqual(s0.tags, ['B-PER', 'I-PER', 'I-PER', 'I-PER', 'O', 'O', 'B-LOC', 'I-LOC', 'O']);
		assert.deepEqual(s1.words, ['De', 'Sparta', 'Rotterdam', 'vergadert']);
		assert.deepEqual(tagsToChunks(s1.tags).map((c) => [c.start, c.end, c.type]), [[1, 3, 'ORG']]);
		// Rate 0: the copies are the originals; an empty pool (MISC here) leaves the mention alone.
		const none = substituteMentions(docs, names, 1, 0, 1);
		assert.deepEqual(none.docs[0].sentences, docs[0].sentences);
	});

	it('knowledgeFeatureHashes are the features a knowledge match fires, and --knowledge-scale multiplies their weights', () => {
		const know = new KnowledgeBuilder();
		know.addEntries(parseNameList('PER|Donald Trump\nORG|Sparta Rotterdam\nLOC|Gent\n').entries);
		const hashes = knowledgeFeatureHashes();
		const extractor = new FeatureExtractor({ knowledge: { get: (h) => know.phrases.get(h) ?? -1 } }, (h) => hashes.indexOf(h));
		const f = extractor.extract(['Donald', 'Trump', 'zag', 'Sparta', 'Rotterdam', 'in', 'Gent', 'en', 'Trumps']);
		const fired = (t: number): number => f.offsets[t + 1] - f.offsets[t];
		// Trump: the end of Donald Trump and the listed surname alone; Trumps: the possessive.
		assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map(fired), [1, 2, 0, 1, 1, 0, 1, 0, 1]);

		const text = 'Piet B-PER\nJanssens I-PER\nwoont O\nin O\nGent B-LOC\n. O\n\nKarel B-PER\nzag O\nGent B-LOC\n\n';
		const docs = parseConll(`-DOCSTART- O\n${text}-DOCSTART- O\n${text.replace(/Piet/g, 'Jan')}`);
		const lexicon = { knowledge: know.phrases };
		const opts = { ...DEFAULT_TRAIN_OPTIONS, epochs: 3, folds: 2, secondPassFolds: 0, seeds: 1, knowledgeScale: 1, log: () => undefined, now: () => 0 };
		const plain = trainNer(docs, null, lexicon, opts, {}).parts;
		const scaled = trainNer(docs, null, lexicon, { ...opts, knowledgeScale: 2 }, {}).parts;
		const row = [...plain.keys].findIndex((h) => hashes.includes(h));
		assert.ok(row >= 0, 'a knowledge feature has a row');
		const L = LABELS.length;
		const w = (p: typeof plain, r: number): number[] => Array.from(p.pass1.weights.subarray(r * L, (r + 1) * L));
		assert.ok(w(plain, row).some((x) => x !== 0));
		assert.deepEqual(w(scaled, row), w(plain, row).map((x) => x * 2));
		const other = [...plain.keys].findIndex((h) => !hashes.includes(h));
		assert.deepEqual(w(scaled, other), w(plain, other));
	});

	it('tags an untagged surname or its possessive as PER after the full name, with the particle capitalised too', () => {
		const sents = [
			['Topman', 'Pieter', 'van', 'Oord', 'en', 'Elon', 'Musk', 'spraken'],
			['Van', 'Oord', 'zei', 'dat', 'Musks', 'plan', 'faalt'],
			['Musk', 'zweeg', ',', 'Oord', 'ook'],
		];
		const labels = [Int32Array.of(0, lab('B-PER'), lab('I-PER'), lab('L-PER'), 0, lab('B-PER'), lab('L-PER'), 0), Int32Array.of(lab('B-LOC'), lab('L-LOC'), 0, 0, 0, 0, 0), new Int32Array(5)];
		const chunks: ScoredChunk[] = [
			{ sentence: 0, start: 1, end: 4, type: 0, confidence: 0.9 },
			{ sentence: 0, start: 5, end: 7, type: 0, confidence: 0.8 },
			{ sentence: 1, start: 0, end: 2, type: 1, confidence: 0.7 },
		];
		enforceConsistency(sents, labels, chunks);
		assert.deepEqual(Array.from(labels[1]), [lab('B-PER'), lab('L-PER'), 0, 0, lab('U-PER'), 0, 0]);
		// "Musk" alone is added; "Oord" too (the last word of the full name).
		assert.deepEqual(Array.from(labels[2]), [lab('U-PER'), 0, 0, lab('U-PER'), 0]);
		assert.deepEqual(
			chunks.map((c) => [c.sentence, c.start, c.end, c.type]),
			[[0, 1, 4, 0], [0, 5, 7, 0], [1, 0, 2, 0], [1, 4, 5, 0], [2, 0, 1, 0], [2, 3, 4, 0]],
		);
		for (const l of labels) {
			assert.ok(isValidSequence(l));
		}
	});
});
