/** Emission scoring and constrained first-order Viterbi over BILOU labels. */
import { allowedEnd, allowedTransition, NUM_LABELS } from './labels';
import type { SentenceFeatures } from './features';

const L = NUM_LABELS;

/** For each label, the labels that may precede it (in the middle of a sentence). */
const PREDECESSORS: Int32Array[] = [];
const START_OK = new Uint8Array(L);
const END_OK = new Uint8Array(L);
for (let b = 0; b < L; b++) {
	const preds: number[] = [];
	for (let a = 0; a < L; a++) {
		if (allowedTransition(a, b)) {
			preds.push(a);
		}
	}
	PREDECESSORS.push(Int32Array.from(preds));
	START_OK[b] = allowedTransition(-1, b) ? 1 : 0;
	END_OK[b] = allowedEnd(b) ? 1 : 0;
}

/** Transition weights: trans[a*L + b] for a→b, start[b], end[a]. */
export interface TransitionWeights {
	trans: ArrayLike<number>;
	start: ArrayLike<number>;
	end: ArrayLike<number>;
}

/** Sums weight rows (row r occupies weights[r*L .. r*L+L)) into emission scores [n*L]. */
export function scoreEmissions(f: SentenceFeatures, weights: ArrayLike<number>, out?: Float32Array, accumulate = false): Float32Array {
	const n = f.offsets.length - 1;
	const emit = out && out.length >= n * L ? out : new Float32Array(n * L);
	if (!accumulate) {
		emit.fill(0, 0, n * L);
	}
	const rows = f.rows;
	for (let t = 0; t < n; t++) {
		const base = t * L;
		for (let k = f.offsets[t]; k < f.offsets[t + 1]; k++) {
			const w = rows[k] * L;
			for (let l = 0; l < L; l++) {
				emit[base + l] += weights[w + l];
			}
		}
	}
	return emit;
}

/** Sparse weights: row r has (labels[k], values[k]) for k in rowStart[r] .. rowStart[r+1]. */
export interface SparseWeights {
	rowStart: Int32Array;
	labels: Uint8Array;
	values: Int8Array;
}

/** Like scoreEmissions for sparse weight rows; adds to `emit` (which the caller zeroes). */
export function addSparseEmissions(f: SentenceFeatures, m: SparseWeights, emit: Float32Array): void {
	const n = f.offsets.length - 1;
	const { rows, offsets } = f;
	const { rowStart, labels, values } = m;
	for (let t = 0; t < n; t++) {
		const base = t * L;
		for (let k = offsets[t]; k < offsets[t + 1]; k++) {
			const r = rows[k];
			for (let j = rowStart[r], e = rowStart[r + 1]; j < e; j++) {
				emit[base + labels[j]] += values[j];
			}
		}
	}
}

/**
 * Best label sequence for `n` tokens under emissions `emit[t*L+l]` and transition weights.
 * Transitions that would make an invalid BILOU sequence are never taken.
 */
export function viterbi(n: number, emit: ArrayLike<number>, tw: TransitionWeights): Int32Array {
	const out = new Int32Array(n);
	if (n === 0) {
		return out;
	}
	let score = new Float64Array(L);
	let next = new Float64Array(L);
	const back = new Int32Array(n * L);
	for (let b = 0; b < L; b++) {
		score[b] = START_OK[b] ? tw.start[b] + emit[b] : -Infinity;
	}
	for (let t = 1; t < n; t++) {
		const base = t * L;
		for (let b = 0; b < L; b++) {
			const preds = PREDECESSORS[b];
			let best = -Infinity;
			let arg = preds[0];
			for (let k = 0; k < preds.length; k++) {
				const a = preds[k];
				const s = score[a] + tw.trans[a * L + b];
				if (s > best) {
					best = s;
					arg = a;
				}
			}
			next[b] = best + emit[base + b];
			back[base + b] = arg;
		}
		const tmp = score;
		score = next;
		next = tmp;
	}
	let best = -Infinity;
	let arg = 0;
	for (let a = 0; a < L; a++) {
		if (!END_OK[a]) {
			continue;
		}
		const s = score[a] + tw.end[a];
		if (s > best) {
			best = s;
			arg = a;
		}
	}
	out[n - 1] = arg;
	for (let t = n - 1; t > 0; t--) {
		out[t - 1] = back[t * L + out[t]];
	}
	return out;
}
