/** BILOU label set over the entity types and conversions between IOB tags, BILOU labels and spans. */

import { ENTITY_TYPES } from '../entities/entityTypes';

const PREFIXES = ['B', 'I', 'L', 'U'] as const;

/** Label 0 is O; label 1 + 4*type + prefix, prefix B=0 I=1 L=2 U=3. */
export const LABELS: readonly string[] = ['O', ...ENTITY_TYPES.flatMap((t) => PREFIXES.map((p) => `${p}-${t}`))];
export const NUM_LABELS = LABELS.length;

export function labelType(label: number): number {
	return label === 0 ? -1 : (label - 1) >> 2;
}

export function labelPrefix(label: number): 'O' | 'B' | 'I' | 'L' | 'U' {
	return label === 0 ? 'O' : PREFIXES[(label - 1) & 3];
}

export function makeLabel(type: number, prefix: 'B' | 'I' | 'L' | 'U'): number {
	return 1 + type * 4 + PREFIXES.indexOf(prefix);
}

/** Whether `next` may follow `prev` (prev = -1 at the start of a sentence). */
export function allowedTransition(prev: number, next: number): boolean {
	const pp = prev < 0 ? 'O' : labelPrefix(prev);
	const np = labelPrefix(next);
	if (pp === 'B' || pp === 'I') {
		return (np === 'I' || np === 'L') && labelType(prev) === labelType(next);
	}
	return np === 'O' || np === 'B' || np === 'U';
}

/** Whether a sentence may end with `label`. */
export function allowedEnd(label: number): boolean {
	const p = labelPrefix(label);
	return p === 'O' || p === 'L' || p === 'U';
}

export function isValidSequence(labels: ArrayLike<number>): boolean {
	let prev = -1;
	for (let i = 0; i < labels.length; i++) {
		if (!allowedTransition(prev, labels[i])) {
			return false;
		}
		prev = labels[i];
	}
	return labels.length === 0 || allowedEnd(prev);
}

/** A typed token span: tokens [start, end). */
export interface Chunk {
	start: number;
	end: number;
	type: string;
}

/**
 * Chunks of an IOB1/IOB2 (also BIOES/BILOU) tag sequence with conlleval semantics: a chunk
 * starts at B-X (or S-/U-), or at I-X after O or after a different type.
 */
export function tagsToChunks(tags: readonly string[]): Chunk[] {
	const chunks: Chunk[] = [];
	let cur: Chunk | null = null;
	let prevPrefix = 'O';
	for (let i = 0; i < tags.length; i++) {
		const tag = tags[i];
		const dash = tag.indexOf('-');
		const prefix = tag === 'O' || dash < 0 ? 'O' : tag.slice(0, dash);
		const type = dash < 0 ? '' : tag.slice(dash + 1);
		const closesAfterPrev = prevPrefix === 'E' || prevPrefix === 'L' || prevPrefix === 'S' || prevPrefix === 'U';
		let starts = false;
		if (prefix === 'O') {
			if (cur) {
				cur.end = i;
				chunks.push(cur);
				cur = null;
			}
		} else if (prefix === 'B' || prefix === 'S' || prefix === 'U' || !cur || cur.type !== type || closesAfterPrev) {
			starts = true;
		}
		if (starts) {
			if (cur) {
				cur.end = i;
				chunks.push(cur);
			}
			cur = { start: i, end: i + 1, type };
		}
		prevPrefix = prefix;
	}
	if (cur) {
		cur.end = tags.length;
		chunks.push(cur);
	}
	return chunks;
}

/** BILOU labels for an IOB1/IOB2 tag sequence (unknown types are dropped to O). */
export function tagsToBilou(tags: readonly string[]): Int32Array {
	const out = new Int32Array(tags.length);
	for (const c of tagsToChunks(tags)) {
		const t = (ENTITY_TYPES as readonly string[]).indexOf(c.type);
		if (t < 0) {
			continue;
		}
		if (c.end - c.start === 1) {
			out[c.start] = makeLabel(t, 'U');
		} else {
			out[c.start] = makeLabel(t, 'B');
			for (let i = c.start + 1; i < c.end - 1; i++) {
				out[i] = makeLabel(t, 'I');
			}
			out[c.end - 1] = makeLabel(t, 'L');
		}
	}
	return out;
}

/** Chunks of a (valid) BILOU label sequence. */
export function bilouToChunks(labels: ArrayLike<number>): Chunk[] {
	const tags: string[] = [];
	for (let i = 0; i < labels.length; i++) {
		tags.push(LABELS[labels[i]]);
	}
	return tagsToChunks(tags);
}

/** IOB2 tags for a BILOU label sequence. */
export function bilouToIob2(labels: ArrayLike<number>): string[] {
	const tags: string[] = new Array<string>(labels.length).fill('O');
	for (const c of bilouToChunks(labels)) {
		tags[c.start] = `B-${c.type}`;
		for (let i = c.start + 1; i < c.end; i++) {
			tags[i] = `I-${c.type}`;
		}
	}
	return tags;
}
