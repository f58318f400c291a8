import * as assert from 'assert';
import {
	completeUtf8Length,
	LEAD_EXCERPT_LENGTH,
	summarizeArticle,
	summarizeArticleBytes,
	TITLE_LENGTH,
} from '../../../src/core/corpus/articleSummary';

const LEAD =
	'De Amerikaanse president Donald Trump heeft aangekondigd dat de Verenigde Staten meer wapens naar Oekraïne zullen sturen.';

describe('articleSummary', () => {
	it('reads the date and cuts the title at a word boundary near 60 characters', () => {
		const s = summarizeArticle('2025/000_3ffb0e8bd60704ce.txt', ` date 2025-07 ${LEAD}\n\nTweede alinea.`)!;
		assert.deepStrictEqual(s.date, { year: 2025, month: 7 });
		assert.strictEqual(s.problem, null);
		assert.strictEqual(s.title, 'De Amerikaanse president Donald Trump heeft aangekondigd dat…');
		assert.ok(s.title.length <= TITLE_LENGTH + 1);
		assert.strictEqual(s.leadExcerpt, LEAD);
	});

	it('keeps a short lead whole and caps the excerpt', () => {
		assert.strictEqual(summarizeArticle('a.txt', ' date 2024-03 Kort bericht.')!.title, 'Kort bericht.');
		const long = summarizeArticle('a.txt', ` date 2024-03 ${'woord '.repeat(200)}`)!;
		assert.strictEqual(long.leadExcerpt.length, LEAD_EXCERPT_LENGTH);
	});

	it('accepts a BOM and CRLF line ends', () => {
		const s = summarizeArticle('a.txt', `\uFEFF date 2023-11 De Europese Unie neemt sancties aan.\r\n\r\nMeer.`)!;
		assert.deepStrictEqual(s.date, { year: 2023, month: 11 });
		assert.strictEqual(s.title, 'De Europese Unie neemt sancties aan.');
	});

	it('keeps a quote that follows the date right away', () => {
		const s = summarizeArticle('a.txt', ' date 2022-10 “Productief gesprek” met Kiev, zegt het Witte Huis.')!;
		assert.strictEqual(s.title, '“Productief gesprek” met Kiev, zegt het Witte Huis.');
	});

	it('reports impossible dates with a short reason and still shows the lead', () => {
		const month = summarizeArticle('x/003_badheader00000000.txt', ' date 2025-13 Deze kop heeft een onmogelijke maand.')!;
		assert.strictEqual(month.date, null);
		assert.strictEqual(month.problem, 'invalid month in "2025-13" (expected 01–12)');
		assert.strictEqual(month.title, 'Deze kop heeft een onmogelijke maand.');
		const year = summarizeArticle('a.txt', ' date 25-07 Tekst.')!;
		assert.strictEqual(year.problem, 'invalid date "25-07" (expected YYYY-MM)');
	});

	it('names an empty file after the file and says it is empty', () => {
		for (const text of ['', '\uFEFF', '   \n\n']) {
			const s = summarizeArticle('2024/007_leeg.txt', text)!;
			assert.strictEqual(s.date, null);
			assert.strictEqual(s.problem, 'empty file');
			assert.strictEqual(s.title, '007_leeg');
		}
	});

	it('returns undefined for a text that is not an article', () => {
		assert.strictEqual(summarizeArticle('notes.txt', 'Boodschappenlijst\n\nbrood, kaas'), undefined);
		assert.strictEqual(summarizeArticle('notes.txt', 'dated 2024-01 nee'), undefined);
	});

	it('falls back to the file name when the header has no lead', () => {
		const s = summarizeArticle('a/010_0000000000000000.txt', ' date 2024-05')!;
		assert.deepStrictEqual(s.date, { year: 2024, month: 5 });
		assert.strictEqual(s.title, '010_0000000000000000');
	});

	describe('bytes', () => {
		const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

		it('reports invalid UTF-8 in a file that starts like an article', () => {
			const bytes = new Uint8Array([...encode(' date 2024-01 caf'), 0xe9, ...encode(' in Kiev.')]);
			const s = summarizeArticleBytes('a.txt', bytes, false)!;
			assert.strictEqual(s.date, null);
			assert.strictEqual(s.problem, 'not valid UTF-8');
		});

		it('ignores invalid UTF-8 that is not an article at all', () => {
			assert.strictEqual(summarizeArticleBytes('bin.txt', new Uint8Array([0xff, 0x00, 0x81, 0x41]), false), undefined);
		});

		it('does not mistake a read that ends inside a character for invalid UTF-8', () => {
			const full = encode(' date 2024-01 Oekraïne');
			const cut = full.subarray(0, full.length - 3); // ends on the first byte of "ï"
			assert.strictEqual(summarizeArticleBytes('a.txt', cut, true)!.problem, null);
			assert.strictEqual(summarizeArticleBytes('a.txt', cut, false)!.problem, 'not valid UTF-8');
		});

		it('finds the last complete character', () => {
			const euro = encode('a€'); // 61 e2 82 ac
			assert.strictEqual(completeUtf8Length(euro), 4);
			assert.strictEqual(completeUtf8Length(euro.subarray(0, 3)), 1);
			assert.strictEqual(completeUtf8Length(euro.subarray(0, 2)), 1);
			assert.strictEqual(completeUtf8Length(encode('abc')), 3);
		});
	});
});
