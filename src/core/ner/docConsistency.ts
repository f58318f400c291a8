/**
 * One type per name within an article: after tagging, every mention of the same words takes the
 * type with the largest summed confidence among them, and a surname alone (or its possessive,
 * Trumps / De Wevers) takes PER when the article named the person in full (Donald Trump,
 * Bart De Wever) with a confident PER mention: also when the tagger left that surname untagged,
 * and with the particle capitalised as it is when the surname stands alone (Pieter van Oord → Van Oord).
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
/** Confidence given to a surname mention the tagger had left untagged. */
const ADDED_SURNAME_CONFIDENCE = 0.6;

function capitalise(s: string): string {
	return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Whether a word can be a surname standing alone: capitalised, a letter after the first, 3+ characters. */
function surnameLike(word: string): boolean {
	const c = word.charAt(0);
	return word.length >= 3 && c !== c.toLowerCase() && c === c.toUpperCase() && /\p{Ll}/u.test(word);
}

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

/**
 * Untagged single words that are a surname of `surnames` (one word) or its possessive become PER
 * mentions (Trumps, Musks after Donald Trump, Elon Musk); `chunks` stays in text order.
 */
function addUntaggedSurnames(sentences: readonly (readonly string[])[], labels: Int32Array[], chunks: ScoredChunk[], surnames: ReadonlySet<string>): void {
	if (surnames.size === 0) {
		return;
	}
	let added = false;
	sentences.forEach((words, s) => {
		words.forEach((w, t) => {
			if (labels[s][t] !== 0 || !surnameLike(w)) {
				return;
			}
			const stem = possessiveStem(w);
			if (surnames.has(w) || (stem !== undefined && surnames.has(stem))) {
				const c: ScoredChunk = { sentence: s, start: t, end: t + 1, type: PER, confidence: ADDED_SURNAME_CONFIDENCE };
				setType(labels[s], c, PER);
				chunks.push(c);
				added = true;
			}
		});
	});
	if (added) {
		chunks.sort((a, b) => a.sentence - b.sentence || a.start - b.start);
	}
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
			const rest = words.slice(1).join(' ');
			surnames.add(rest);
			surnames.add(capitalise(rest));
			surnames.add(words[words.length - 1]);
		}
	}
	addUntaggedSurnames(sentences, labels, chunks, surnames);
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
