/**
 * Where the characters of one text went in another: a bounded text diff used to carry stored
 * annotation offsets from the text they were made for to the current text.
 *
 * Work is bounded in three steps: the common prefix and suffix are trimmed (a single edit costs
 * one pass), the rest is diffed by lines with jsdiff (Myers O(ND), capped edit length; beyond
 * the cap lines are aligned greedily), and only
 * inside changed line hunks by characters (capped again). Where a cap is hit the whole part is
 * treated as replaced: coarser, never wrong, because spans in a replaced part are searched.
 *
 * All offsets here are UTF-16 offsets into canonical texts (see `offsets.ts`).
 */
import { diffChars, diffLines } from 'diff';

/** One replaced region: `old[oldStart, oldEnd)` became `new[newStart, newEnd)`. */
export interface DiffChange {
	readonly oldStart: number;
	readonly oldEnd: number;
	readonly newStart: number;
	readonly newEnd: number;
	/**
	 * Old-text range over which an equivalent diff could place this change: a pure insertion or
	 * deletion next to repeated text can slide ("de " inserted before "de " is the same as after).
	 * Spans meeting this range are treated as touched, since their mapping depends on the choice.
	 */
	readonly zoneStart: number;
	readonly zoneEnd: number;
}

/** Limits on diff work (UTF-16 units and edit counts). */
export interface DiffLimits {
	/** Most line edits for jsdiff's line pass; beyond it lines are aligned greedily. */
	maxLineEdits: number;
	/** Budget of jsdiff's line pass, in lines × edits (its cost). */
	lineDiffWork: number;
	/** Largest hunk (old + new units) refined by characters. */
	maxHunkChars: number;
	/** Most character edits per hunk refinement. */
	maxCharEdits: number;
	/** Total units of all hunks refined by characters in one diff. */
	maxRefinedChars: number;
}

const DEFAULT_LIMITS: DiffLimits = { maxLineEdits: 8000, lineDiffWork: 2_000_000, maxHunkChars: 20_000, maxCharEdits: 400, maxRefinedChars: 4_000_000 };

/** Changed hunks separated only by blank lines are refined together up to this size (units). */
const MAX_JOINED_HUNK = 4000;

/** Equal runs shorter than this between two changes of one hunk are always folded into them (see foldCoincidences). */
const MIN_EQUAL_RUN = 4;

/** The changes between two texts, sorted, with fast offset mapping. */
export class TextDiff {
	/** Sum of (new length − old length) of changes[0, i). */
	private readonly deltaBefore: Int32Array;
	/** Largest zoneEnd of changes[0..i]. */
	private readonly maxZoneEnd: Int32Array;
	/** Smallest zoneStart of changes[i..]. */
	private readonly minZoneStart: Int32Array;

	constructor(readonly changes: readonly DiffChange[], readonly oldLength: number, readonly newLength: number) {
		const n = changes.length;
		this.deltaBefore = new Int32Array(n + 1);
		this.maxZoneEnd = new Int32Array(n);
		this.minZoneStart = new Int32Array(n);
		for (let i = 0; i < n; i++) {
			const c = changes[i];
			this.deltaBefore[i + 1] = this.deltaBefore[i] + (c.newEnd - c.newStart) - (c.oldEnd - c.oldStart);
			this.maxZoneEnd[i] = Math.max(c.zoneEnd, i > 0 ? this.maxZoneEnd[i - 1] : c.zoneEnd);
		}
		for (let i = n - 1; i >= 0; i--) {
			this.minZoneStart[i] = Math.min(changes[i].zoneStart, i < n - 1 ? this.minZoneStart[i + 1] : changes[i].zoneStart);
		}
	}

