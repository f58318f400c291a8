/**
 * Public API of the Dutch named-entity tagger. Pure: no `vscode`, no Node built-ins; the model
 * file's contents are passed in.
 *
 *   const model = loadModel(modelFileText);
 *   const spans = tagText(model, articleText); // [{ start, end, type, text }] in UTF-16 offsets
 */
import { addRowSums, addSparseEmissions, expTransitions, Marginals, viterbi, type ExpTransitions } from './decoder';
import { enforceConsistency, type ScoredChunk } from './docConsistency';
import { documentCasing, documentMajority } from './docFeatures';
import { FeatureExtractor, normalizeWord, type ContextFeatures, type SentenceFeatures } from './features';
import type { U32Map } from './featureHash';
import { ENTITY_TYPES, type EntityType } from '../entities/entityTypes';
import { bilouToChunks, NUM_LABELS } from './labels';
import { parseModel, type ModelHeader, type ParsedModel, type RuntimeLinearModel } from './nerModelFile';
import { extendRowStart, WeightOverlay, type ModelAdaptation } from './overlay';
import { tokenizeDocument, type Token } from './tokenizer';
import { adaptWeights, type AdaptOptions, type AdaptReport, type CorrectionExample } from './adaptation';

export interface EntitySpan {
	/** UTF-16 offset of the first character in the tagged text. */
	start: number;
	/** UTF-16 offset just after the last character. */
	end: number;
	type: EntityType;
	text: string;
	/**
	 * How sure the tagger is of this mention, in [0, 1]: the marginal probability of exactly this
	 * span and type under the model (forward–backward, calibrated temperature); for a mention
	 * re-typed by the article-consistency step, the share of its name's votes.
	 */
	confidence: number;
}

export interface TagOptions {
	/** One type per name within an article and surnames linked to full names (default true). */
	consistency?: boolean;
}

/** Labels of one document and its chunks with their confidence. */
export interface DocumentAnalysis {
	labels: Int32Array[];
	chunks: ScoredChunk[];
}

export interface NerModel {
	readonly header: ModelHeader;
	/** BILOU label ids for sentences of normalized words (one array per sentence, one document). */
	labelSentences(sentences: readonly (readonly string[])[], options?: TagOptions): Int32Array[];
	/** Labels and scored chunks for sentences of normalized words of one document. */
	analyse(sentences: readonly (readonly string[])[], options?: TagOptions): DocumentAnalysis;
	/** The adaptation this model carries on top of the shipped weights, if any. */
	readonly adaptation: ModelAdaptation | undefined;
}

/** Temperature for models whose header does not carry a calibrated one (quantized weight units). */
const DEFAULT_TEMPERATURE = 16;

/** `@handles` and `#tags` are never part of an entity. */
function isHandle(word: string): boolean {
	return word.length > 1 && (word.charCodeAt(0) === 64 || word.charCodeAt(0) === 35);
}

export class LoadedModel implements NerModel {
	private readonly extractor: FeatureExtractor;
	private emit = new Float32Array(NUM_LABELS * 256);
	private readonly expTrans: ExpTransitions;
	private marginals: Marginals | undefined;
	readonly header: ModelHeader;
	private readonly pass1: RuntimeLinearModel;
	private readonly pass2?: RuntimeLinearModel;

	/** `overlay`: weights learned from corrections, added to the shipped ones (its extra rows registered already). */
	constructor(
		private readonly parsed: ParsedModel,
		private readonly overlay?: WeightOverlay,
	) {
		this.header = parsed.header;
		const rowOf: U32Map = parsed.rowOf;
		const widen = (m: RuntimeLinearModel): RuntimeLinearModel => (overlay ? { ...m, rowStart: extendRowStart(m.rowStart, overlay.rows) } : m);
		this.pass1 = widen(parsed.pass1);
		this.pass2 = parsed.pass2 && widen(parsed.pass2);
		const pass1 = this.pass1;
		const pass2 = this.pass2;
		// Per distinct word, the shipped weights of its own rows summed for each pass (exact: int8 sums).
		const scoreWord = (own: Int32Array): Float32Array => {
			const out = new Float32Array(pass2 ? 2 * NUM_LABELS : NUM_LABELS);
			addRowSums(own, pass1, out, 0);
			if (pass2) {
				addRowSums(own, pass2, out, NUM_LABELS);
			}
			return out;
		};
		this.extractor = new FeatureExtractor(parsed.resources, overlay ? (h) => overlay.resolve(h) : (h) => rowOf.get(h), scoreWord);
		this.expTrans = expTransitions(this.pass2 ?? this.pass1, this.temperature);
	}

