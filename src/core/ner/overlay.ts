/**
 * Weights learned from the analysts' corrections, kept apart from the shipped (int8, shared)
 * weights: per feature hash one float per label and pass, in the shipped model's quantized
 * units. Features the shipped model never saw get rows after its own (row >= baseRows).
 */
import type { SentenceFeatures } from './features';
import { U32Map } from './featureHash';
import { NUM_LABELS } from './labels';

const L = NUM_LABELS;

/** A model adaptation as stored (workspace storage) and exchanged with the worker. */
export interface ModelAdaptation {
	/** Feature hashes of the adapted rows. */
	keys: Uint32Array;
	/** keys.length * NUM_LABELS weights per pass, added to the shipped ones. */
	pass1: Float32Array;
	pass2: Float32Array;
}

export class WeightOverlay {
	/** Hashes unknown to the shipped model → their row (>= baseRows). */
	private readonly extraRows = new U32Map(64);
	private extraCount = 0;
	/** Per row (shipped or extra) its slot in the weight arrays, or -1. */
	private slotOfRow = new Int32Array(0);
	/** Feature hash of each slot. */
	private readonly hashOfSlot: number[] = [];
	private weights: [Float32Array, Float32Array] = [new Float32Array(64 * L), new Float32Array(64 * L)];

	/** Feature hash of each extra row. */
	private readonly hashOfExtra: number[] = [];
	private baseKeys: Uint32Array | undefined;

	/** `baseKeys` lists the shipped rows' feature hashes (needed only to update rows by number). */
	constructor(
		readonly baseRows: number,
		private readonly baseRowOf: (hash: number) => number,
		private readonly listBaseKeys: () => Uint32Array = () => new Uint32Array(0),
	) {
		this.slotOfRow = new Int32Array(baseRows + 64).fill(-1);
	}

	static fromAdaptation(a: ModelAdaptation, baseRows: number, baseRowOf: (hash: number) => number, listBaseKeys?: () => Uint32Array): WeightOverlay {
		const o = new WeightOverlay(baseRows, baseRowOf, listBaseKeys);
		for (let i = 0; i < a.keys.length; i++) {
			const slot = o.slotFor(a.keys[i]);
			for (let l = 0; l < L; l++) {
				o.weights[0][slot * L + l] = a.pass1[i * L + l];
				o.weights[1][slot * L + l] = a.pass2[i * L + l];
			}
		}
		return o;
	}

	get rows(): number {
		return this.baseRows + this.extraCount;
	}

	/** The row of a feature hash (shipped or extra), or -1. */
	resolve(hash: number): number {
		const r = this.baseRowOf(hash);
		return r >= 0 ? r : this.extraRows.get(hash);
	}

	/** The row of a feature hash, adding an extra row when neither model knows it. */
	register(hash: number): number {
		const r = this.resolve(hash);
		if (r >= 0) {
			return r;
		}
		const row = this.baseRows + this.extraCount++;
		this.extraRows.set(hash, row);
		this.hashOfExtra.push(hash);
		if (row >= this.slotOfRow.length) {
			const bigger = new Int32Array(row * 2).fill(-1);
			bigger.set(this.slotOfRow);
			this.slotOfRow = bigger;
		}
		return row;
	}

	/** The weight slot of a feature hash (registering its row), created on first use. */
	private slotFor(hash: number): number {
		const row = this.register(hash);
		let slot = this.slotOfRow[row];
		if (slot < 0) {
			slot = this.hashOfSlot.length;
			this.hashOfSlot.push(hash);
			this.slotOfRow[row] = slot;
			if ((slot + 1) * L > this.weights[0].length) {
				this.weights = this.weights.map((w) => {
					const bigger = new Float32Array(w.length * 2);
					bigger.set(w);
					return bigger;
				}) as [Float32Array, Float32Array];
			}
		}
		return slot;
	}

