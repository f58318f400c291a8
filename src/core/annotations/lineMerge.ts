/**
 * Keeps a hand-edited sidecar's untouched lines byte-identical across a write.
 *
 * The yaml printer normalises some hand formatting (`{a: 1}` spacing, blank line
 * before a final comment, comment spacing). A three-way line merge avoids spreading
 * that over the diff: with `base` = print of the unedited file, `ours` = the file as
 * on disk and `theirs` = print after the edit, the edit's hunks (base → theirs) are
 * replayed onto `ours` wherever they do not touch a line the printer normalised.
 * The caller verifies the merge by re-printing it.
 */

/** Which line of `b` each line of `a` is matched to (-1: none); undefined if the diff is too large. */
export function matchLines(a: readonly string[], b: readonly string[], maxEdits = 2000): Int32Array | undefined {
	const aToB = new Int32Array(a.length).fill(-1);
	let pre = 0;
	while (pre < a.length && pre < b.length && a[pre] === b[pre]) { aToB[pre] = pre; pre++; }
	let suf = 0;
	while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) {
		aToB[a.length - 1 - suf] = b.length - 1 - suf;
		suf++;
	}
	const n = a.length - pre - suf;
	const m = b.length - pre - suf;
	if (n === 0 || m === 0) {
		return aToB;
	}
	// Myers' O((N+M)·D) greedy diff on the middle part, keeping one V per step for backtracking.
	const max = n + m;
	const off = max + 1;
	const v = new Int32Array(2 * max + 3);
	const trace: Int32Array[] = [];
	const A = (i: number): string => a[pre + i];
	const B = (j: number): string => b[pre + j];
	for (let d = 0; d <= Math.min(max, maxEdits); d++) {
		trace.push(v.slice(off - d - 1, off + d + 2));
		for (let k = -d; k <= d; k += 2) {
			let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
			let y = x - k;
			while (x < n && y < m && A(x) === B(y)) { x++; y++; }
			v[off + k] = x;
			if (x >= n && y >= m) {
				backtrack(trace, n, m, (i, j) => { aToB[pre + i] = pre + j; });
				return aToB;
			}
		}
	}
	return undefined;
}

function backtrack(trace: Int32Array[], n: number, m: number, match: (i: number, j: number) => void): void {
	let x = n, y = m;
	for (let d = trace.length - 1; d > 0; d--) {
		const snap = trace[d]; // V after step d-1, stored for k in [-d-1, d+1]
		const at = (k: number): number => snap[k + d + 1];
		const k = x - y;
		const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
		const prevX = at(prevK);
		const prevY = prevX - prevK;
		while (x > prevX && y > prevY) { x--; y--; match(x, y); }
		x = prevX;
		y = prevY;
	}
	while (x > 0 && y > 0) { x--; y--; match(x, y); }
}

/**
 * Replays the edits `base → theirs` onto `ours`. Returns undefined when an edit
 * touches a line that differs between `base` and `ours` (the caller then writes
 * `theirs` as is). Line ends follow the texts ("\n" split; "\r" stays on its line).
 */
export function mergeUntouchedLines(ours: string, base: string, theirs: string): string | undefined {
	const o = ours.split('\n');
	const b = base.split('\n');
	const t = theirs.split('\n');
	const bToO = matchLines(b, o);
	const bToT = matchLines(b, t);
	if (!bToO || !bToT) {
		return undefined;
	}
	// Hunks of base → theirs: runs of unmatched base lines plus the theirs lines in between.
	interface Hunk { bStart: number; bEnd: number; lines: string[] }
	const hunks: Hunk[] = [];
	let ti = 0;
	let bi = 0;
	while (bi <= b.length) {
		const nextT = bi < b.length ? bToT[bi] : t.length;
		if (bi < b.length && nextT < 0) {
			// Start of a deleted/replaced run in base.
			const start = bi;
			while (bi < b.length && bToT[bi] < 0) {
				bi++;
			}
			const tEnd = bi < b.length ? bToT[bi] : t.length;
			hunks.push({ bStart: start, bEnd: bi, lines: t.slice(ti, tEnd) });
			ti = tEnd;
			continue;
		}
		if (nextT > ti) {
			hunks.push({ bStart: bi, bEnd: bi, lines: t.slice(ti, nextT) });
		}
		ti = nextT + 1;
		bi++;
	}
	// Map each hunk onto ours; every base line it touches or sits between must be unchanged there.
	const result = o.slice();
	for (let h = hunks.length - 1; h >= 0; h--) {
		const { bStart, bEnd, lines } = hunks[h];
		let oStart: number;
		let oEnd: number;
		if (bEnd > bStart) {
			for (let i = bStart; i < bEnd; i++) {
				if (bToO[i] < 0 || (i > bStart && bToO[i] !== bToO[i - 1] + 1)) {
					return undefined;
				}
			}
			oStart = bToO[bStart];
			oEnd = bToO[bEnd - 1] + 1;
		} else {
			// Pure insertion: anchor it after the preceding base line, else before the following one.
			const before = bStart > 0 ? bToO[bStart - 1] : -1;
			const after = bStart < b.length ? bToO[bStart] : o.length;
			if (bStart === 0) {
				oStart = 0;
			} else if (before >= 0) {
				oStart = before + 1;
			} else if (after >= 0) {
				oStart = after;
			} else {
				return undefined;
			}
			oEnd = oStart;
		}
		result.splice(oStart, oEnd - oStart, ...lines);
	}
	return result.join('\n');
}
