/** Averaged structured perceptron (Collins 2002) over BILOU labels with constrained Viterbi. */
import { scoreEmissions, viterbi } from './decoder';
import type { SentenceFeatures } from './features';
import { NUM_LABELS } from './labels';

const L = NUM_LABELS;

export interface TrainingInstance extends SentenceFeatures {
	gold: Int32Array;
}

export interface WeightSet {
	weights: Float32Array;
	trans: Float32Array;
	start: Float32Array;
	end: Float32Array;
}

export class Perceptron {
	readonly w: WeightSet;
	private readonly u: { weights: Float64Array; trans: Float64Array; start: Float64Array; end: Float64Array };
	private c = 1;
	private emitBuf = new Float32Array(0);

	constructor(readonly numRows: number) {
		this.w = Perceptron.zeros(numRows);
		this.u = {
			weights: new Float64Array(numRows * L),
			trans: new Float64Array(L * L),
			start: new Float64Array(L),
			end: new Float64Array(L),
		};
	}

	private static zeros(numRows: number): WeightSet {
		return {
			weights: new Float32Array(numRows * L),
			trans: new Float32Array(L * L),
			start: new Float32Array(L),
			end: new Float32Array(L),
		};
	}

	predict(x: SentenceFeatures, ws: WeightSet = this.w): Int32Array {
		const n = x.offsets.length - 1;
		if (this.emitBuf.length < n * L) {
			this.emitBuf = new Float32Array(n * L * 2);
		}
		const emit = scoreEmissions(x, ws.weights, this.emitBuf);
		return viterbi(n, emit, ws);
	}

	/** One pass over `data` in the given order; returns the number of sentences with errors. */
	epoch(data: readonly TrainingInstance[], order: readonly number[]): number {
		let errors = 0;
		for (const idx of order) {
			const x = data[idx];
			const pred = this.predict(x);
			const gold = x.gold;
			let wrong = false;
			for (let t = 0; t < gold.length; t++) {
				if (pred[t] !== gold[t]) {
					wrong = true;
					this.updateToken(x, t, gold[t], 1);
					this.updateToken(x, t, pred[t], -1);
				}
			}
			if (wrong) {
				errors++;
				this.updateTransitions(gold, 1);
				this.updateTransitions(pred, -1);
			}
			this.c++;
		}
		return errors;
	}

	private updateToken(x: SentenceFeatures, t: number, label: number, d: number): void {
		const w = this.w.weights;
		const u = this.u.weights;
		const cd = this.c * d;
		for (let k = x.offsets[t]; k < x.offsets[t + 1]; k++) {
			const i = x.rows[k] * L + label;
			w[i] += d;
			u[i] += cd;
		}
	}

	private updateTransitions(labels: Int32Array, d: number): void {
		const cd = this.c * d;
		const n = labels.length;
		this.w.start[labels[0]] += d;
		this.u.start[labels[0]] += cd;
		this.w.end[labels[n - 1]] += d;
		this.u.end[labels[n - 1]] += cd;
		for (let t = 1; t < n; t++) {
			const i = labels[t - 1] * L + labels[t];
			this.w.trans[i] += d;
			this.u.trans[i] += cd;
		}
	}

	/** The averaged weights w - u/c. */
	averaged(): WeightSet {
		const avg = (w: Float32Array, u: Float64Array): Float32Array => {
			const out = new Float32Array(w.length);
			const inv = 1 / this.c;
			for (let i = 0; i < w.length; i++) {
				out[i] = w[i] - u[i] * inv;
			}
			return out;
		};
		return {
			weights: avg(this.w.weights, this.u.weights),
			trans: avg(this.w.trans, this.u.trans),
			start: avg(this.w.start, this.u.start),
			end: avg(this.w.end, this.u.end),
		};
	}
}
