/** Emission scoring and constrained first-order Viterbi over BILOU labels. */
import { allowedEnd, allowedTransition, NUM_LABELS } from './labels';
import type { SentenceFeatures } from './features';
import { ENTRY_LABEL_BITS } from './nerModelFile';

const L = NUM_LABELS;

/** Every label id, 0 .. L - 1. */
const LABEL_IDS = Array.from({ length: L }, (_, label) => label);
/** For each label, the labels that may precede it (in the middle of a sentence). */
const PREDECESSORS: Int32Array[] = LABEL_IDS.map((b) => Int32Array.from(LABEL_IDS.filter((a) => allowedTransition(a, b))));
/** For each label, the labels that may follow it. */
const SUCCESSORS: Int32Array[] = LABEL_IDS.map((a) => Int32Array.from(LABEL_IDS.filter((b) => allowedTransition(a, b))));
const START_OK = Uint8Array.from(LABEL_IDS, (b) => (allowedTransition(-1, b) ? 1 : 0));
const END_OK = Uint8Array.from(LABEL_IDS, (b) => (allowedEnd(b) ? 1 : 0));

/** The predecessors of label b (ascending) flattened: PRED_LIST[PRED_START[b] .. PRED_START[b + 1]), with PRED_TRANS = a*L + b. */
const PRED_START = new Int32Array(L + 1);
const PRED_LIST = new Int32Array(PREDECESSORS.reduce((a, p) => a + p.length, 0));
const PRED_TRANS = new Int32Array(PRED_LIST.length);
for (let b = 0, k = 0; b < L; b++) {
	PRED_START[b] = k;
	for (const a of PREDECESSORS[b]) {
		PRED_LIST[k] = a;
		PRED_TRANS[k++] = a * L + b;
	}
	PRED_START[b + 1] = k;
}

/** Viterbi's scratch (it is not re-entrant): back pointers, two score columns, the transitions in PRED_LIST order. */
let backBuf = new Int32Array(64 * L);
const predWeights = new Float64Array(PRED_LIST.length);
const scoreBufA = new Float64Array(L);
const scoreBufB = new Float64Array(L);

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

/** Sparse weights: row r has the entries rowStart[r] .. rowStart[r+1], each weight << ENTRY_LABEL_BITS | label. */
export interface SparseWeights {
	rowStart: Int32Array;
	entries: Int16Array;
}

const LABEL_MASK = (1 << ENTRY_LABEL_BITS) - 1;

/** Like scoreEmissions for sparse weight rows; adds to `emit` (which the caller zeroes). */
export function addSparseEmissions(f: SentenceFeatures, m: SparseWeights, emit: Float32Array): void {
	const n = f.offsets.length - 1;
	const { rows, offsets } = f;
	const { rowStart, entries } = m;
	for (let t = 0; t < n; t++) {
		const base = t * L;
		for (let k = offsets[t]; k < offsets[t + 1]; k++) {
			const r = rows[k];
			for (let j = rowStart[r], e = rowStart[r + 1]; j < e; j++) {
				const x = entries[j];
				emit[base + (x & LABEL_MASK)] += x >> ENTRY_LABEL_BITS;
			}
		}
	}
}

/** Adds the weights of `rows` (summed over the rows) to out[at + label]. */
export function addRowSums(rows: Int32Array, m: SparseWeights, out: Float32Array, at: number): void {
	const { rowStart, entries } = m;
	for (let k = 0; k < rows.length; k++) {
		const r = rows[k];
		for (let j = rowStart[r], e = rowStart[r + 1]; j < e; j++) {
			const x = entries[j];
			out[at + (x & LABEL_MASK)] += x >> ENTRY_LABEL_BITS;
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
	if (backBuf.length < n * L) {
		backBuf = new Int32Array(n * L * 2);
	}
	const back = backBuf;
	const pw = predWeights;
	for (let k = 0; k < pw.length; k++) {
		pw[k] = tw.trans[PRED_TRANS[k]];
	}
	let score = scoreBufA;
	let next = scoreBufB;
	for (let b = 0; b < L; b++) {
		score[b] = START_OK[b] ? tw.start[b] + emit[b] : -Infinity;
	}
	for (let t = 1; t < n; t++) {
		const base = t * L;
		for (let b = 0; b < L; b++) {
			const from = PRED_START[b];
			const to = PRED_START[b + 1];
			let best = -Infinity;
			let arg = PRED_LIST[from];
			for (let k = from; k < to; k++) {
				const a = PRED_LIST[k];
				const s = score[a] + pw[k];
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
 * every column is normalised, so nothing overflows. `compute` reuses the buffers for the next
 * sentence (the tagger keeps one instance).
 */
export class Marginals {
	private alpha = new Float64Array(0);
	private beta = new Float64Array(0);
	/** Scaled exp(emission) per token and label. */
	private expEmit = new Float64Array(0);
	/** Column normalisers of the forward pass (their product is the partition function up to the shifts). */
	private norm = new Float64Array(0);

	constructor(
		n: number,
		emit: ArrayLike<number>,
		private readonly expTrans: ExpTransitions,
	) {
		this.compute(n, emit);
	}

	/**
	 * Forward–backward for a sentence of `n` tokens; the backward pass stops at token `from`, so
	 * chunkProbability then holds for chunks starting at or after it.
	 */
	compute(n: number, emit: ArrayLike<number>, from = 0): this {
		const { inv, trans, pred, start, end } = this.expTrans;
		if (n === 0) {
			return this;
		}
		if (this.alpha.length < n * L) {
			const size = Math.max(n, 64) * L * 2;
			this.alpha = new Float64Array(size);
			this.beta = new Float64Array(size);
			this.expEmit = new Float64Array(size);
			this.norm = new Float64Array(size / L);
		}
		const { alpha, beta, norm } = this;
		const ee = this.expEmit;
		for (let t = 0; t < n; t++) {
			const base = t * L;
			let max = -Infinity;
			for (let l = 0; l < L; l++) {
				max = Math.max(max, emit[base + l]);
			}
			for (let l = 0; l < L; l++) {
				ee[base + l] = Math.exp((emit[base + l] - max) * inv);
			}
		}
		for (let t = 0; t < n; t++) {
			const base = t * L;
			const prev = base - L;
			let sum = 0;
			for (let b = 0; b < L; b++) {
				let s = 0;
				if (t === 0) {
					s = start[b];
				} else {
					for (let k = PRED_START[b], e = PRED_START[b + 1]; k < e; k++) {
						s += alpha[prev + PRED_LIST[k]] * pred[k];
					}
				}
				s *= ee[base + b];
				alpha[base + b] = s;
				sum += s;
			}
			const z = sum > 0 ? sum : 1;
			norm[t] = z;
			for (let b = 0; b < L; b++) {
				alpha[base + b] /= z;
			}
		}
		for (let a = 0; a < L; a++) {
			beta[(n - 1) * L + a] = end[a];
		}
		for (let t = n - 2; t >= from; t--) {
			const base = t * L;
			const nextBase = base + L;
			const z = norm[t + 1];
			for (let a = 0; a < L; a++) {
				let s = 0;
				const succ = SUCCESSORS[a];
				for (let k = 0; k < succ.length; k++) {
					const b = succ[k];
					s += trans[a * L + b] * ee[nextBase + b] * beta[nextBase + b];
				}
				beta[base + a] = s / z;
			}
		}
		return this;
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
	/** `trans` in PRED_LIST order (per label its predecessors). */
	pred: Float64Array;
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
	return { inv, trans, pred: Float64Array.from(PRED_TRANS, (i) => trans[i]), start, end };
}
