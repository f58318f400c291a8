import * as assert from 'node:assert/strict';
import type { EntityMention } from '../../../src/core/entities/entityTypes';
import { appendCorrectionText, applyCorrections, parseCorrections, sentenceAt, type NerCorrection } from '../../../src/core/entities/nerCorrections';

const first: NerCorrection = {
	sentence: 'Ook 🇺🇦 Oekraïne en Kiev reageerden.',
	spans: [{ text: 'Kiev', start: 'Ook 🇺🇦 Oekraïne en '.length, end: 'Ook 🇺🇦 Oekraïne en Kiev'.length, type: 'LOC' }],
	article: '2024/001.txt',
	author: 'Jan "JJ" Jansen',
	time: '2026-12-02T10:00:00.000Z',
};
const second: NerCorrection = { sentence: 'X. meldde het.', spans: [{ text: 'X', start: 0, end: 1, type: 'none' }], author: 'An', time: '2026-12-02T11:00:00.000Z' };

describe('ner corrections file', () => {
	it('writes keys in a fixed order with code-point offsets, and reads back what it wrote', () => {
		const text = appendCorrectionText('', first);
		assert.ok(text.startsWith('# Corrections of the entity tagger'));
		assert.match(text, /version: 1\ncorrections:\n {2}- sentence: "Ook 🇺🇦 Oekraïne en Kiev reageerden."\n {4}spans:\n {6}- text: "Kiev"\n {8}start: 19\n {8}end: 23\n {8}type: LOC\n {4}article: "2024\/001.txt"\n {4}author: "Jan \\"JJ\\" Jansen"\n {4}time: "2026-12-02T10:00:00.000Z"\n$/);
		const parsed = parseCorrections(text);
		assert.deepEqual(parsed.errors, []);
		assert.deepEqual(parsed.corrections, [first]);
	});

	it('adds a correction by appending only its own lines', () => {
		const one = appendCorrectionText('', first);
		const two = appendCorrectionText(one, second);
		assert.ok(two.startsWith(one));
		assert.equal(two.slice(one.length).split('\n').filter(Boolean).length, 8);
		assert.deepEqual(parseCorrections(two).corrections, [first, second]);
	});

	it('reports invalid entries with their line and keeps the valid ones', () => {
		const text = appendCorrectionText('', first) + '  - sentence: "kort"\n    spans:\n      - text: "k"\n        start: 3\n        end: 9\n        type: PER\n  - sentence: "Een"\n    spans:\n      - {text: "Een", start: 0, end: 3, type: PLACE}\n';
		const parsed = parseCorrections(text);
		assert.equal(parsed.corrections.length, 1);
		assert.deepEqual(parsed.errors.map((e) => e.line), [13, 19]);
		assert.throws(() => appendCorrectionText(text.replace('corrections:', 'corrections:\nnotes:'), second), /fix it first/);
	});

	it('finds the sentence around an offset as the tagger splits the text', () => {
		const text = ' date 2024-03 Kop\nDe eerste zin. Daarna kwam Kiev aan bod.';
		const at = sentenceAt(text, text.indexOf('Kiev'));
		assert.deepEqual(at, { sentence: 'Daarna kwam Kiev aan bod.', start: text.indexOf('Daarna') });
	});

	it('applies corrections at once in the article they were made in: the span and the same name elsewhere in it', () => {
		const text = `Titel. ${first.sentence} Later kwam Kiev terug. X. meldde het.`;
		const at = (s: string, type: EntityMention['type'], from = 0): EntityMention => ({ start: text.indexOf(s, from), end: text.indexOf(s, from) + s.length, type, text: s, source: 'tagger', confidence: 0.5 });
		const mentions = [at('Oekraïne', 'LOC'), at('Kiev', 'PER'), at('Kiev', 'PER', text.indexOf('Later')), at('X', 'LOC', text.indexOf('X.'))];
		const out = applyCorrections(text, mentions, [first, second]);
		assert.deepEqual(
			out.map((m) => `${m.text}:${m.type}:${m.source}`),
			['Oekraïne:LOC:tagger', 'Kiev:LOC:correction', 'Kiev:LOC:correction'],
		);
		assert.deepEqual(applyCorrections('Iets anders over Kiev.', [at('Kiev', 'PER')], [first]).map((m) => m.type), ['PER'], 'another article is left to the model');
	});
});
