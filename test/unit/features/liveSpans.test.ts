import * as assert from 'assert';
import { editedSpanSurvives, stepAnnotation, survivingShare, type NavigableSpan } from '../../../src/features/annotations/liveSpans';
import { seededRandom } from '../../../src/core/util/seededRandom';

describe('live spans: stepping through annotations', () => {
	// The case from issue 13: on one line claim 23–57, framing 52–224, fact-check 116–138.
	const spans: NavigableSpan[] = [
		{ id: 'claim', start: 23, end: 57 },
		{ id: 'fact', start: 116, end: 138 },
		{ id: 'framing', start: 52, end: 224 },
	];

	it('visits overlapping annotations in (start, end, id) order, each once per round', () => {
		const visited: string[] = [];
		let sel: { start: number; end: number } = { start: 0, end: 0 };
		let last: string | undefined;
		for (let i = 0; i < 6; i++) {
			const next: NavigableSpan = stepAnnotation(spans, sel.start, sel.end, 1, last)!;
			visited.push(next.id);
			sel = next;
			last = next.id;
		}
		assert.deepStrictEqual(visited, ['claim', 'framing', 'fact', 'claim', 'framing', 'fact']);
	});

	it('steps back in reverse order from the current annotation', () => {
		const visited: string[] = [];
		let sel: { start: number; end: number } = { start: 116, end: 138 };
		let last: string | undefined = 'fact';
		for (let i = 0; i < 3; i++) {
			const next: NavigableSpan = stepAnnotation(spans, sel.start, sel.end, -1, last)!;
			visited.push(next.id);
			sel = next;
			last = next.id;
		}
		assert.deepStrictEqual(visited, ['framing', 'claim', 'fact']);
	});

	it('tells apart annotations sharing one span by the one last visited', () => {
		const twins: NavigableSpan[] = [
			{ id: 'a', start: 5, end: 9 },
			{ id: 'b', start: 5, end: 9 },
			{ id: 'c', start: 20, end: 25 },
		];
		assert.strictEqual(stepAnnotation(twins, 5, 9, 1, 'a')?.id, 'b');
		assert.strictEqual(stepAnnotation(twins, 5, 9, 1, 'b')?.id, 'c');
		assert.strictEqual(stepAnnotation(twins, 5, 9, -1, 'b')?.id, 'a');
	});

	it('from a cursor goes to the first annotation after it, including one starting there', () => {
		assert.strictEqual(stepAnnotation(spans, 52, 52, 1)?.id, 'framing');
		assert.strictEqual(stepAnnotation(spans, 60, 60, 1)?.id, 'fact');
		assert.strictEqual(stepAnnotation(spans, 60, 60, -1)?.id, 'framing');
		assert.strictEqual(stepAnnotation(spans, 300, 300, 1)?.id, 'claim', 'wraps around');
		assert.strictEqual(stepAnnotation([], 0, 0, 1), undefined);
	});

	it('visits every annotation exactly once per round on random layouts (seeded)', () => {
		const rng = seededRandom(1313);
		let failures = 0;
		for (let round = 0; round < 300; round++) {
			const n = 1 + Math.floor(rng() * 12);
			const list: NavigableSpan[] = Array.from({ length: n }, (_, i) => {
				const start = Math.floor(rng() * 50);
				return { id: `x${i}`, start, end: start + 1 + Math.floor(rng() * 30) };
			});
			for (const direction of [1, -1] as const) {
				const seen = new Set<string>();
				let sel: { start: number; end: number } = { start: 0, end: 0 };
				let last: string | undefined;
				for (let i = 0; i < n; i++) {
					const next: NavigableSpan = stepAnnotation(list, sel.start, sel.end, direction, last)!;
					seen.add(next.id);
					sel = next;
					last = next.id;
				}
				if (seen.size !== n) {
					failures++;
				}
			}
		}
		console.log(`      ${failures} of 600 random rounds missed or repeated an annotation`);
		assert.strictEqual(failures, 0);
	});
});

describe('live spans: an edited span survives or becomes an orphan', () => {
	it('keeps a span with a corrected typo and orphans one mostly deleted or replaced', () => {
		assert.ok(editedSpanSurvives('zwaar wordt getroffen door Rusland', 'zwaar wordt getroffen door Rusland!'));
		assert.ok(editedSpanSurvives('de minister zei', 'de ministr zei'));
		assert.ok(!editedSpanSurvives('zwaar wordt getroffen door Rusland', 'zwaar'));
		assert.ok(!editedSpanSurvives('zwaar wordt getroffen door Rusland', 'er was dat al langer bekend. Afgel'));
		assert.ok(!editedSpanSurvives('Rusland', ''));
		assert.ok(editedSpanSurvives('a\r\nb', 'a\nb'), 'CRLF and LF are the same text');
	});

	it('measures the share left intact', () => {
		assert.strictEqual(survivingShare('abcdef', 'abcdef'), 1);
		assert.strictEqual(survivingShare('abcdef', ''), 0);
		assert.strictEqual(survivingShare('abcdef', 'abXdef'), 1 - 1 / 6);
	});
});
