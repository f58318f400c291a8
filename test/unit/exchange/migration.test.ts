import * as assert from 'assert';
import { canonicalText } from '../../../src/core/annotations/offsets';
import { parseArticle } from '../../../src/core/article/articleParser';
import { articleHeaderText, migrateDocument, parseDatesCsv } from '../../../src/core/exchange/migration';
import { firstDifference, planMerge } from '../../../src/core/exchange/importPlan';
import { span } from './exchangeFixtures';

const PLAIN = '\uFEFFZelensky 🇺🇦 sprak in Kiev.\r\n\r\nRutte 😀 luisterde.';

describe('exchange: migration of plain texts into articles', () => {
	it('puts the header before the first line (after the BOM) and shifts every offset by its length', () => {
		const z = span(PLAIN, 'a1', 'attribution', 0, 11);
		const r = span(PLAIN, 'a2', 'claim', 28, 36, { note: 'n' });
		assert.strictEqual(z.quote, 'Zelensky 🇺🇦');
		assert.strictEqual(r.quote, 'Rutte 😀 ');
		const m = migrateDocument({ path: 'x.txt', text: PLAIN, annotations: [z, r], relations: [{ id: 'r1', type: 'source-of', from: 'a1', to: 'a2' }] }, '2024-05');
		assert.ok(m.text.startsWith('\uFEFF date 2024-05 Zelensky'));
		assert.strictEqual(articleHeaderText('2024-05').length, 14);
		assert.deepStrictEqual(m.annotations.map((a) => [a.start, a.end, a.quote, a.note]), [[14, 25, 'Zelensky 🇺🇦', undefined], [42, 50, 'Rutte 😀 ', 'n']]);
		assert.strictEqual(m.annotations[0].prefix, ' date 2024-05 ');
		assert.deepStrictEqual(m.relations, [{ id: 'r1', type: 'source-of', from: 'a1', to: 'a2' }]);
		const parsed = parseArticle(canonicalText(m.text));
		assert.deepStrictEqual(parsed.date, { year: 2024, month: 5 });
		assert.strictEqual(parsed.issues.filter((i) => i.severity === 'error').length, 0);
	});

	it('refuses a month that is not YYYY-MM', () => {
		assert.throws(() => articleHeaderText('2024-13'));
		assert.throws(() => articleHeaderText('24-05'));
	});

	it('reads dates.csv, naming bad lines with line and column', () => {
		const { dates, errors } = parseDatesCsv('path,date\r\na/1.txt,2024-05\n"b,c.txt",2023-12\n\n# comment\nd.txt,2024-13\ne.txt\na/1.txt,2024-06\n');
		assert.deepStrictEqual([...dates], [['a/1.txt', '2024-05'], ['b,c.txt', '2023-12']]);
		assert.deepStrictEqual(errors.map((e) => [e.line, e.column]), [[6, 7], [7, 1], [8, 1]]);
	});
});

describe('exchange: text comparison and merge rule', () => {
	it('compares canonically and names the first difference by line and column', () => {
		assert.strictEqual(firstDifference('\uFEFFa\r\nb', 'a\nb'), undefined);
		const d = firstDifference(' date 2024-05 Eén 😀 twee\nRutte zei ja.', ' date 2024-05 Eén 😀 twee\nRutte zei nee.');
		assert.deepStrictEqual(d, { line: 2, column: 11, expected: 'ja.', actual: 'nee.' });
		const e = firstDifference('x😀y', 'x😃y');
		assert.deepStrictEqual([e?.column, e?.expected, e?.actual], [2, '😀y', '😃y']);
	});

	it('replaces by id, does not duplicate the same label and span, adds the rest; relations follow', () => {
		const text = ' date 2024-05 Rutte zei ja tegen Kiev.';
		const stored = [span(text, 'a1', 'claim', 14, 19, { note: 'oud' }), span(text, 'a2', 'event', 20, 26)];
		const incoming = [
			span(text, 'a1', 'claim', 14, 19, { note: 'nieuw' }),
			span(text, 'T9', 'event', 20, 26),
			span(text, 'T3', 'claim', 33, 37),
		];
		const plan = planMerge(stored, [], incoming, [{ id: 'R1', type: 'source-of', from: 'T9', to: 'T3' }]);
		assert.deepStrictEqual(plan.replaced.map((a) => [a.id, a.note]), [['a1', 'nieuw']]);
		assert.deepStrictEqual(plan.added.map((a) => a.id), ['T3']);
		assert.strictEqual(plan.unchanged, 1);
		assert.deepStrictEqual(plan.addedRelations.map((r) => [r.from, r.to]), [['a2', 'T3']]);
		const again = planMerge([...stored, incoming[2]], plan.addedRelations, incoming.slice(1), [{ id: 'R1', type: 'source-of', from: 'T9', to: 'T3' }]);
		assert.deepStrictEqual([again.added.length, again.unchanged, again.addedRelations.length, again.unchangedRelations], [0, 2, 0, 1]);
	});
});
