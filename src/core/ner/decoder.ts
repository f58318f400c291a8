/** Emission scoring and constrained first-order Viterbi over BILOU labels. */
import { allowedEnd, allowedTransition, NUM_LABELS } from './labels';
import type { SentenceFeatures } from './features';

const L = NUM_LABELS;

/** For each label, the labels that may precede it (in the middle of a sentence). */
const PREDECESSORS: Int32Array[] = [];
/** For each label, the labels that may follow it. */
const SUCCESSORS: Int32Array[] = [];
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
for (let a = 0; a < L; a++) {
	const succ: number[] = [];
	for (let b = 0; b < L; b++) {
		if (allowedTransition(a, b)) {
			succ.push(b);
		}
	}
	SUCCESSORS.push(Int32Array.from(succ));
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

/**
 * Forward–backward over the same constrained lattice as `viterbi`, with scores divided by
 * `temperature`: `chunkProbability(start, end, type)` is the marginal probability that tokens
 * start..end-1 carry exactly the labels of one chunk of that type (U, or B I… L).
 * Scaled in linear space: per token the emissions are shifted by their maximum before exp and
 * every column is normalised, so nothing overflows.
 */
export class Marginals {
	private readonly alpha: Float64Array;
	private readonly beta: Float64Array;
	/** Scaled exp(emission) per token and label. */
	private readonly expEmit: Float64Array;
	/** Column normalisers of the forward pass (their product is the partition function up to the shifts). */
	private readonly norm: Float64Array;

	constructor(
		n: number,
		emit: ArrayLike<number>,
		private readonly expTrans: ExpTransitions,
	) {
		const { inv, trans, start, end } = expTrans;
		const ee = new Float64Array(n * L);
		for (let t = 0; t < n; t++) {
			let max = -Infinity;
			for (let l = 0; l < L; l++) {
				max = Math.max(max, emit[t * L + l]);
			}
			for (let l = 0; l < L; l++) {
				ee[t * L + l] = Math.exp((emit[t * L + l] - max) * inv);
			}
		}
		const alpha = new Float64Array(n * L);
		const beta = new Float64Array(n * L);
		const norm = new Float64Array(n);
		for (let t = 0; t < n; t++) {
			let sum = 0;
			for (let b = 0; b < L; b++) {
				let s = 0;
				if (t === 0) {
					s = start[b];
				} else {
					const preds = PREDECESSORS[b];
					for (let k = 0; k < preds.length; k++) {
						s += alpha[(t - 1) * L + preds[k]] * trans[preds[k] * L + b];
					}
				}
				s *= ee[t * L + b];
				alpha[t * L + b] = s;
				sum += s;
			}
			norm[t] = sum > 0 ? sum : 1;
			for (let b = 0; b < L; b++) {
				alpha[t * L + b] /= norm[t];
			}
		}
		for (let a = 0; a < L; a++) {
			beta[(n - 1) * L + a] = end[a];
		}
		for (let t = n - 2; t >= 0; t--) {
			for (let a = 0; a < L; a++) {
				let s = 0;
				const succ = SUCCESSORS[a];
				for (let k = 0; k < succ.length; k++) {
					const b = succ[k];
					s += trans[a * L + b] * ee[(t + 1) * L + b] * beta[(t + 1) * L + b];
				}
				beta[t * L + a] = s / norm[t + 1];
			}
		}
		this.alpha = alpha;
		this.beta = beta;
		this.expEmit = ee;
		this.norm = norm;
	}

	/** Marginal probability of the chunk [start, end) of entity type index `type`. */
	chunkProbability(start: number, end: number, type: number): number {
		const { trans } = this.expTrans;
		const first = end - start === 1 ? 1 + type * 4 + 3 : 1 + type * 4;
		let p = this.alpha[start * L + first];
		let prev = first;
		for (let t = start + 1; t < end; t++) {
			const lab = t === end - 1 ? 1 + type * 4 + 2 : 1 + type * 4 + 1;
			p *= (trans[prev * L + lab] * this.expEmit[t * L + lab]) / this.norm[t];
			prev = lab;
		}
		p *= this.beta[(end - 1) * L + prev];
		// alpha and beta are normalised so that sum_l alpha[t][l] * beta[t][l] = P(whole) / P(whole) = 1 at every t.
		let z = 0;
		for (let l = 0; l < L; l++) {
			z += this.alpha[start * L + l] * this.beta[start * L + l];
		}
		return z > 0 ? Math.min(1, Math.max(0, p / z)) : 0;
	}
}

/** exp(transition / temperature) with forbidden transitions at 0, computed once per model. */
export interface ExpTransitions {
	inv: number;
	trans: Float64Array;
	start: Float64Array;
	end: Float64Array;
}

export function expTransitions(tw: TransitionWeights, temperature: number): ExpTransitions {
	const inv = 1 / temperature;
	const trans = new Float64Array(L * L);
	const start = new Float64Array(L);
	const end = new Float64Array(L);
	for (let a = 0; a < L; a++) {
		for (let b = 0; b < L; b++) {
			trans[a * L + b] = PREDECESSORS[b].includes(a) ? Math.exp(tw.trans[a * L + b] * inv) : 0;
		}
		start[a] = START_OK[a] ? Math.exp(tw.start[a] * inv) : 0;
		end[a] = END_OK[a] ? Math.exp(tw.end[a] * inv) : 0;
	}
	return { inv, trans, start, end };
}
