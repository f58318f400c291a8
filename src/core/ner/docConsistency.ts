/**
 * One type per name within an article: after tagging, every mention of the same words takes the
 * type with the largest summed confidence among them, and a surname alone (or its possessive,
 * Trumps / De Wevers) takes PER when the article named the person in full (Donald Trump,
 * Bart De Wever) with a confident PER mention.
 */
import { possessiveStem } from './features';
import { ENTITY_TYPES } from '../entities/entityTypes';
import { makeLabel } from './labels';

export interface ScoredChunk {
	sentence: number;
	start: number;
	end: number;
	/** Index into ENTITY_TYPES. */
	type: number;
	confidence: number;
}

const PER = ENTITY_TYPES.indexOf('PER');
/** A full-name mention must be at least this confident to lend its type to the surname. */
const FULL_NAME_MIN_CONFIDENCE = 0.5;

function setType(labels: Int32Array, c: ScoredChunk, type: number): void {
	if (c.end - c.start === 1) {
		labels[c.start] = makeLabel(type, 'U');
		return;
	}
	labels[c.start] = makeLabel(type, 'B');
	for (let i = c.start + 1; i < c.end - 1; i++) {
		labels[i] = makeLabel(type, 'I');
	}
	labels[c.end - 1] = makeLabel(type, 'L');
}

/** Re-types chunks in place (labels and chunk.type/confidence) for consistency within one article. */
export function enforceConsistency(sentences: readonly (readonly string[])[], labels: Int32Array[], chunks: ScoredChunk[]): void {
	const text = (c: ScoredChunk): string => sentences[c.sentence].slice(c.start, c.end).join(' ');
	const retype = (c: ScoredChunk, type: number, confidence: number): void => {
		if (c.type !== type) {
			c.type = type;
			c.confidence = confidence;
			setType(labels[c.sentence], c, type);
		}
	};
	// Surnames of persons named in full: the words after the first name, and the last word.
	const surnames = new Set<string>();
	for (const c of chunks) {
		if (c.type === PER && c.end - c.start >= 2 && c.confidence >= FULL_NAME_MIN_CONFIDENCE) {
			const words = sentences[c.sentence].slice(c.start, c.end);
			surnames.add(words.slice(1).join(' '));
			surnames.add(words[words.length - 1]);
		}
	}
	for (const c of chunks) {
		if (c.type === PER) {
			continue;
		}
		const words = sentences[c.sentence].slice(c.start, c.end);
		const last = possessiveStem(words[words.length - 1]);
		const plain = words.join(' ');
		const stem = last ? [...words.slice(0, -1), last].join(' ') : undefined;
		if (surnames.has(plain) || (stem !== undefined && surnames.has(stem))) {
			retype(c, PER, c.confidence);
		}
	}
	const votes = new Map<string, Float64Array>();
	for (const c of chunks) {
		const key = text(c);
		let v = votes.get(key);
		if (!v) {
			v = new Float64Array(ENTITY_TYPES.length);
			votes.set(key, v);
		}
		v[c.type] += c.confidence;
	}
	for (const c of chunks) {
		const v = votes.get(text(c))!;
		let best = c.type;
		let total = 0;
		for (let t = 0; t < v.length; t++) {
			total += v[t];
			if (v[t] > v[best]) {
				best = t;
			}
		}
		if (best !== c.type && total > 0) {
			retype(c, best, v[best] / total);
		}
	}
}