	/** Adds `delta` to the weight of (feature hash, label) in pass 0 or 1. */
	add(pass: 0 | 1, hash: number, label: number, delta: number): void {
		this.weights[pass][this.slotFor(hash) * L + label] += delta;
	}

	/** Adds `delta` to the weight of (row, label): a row the extractor resolved. */
	addRow(pass: 0 | 1, row: number, label: number, delta: number): void {
		let hash: number;
		if (row >= this.baseRows) {
			hash = this.hashOfExtra[row - this.baseRows];
		} else {
			this.baseKeys ??= this.listBaseKeys();
			hash = this.baseKeys[row];
		}
		if (hash) {
			this.add(pass, hash, label, delta);
		}
	}

	/** Adds the overlay's weights of the active rows to `emit` (the shipped weights are already in). */
	addEmissions(pass: 0 | 1, f: SentenceFeatures, emit: Float32Array): void {
		const n = f.offsets.length - 1;
		const { rows, offsets } = f;
		const slots = this.slotOfRow;
		const w = this.weights[pass];
		for (let t = 0; t < n; t++) {
			const base = t * L;
			for (let k = offsets[t]; k < offsets[t + 1]; k++) {
				const s = slots[rows[k]];
				if (s >= 0) {
					for (let l = 0, o = s * L; l < L; l++) {
						emit[base + l] += w[o + l];
					}
				}
			}
		}
	}

	/** The non-zero rows as a storable adaptation. */
	toAdaptation(): ModelAdaptation {
		const kept: number[] = [];
		this.hashOfSlot.forEach((_, slot) => {
			for (let l = 0; l < L; l++) {
				if (this.weights[0][slot * L + l] !== 0 || this.weights[1][slot * L + l] !== 0) {
					kept.push(slot);
					return;
				}
			}
		});
		const keys = new Uint32Array(kept.length);
		const pass1 = new Float32Array(kept.length * L);
		const pass2 = new Float32Array(kept.length * L);
		kept.forEach((slot, i) => {
			keys[i] = this.hashOfSlot[slot];
			pass1.set(this.weights[0].subarray(slot * L, slot * L + L), i * L);
			pass2.set(this.weights[1].subarray(slot * L, slot * L + L), i * L);
		});
		return { keys, pass1, pass2 };
	}
}

/** A shipped sparse row index stretched over the extra rows (which have no shipped weights). */
export function extendRowStart(rowStart: Int32Array, rows: number): Int32Array {
	if (rows + 1 <= rowStart.length) {
		return rowStart;
	}
	const out = new Int32Array(rows + 1);
	out.set(rowStart);
	out.fill(rowStart[rowStart.length - 1], rowStart.length);
	return out;
}

/** Storable form: JSON with the weights rounded to 1/1000 of a quantized unit. */
export function adaptationToJson(a: ModelAdaptation, meta: Record<string, unknown>): string {
	const round = (xs: Float32Array): number[] => Array.from(xs, (x) => Math.round(x * 1000) / 1000);
	return JSON.stringify({ format: 'corpus-annotator-ner-adaptation', version: 1, ...meta, keys: Array.from(a.keys), pass1: round(a.pass1), pass2: round(a.pass2) });
}

export function adaptationFromJson(text: string): { adaptation: ModelAdaptation; meta: Record<string, unknown> } {
	const data = JSON.parse(text) as Record<string, unknown>;
	if (data.format !== 'corpus-annotator-ner-adaptation' || data.version !== 1) {
		throw new Error('not a Corpus Annotator model adaptation');
	}
	const keys = Uint32Array.from(data.keys as number[]);
	const pass1 = Float32Array.from(data.pass1 as number[]);
	const pass2 = Float32Array.from(data.pass2 as number[]);
	if (pass1.length !== keys.length * L || pass2.length !== keys.length * L) {
		throw new Error('model adaptation has the wrong number of weights');
	}
	const { keys: _k, pass1: _p1, pass2: _p2, ...meta } = data;
	return { adaptation: { keys, pass1, pass2 }, meta };
}
