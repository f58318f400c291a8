import * as assert from 'node:assert/strict';
import { headerLength, tokenize, tokenizeDocument } from '../../../src/core/ner/tokenizer';

function texts(s: string): string[] {
	return tokenize(s).map((t) => t.text);
}

describe('ner tokenizer', () => {
	it('gives offsets that slice back to the token text', () => {
		const s = '“Zo’n F-16’s,” zei Oekraïense minister Kuleba; ‘dat is België.’ 👍🏽 klaar!';
		for (const t of tokenize(s)) {
			assert.equal(s.slice(t.start, t.end), t.text);
		}
	});

	it('splits curly and straight quotes off words', () => {
		assert.deepEqual(texts('“Hallo” zei ‘Jan’ en "Piet".'), ['“', 'Hallo', '”', 'zei', '‘', 'Jan', '’', 'en', '"', 'Piet', '"', '.']);
	});

	it('keeps hyphenated names, in-word apostrophes, diaeresis and decimals whole', () => {
		assert.deepEqual(texts("De Patriot-raketten en F-16's, zo'n 1,5 miljoen, Oekraïense België."), [
			'De', 'Patriot-raketten', 'en', "F-16's", ',', "zo'n", '1,5', 'miljoen', ',', 'Oekraïense', 'België', '.',
		]);
	});

	it('keeps abbreviations and initials with their period', () => {
		assert.deepEqual(texts('mr. J. Peeters en dr. Smit, o.a. in Gent.'), ['mr.', 'J.', 'Peeters', 'en', 'dr.', 'Smit', ',', 'o.a.', 'in', 'Gent', '.']);
	});

	it('treats an emoji (surrogate pair) as one token with correct UTF-16 offsets', () => {
		const s = 'Kyiv 👍 Kiev';
		const toks = tokenize(s);
		assert.deepEqual(toks.map((t) => [t.text, t.start, t.end]), [['Kyiv', 0, 4], ['👍', 5, 7], ['Kiev', 8, 12]]);
	});

	it('handles CRLF as sentence boundaries', () => {
		const s = 'Eerste zin zonder punt\r\nTweede zin in Brussel.\r\n';
		const sents = tokenizeDocument(s);
		assert.equal(sents.length, 2);
		assert.equal(sents[1][0].text, 'Tweede');
		assert.equal(s.slice(sents[1][3].start, sents[1][3].end), 'Brussel');
	});

	it('splits sentences after . ! ? before a capital or quote, not after abbreviations', () => {
		const sents = tokenizeDocument('Hij kwam. Zij ging! "Waarom?" vroeg mr. Janssens aan J. de Vries. dat blijft');
		assert.deepEqual(sents.map((s) => s.map((t) => t.text).join(' ')), [
			'Hij kwam .',
			'Zij ging !',
			'" Waarom ? " vroeg mr. Janssens aan J. de Vries . dat blijft',
		]);
	});

	it('skips the article header prefix but keeps offsets relative to the full text', () => {
		const s = ' date 2024-03 Zelensky bezoekt Kyiv\nTekst.';
		assert.equal(headerLength(s), ' date 2024-03 '.length);
		const first = tokenizeDocument(s)[0][0];
		assert.equal(first.text, 'Zelensky');
		assert.equal(first.start, 14);
		assert.ok(!tokenizeDocument(s).flat().some((t) => t.text === 'date' || t.text === '2024-03'));
	});
});