	/** Number of leading changes for which `pred` holds (it must hold for a prefix of them). */
	private countWhile(pred: (c: DiffChange) => boolean): number {
		let lo = 0, hi = this.changes.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (pred(this.changes[mid])) {
				lo = mid + 1;
			} else {
				hi = mid;
			}
		}
		return lo;
	}

	/** Index of the first change whose old end is ≥ `p` (changes.length if none). */
	private firstEndingAtOrAfter(p: number): number {
		return this.countWhile((c) => c.oldEnd < p);
	}

	/**
	 * True when a change (or its slide zone) meets the old span [s, e), so that the span's mapping
	 * is not certain. An insertion exactly at a span boundary does not touch it.
	 */
	touches(s: number, e: number): boolean {
		const hit = (c: DiffChange): boolean => c.zoneStart < e && c.zoneEnd > s;
		const i0 = this.firstEndingAtOrAfter(s);
		for (let j = i0 - 1; j >= 0 && this.maxZoneEnd[j] > s; j--) {
			if (hit(this.changes[j])) {
				return true;
			}
		}
		for (let i = i0; i < this.changes.length && this.minZoneStart[i] < e; i++) {
			if (hit(this.changes[i])) {
				return true;
			}
		}
		return false;
	}

	/**
	 * For a span [s, e) that {@link touches} is false for: old-text units between it and the
	 * nearest change zone before and after it (infinite when there is none on that side), i.e.
	 * how much of its context the diff shows intact.
	 */
	clearance(s: number, e: number): { before: number; after: number } {
		// Changes starting at or before s lie wholly before the span (it is untouched); the rest after it.
		const lo = this.countWhile((c) => c.oldStart <= s);
		return {
			before: lo > 0 ? Math.max(0, s - this.maxZoneEnd[lo - 1]) : Number.POSITIVE_INFINITY,
			after: lo < this.changes.length ? Math.max(0, this.minZoneStart[lo] - e) : Number.POSITIVE_INFINITY,
		};
	}

	/**
	 * New offset of old offset `p`. Inside a replaced region: its new start (`'left'`) or end
	 * (`'right'`); an insertion exactly at `p` lies before the result for `'right'`, after it for `'left'`.
	 */
	map(p: number, bias: 'left' | 'right'): number {
		let i = this.firstEndingAtOrAfter(p);
		// Changes ending exactly at p: pure insertions at p, or deletions/replacements ending at p.
		while (i < this.changes.length && this.changes[i].oldEnd === p) {
			const c = this.changes[i];
			if (c.oldStart === p && bias === 'left') {
				break;
			}
			i++;
		}
		const delta = this.deltaBefore[i];
		if (i < this.changes.length) {
			const c = this.changes[i];
			if (c.oldStart < p) {
				return bias === 'left' ? c.newStart : c.newEnd;
			}
		}
		return p + delta;
	}

	/** The change whose old range holds all of [s, e) (s < e), if one does. */
	changeHolding(s: number, e: number): DiffChange | undefined {
		const c = this.changes[this.countWhile((x) => x.oldEnd <= s)];
		return c && c.oldStart <= s && e <= c.oldEnd ? c : undefined;
	}

	/** True when new-text range [a, b) consists only of inserted (changed) text. */
	isInserted(a: number, b: number): boolean {
		const c = this.changeAtNew(a);
		return c !== undefined && c.newStart <= a && b <= c.newEnd;
	}

	/** The change whose new range contains new offset `a` (a < newEnd), if any. */
	private changeAtNew(a: number): DiffChange | undefined {
		const lo = this.countWhile((c) => c.newEnd <= a);
		const c = this.changes[lo];
		return c && c.newStart <= a ? c : undefined;
	}
}

interface RawChange { oldStart: number; oldEnd: number; newStart: number; newEnd: number }

/** Diff of `oldText` → `newText` (canonical texts), bounded by `limits`. */
export function diffTexts(oldText: string, newText: string, limits: Partial<DiffLimits> = {}): TextDiff {
	const lim = { ...DEFAULT_LIMITS, ...limits };
	const raw: RawChange[] = [];
	const { head, tail } = commonEnds(oldText, newText);
	const oldMid = oldText.slice(head, oldText.length - tail);
	const newMid = newText.slice(head, newText.length - tail);
	if (oldMid.length > 0 || newMid.length > 0) {
		const budget = { refined: 0 };
		if (oldMid.length === 0 || newMid.length === 0 || (oldMid.indexOf('\n') < 0 && newMid.indexOf('\n') < 0)) {
			refineHunk(oldMid, newMid, head, head, raw, lim, budget);
		} else {
			// jsdiff's Myers costs about lines × edits: beyond the budget, align lines greedily instead.
			const oldLines = splitLines(oldMid), newLines = splitLines(newMid);
			const maxEdits = Math.max(64, Math.min(lim.maxLineEdits, Math.floor(lim.lineDiffWork / (oldLines.length + newLines.length))));
			// Lines of each side missing from the other are a lower bound on the edits: skip a doomed attempt.
			const newSet = new Set(newLines), oldSet = new Set(oldLines);
			const least = oldLines.filter((l) => !newSet.has(l)).length + newLines.filter((l) => !oldSet.has(l)).length;
			const parts = (least <= maxEdits ? diffLines(oldMid, newMid, { maxEditLength: maxEdits }) : undefined) ??
				alignLinesGreedily(oldLines, newLines);
			let o = head, n = head;
			let removed = '', added = '', removedLines = 0, addedLines = 0;
			const flush = (): void => {
				const o0 = o - removed.length, n0 = n - added.length;
				if (removedLines === addedLines && removedLines > 1) {
					// Line i became line i: refine pair by pair (cheap, and no coincidences across lines).
					const rs = splitLines(removed), as = splitLines(added);
					let ro = o0, an = n0;
					rs.forEach((r, i) => {
						refineHunk(r, as[i], ro, an, raw, lim, budget);
						ro += r.length;
						an += as[i].length;
					});
				} else if (removed.length > 0 || added.length > 0) {
					refineHunk(removed, added, o0, n0, raw, lim, budget);
				}
				removed = '';
				added = '';
				removedLines = addedLines = 0;
			};
			parts.forEach((part, i) => {
				if (part.removed) {
					removed += part.value;
					removedLines += part.count;
					o += part.value.length;
				} else if (part.added) {
					added += part.value;
					addedLines += part.count;
					n += part.value.length;
				} else if ((removedLines !== addedLines || !nextHunkBalanced(parts, i + 1)) &&
					removed.length + added.length < MAX_JOINED_HUNK && i + 1 < parts.length && /^\s*$/.test(part.value)) {
					// Blank lines between changed hunks, one of which is not line-for-line, are no anchor:
					// refine them together, so a paragraph that moved past an edited one is seen whole.
					removed += part.value;
					added += part.value;
					removedLines += part.count;
					addedLines += part.count;
					o += part.value.length;
					n += part.value.length;
				} else {
					flush();
					o += part.value.length;
					n += part.value.length;
				}
			});
			flush();
		}
	}
	return new TextDiff(raw.map((c) => withZone(c, oldText, newText)), oldText.length, newText.length);
}

