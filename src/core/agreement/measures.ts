/**
 * The agreement measures, from counts: F1 of span matches, and per label Cohen's κ and
 * Krippendorff's nominal α over units (non-whitespace code points) that are "inside a span of
 * this label" or not. Undefined values (nothing to compare, no variation) are `null`, never 0 or
 * 1: a reader must not mistake "cannot say" for agreement.
 */
import { mergeIntervals, type Interval } from '../util/intervals';
import type { UnitCounter } from './units';


/** Two coders' unit counts for one label: 1 = inside a span of the label, 0 = not. */
export interface BinaryTable {
	/** Inside for both. */
	n11: number;
	/** Inside for A only. */
	n10: number;
	/** Inside for B only. */
	n01: number;
	/** Inside for neither. */
	n00: number;
}

/**
 * Krippendorff's coincidence matrix for a binary value (inside / not inside a label): `o01` is
 * o(0,1) = o(1,0). Sums over units of pairable values, each unit with m values weighted 1/(m-1).
 */
export interface Coincidences {
	o00: number;
	o01: number;
	o11: number;
}

export function emptyTable(): BinaryTable {
	return { n11: 0, n10: 0, n01: 0, n00: 0 };
}

export function emptyCoincidences(): Coincidences {
	return { o00: 0, o01: 0, o11: 0 };
}

export function addTable(into: BinaryTable, t: BinaryTable): void {
	into.n11 += t.n11;
	into.n10 += t.n10;
	into.n01 += t.n01;
	into.n00 += t.n00;
}

export function addCoincidences(into: Coincidences, c: Coincidences): void {
	into.o00 += c.o00;
	into.o01 += c.o01;
	into.o11 += c.o11;
}

/** F1 of `matched` pairs between `nA` reference and `nB` predicted spans: 2·matched / (nA + nB). */
export function f1(matched: number, nA: number, nB: number): number | null {
	return nA + nB === 0 ? null : (2 * matched) / (nA + nB);
}

/** Cohen's κ = (p_o − p_e) / (1 − p_e); null without units or when p_e = 1 (both coders constant and equal). */
export function cohenKappa(t: BinaryTable): number | null {
	const n = t.n11 + t.n10 + t.n01 + t.n00;
	if (n === 0) {
		return null;
	}
	const po = (t.n11 + t.n00) / n;
	const pa = (t.n11 + t.n10) / n;
	const pb = (t.n11 + t.n01) / n;
	const pe = pa * pb + (1 - pa) * (1 - pb);
	return pe >= 1 ? null : (po - pe) / (1 - pe);
}

/** Two coders who both coded every unit: each unit contributes the pairs (x, y) and (y, x). */
export function tableCoincidences(t: BinaryTable): Coincidences {
	return { o00: 2 * t.n00, o01: t.n10 + t.n01, o11: 2 * t.n11 };
}

/**
 * Nominal α = 1 − D_o / D_e = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k, for two values:
 * 1 − (n − 1) · o01 / (n0 · n1). Null when one value never occurs (no variation to agree on).
 */
export function krippendorffAlpha(c: Coincidences): number | null {
	const n0 = c.o00 + c.o01;
	const n1 = c.o11 + c.o01;
	const n = n0 + n1;
	if (n0 <= 0 || n1 <= 0 || n <= 1) {
		return null;
	}
	return 1 - ((n - 1) * c.o01) / (n0 * n1);
}

/**
 * Nominal α for any values, from reliability data: `data[coder][unit]`, undefined = missing.
 * Units with fewer than two values are not pairable and left out. The general form, used to check
 * the binary one against published examples.
 */
