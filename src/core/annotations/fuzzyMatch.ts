/**
 * Approximate string search: Myers' bit-parallel edit-distance algorithm in Hyyrö's
 * multi-word ("block") form, O(n · ⌈m/32⌉) for a pattern of m UTF-16 units over n
 * units of text. Kept rather than `approx-string-match` (which Hypothesis uses): that library
 * passes the same oracle test, but measured on this machine it was no faster for the windowed
 * searches re-anchoring mostly does (2,000 windows: 118–197 ms vs 105–153 ms here) though about
 * twice as fast on whole 40 KB texts, and it ships as an ES module only, which the CommonJS
 * builds (tests, CLI) can load only on Node ≥ 20.19.
 */

/** One approximate occurrence: UTF-16 offsets into the searched text, end exclusive. */
export interface ApproxMatch {
	start: number;
	end: number;
	/** Edit distance between the pattern and `text.slice(start, end)`. */
	errors: number;
}

/** Bit-vector state for one pattern. */
class MyersPattern {
	readonly blocks: number;
	private readonly peq = new Map<number, Int32Array>();
	private readonly zero: Int32Array;
	/** Bit of the pattern's last row in the last block. */
	readonly lastBit: number;

	constructor(readonly pattern: string) {
		const m = pattern.length;
		this.blocks = Math.max(1, Math.ceil(m / 32));
		this.zero = new Int32Array(this.blocks);
		for (let i = 0; i < m; i++) {
			const c = pattern.charCodeAt(i);
			let eq = this.peq.get(c);
			if (!eq) { eq = new Int32Array(this.blocks); this.peq.set(c, eq); }
			eq[i >> 5] |= 1 << (i & 31);
		}
		this.lastBit = 1 << ((m - 1) & 31);
	}

	eq(c: number): Int32Array {
		return this.peq.get(c) ?? this.zero;
	}
}

/**
 * Runs Myers over `text[from, to)` (or its reverse) and calls `onColumn(i, score)` for
 * each unit consumed, with the edit distance of the best pattern match ending there.
 * With `anchored`, the match must start at the first consumed unit (top row counts up).
 */
function scan(
	p: MyersPattern, text: string, from: number, to: number, reverse: boolean, anchored: boolean,
	onColumn: (index: number, score: number) => void,
): void {
	const blocks = p.blocks;
	const P = new Int32Array(blocks).fill(-1);
	const M = new Int32Array(blocks);
	let score = p.pattern.length;
	const last = blocks - 1;
	const count = to - from;
	for (let step = 0; step < count; step++) {
		const idx = reverse ? to - 1 - step : from + step;
		const eqs = p.eq(text.charCodeAt(idx));
		let hin = anchored ? 1 : 0;
		for (let b = 0; b < blocks; b++) {
			const pv = P[b];
			const mv = M[b];
			const hinNeg = hin < 0 ? 1 : 0;
			let eq = eqs[b];
			const xv = eq | mv;
			eq |= hinNeg;
			const xh = ((((eq & pv) + pv) | 0) ^ pv) | eq;
			let ph = mv | ~(xh | pv);
			let mh = pv & xh;
			const hb = b === last ? p.lastBit : 0x80000000 | 0;
			const hout = ph & hb ? 1 : mh & hb ? -1 : 0;
			ph = (ph << 1) | (hin > 0 ? 1 : 0);
			mh = (mh << 1) | hinNeg;
			P[b] = mh | ~(xv | ph);
			M[b] = ph & xv;
			hin = hout;
		}
		score += hin;
		onColumn(idx, score);
	}
}

/** Edit distance between `a` and `b` (small strings; used for context similarity). */
export function editDistance(a: string, b: string): number {
	if (a === b) {
		return 0;
	}
	if (a.length === 0) {
		return b.length;
	}
	if (b.length === 0) {
		return a.length;
	}
	const row = new Array<number>(b.length + 1);
	for (let j = 0; j <= b.length; j++) {
		row[j] = j;
	}
	for (let i = 1; i <= a.length; i++) {
		let diag = row[0];
		row[0] = i;
		const ca = a.charCodeAt(i - 1);
		for (let j = 1; j <= b.length; j++) {
			const up = row[j];
			row[j] = Math.min(up + 1, row[j - 1] + 1, diag + (ca === b.charCodeAt(j - 1) ? 0 : 1));
			diag = up;
		}
	}
	return row[b.length];
}

/**
 * Occurrences of `pattern` in `text[from, to)` with at most `maxErrors` edits, one per
 * run of qualifying end positions (its best), at most `maxMatches` (fewest errors first).
 */
export function approxSearch(
	text: string, pattern: string, maxErrors: number,
	from = 0, to = text.length, maxMatches = 64,
): ApproxMatch[] {
	if (pattern.length === 0 || to <= from) {
		return [];
	}
	const p = new MyersPattern(pattern);
	const ends: { end: number; errors: number }[] = [];
	let runBest: { end: number; errors: number } | undefined;
	scan(p, text, from, to, false, false, (i, score) => {
		if (score <= maxErrors) {
			if (!runBest || score < runBest.errors) {
				runBest = { end: i + 1, errors: score };
			}
		} else if (runBest) {
			ends.push(runBest);
			runBest = undefined;
		}
	});
	if (runBest) {
		ends.push(runBest);
	}
	ends.sort((x, y) => x.errors - y.errors || x.end - y.end);
	const kept = ends.slice(0, maxMatches);
	// Find each start by matching the pattern backwards from the end, anchored at the end.
	const rp = new MyersPattern(reverseString(pattern));
	const result: ApproxMatch[] = [];
	for (const { end, errors } of kept) {
		const lo = Math.max(from, end - pattern.length - errors);
		let bestStart = end;
		let bestErr = Number.POSITIVE_INFINITY;
		scan(rp, text, lo, end, true, true, (i, score) => {
			// Prefer fewer errors, then the length closest to the pattern's.
			const len = end - i;
			const better = score < bestErr ||
				(score === bestErr && Math.abs(len - pattern.length) < Math.abs(end - bestStart - pattern.length));
			if (better) { bestErr = score; bestStart = i; }
		});
		result.push({ start: bestStart, end, errors: Math.min(bestErr, errors) });
	}
	return result;
}

function reverseString(s: string): string {
	// Unit-wise reverse is fine: both directions see the same (reversed) unit sequence.
	let r = '';
	for (let i = s.length - 1; i >= 0; i--) {
		r += s[i];
	}
	return r;
}