	/** Divides scores in the confidence (quantized weight units per nat). */
	get temperature(): number {
		const t = Number(this.header.settings.confidenceTemperature);
		return Number.isFinite(t) && t > 0 ? t : DEFAULT_TEMPERATURE;
	}

	get adaptation(): ModelAdaptation | undefined {
		return this.overlay?.toAdaptation();
	}

	/** This model's shipped weights with `adaptation` on top. */
	withAdaptation(adaptation: ModelAdaptation | undefined): LoadedModel {
		return new LoadedModel(this.parsed, adaptation && adaptation.keys.length > 0 ? this.overlayFrom(adaptation) : undefined);
	}

	private overlayFrom(adaptation: ModelAdaptation | undefined): WeightOverlay {
		const rowOf = this.parsed.rowOf;
		const keys = (): Uint32Array => {
			const out = new Uint32Array(rowOf.size);
			rowOf.forEach((h, r) => (out[r] = h));
			return out;
		};
		return adaptation ? WeightOverlay.fromAdaptation(adaptation, rowOf.size, (h) => rowOf.get(h), keys) : new WeightOverlay(rowOf.size, (h) => rowOf.get(h), keys);
	}

	/** Learns from corrected sentences on top of the shipped weights (see adaptation.ts). */
	adapt(examples: readonly CorrectionExample[], options?: Partial<AdaptOptions>): { model: LoadedModel; report: AdaptReport } {
		const overlay = this.overlayFrom(this.overlay?.toAdaptation());
		const report = adaptWeights(examples, overlay, (o) => new LoadedModel(this.parsed, o), options);
		return { model: new LoadedModel(this.parsed, overlay), report };
	}

	/** Emission scores of one sentence for pass 0 or 1, a fresh array (training). */
	sentenceEmissions(words: readonly string[], pass: 0 | 1, f: SentenceFeatures, extra?: SentenceFeatures): Float32Array {
		const m = pass === 0 ? this.pass1 : (this.pass2 ?? this.pass1);
		return this.emissions(words, f, m, extra, pass).slice(0, words.length * NUM_LABELS);
	}

	get passes(): 1 | 2 {
		return this.pass2 ? 2 : 1;
	}

	get features(): FeatureExtractor {
		return this.extractor;
	}

	transitions(pass: 0 | 1): RuntimeLinearModel {
		return pass === 0 ? this.pass1 : (this.pass2 ?? this.pass1);
	}

	/** this.emit, at least `n` tokens long. */
	private emitBuffer(n: number): Float32Array {
		if (this.emit.length < n * NUM_LABELS) {
			this.emit = new Float32Array(n * NUM_LABELS * 2);
		}
		return this.emit;
	}

	/** Emission scores of a sentence (in this.emit); handles and tags are forced to O. */
	private emissions(words: readonly string[], f: SentenceFeatures, m: RuntimeLinearModel, extra?: SentenceFeatures, pass: 0 | 1 = m === this.pass1 ? 0 : 1): Float32Array {
		const n = f.offsets.length - 1;
		const emit = this.emitBuffer(n);
		emit.fill(0, 0, n * NUM_LABELS);
		addSparseEmissions(f, m, emit);
		return this.finishEmissions(words, f, extra, m, pass, emit);
	}

	/**
	 * The same scores as emissions(words, joined features) from the per-word sums and the context
	 * rows: the shipped weights are int8, so their float32 sums are exact in any order.
	 */
	private contextEmissions(words: readonly string[], cf: ContextFeatures, m: RuntimeLinearModel, extra?: SentenceFeatures): Float32Array {
		const n = words.length;
		const emit = this.emitBuffer(n);
		const at = m === this.pass1 ? 0 : NUM_LABELS;
		for (let t = 0; t < n; t++) {
			const w = cf.wordScores[t];
			const base = t * NUM_LABELS;
			for (let l = 0; l < NUM_LABELS; l++) {
				emit[base + l] = w[at + l];
			}
		}
		addSparseEmissions(cf.context, m, emit);
		return this.finishEmissions(words, this.overlay ? joinOwnRows(cf) : cf.context, extra, m, m === this.pass1 ? 0 : 1, emit);
	}

