/**
 * Public API of the Dutch named-entity tagger. Pure: no `vscode`, no Node built-ins; the model
 * file's contents are passed in.
 *
 *   const model = loadModel(modelFileText);
 *   const spans = tagText(model, articleText); // [{ start, end, type, text }] in UTF-16 offsets
 */
import { addSparseEmissions, viterbi } from './decoder';
import { documentCasing, documentMajority } from './docFeatures';
import { FeatureExtractor, normalizeWord, type NerResources, type SentenceFeatures } from './features';
import type { U32Map } from './hash';
import { bilouToChunks, NUM_LABELS, type EntityType } from './labels';
import { parseModel, type ModelHeader, type RuntimeLinearModel } from './model';
import { tokenizeDocument, type Token } from './tokenizer';

export type { EntityType } from './labels';

export interface EntitySpan {
	/** UTF-16 offset of the first character in the tagged text. */
	start: number;
	/** UTF-16 offset just after the last character. */
	end: number;
	type: EntityType;
	text: string;
}

export interface NerModel {
	readonly header: ModelHeader;
	/** BILOU label ids for sentences of normalized words (one array per sentence, one document). */
	labelSentences(sentences: readonly (readonly string[])[]): Int32Array[];
}

class LoadedModel implements NerModel {
	private readonly extractor: FeatureExtractor;
	private emit = new Float32Array(NUM_LABELS * 256);

	constructor(
		readonly header: ModelHeader,
		res: NerResources,
		rowOf: U32Map,
		private readonly pass1: RuntimeLinearModel,
		private readonly pass2?: RuntimeLinearModel,
	) {
		this.extractor = new FeatureExtractor(res, (h) => rowOf.get(h));
	}

	private decode(f: SentenceFeatures, m: RuntimeLinearModel, extra?: SentenceFeatures): Int32Array {
		const n = f.offsets.length - 1;
		if (this.emit.length < n * NUM_LABELS) {
			this.emit = new Float32Array(n * NUM_LABELS * 2);
		}
		const emit = this.emit;
		emit.fill(0, 0, n * NUM_LABELS);
		addSparseEmissions(f, m, emit);
		if (extra) {
			addSparseEmissions(extra, m, emit);
		}
		return viterbi(n, emit, m);
	}

	labelSentences(sentences: readonly (readonly string[])[]): Int32Array[] {
		const feats = sentences.map((s) => this.extractor.extract(s));
		const first = feats.map((f) => this.decode(f, this.pass1));
		if (!this.pass2) {
			return first;
		}
		const pass2 = this.pass2;
		const doc = documentMajority(sentences, first);
		const casing = documentCasing(sentences);
		return sentences.map((s, i) => this.decode(feats[i], pass2, this.extractor.extractSecond(s, { doc: doc[i], labels: first[i], casing: casing[i] })));
	}
}

/** Parses a model file (its text, or its bytes). */
export function loadModel(data: string | Uint8Array): NerModel {
	const parsed = parseModel(data);
	return new LoadedModel(parsed.header, parsed.resources, parsed.rowOf, parsed.pass1, parsed.pass2);
}

/** Named entities of a text (a whole article: a leading ` date YYYY-MM ` header is skipped). */
export function tagText(model: NerModel, text: string): EntitySpan[] {
	const sentences: Token[][] = tokenizeDocument(text);
	const words = sentences.map((s) => s.map((t) => normalizeWord(t.text)));
	const labels = model.labelSentences(words);
	const spans: EntitySpan[] = [];
	for (let s = 0; s < sentences.length; s++) {
		const toks = sentences[s];
		for (const c of bilouToChunks(labels[s])) {
			const start = toks[c.start].start;
			const end = toks[c.end - 1].end;
			spans.push({ start, end, type: c.type as EntityType, text: text.slice(start, end) });
		}
	}
	return spans;
}
