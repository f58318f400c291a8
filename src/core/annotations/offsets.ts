/**
 * The one home of text offsets. Three kinds of offset exist, each its own branded number so
 * that one cannot be passed where another is meant:
 * - {@link SidecarOffset}: what sidecars store, code points of the *canonical text* (BOM not
 *   counted, CRLF counts as one);
 * - {@link EditorOffset}: UTF-16 units of the text as the editor holds it (CRLF as two units);
 * - {@link RawOffset}: UTF-16 units of the file's text as read (a BOM, if any, counts too);
 * and, inside the anchoring code, {@link CanonicalUtf16Offset}: UTF-16 units of the canonical
 * text. The conversions live here, in {@link TextIndex}.
 *
 * A {@link TextIndex} records the UTF-16 units that do not start a canonical code
 * point ("skips": a leading BOM, the low half of a surrogate pair, the LF of a CRLF)
 * so every conversion is a binary search over a usually tiny array; building it is a
 * single pass over the text.
 */

declare const offsetKind: unique symbol;
type Offset<Kind extends string> = number & { readonly [offsetKind]: Kind };

/** Code-point offset into the canonical text: the unit of sidecar `start`/`end`. */
export type SidecarOffset = Offset<'sidecar'>;
/** UTF-16 offset into the editor's text. */
export type EditorOffset = Offset<'editor'>;
/** UTF-16 offset into the file's text as read, a leading BOM included. */
export type RawOffset = Offset<'raw'>;
/** UTF-16 offset into the canonical text. */
export type CanonicalUtf16Offset = Offset<'canonical-utf16'>;
/** Any UTF-16 offset a {@link TextIndex} converts from and to. */
export type Utf16Offset = EditorOffset | RawOffset | CanonicalUtf16Offset;

/** A span of the editor's text, end exclusive. */
export interface EditorRange {
	readonly start: EditorOffset;
	readonly end: EditorOffset;
}

/** Marks a number read from a sidecar (or computed from sidecar offsets) as a sidecar offset. */
export function sidecarOffset(n: number): SidecarOffset {
	return n as SidecarOffset;
}

/** Marks a number from the editor (a document's offsetAt, a selection) as an editor offset. */
export function editorOffset(n: number): EditorOffset {
	return n as EditorOffset;
}

/** Marks a UTF-16 offset into the canonical text as such. */
export function canonicalUtf16Offset(n: number): CanonicalUtf16Offset {
	return n as CanonicalUtf16Offset;
}

/** Removes a leading BOM and turns CRLF into LF: the text sidecar offsets refer to. */
export function canonicalText(text: string): string {
	const noBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	return noBom.indexOf('\r\n') < 0 ? noBom : noBom.replace(/\r\n/g, '\n');
}

/** Whether the UTF-16 units at `i` and `i + 1` of `s` form one surrogate pair (one code point). */
export function isSurrogatePairAt(s: string, i: number): boolean {
	if (i < 0 || i + 1 >= s.length) {
		return false;
	}
	const high = s.charCodeAt(i);
	const low = s.charCodeAt(i + 1);
	return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}

/** Number of code points in `s` (a lone surrogate counts as one). */
export function codePointLength(s: string): number {
	let n = s.length;
	for (let i = 0; i < s.length - 1; i++) {
		if (isSurrogatePairAt(s, i)) { n--; i++; }
	}
	return n;
}

/** Moves `n` code points back from UTF-16 offset `pos` of `s` (stops at 0). */
export function backCodePoints(s: string, pos: number, n: number): number {
	let i = pos;
	for (let k = 0; k < n && i > 0; k++) {
		i -= isSurrogatePairAt(s, i - 2) ? 2 : 1;
	}
	return i;
}

/** Moves `n` code points forward from UTF-16 offset `pos` of `s` (stops at its end). */
export function forwardCodePoints(s: string, pos: number, n: number): number {
	let i = pos;
	for (let k = 0; k < n && i < s.length; k++) {
		i += isSurrogatePairAt(s, i) ? 2 : 1;
	}
	return i;
}

/** Maps UTF-16 offsets (of kind `U`) of one text to canonical code-point offsets and back. */
export class TextIndex<U extends Utf16Offset = Utf16Offset> {
	/** Sorted UTF-16 positions of units that do not start a canonical code point. */
	private readonly skips: Int32Array;
	/** skips[i] - i: the code points before each skip (non-decreasing), so both directions are one search. */
	private readonly codePointsBeforeSkip: Int32Array;

	private constructor(readonly utf16Length: number, skips: number[]) {
		this.skips = Int32Array.from(skips);
		this.codePointsBeforeSkip = Int32Array.from(skips, (skip, i) => skip - i);
	}

	/** Index for text as the editor holds it, or as read from the file (may have a BOM and CRLF line ends). */
	static forRaw<R extends EditorOffset | RawOffset = EditorOffset>(text: string): TextIndex<R> {
		return TextIndex.build<R>(text, true);
	}

	/** Index for text that is already canonical (only surrogate pairs matter). */
	static forCanonical(text: string): TextIndex<CanonicalUtf16Offset> {
		return TextIndex.build<CanonicalUtf16Offset>(text, false);
	}

	private static build<R extends Utf16Offset>(text: string, raw: boolean): TextIndex<R> {
		const skips: number[] = [];
		const n = text.length;
		if (raw && n > 0 && text.charCodeAt(0) === 0xfeff) {
			skips.push(0);
		}
		for (let i = raw && skips.length ? 1 : 0; i < n; i++) {
			const c = text.charCodeAt(i);
			if (c === 13) {
				if (raw && i + 1 < n && text.charCodeAt(i + 1) === 10) { skips.push(i + 1); i++; }
			} else if (isSurrogatePairAt(text, i)) {
				skips.push(i + 1);
				i++;
			}
		}
		return new TextIndex<R>(n, skips);
	}

	/** Length of the canonical text in code points. */
	get codePointLength(): SidecarOffset {
		return sidecarOffset(this.utf16Length - this.skips.length);
	}

	/**
	 * Canonical code-point offset of a UTF-16 offset. An offset inside a surrogate
	 * pair or between CR and LF rounds up to the next code point.
	 */
	toCodePoint(utf16: U): SidecarOffset {
		const u = Math.max(0, Math.min(utf16, this.utf16Length));
		return sidecarOffset(u - countBelow(this.skips, u));
	}

	/** UTF-16 offset where canonical code point `cp` starts (clamped to the text). */
	toUtf16(cp: SidecarOffset): U {
		const c = Math.max(0, Math.min(cp, this.codePointLength));
		// u = c + #{i : skips[i] - i <= c}.
		return (c + countBelow(this.codePointsBeforeSkip, c + 1)) as U;
	}
}

/** How many elements of the ascending `sorted` are below `limit` (binary search). */
function countBelow(sorted: Int32Array, limit: number): number {
	let lo = 0, hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (sorted[mid] < limit) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}
