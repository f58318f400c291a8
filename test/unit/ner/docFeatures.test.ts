import * as assert from 'node:assert/strict';
import { documentCasing, documentMajority } from '../../../src/core/ner/docFeatures';
import { LABELS } from '../../../src/core/ner/labels';

const lab = (s: string): number => LABELS.indexOf(s);

describe('ner document-level features', () => {
	it('gives the majority first-pass type of the same word elsewhere in the document', () => {
		const sents = [['Kuleba', 'zei', 'dat'], ['Minister', 'Kuleba', 'kwam'], ['Kuleba', 'ook']];
		const labels = [
			Int32Array.of(lab('U-PER'), 0, 0),
			Int32Array.of(0, lab('U-PER'), 0),
			Int32Array.of(lab('U-ORG'), 0),
		];
		const dv = documentMajority(sents, labels);
		// PER = 1 + type index 0; "Minister" occurs once: -1; lower-case words: -1.
		assert.deepEqual(Array.from(dv[0]), [1, -1, -1]);
		assert.deepEqual(Array.from(dv[1]), [-1, 1, -1]);
		assert.deepEqual(Array.from(dv[2]), [1, -1]);
	});

	it('finds lower-case and mid-sentence capitalised uses of a word in the document', () => {
		const dc = documentCasing([['Raketten', 'vielen'], ['veel', 'raketten'], ['Toen', 'kwam', 'Kuleba'], ['Kuleba', 'zei']]);
		assert.deepEqual(Array.from(dc[0]), [1, -1]);
		assert.deepEqual(Array.from(dc[2]), [0, -1, 0]);
		assert.deepEqual(Array.from(dc[3]), [2, -1]);
	});
});
