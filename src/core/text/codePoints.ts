/**
 * Conversion between UTF-16 code-unit offsets (JavaScript string indices) and Unicode
 * code-point offsets (what the CLI prints and what other tools count in).
 *
 * An offset that falls between the two halves of a surrogate pair is rounded down to the
 * start of that code point. Offsets are clamped to [0, text length].
 */

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
	return code >= 0xdc00 && code <= 0xdfff;
}

/** Number of code points in `text` before UTF-16 offset `offset`. */
export function utf16ToCodePoint(text: string, offset: number): number {
	const end = Math.max(0, Math.min(offset, text.length));
	let cp = 0;
	for (let i = 0; i < end; i++) {
		const c = text.charCodeAt(i);
		if (isHighSurrogate(c) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
			if (i + 1 >= end) {
				break; // offset points inside the pair: round down
			}
			i++;
		}
		cp++;
	}
	return cp;
}

/** UTF-16 offset of code point number `cp` in `text` (text.length if past the end). */
export function codePointToUtf16(text: string, cp: number): number {
	let i = 0;
	let n = 0;
	while (i < text.length && n < cp) {
		const c = text.charCodeAt(i);
		i += isHighSurrogate(c) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
		n++;
	}
	return i;
}

/**
 * Converts many UTF-16 offsets at once in one pass over the text (O(text + k log k)).
 * Offsets may come in any order; the result is in the same order as the input.
 */
export function utf16OffsetsToCodePoints(text: string, offsets: readonly number[]): number[] {
	const order = offsets.map((_, i) => i).sort((a, b) => offsets[a] - offsets[b]);
	const result = new Array<number>(offsets.length);
	let i = 0;
	let cp = 0;
	for (const k of order) {
		const target = Math.max(0, Math.min(offsets[k], text.length));
		while (i < target) {
			const c = text.charCodeAt(i);
			if (isHighSurrogate(c) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
				if (i + 1 >= target) {
					break;
				}
				i += 2;
			} else {
				i++;
			}
			cp++;
		}
		result[k] = cp;
	}
	return result;
}

/** Converts many code-point offsets to UTF-16 offsets in one pass; same order as the input. */
export function codePointsToUtf16Offsets(text: string, cps: readonly number[]): number[] {
	const order = cps.map((_, i) => i).sort((a, b) => cps[a] - cps[b]);
	const result = new Array<number>(cps.length);
	let i = 0;
	let cp = 0;
	for (const k of order) {
		const target = Math.max(0, cps[k]);
		while (i < text.length && cp < target) {
			const c = text.charCodeAt(i);
			i += isHighSurrogate(c) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
			cp++;
		}
		result[k] = i;
	}
	return result;
}