export function nominalAlpha<T>(data: readonly (readonly (T | undefined)[])[]): number | null {
	const units = Math.max(0, ...data.map((row) => row.length));
	const index = new Map<T, number>();
	const o = new Map<string, number>();
	const add = (x: number, y: number, w: number): void => {
		o.set(`${x},${y}`, (o.get(`${x},${y}`) ?? 0) + w);
	};
	for (let u = 0; u < units; u++) {
		const values = data.map((row) => row[u]).filter((v): v is T => v !== undefined);
		if (values.length < 2) {
			continue;
		}
		const ids = values.map((v) => {
			if (!index.has(v)) {
				index.set(v, index.size);
			}
			return index.get(v)!;
		});
		const w = 1 / (values.length - 1);
		for (let i = 0; i < ids.length; i++) {
			for (let j = 0; j < ids.length; j++) {
				if (i !== j) {
					add(ids[i], ids[j], w);
				}
			}
		}
	}
	const k = index.size;
	const nc = new Array<number>(k).fill(0);
	let disagree = 0;
	for (const [key, w] of o) {
		const [x, y] = key.split(',').map(Number);
		nc[x] += w;
		if (x !== y) {
			disagree += w;
		}
	}
	const n = nc.reduce((s, v) => s + v, 0);
	let expected = 0;
	for (let x = 0; x < k; x++) {
		for (let y = 0; y < k; y++) {
			if (x !== y) {
				expected += nc[x] * nc[y];
			}
		}
	}
	return expected === 0 ? null : 1 - ((n - 1) * disagree) / expected;
}

/**
 * Walks the text once per label: between consecutive span boundaries the set of coders inside
 * is constant, so each stretch is counted at once (its non-whitespace code points). `visit` gets
 * the units of each stretch with the number of coders inside and, for the first two coders, a
 * bit mask (1 = first inside, 2 = second inside). Stretches inside no span are reported as one.
 */
function sweep(units: UnitCounter, coders: readonly (readonly Interval[])[], visit: (weight: number, inside: number, mask: number) => void): void {
	const events: { pos: number; coder: number; delta: number }[] = [];
	coders.forEach((spans, coder) => {
		for (const s of mergeIntervals(spans)) {
			events.push({ pos: s.start, coder, delta: 1 }, { pos: s.end, coder, delta: -1 });
		}
	});
	events.sort((x, y) => x.pos - y.pos);
	let inside = 0;
	let mask = 0;
	let covered = 0;
	let prev = 0;
	for (let i = 0; i < events.length; ) {
		const pos = events[i].pos;
		if (inside > 0) {
			const w = units.count(prev, pos);
			covered += w;
			visit(w, inside, mask);
		}
		for (; i < events.length && events[i].pos === pos; i++) {
			const e = events[i];
			inside += e.delta;
			if (e.coder < 2) {
				mask ^= 1 << e.coder;
			}
		}
		prev = pos;
	}
	visit(units.total - covered, 0, 0);
}

/** κ's table for two coders who both coded this text. */
export function binaryTable(units: UnitCounter, a: readonly Interval[], b: readonly Interval[]): BinaryTable {
	const t = emptyTable();
	sweep(units, [a, b], (w, _inside, mask) => {
		if (mask === 3) {
			t.n11 += w;
		} else if (mask === 1) {
			t.n10 += w;
		} else if (mask === 2) {
			t.n01 += w;
		} else {
			t.n00 += w;
		}
	});
	return t;
}

/** α's coincidences for the coders who coded this text (at least two, else nothing is pairable). */
export function unitCoincidences(units: UnitCounter, coders: readonly (readonly Interval[])[]): Coincidences {
	const c = emptyCoincidences();
	const m = coders.length;
	if (m < 2) {
		return c;
	}
	sweep(units, coders, (w, k) => {
		c.o11 += (w * k * (k - 1)) / (m - 1);
		c.o00 += (w * (m - k) * (m - k - 1)) / (m - 1);
		c.o01 += (w * k * (m - k)) / (m - 1);
	});
	return c;
}

/** Mean of the defined values; null when none is. */
export function meanDefined(values: readonly (number | null)[]): number | null {
	const defined = values.filter((v): v is number => v !== null);
	return defined.length === 0 ? null : defined.reduce((s, v) => s + v, 0) / defined.length;
}
