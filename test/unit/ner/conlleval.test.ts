import * as assert from 'node:assert/strict';
import { ConllEvaluator, formatEvalReport } from '../../../src/core/ner/conlleval';
import { parseConll } from '../../../src/core/ner/conllReader';
import { bilouToIob2, tagsToBilou, tagsToChunks } from '../../../src/core/ner/labels';

describe('conlleval scoring', () => {
	it('scores exact span + type matches, micro-averaged', () => {
		const ev = new ConllEvaluator();
		// gold: [Jan Peeters]PER in [Gent]LOC bij [KBC]ORG
		const gold = ['B-PER', 'I-PER', 'O', 'B-LOC', 'O', 'B-ORG'];
		// pred: PER boundary wrong (only "Jan"), LOC right, KBC typed MISC
		const pred = ['B-PER', 'O', 'O', 'B-LOC', 'O', 'B-MISC'];
		ev.add(gold, pred);
		const r = ev.result();
		assert.equal(r.goldPhrases, 3);
		assert.equal(r.foundPhrases, 3);
		assert.equal(r.correctPhrases, 1);
		assert.equal(r.precision.toFixed(2), '33.33');
		assert.equal(r.recall.toFixed(2), '33.33');
		assert.equal(r.f1.toFixed(2), '33.33');
		assert.equal(r.accuracy.toFixed(2), '66.67');
		const loc = r.byType.find((t) => t.type === 'LOC');
		assert.equal(loc?.f1, 100);
		const lines = formatEvalReport(r).trimEnd().split('\n');
		assert.equal(lines[lines.length - 1], 'F1 33.33');
	});

	it('reads IOB1 like conlleval: I- after O or another type starts a chunk', () => {
		assert.deepEqual(tagsToChunks(['I-PER', 'I-PER', 'I-LOC', 'O', 'I-ORG', 'B-ORG']), [
			{ start: 0, end: 2, type: 'PER' },
			{ start: 2, end: 3, type: 'LOC' },
			{ start: 4, end: 5, type: 'ORG' },
			{ start: 5, end: 6, type: 'ORG' },
		]);
		assert.deepEqual(bilouToIob2(tagsToBilou(['I-PER', 'I-PER', 'I-LOC', 'O', 'I-ORG', 'B-ORG'])), ['B-PER', 'I-PER', 'B-LOC', 'O', 'B-ORG', 'B-ORG']);
	});

	it('parses CoNLL files with DOCSTART lines, CRLF and any number of columns', () => {
		const docs = parseConll('-DOCSTART- -DOCSTART- O\r\nJan N B-PER\r\nwoont V O\r\n\r\nGent B-LOC\r\n-DOCSTART- -DOCSTART- O\nX N O\n');
		assert.equal(docs.length, 2);
		assert.deepEqual(docs[0].sentences.map((s) => s.words), [['Jan', 'woont'], ['Gent']]);
		assert.deepEqual(docs[0].sentences[1].tags, ['B-LOC']);
	});
});
