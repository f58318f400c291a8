import * as assert from 'assert';
import { shiftForEdits } from '../../../src/core/annotations/anchoring';
import { editorOffset, type EditorRange } from '../../../src/core/annotations/offsets';

const range = (start: number, end: number): EditorRange => ({ start: editorOffset(start), end: editorOffset(end) });
const edit = (start: number, end: number, newLength: number) => ({ ...range(start, end), newLength });
const R = range(10, 20);
const one = (start: number, end: number, newLength: number) => shiftForEdits([R], [edit(start, end, newLength)])[0];

describe('shiftForEdits', () => {
	it('shifts for an insertion or deletion before the span', () => {
		assert.deepStrictEqual(one(2, 2, 5), { start: 15, end: 25, status: 'shifted' });
		assert.deepStrictEqual(one(2, 6, 0), { start: 6, end: 16, status: 'shifted' });
		assert.deepStrictEqual(one(2, 6, 4), { start: 10, end: 20, status: 'unchanged' });
	});

	it('ignores edits after the span', () => {
		assert.deepStrictEqual(one(25, 30, 1), { start: 10, end: 20, status: 'unchanged' });
		assert.deepStrictEqual(one(20, 25, 0), { start: 10, end: 20, status: 'unchanged' });
	});

	it('keeps insertions at either boundary outside the span', () => {
		assert.deepStrictEqual(one(10, 10, 3), { start: 13, end: 23, status: 'shifted' });
		assert.deepStrictEqual(one(20, 20, 3), { start: 10, end: 20, status: 'unchanged' });
	});

	it('grows and shrinks with edits inside', () => {
		assert.deepStrictEqual(one(12, 12, 4), { start: 10, end: 24, status: 'resized' });
		assert.deepStrictEqual(one(12, 15, 0), { start: 10, end: 17, status: 'resized' });
		assert.deepStrictEqual(one(10, 12, 1), { start: 10, end: 19, status: 'resized' });
	});

	it('marks a span whose whole text was replaced for re-anchoring', () => {
		assert.deepStrictEqual(one(10, 20, 7), { start: 10, end: 17, status: 'needs-reanchor' });
		assert.deepStrictEqual(one(5, 25, 0), { start: 5, end: 5, status: 'needs-reanchor' });
	});

	it('clips edits that straddle a boundary', () => {
		assert.deepStrictEqual(one(5, 15, 2), { start: 7, end: 12, status: 'resized' });
		assert.deepStrictEqual(one(15, 25, 2), { start: 10, end: 15, status: 'resized' });
	});

	it('applies several edits of one change event in any order', () => {
		const edits = [edit(2, 2, 3), edit(12, 14, 0), edit(30, 31, 5)];
		const ranges = [R, range(28, 40), range(0, 1)];
		const expected = [
			{ start: 13, end: 21, status: 'resized' },
			{ start: 29, end: 45, status: 'resized' },
			{ start: 0, end: 1, status: 'unchanged' },
		];
		assert.deepStrictEqual(shiftForEdits(ranges, edits), expected);
		assert.deepStrictEqual(shiftForEdits(ranges, [...edits].reverse()), expected);
	});
});