interface LinePart { value: string; count: number; added?: boolean; removed?: boolean }

/**
 * Line alignment in O(lines × LOOKAHEAD): equal lines match; otherwise the nearest line within
 * LOOKAHEAD that resynchronises the two texts marks inserted or deleted lines, and failing that
 * the two lines count as one edited line. Not minimal (a paragraph moved far reads as deleted and
 * inserted), which only makes more spans "touched", and those are searched.
 */
function alignLinesGreedily(a: readonly string[], b: readonly string[]): LinePart[] {
	const parts: LinePart[] = [];
	const push = (value: string, kind: 'equal' | 'added' | 'removed'): void => {
		const last = parts[parts.length - 1];
		const same = last && (kind === 'added' ? last.added : kind === 'removed' ? last.removed : !last.added && !last.removed);
		if (same) {
			last.value += value;
			last.count++;
		} else {
			parts.push({ value, count: 1, ...(kind === 'added' ? { added: true } : kind === 'removed' ? { removed: true } : {}) });
		}
	};
	let i = 0, j = 0;
	while (i < a.length || j < b.length) {
		if (i < a.length && j < b.length && a[i] === b[j]) {
			push(a[i++], 'equal');
			j++;
			continue;
		}
		let deleted = 0, inserted = 0;
		for (let k = 1; k <= LOOKAHEAD && deleted === 0 && inserted === 0; k++) {
			if (i + k < a.length && j < b.length && a[i + k] === b[j]) {
				deleted = k;
			} else if (j + k < b.length && i < a.length && a[i] === b[j + k]) {
				inserted = k;
			}
		}
		if (deleted > 0 || j >= b.length) {
			for (const end = deleted > 0 ? i + deleted : a.length; i < end;) {
				push(a[i++], 'removed');
			}
		} else if (inserted > 0 || i >= a.length) {
			for (const end = inserted > 0 ? j + inserted : b.length; j < end;) {
				push(b[j++], 'added');
			}
		} else {
			push(a[i++], 'removed');
			push(b[j++], 'added');
		}
	}
	return parts;
}

/** Lines looked ahead for resynchronisation by alignLinesGreedily. */
const LOOKAHEAD = 16;

/** Whether the changed hunk starting at parts[from] removes as many lines as it adds. */
function nextHunkBalanced(parts: readonly { added?: boolean; removed?: boolean; count: number }[], from: number): boolean {
	let balance = 0;
	for (let i = from; i < parts.length && (parts[i].added || parts[i].removed); i++) {
		balance += parts[i].added ? parts[i].count : -parts[i].count;
	}
	return balance === 0;
}

