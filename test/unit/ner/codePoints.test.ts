import * as assert from 'node:assert/strict';
import { codePointToUtf16, codePointsToUtf16Offsets, utf16OffsetsToCodePoints, utf16ToCodePoint } from '../../../src/core/text/codePoints';

describe('code point offsets', () => {
	const s = 'a😀b👍🏽c';
	// code points: a, 😀, b, 👍, 🏽, c  → UTF-16 units: 1, 2, 1, 2, 2, 1
	it('converts UTF-16 offsets to code points', () => {
		assert.equal(utf16ToCodePoint(s, 0), 0);
		assert.equal(utf16ToCodePoint(s, 1), 1);
		assert.equal(utf16ToCodePoint(s, 3), 2);
		assert.equal(utf16ToCodePoint(s, 4), 3);
		assert.equal(utf16ToCodePoint(s, 8), 5);
		assert.equal(utf16ToCodePoint(s, 9), 6);
		assert.equal(utf16ToCodePoint(s, 2), 1, 'inside a surrogate pair rounds down');
		assert.equal(utf16ToCodePoint(s, 99), 6);
	});

	it('converts code points to UTF-16 offsets', () => {
		assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((c) => codePointToUtf16(s, c)), [0, 1, 3, 4, 6, 8, 9, 9]);
	});

	it('round-trips and batch conversion agrees with the single ones in any order', () => {
		const offsets = [9, 0, 4, 1, 3, 8, 6, 2];
		assert.deepEqual(utf16OffsetsToCodePoints(s, offsets), offsets.map((o) => utf16ToCodePoint(s, o)));
		const cps = [5, 0, 3, 6, 1];
		assert.deepEqual(codePointsToUtf16Offsets(s, cps), cps.map((c) => codePointToUtf16(s, c)));
		for (let cp = 0; cp <= 6; cp++) {
			assert.equal(utf16ToCodePoint(s, codePointToUtf16(s, cp)), cp);
		}
	});
});
