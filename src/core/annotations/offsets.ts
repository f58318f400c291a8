/**
 * Offset conversion between an editor's UTF-16 offsets and the code-point offsets
 * stored in sidecars.
 *
 * Sidecar offsets count code points of the *canonical text*: BOM removed, CRLF → LF.
 * A {@link TextIndex} records the UTF-16 units that do not start a canonical code
 * point ("skips": a leading BOM, the low half of a surrogate pair, the LF of a CRLF)
 * so every conversion is a binary search over a usually tiny array; building it is a
 * single pass over the text.
 */

/** Removes a leading BOM and turns CRLF into LF: the text sidecar offsets refer to. */
export function canonicalText(text: string): string {
	const noBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	return noBom.indexOf('\r\n') < 0 ? noBom : noBom.replace(/\r\n/g, '\n');
}

/** Number of code points in `s` (a lone surrogate counts as one). */
export function codePointLength(s: string): number {
	let n = s.length;
	for (let i = 0; i < s.length - 1; i++) {
		if (isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1))) { n--; i++; }
	}
	return n;
}

function isHigh(c: number): boolean { return c >= 0xd800 && c <= 0xdbff; }
function isLow(c: number): boolean { return c >= 0xdc00 && c <= 0xdfff; }

/** Maps UTF-16 offsets of one text to canonical code-point offsets and back. */
export class TextIndex {
	/** Sorted UTF-16 positions of units that do not start a canonical code point. */
	private readonly skips: Int32Array;

	private constructor(readonly utf16Length: number, skips: number[]) {
		this.skips = Int32Array.from(skips);
	}

	/** Index for text as the editor holds it (may have a BOM and CRLF line ends). */
	static forRaw(text: string): TextIndex {
		return TextIndex.build(text, true);
	}

	/** Index for text that is already canonical (only surrogate pairs matter). */
	static forCanonical(text: string): TextIndex {
		return TextIndex.build(text, false);
	}

	private static build(text: string, raw: boolean): TextIndex {
		const skips: number[] = [];
		const n = text.length;
		if (raw && n > 0 && text.charCodeAt(0) === 0xfeff) {
			skips.push(0);
		}
		for (let i = raw && skips.length ? 1 : 0; i < n; i++) {
			const c = text.charCodeAt(i);
			if (c === 13) {
				if (raw && i + 1 < n && text.charCodeAt(i + 1) === 10) { skips.push(i + 1); i++; }
			} else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && isLow(text.charCodeAt(i + 1))) {
				skips.push(i + 1);
				i++;
			}
		}
		return new TextIndex(n, skips);
	}

	/** Length of the canonical text in code points. */
	get codePointLength(): number {
		return this.utf16Length - this.skips.length;
	}

	/**
	 * Canonical code-point offset of a UTF-16 offset. An offset inside a surrogate
	 * pair or between CR and LF rounds up to the next code point.
	 */
	toCodePoint(utf16: number): number {
		const u = Math.max(0, Math.min(utf16, this.utf16Length));
		// Number of skips strictly before u.
		const s = this.skips;
		let lo = 0, hi = s.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (s[mid] < u) {
				lo = mid + 1;
			} else {
				hi = mid;
			}
		}
		return u - lo;
	}

	/** UTF-16 offset where canonical code point `cp` starts (clamped to the text). */
	toUtf16(cp: number): number {
		const c = Math.max(0, Math.min(cp, this.codePointLength));
		// u = c + #{i : skips[i] - i <= c}; skips[i] - i is non-decreasing.
		const s = this.skips;
		let lo = 0, hi = s.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (s[mid] - mid <= c) {
				lo = mid + 1;
			} else {
				hi = mid;
			}
		}
		return c + lo;
	}
}
