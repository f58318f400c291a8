import * as assert from 'assert';
import {
	formatArticleDate,
	isHeadingLine,
	looksLikeArticle,
	parseArticle,
} from '../../../src/core/article/articleParser';

const ARTICLE = [
	' date 2025-07 De Amerikaanse minister sprak in Kiev met president Zelensky.',
	'',
	'Het gesprek duurde twee uur, meldde het Witte Huis.',
	'',
	'‘Lang en inhoudelijk’',
	'',
	'"We blijven steunen," zei hij.',
].join('\n');

describe('articleParser', () => {
	describe('looksLikeArticle', () => {
		it('accepts a header and rejects ordinary text', () => {
			assert.strictEqual(looksLikeArticle(' date 2025-07 Tekst'), true);
			assert.strictEqual(looksLikeArticle('\uFEFF date 2025-07 Tekst'), true);
			assert.strictEqual(looksLikeArticle(' date 25-07 Tekst'), true, 'a malformed date is still an article (gets a diagnostic)');
			assert.strictEqual(looksLikeArticle('Notities bij het corpus'), false);
			assert.strictEqual(looksLikeArticle('date night was fun'), false);
			assert.strictEqual(looksLikeArticle(''), false);
		});
	});

	describe('parseArticle', () => {
		it('returns the date, the lead and the blocks with offsets', () => {
			const parsed = parseArticle(ARTICLE);
			assert.deepStrictEqual(parsed.date, { year: 2025, month: 7 });
			assert.deepStrictEqual(parsed.issues, []);
			assert.ok(parsed.lead);
			assert.strictEqual(parsed.lead.text, 'De Amerikaanse minister sprak in Kiev met president Zelensky.');
			assert.strictEqual(ARTICLE.slice(parsed.lead.start, parsed.lead.end), parsed.lead.text);
			assert.deepStrictEqual(
				parsed.blocks.map((b) => [b.kind, b.line]),
				[
					['lead', 0],
					['paragraph', 2],
					['heading', 4],
					['paragraph', 6],
				],
			);
			for (const block of parsed.blocks) {
				assert.strictEqual(ARTICLE.slice(block.start, block.end), block.text);
			}
			assert.ok(parsed.header);
			assert.strictEqual(ARTICLE.slice(parsed.header.keyword.start, parsed.header.keyword.end), 'date');
			assert.strictEqual(ARTICLE.slice(parsed.header.dateText.start, parsed.header.dateText.end), '2025-07');
		});

		it('accepts CRLF line ends and a BOM with correct offsets', () => {
			const text = '\uFEFF' + ARTICLE.replace(/\n/g, '\r\n');
			const parsed = parseArticle(text);
			assert.strictEqual(parsed.hasBom, true);
			assert.strictEqual(parsed.eol, '\r\n');
			assert.deepStrictEqual(parsed.date, { year: 2025, month: 7 });
			assert.strictEqual(parsed.blocks.length, 4);
			for (const block of parsed.blocks) {
				assert.strictEqual(text.slice(block.start, block.end), block.text);
				assert.ok(!block.text.includes('\r'));
			}
			assert.strictEqual(parsed.blocks[2].kind, 'heading');
		});

		it('reports an impossible month on the month digits', () => {
			const text = ' date 2025-13 Tekst van de lead.';
			const parsed = parseArticle(text);
			assert.strictEqual(parsed.date, null);
			assert.strictEqual(parsed.issues.length, 1);
			const [issue] = parsed.issues;
			assert.strictEqual(issue.code, 'invalid-month');
			assert.strictEqual(text.slice(issue.start, issue.end), '13');
			assert.match(issue.message, /month must be 01 to 12/);
		});

		it('reports a two-digit year on the whole date', () => {
			const text = ' date 25-07 Tekst.';
			const parsed = parseArticle(text);
			assert.strictEqual(parsed.date, null);
			assert.strictEqual(parsed.issues[0].code, 'invalid-date');
			assert.strictEqual(text.slice(parsed.issues[0].start, parsed.issues[0].end), '25-07');
		});

		it('reports an empty file, a missing lead, odd spacing and undecodable bytes without throwing', () => {
			assert.strictEqual(parseArticle('').issues[0].code, 'empty-file');
			assert.strictEqual(parseArticle(' date 2024-02').issues[0].code, 'missing-lead');
			const spaced = parseArticle('date  2024-02 Tekst.');
			assert.deepStrictEqual(spaced.date, { year: 2024, month: 2 });
			assert.strictEqual(spaced.issues[0].code, 'header-spacing');
			assert.strictEqual(spaced.issues[0].severity, 'warning');
			const broken = parseArticle(' date 2024-02 Kap\uFFFDt.');
			assert.strictEqual(broken.issues[0].code, 'invalid-encoding');
		});

		it('accepts a quote right after the date', () => {
			const parsed = parseArticle(' date 2022-10 “Productief gesprek”, zei de minister.');
			assert.strictEqual(parsed.lead?.text, '“Productief gesprek”, zei de minister.');
		});

		it('treats text without a header as no article but still gives blocks', () => {
			const parsed = parseArticle('Notities\n\nEen tweede regel.');
			assert.strictEqual(parsed.header, null);
			assert.strictEqual(parsed.date, null);
			assert.deepStrictEqual(parsed.issues, []);
			assert.strictEqual(parsed.blocks.length, 2);
		});
	});

	describe('isHeadingLine', () => {
		it('recognises short unpunctuated lines, quoted or not', () => {
			assert.strictEqual(isHeadingLine('Harde clash'), true);
			assert.strictEqual(isHeadingLine("'De lucht verdedigen'"), true);
			assert.strictEqual(isHeadingLine('‘Lang en inhoudelijk’'), true);
			assert.strictEqual(isHeadingLine('Hij zei dat het goed ging.'), false);
			assert.strictEqual(isHeadingLine('“Ik ben er niet blij mee.”'), false);
			assert.strictEqual(isHeadingLine('x'.repeat(200)), false);
		});
	});

	it('formats dates with zero padding', () => {
		assert.strictEqual(formatArticleDate({ year: 2025, month: 7 }), '2025-07');
	});
});
