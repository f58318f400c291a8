/**
 * Learning from the analysts' corrections: perceptron updates on the corrected sentences on top
 * of the shipped weights, several passes, until every corrected token wins by a margin.
 *
 * Only the word-identity features of the corrected tokens (`w=`, `l=`) are updated: they are the
 * features that carry a correction to the same name in another sentence, while updating the
 * context features of twenty sentences would shift every other name seen in similar contexts.
 * The margin is enforced with cost-augmented decoding (every wrong label of a corrected token
 * gets `margin` added before Viterbi), so a name is learnt firmly enough to hold in a new context.
 */
import { viterbi } from './decoder';
import { documentCasing, documentMajority } from './docFeatures';
import type { SentenceFeatures } from './features';
import { hashString } from './featureHash';
import { NUM_LABELS } from './labels';
import type { WeightOverlay } from './overlay';
import type { LoadedModel } from './tagger';

const L = NUM_LABELS;

export interface CorrectionExample {
	/** Normalized words of the corrected sentence. */
	words: string[];
	/** Per token the BILOU label the analyst decided (0 = not an entity), or -1 where they said nothing. */
	gold: Int32Array;
}

export interface AdaptOptions {
	/** Most passes over the corrections. */
	epochs: number;
	/** Required lead of the corrected label, in nats of the confidence scale (× the model's temperature). */
	margin: number;
	/** Size of one update, in nats of the confidence scale. */
	step: number;
	/** Share of `step` also applied to every other feature of a wrong token (its context, shape, lists). */
	contextShare: number;
	/** Called after every pass with (pass, most passes). */
	onProgress?: (epoch: number, epochs: number) => void;
}

export const DEFAULT_ADAPT_OPTIONS: AdaptOptions = { epochs: 40, margin: 3, step: 0.25, contextShare: 0 };

export interface AdaptReport {
	epochs: number;
	updates: number;
	/** Corrected sentences still decoded wrongly (before the margin) after the last pass. */
	stillWrong: number;
}

/** Feature hashes a correction updates: the word itself and its lower case (names in features.ts). */
export function identityHashes(word: string): [number, number] {
	return [hashString(`w=${word}`), hashString(`l=${word.toLowerCase()}`)];
}

export function adaptWeights(
	examples: readonly CorrectionExample[],
	overlay: WeightOverlay,
	build: (overlay: WeightOverlay) => LoadedModel,
	options: Partial<AdaptOptions> = {},
): AdaptReport {
	const opts = { ...DEFAULT_ADAPT_OPTIONS, ...options };
	// Rows for names the shipped model never saw, registered before the model caches word features.
	for (const ex of examples) {
		ex.gold.forEach((g, t) => {
			if (g >= 0) {
				identityHashes(ex.words[t]).forEach((h) => overlay.register(h));
			}
		});
	}
	const model = build(overlay);
	const margin = opts.margin * model.temperature;
	const step = opts.step * model.temperature;
	let updates = 0;
	let epochs = 0;
	for (let e = 1; e <= opts.epochs; e++) {
		epochs = e;
		let changed = 0;
		for (const ex of examples) {
			if (ex.words.length === 0) {
				continue;
			}
			const f = model.features.extract(ex.words);
			changed += update(model, overlay, 0, ex, f, undefined, margin, step, opts.contextShare);
			if (model.passes === 2) {
				const first = viterbi(ex.words.length, model.sentenceEmissions(ex.words, 0, f), model.transitions(0));
				const second = model.features.extractSecond(ex.words, {
					doc: documentMajority([ex.words], [first])[0],
					labels: first,
					casing: documentCasing([ex.words])[0],
				});
				changed += update(model, overlay, 1, ex, f, second, margin, step, opts.contextShare);
			}
		}
		updates += changed;
		opts.onProgress?.(e, opts.epochs);
		if (changed === 0) {
			break;
		}
	}
	let stillWrong = 0;
	for (const ex of examples) {
		const labels = model.analyse([ex.words], { consistency: false }).labels[0];
		if (ex.gold.some((g, t) => g >= 0 && labels[t] !== g)) {
			stillWrong++;
		}
	}
	return { epochs, updates, stillWrong };
}

/** One cost-augmented decode of one pass; updates the identity rows of wrong tokens. Returns the number of tokens updated. */
function update(
	model: LoadedModel,
	overlay: WeightOverlay,
	pass: 0 | 1,
	ex: CorrectionExample,
	f: SentenceFeatures,
	extra: SentenceFeatures | undefined,
	margin: number,
	step: number,
	contextShare: number,
): number {
	const n = ex.words.length;
	const emit = model.sentenceEmissions(ex.words, pass, f, extra);
	for (let t = 0; t < n; t++) {
		const g = ex.gold[t];
		if (g < 0) {
			continue;
		}
		for (let l = 0; l < L; l++) {
			if (l !== g) {
				emit[t * L + l] += margin;
			}
		}
	}
	const pred = viterbi(n, emit, model.transitions(pass));
	let wrong = 0;
	for (let t = 0; t < n; t++) {
		const g = ex.gold[t];
		if (g >= 0 && pred[t] !== g) {
			wrong++;
			for (const h of identityHashes(ex.words[t])) {
				overlay.add(pass, h, g, step);
				overlay.add(pass, h, pred[t], -step);
			}
			if (contextShare > 0) {
				for (const x of extra ? [f, extra] : [f]) {
					for (let k = x.offsets[t]; k < x.offsets[t + 1]; k++) {
						overlay.addRow(pass, x.rows[k], g, step * contextShare);
						overlay.addRow(pass, x.rows[k], pred[t], -step * contextShare);
					}
				}
			}
		}
	}
	return wrong;
}