/** Lines of `s`, each with its line break. */
function splitLines(s: string): string[] {
	return s.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Lengths of the common prefix and (not overlapping it) the common suffix of `a` and `b`. */
function commonEnds(a: string, b: string): { head: number; tail: number } {
	const max = Math.min(a.length, b.length);
	let head = 0;
	while (head < max && a.charCodeAt(head) === b.charCodeAt(head)) {
		head++;
	}
	let tail = 0;
	while (tail < max - head && a.charCodeAt(a.length - 1 - tail) === b.charCodeAt(b.length - 1 - tail)) {
		tail++;
	}
	return { head, tail };
}

/** Splits one changed hunk into character-level changes where that is affordable. */
function refineHunk(
	removed: string, added: string, oldAt: number, newAt: number,
	out: RawChange[], lim: DiffLimits, budget: { refined: number },
): void {
	const { head, tail } = commonEnds(removed, added);
	const r = removed.slice(head, removed.length - tail);
	const a = added.slice(head, added.length - tail);
	const o0 = oldAt + head, n0 = newAt + head;
	const whole = (): void => { out.push({ oldStart: o0, oldEnd: o0 + r.length, newStart: n0, newEnd: n0 + a.length }); };
	if (r.length === 0 || a.length === 0) {
		if (r.length > 0 || a.length > 0) {
			whole();
		}
		return;
	}
	const size = r.length + a.length;
	if (size > lim.maxHunkChars || budget.refined + size > lim.maxRefinedChars) {
		whole();
		return;
	}
	budget.refined += size;
	const parts = diffChars(r, a, { maxEditLength: lim.maxCharEdits });
	if (parts === undefined) {
		whole();
		return;
	}
	// Changes as RawChange, with coincidental equal runs folded into the changes around them.
	const kept: RawChange[] = [];
	let o = o0, n = n0;
	let pendingEqual: number | undefined;
	for (const part of parts) {
		const len = part.value.length;
		if (!part.removed && !part.added) {
			o += len;
			n += len;
			pendingEqual = len;
			continue;
		}
		let change: RawChange = part.removed
			? { oldStart: o, oldEnd: o + len, newStart: n, newEnd: n }
			: { oldStart: o, oldEnd: o, newStart: n, newEnd: n + len };
		if (part.removed) { o += len; } else { n += len; }
		const last = kept[kept.length - 1];
		if (last && pendingEqual === undefined) {
			// Removed and added parts of one change.
			kept.pop();
			change = { oldStart: last.oldStart, oldEnd: change.oldEnd, newStart: last.newStart, newEnd: change.newEnd };
		}
		kept.push(change);
		pendingEqual = undefined;
	}
	foldCoincidences(kept);
	out.push(...kept);
}

/**
 * Merges neighbouring changes whose equal run between them is short, or no longer than the
 * changes on both sides (the rule of diff-match-patch's semantic cleanup): two unrelated
 * sentences share letters and short words by chance, and mapping a span onto such a
 * coincidence would be a guess. Folding repeats until stable, so merged changes can absorb more.
 */
function foldCoincidences(changes: RawChange[]): void {
	const size = (c: RawChange): number => Math.max(c.oldEnd - c.oldStart, c.newEnd - c.newStart);
	const out: RawChange[] = [];
	for (let c of changes) {
		for (let prev = out[out.length - 1]; prev !== undefined; prev = out[out.length - 1]) {
			const equal = c.oldStart - prev.oldEnd;
			if (equal >= MIN_EQUAL_RUN && (equal > size(prev) || equal > size(c))) {
				break;
			}
			out.pop();
			c = { oldStart: prev.oldStart, oldEnd: c.oldEnd, newStart: prev.newStart, newEnd: c.newEnd };
		}
		out.push(c);
	}
	changes.splice(0, changes.length, ...out);
}

/** Adds the slide zone of a pure insertion or deletion (see {@link DiffChange.zoneStart}). */
function withZone(c: RawChange, oldText: string, newText: string): DiffChange {
	if (c.oldStart === c.oldEnd && c.newEnd > c.newStart) {
		const k = slideExtent(newText, c.newStart, c.newEnd);
		return { ...c, zoneStart: c.oldStart - k.left, zoneEnd: c.oldEnd + k.right };
	}
	if (c.newStart === c.newEnd && c.oldEnd > c.oldStart) {
		const k = slideExtent(oldText, c.oldStart, c.oldEnd);
		return { ...c, zoneStart: c.oldStart - k.left, zoneEnd: c.oldEnd + k.right };
	}
	return { ...c, zoneStart: c.oldStart, zoneEnd: c.oldEnd };
}

/**
 * How far the run text[a, b) (inserted into, or deleted from, `text`) can slide left and right
 * and still give the same pair of texts: while the unit leaving one end equals the one entering the other.
 */
function slideExtent(text: string, a: number, b: number): { left: number; right: number } {
	let left = 0;
	while (a - 1 - left >= 0 && text.charCodeAt(a - 1 - left) === text.charCodeAt(b - 1 - left)) {
		left++;
	}
	let right = 0;
	while (b + right < text.length && text.charCodeAt(a + right) === text.charCodeAt(b + right)) {
		right++;
	}
	return { left, right };
}
