/**
 * Exact occurrences of many patterns in one text, found together: one rolling-hash pass over
 * the text per distinct key length (at most {@link KEY_LENGTH} passes), instead of one
 * `indexOf` scan per pattern. Re-anchoring 10,000 annotations in a 500 KB article is then a
 * few passes over the text rather than 10,000. (With only a few patterns, `indexOf` is cheaper.)
 */

/** Patterns are bucketed by a hash of their first KEY_LENGTH units (shorter patterns: all of them). */
const KEY_LENGTH = 8;
const BASE = 0x01000193;
/** Up to this many distinct patterns, one `indexOf` scan each beats hashing every position. */
const FEW_PATTERNS = 8;

/** Occurrences of one pattern: UTF-16 start offsets in text order; `complete` false when capped. */
export interface Occurrences {
	readonly starts: number[];
	readonly complete: boolean;
}

/**
 * Start offsets of every occurrence of each pattern in `text` (overlapping ones too), in the
 * order of `patterns`; equal patterns share one result. At most `maxPerPattern` starts are kept
 * per pattern (then `complete` is false). Empty patterns have no occurrences.
 */
export function findAllOccurrences(text: string, patterns: readonly string[], maxPerPattern: number): Occurrences[] {
	const ids = new Map<string, number>();
	const distinct: string[] = [];
	const idOf = patterns.map((p) => {
		let id = ids.get(p);
		if (id === undefined) {
			id = distinct.length;
			ids.set(p, id);
			distinct.push(p);
		}
		return id;
	});
	const starts = distinct.map((): number[] => []);
	if (distinct.length <= FEW_PATTERNS) {
		return indexOfEach(text, patterns, maxPerPattern);
	}
	const capped = new Uint8Array(distinct.length);
	// Buckets per key length: hash of the key → ids of the patterns with that key.
	const byLength = new Map<number, Map<number, number[]>>();
	distinct.forEach((p, id) => {
		if (p.length === 0 || p.length > text.length) {
			return;
		}
		const len = keyLength(p.length);
		let buckets = byLength.get(len);
		if (!buckets) {
			buckets = new Map();
			byLength.set(len, buckets);
		}
		const h = hashOf(p, 0, len);
		const list = buckets.get(h);
		if (list) {
			list.push(id);
		} else {
			buckets.set(h, [id]);
		}
	});
	for (const [len, buckets] of byLength) {
		// BASE^(len-1), for removing the unit that leaves the window.
		let top = 1;
		for (let k = 1; k < len; k++) {
			top = Math.imul(top, BASE);
		}
		let h = hashOf(text, 0, len);
		for (let i = 0; i + len <= text.length; i++) {
			if (i > 0) {
				h = (Math.imul(h - Math.imul(text.charCodeAt(i - 1), top), BASE) + text.charCodeAt(i + len - 1)) | 0;
			}
			const list = buckets.get(h);
			if (list === undefined) {
				continue;
			}
			for (const id of list) {
				if (capped[id] === 0 && text.startsWith(distinct[id], i)) {
					if (starts[id].length < maxPerPattern) {
						starts[id].push(i);
					} else {
						capped[id] = 1;
					}
				}
			}
		}
	}
	const results = distinct.map((_, id): Occurrences => ({ starts: starts[id], complete: capped[id] === 0 }));
	return idOf.map((id) => results[id]);
}

/** 8, 4, 2 or 1: few distinct key lengths keep the passes few; verification checks the rest. */
function keyLength(patternLength: number): number {
	return patternLength >= KEY_LENGTH ? KEY_LENGTH : patternLength >= 4 ? 4 : patternLength >= 2 ? 2 : 1;
}

function hashOf(s: string, from: number, len: number): number {
	let h = 0;
	for (let k = 0; k < len; k++) {
		h = (Math.imul(h, BASE) + s.charCodeAt(from + k)) | 0;
	}
	return h;
}

function indexOfEach(text: string, patterns: readonly string[], maxPerPattern: number): Occurrences[] {
	const cache = new Map<string, Occurrences>();
	return patterns.map((p) => {
		let o = cache.get(p);
		if (!o) {
			const starts: number[] = [];
			let complete = true;
			for (let i = p.length === 0 ? -1 : text.indexOf(p); i >= 0; i = text.indexOf(p, i + 1)) {
				if (starts.length === maxPerPattern) {
					complete = false;
					break;
				}
				starts.push(i);
			}
			o = { starts, complete };
			cache.set(p, o);
		}
		return o;
	});
}
