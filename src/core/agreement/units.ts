/**
 * The units κ and α are computed over: the non-whitespace code points of the compared text.
 * Whitespace is left out so that where a span happens to stop around a space does not count as
 * agreement or disagreement, and long runs of blank lines do not inflate agreement on "no label".
 */

import { isSurrogatePairAt } from '../annotations/offsets';

/** Counts non-whitespace code points in any code-point range of one text in O(1). */
export class UnitCounter {
	/** prefix[i]: non-whitespace code points among the first i code points. */
	private readonly prefix: Int32Array;

	constructor(canonicalText: string) {
		const prefix = new Int32Array(canonicalText.length + 1);
		let cp = 0;
		let count = 0;
		for (let i = 0; i < canonicalText.length; i++) {
			if (isSurrogatePairAt(canonicalText, i)) {
				i++; // one code point, never whitespace
				count++;
			} else if (!isWhitespace(canonicalText.charCodeAt(i))) {
				count++;
			}
			prefix[++cp] = count;
		}
		this.prefix = prefix.subarray(0, cp + 1);
	}

	/** Code points of the text. */
	get length(): number {
		return this.prefix.length - 1;
	}

	/** Non-whitespace code points of the whole text. */
	get total(): number {
		return this.prefix[this.prefix.length - 1];
	}

	/** Non-whitespace code points in [start, end), clamped to the text. */
	count(start: number, end: number): number {
		const n = this.prefix.length - 1;
		const s = Math.max(0, Math.min(start, n));
		const e = Math.max(s, Math.min(end, n));
		return this.prefix[e] - this.prefix[s];
	}
}

/** The characters JavaScript's `\s` matches (Unicode White_Space plus the BOM), by UTF-16 unit. */
export function isWhitespace(c: number): boolean {
	if (c <= 0x20) {
		return c === 0x20 || (c >= 0x09 && c <= 0x0d);
	}
	if (c < 0xa0) {
		return false;
	}
	return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