	/** Adds the second-pass rows and the overlay (in row order: its weights are floats), forces handles to O. */
	private finishEmissions(words: readonly string[], f: SentenceFeatures, extra: SentenceFeatures | undefined, m: RuntimeLinearModel, pass: 0 | 1, emit: Float32Array): Float32Array {
		const n = words.length;
		if (extra) {
			addSparseEmissions(extra, m, emit);
		}
		if (this.overlay) {
			this.overlay.addEmissions(pass, f, emit);
			if (extra) {
				this.overlay.addEmissions(pass, extra, emit);
			}
		}
		for (let t = 0; t < n; t++) {
			if (isHandle(words[t])) {
				emit.fill(-1e9, t * NUM_LABELS + 1, (t + 1) * NUM_LABELS);
			}
		}
		return emit;
	}

	labelSentences(sentences: readonly (readonly string[])[], options?: TagOptions): Int32Array[] {
		return this.analyse(sentences, options).labels;
	}

	analyse(sentences: readonly (readonly string[])[], options: TagOptions = {}): DocumentAnalysis {
		const feats = sentences.map((s) => this.extractor.extractContext(s));
		const pass2 = this.pass2;
		const last = pass2 ?? this.pass1;
		let first: Int32Array[] = [];
		let extras: (SentenceFeatures | undefined)[] = sentences.map(() => undefined);
		if (pass2) {
			first = sentences.map((s, i) => viterbi(s.length, this.contextEmissions(s, feats[i], this.pass1), this.pass1));
			const doc = documentMajority(sentences, first);
			const casing = documentCasing(sentences);
			extras = sentences.map((s, i) => this.extractor.extractSecond(s, { doc: doc[i], labels: first[i], casing: casing[i] }, feats[i]));
		}
		const labels: Int32Array[] = [];
		const chunks: ScoredChunk[] = [];
		sentences.forEach((s, i) => {
			const emit = this.contextEmissions(s, feats[i], last, extras[i]);
			const lab = viterbi(s.length, emit, last);
			labels.push(lab);
			const found = bilouToChunks(lab);
			if (found.length === 0) {
				return;
			}
			// Forward–backward only for sentences with chunks, its backward pass only from the first one.
			const marg = (this.marginals ??= new Marginals(0, emit, this.expTrans)).compute(s.length, emit, found[0].start);
			for (const c of found) {
				const type = (ENTITY_TYPES as readonly string[]).indexOf(c.type);
				chunks.push({ sentence: i, start: c.start, end: c.end, type, confidence: marg.chunkProbability(c.start, c.end, type) });
			}
		});
		if (options.consistency !== false) {
			enforceConsistency(sentences, labels, chunks);
		}
		return { labels, chunks };
	}
}

/** The rows extract() gives: per token its own rows, then its context rows. */
function joinOwnRows(cf: ContextFeatures): SentenceFeatures {
	const { context } = cf;
	const ownRows = cf.words.map((w) => w.own);
	const n = ownRows.length;
	let total = context.rows.length;
	for (let t = 0; t < n; t++) {
		total += ownRows[t].length;
	}
	const rows = new Int32Array(total);
	const offsets = new Int32Array(n + 1);
	let k = 0;
	for (let t = 0; t < n; t++) {
		offsets[t] = k;
		rows.set(ownRows[t], k);
		k += ownRows[t].length;
		const ctx = context.rows.subarray(context.offsets[t], context.offsets[t + 1]);
		rows.set(ctx, k);
		k += ctx.length;
	}
	offsets[n] = k;
	return { rows, offsets };
}

/** Parses a model file from its bytes. */
export function loadModel(data: Uint8Array): LoadedModel {
	return new LoadedModel(parseModel(data));
}

/** Named entities of a text (a whole article: a leading ` date YYYY-MM ` header is skipped). */
export function tagText(model: NerModel, text: string, options?: TagOptions): EntitySpan[] {
	const sentences: Token[][] = tokenizeDocument(text);
	const words = sentences.map((s) => s.map((t) => normalizeWord(t.text)));
	const { chunks } = model.analyse(words, options);
	return chunks.map((c) => {
		const toks = sentences[c.sentence];
		const start = toks[c.start].start;
		const end = toks[c.end - 1].end;
		return { start, end, type: ENTITY_TYPES[c.type], text: text.slice(start, end), confidence: c.confidence };
	});
}
