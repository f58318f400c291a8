/**
 * Pairing two analysts' spans of one text: which annotations agree exactly, which overlap with
 * the same label but other boundaries, which overlap with another label, and which have no
 * counterpart. Each annotation is paired at most once; larger overlaps are paired first.
 */
import type { Annotation } from '../annotations/model';

/** A span as compared: code points into the compared text, end exclusive. */
export interface AgreementSpan {
	readonly id: string;
	readonly label: string;
	readonly start: number;
	readonly end: number;
	/** The text of the span in the compared text. */
	readonly quote: string;
	readonly author?: string;
	/** The annotation as read from its sidecar (offsets there may be for another text). */
	readonly annotation?: Annotation;
}

export interface SpanMatching {
	/** Same label, start and end. */
	readonly exact: readonly SpanPair[];
	/** Same label, overlapping, other boundaries. */
	readonly boundary: readonly SpanPair[];
	/** Overlapping, other label (boundaries may differ too). */
	readonly label: readonly SpanPair[];
	readonly onlyA: readonly number[];
	readonly onlyB: readonly number[];
}

/** Indexes into the A and B arrays given to {@link matchSpans}. */
export interface SpanPair {
	readonly a: number;
	readonly b: number;
}

/**
 * Pairs A's spans with B's in three rounds, each on what the earlier rounds left:
 * 1. exact: same label, start and end;
 * 2. boundary: same label and overlapping, largest overlap first;
 * 3. label: overlapping with another label, largest overlap first.
 * Every pairing with the same label (rounds 1 and 2) is what `overlap_f1` counts: an exact pair
 * overlaps its two spans entirely, so no other pair can come before it in a largest-first pass.
 * Ties are broken by A's then B's position in document order, so the result is deterministic.
 */
export function matchSpans(a: readonly AgreementSpan[], b: readonly AgreementSpan[]): SpanMatching {
	const usedA = new Uint8Array(a.length);
	const usedB = new Uint8Array(b.length);
	const exact: SpanPair[] = [];
	const byKey = new Map<string, number[]>();
	const orderA = documentOrder(a);
	const orderB = documentOrder(b);
	for (const j of orderB) {
		const key = spanKey(b[j]);
		const list = byKey.get(key);
		if (list) {
			list.push(j);
		} else {
			byKey.set(key, [j]);
		}
	}
	const taken = new Map<string, number>();
	for (const i of orderA) {
		const key = spanKey(a[i]);
		const list = byKey.get(key);
		const next = taken.get(key) ?? 0;
		if (list && next < list.length) {
			taken.set(key, next + 1);
			exact.push({ a: i, b: list[next] });
			usedA[i] = 1;
			usedB[list[next]] = 1;
		}
	}
	const candidates = overlappingPairs(a, b, orderA, orderB, usedA, usedB);
	const rankA = ranks(orderA);
	const rankB = ranks(orderB);
	candidates.sort((x, y) => y.overlap - x.overlap || rankA[x.a] - rankA[y.a] || rankB[x.b] - rankB[y.b]);
	const boundary = greedy(candidates.filter((p) => a[p.a].label === b[p.b].label), usedA, usedB);
	const label = greedy(candidates.filter((p) => a[p.a].label !== b[p.b].label), usedA, usedB);
	return {
		exact,
		boundary,
		label,
		onlyA: orderA.filter((i) => !usedA[i]),
		onlyB: orderB.filter((j) => !usedB[j]),
	};
}

function spanKey(s: AgreementSpan): string {
	return `${s.start}\u0000${s.end}\u0000${s.label}`;
}

/** Indexes sorted by (start, end, label, id). */
function documentOrder(spans: readonly AgreementSpan[]): number[] {
	return spans.map((_, i) => i).sort((x, y) => {
		const p = spans[x], q = spans[y];
		return p.start - q.start || p.end - q.end || cmp(p.label, q.label) || cmp(p.id, q.id) || x - y;
	});
}

function cmp(x: string, y: string): number {
	return x < y ? -1 : x > y ? 1 : 0;
}

function ranks(order: readonly number[]): Int32Array {
	const r = new Int32Array(order.length);
	order.forEach((index, rank) => {
		r[index] = rank;
	});
	return r;
}

interface Candidate extends SpanPair {
	readonly overlap: number;
}

/**
 * Every overlapping (A, B) pair of spans not yet used, by a sweep over both lists in start order:
 * work is linear in the spans plus the pairs found, not quadratic.
 */
function overlappingPairs(
	a: readonly AgreementSpan[], b: readonly AgreementSpan[], orderA: readonly number[], orderB: readonly number[],
	usedA: Uint8Array, usedB: Uint8Array,
): Candidate[] {
	const out: Candidate[] = [];
	const freeB = orderB.filter((j) => !usedB[j]);
	let active: number[] = [];
	let next = 0;
	for (const i of orderA) {
		if (usedA[i]) {
			continue;
		}
		const s = a[i];
		// B spans that ended before this A span starts can overlap no later A span either (starts only grow).
		active = active.filter((j) => b[j].end > s.start);
		while (next < freeB.length && b[freeB[next]].start < s.end) {
			const j = freeB[next++];
			if (b[j].end > s.start) {
				active.push(j);
			}
		}
		for (const j of active) {
			const t = b[j];
			const overlap = Math.min(s.end, t.end) - Math.max(s.start, t.start);
			if (overlap > 0) {
				out.push({ a: i, b: j, overlap });
			}
		}
	}
	return out;
}

function greedy(sorted: readonly Candidate[], usedA: Uint8Array, usedB: Uint8Array): SpanPair[] {
	const out: SpanPair[] = [];
	for (const p of sorted) {
		if (!usedA[p.a] && !usedB[p.b]) {
			usedA[p.a] = 1;
			usedB[p.b] = 1;
			out.push({ a: p.a, b: p.b });
		}
	}
	return out;
}
