/** Document-level second-pass feature: the majority first-pass type of the same word elsewhere. */
import { labelType } from './labels';

function isCapitalised(word: string): boolean {
	const c = word.charCodeAt(0);
	if (c < 128) {
		return c >= 65 && c <= 90; // ASCII: only A–Z change under toLowerCase and not under toUpperCase
	}
	const ch = word.charAt(0);
	return ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

/** Whether the first character changes under toUpperCase (a lower-case initial). */
function hasLowerInitial(word: string): boolean {
	const c = word.charCodeAt(0);
	if (c < 128) {
		return c >= 97 && c <= 122;
	}
	return word.charAt(0) !== word.charAt(0).toUpperCase();
}

/** Whether a word has a letter or digit (the first such token ends the sentence start). */
function hasLetterOrDigit(word: string): boolean {
	for (let i = 0; i < word.length; i++) {
		const c = word.charCodeAt(i);
		if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
			return true;
		}
		if (c >= 128) {
			return /[\p{L}\p{N}]/u.test(word);
		}
	}
	return false;
}

/**
 * For each token of each sentence of a document: -1 if the word is not capitalised or occurs
 * nowhere else in the document; otherwise the most frequent first-pass type of its other
 * occurrences (0 = O, 1 + type index). Ties go to the lower value.
 */
export function documentMajority(sentences: readonly (readonly string[])[], labels: readonly ArrayLike<number>[]): Int8Array[] {
	const counts = new Map<string, Int32Array>();
	for (let s = 0; s < sentences.length; s++) {
		const words = sentences[s];
		for (let i = 0; i < words.length; i++) {
			if (!isCapitalised(words[i])) {
				continue;
			}
			let c = counts.get(words[i]);
			if (!c) {
				c = new Int32Array(5);
				counts.set(words[i], c);
			}
			c[labelType(labels[s][i]) + 1]++;
		}
	}
	return sentences.map((words, s) => {
		const out = new Int8Array(words.length).fill(-1);
		for (let i = 0; i < words.length; i++) {
			const c = counts.get(words[i]);
			if (!c) {
				continue;
			}
			const own = labelType(labels[s][i]) + 1;
			let best = -1;
			let bestCount = 0;
			for (let v = 0; v < 5; v++) {
				const n = c[v] - (v === own ? 1 : 0);
				if (n > bestCount) {
					bestCount = n;
					best = v;
				}
			}
			out[i] = best;
		}
		return out;
	});
}

/**
 * Document casing evidence for capitalised tokens: bit 1 = the lower-case form occurs elsewhere
 * in the document, bit 2 = the word occurs capitalised elsewhere not at a sentence start.
 * -1 for tokens that are not capitalised.
 */
export function documentCasing(sentences: readonly (readonly string[])[]): Int8Array[] {
	const lower = new Set<string>();
	const capMid = new Map<string, number>();
	for (const words of sentences) {
		let initial = true;
		for (const w of words) {
			if (isCapitalised(w)) {
				if (!initial) {
					capMid.set(w, (capMid.get(w) ?? 0) + 1);
				}
			} else if (hasLowerInitial(w)) {
				lower.add(w);
			}
			if (initial && hasLetterOrDigit(w)) {
				initial = false;
			}
		}
	}
	return sentences.map((words) => {
		const out = new Int8Array(words.length).fill(-1);
		let initial = true;
		for (let i = 0; i < words.length; i++) {
			const w = words[i];
			if (isCapitalised(w)) {
				const mid = (capMid.get(w) ?? 0) - (initial ? 0 : 1);
				out[i] = (lower.has(w.toLowerCase()) ? 1 : 0) + (mid > 0 ? 2 : 0);
			}
			if (initial && hasLetterOrDigit(w)) {
				initial = false;
			}
		}
		return out;
	});
}
