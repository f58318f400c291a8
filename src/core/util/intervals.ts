/** A half-open range [start, end) of positions in some unit the caller keeps to. */
export interface Interval {
	readonly start: number;
	readonly end: number;
}

/** Sorted, disjoint union of intervals: overlapping and touching ones become one, empty ones go. */
export function mergeIntervals(spans: readonly Interval[]): Interval[] {
	const sorted = [...spans].filter((s) => s.end > s.start).sort((x, y) => x.start - y.start || x.end - y.end);
	const out: { start: number; end: number }[] = [];
	for (const s of sorted) {
		const last = out[out.length - 1];
		if (last && s.start <= last.end) {
			last.end = Math.max(last.end, s.end);
		} else {
			out.push({ start: s.start, end: s.end });
		}
	}
	return out;
}
