/**
 * Pure helpers for the annotations of an open article (no vscode): following live edits,
 * ordering, and stepping from one annotation to the next.
 */

/** Below this share of the original quote left intact, an edited span is an orphan, not an edit. */
export const MIN_SURVIVING_SHARE = 0.5;

/**
 * Share of `quote` that survives in `now` (1 = unchanged, 0 = nothing left), estimated from the
 * common prefix and suffix: live edits are local, so what lies between them is what changed.
 * Linear in the length, so it can run on every keystroke.
 */
export function survivingShare(quote: string, now: string): number {
	if (quote === now) {
		return 1;
	}
	const longest = Math.max(quote.length, now.length);
	if (longest === 0 || now.length === 0) {
		return 0;
	}
	let head = 0;
	const limit = Math.min(quote.length, now.length);
	while (head < limit && quote.charCodeAt(head) === now.charCodeAt(head)) {
		head++;
	}
	let tail = 0;
	while (tail < limit - head && quote.charCodeAt(quote.length - 1 - tail) === now.charCodeAt(now.length - 1 - tail)) {
		tail++;
	}
	const changed = Math.max(quote.length - head - tail, now.length - head - tail);
	return 1 - changed / longest;
}

/** True when an edited span still stands for its quote; otherwise it must become an orphan. */
export function editedSpanSurvives(quote: string, now: string): boolean {
	return survivingShare(quote.replace(/\r\n/g, '\n'), now.replace(/\r\n/g, '\n')) >= MIN_SURVIVING_SHARE;
}

/** What navigation needs of an annotation: its span (editor offsets) and id. */
export interface NavigableSpan {
	readonly id: string;
	readonly start: number;
	readonly end: number;
}

/** Document order: start, then end, then id. */
export function compareSpans(a: NavigableSpan, b: NavigableSpan): number {
	return a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The annotation to go to from the selection `[selStart, selEnd)`. When the selection is exactly
 * an annotation's span (the one last visited first, for spans shared by several), the step is
 * from that annotation; otherwise from the selection's position in (start, end) order. Wraps
 * around, so repeated steps visit every annotation once per round.
 */
export function stepAnnotation<T extends NavigableSpan>(
	spans: readonly T[],
	selStart: number,
	selEnd: number,
	direction: 1 | -1,
	lastVisitedId?: string,
): T | undefined {
	if (spans.length === 0) {
		return undefined;
	}
	const ordered = [...spans].sort(compareSpans);
	const matching = ordered.filter((s) => s.start === selStart && s.end === selEnd);
	const current = matching.find((s) => s.id === lastVisitedId) ?? (direction === 1 ? matching[0] : matching[matching.length - 1]);
	if (current) {
		const index = ordered.indexOf(current);
		return ordered[(index + direction + ordered.length) % ordered.length];
	}
	const position: NavigableSpan = { id: '', start: selStart, end: selEnd };
	if (direction === 1) {
		return ordered.find((s) => compareSpans(s, position) > 0) ?? ordered[0];
	}
	return [...ordered].reverse().find((s) => compareSpans(s, position) < 0) ?? ordered[ordered.length - 1];
}
