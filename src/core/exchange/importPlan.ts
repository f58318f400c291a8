/**
 * What an import does to an article that exists: the imported text must be the article's text
 * (compared canonically: BOM and CRLF do not count), and the imported annotations are merged into
 * the stored ones by one rule, shared by the command line and the extension:
 *
 * - an imported annotation with the id of a stored one **replaces** it: its span and every field
 *   the import carries are taken; fields the import does not carry (a note CoNLL cannot hold) keep
 *   their stored value;
 * - an imported annotation with the same label, start and end as a stored one (another id) is the
 *   same annotation and is **not added twice**; relations the import makes to it point at the
 *   stored one;
 * - every other annotation is **added** with its id.
 *
 * Relations follow the same rule: same id replaced, same type/from/to not added twice, others added.
 */
import type { Annotation, Relation } from '../annotations/model';
import { canonicalText, codePointLength } from '../annotations/offsets';

/** The first place two texts differ, for the "text does not match the article" error. */
export interface TextDifference {
	/** 1-based line and column (code points) in the canonical texts. */
	readonly line: number;
	readonly column: number;
	/** Up to a few dozen code points from the difference on, in each text (`""` at its end). */
	readonly expected: string;
	readonly actual: string;
}

const SNIPPET = 24;

/**
 * Undefined when the two texts are the same article text (a BOM and CRLF line ends do not
 * count); otherwise where they first differ.
 */
export function firstDifference(expected: string, actual: string): TextDifference | undefined {
	const a = canonicalText(expected);
	const b = canonicalText(actual);
	if (a === b) {
		return undefined;
	}
	let i = 0;
	const n = Math.min(a.length, b.length);
	while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) {
		i++;
	}
	// Do not split a surrogate pair: start at its first half.
	if (i > 0 && i < n && a.charCodeAt(i - 1) >= 0xd800 && a.charCodeAt(i - 1) <= 0xdbff) {
		i--;
	}
	const before = a.slice(0, i);
	const lineStart = before.lastIndexOf('\n') + 1;
	const line = before.split('\n').length;
	const column = codePointLength(before.slice(lineStart)) + 1;
	const snippet = (s: string): string => [...s.slice(i, i + SNIPPET * 2)].slice(0, SNIPPET).join('');
	return { line, column, expected: snippet(a), actual: snippet(b) };
}

/** The merge of one article's imported annotations and relations into the stored ones. */
export interface MergePlan {
	/** Imported annotations to add, with their ids. */
	readonly added: Annotation[];
	/** Imported annotations replacing the stored one with the same id (only those that change something). */
	readonly replaced: Annotation[];
	/** Imported annotations already stored (same id and same content, or same label and span). */
	readonly unchanged: number;
	readonly addedRelations: Relation[];
	readonly replacedRelations: Relation[];
	readonly unchangedRelations: number;
}

/** True when the plan changes nothing. */
export function isEmptyPlan(plan: MergePlan): boolean {
	return plan.added.length + plan.replaced.length + plan.addedRelations.length + plan.replacedRelations.length === 0;
}

const spanKey = (a: Pick<Annotation, 'label' | 'start' | 'end'>): string => `${a.label}\u0000${a.start}\u0000${a.end}`;
const relationKey = (r: Pick<Relation, 'type' | 'from' | 'to'>): string => `${r.type}\u0000${r.from}\u0000${r.to}`;

/** Fields of `incoming` that differ from `stored`, among those `incoming` carries. */
function differs<T extends object>(stored: T, incoming: T): boolean {
	return (Object.keys(incoming) as (keyof T)[]).some((k) => incoming[k] !== undefined && incoming[k] !== stored[k]);
}

/** Plans the merge (see the module comment). Pure: the stored lists are not changed. */
export function planMerge(
	stored: readonly Annotation[],
	storedRelations: readonly Relation[],
	incoming: readonly Annotation[],
	incomingRelations: readonly Relation[],
): MergePlan {
	const byId = new Map(stored.map((a) => [a.id, a]));
	const bySpan = new Map(stored.map((a) => [spanKey(a), a.id]));
	const idMap = new Map<string, string>();
	const added: Annotation[] = [];
	const replaced: Annotation[] = [];
	let unchanged = 0;
	for (const a of incoming) {
		const same = byId.get(a.id);
		if (same) {
			idMap.set(a.id, a.id);
			if (differs(same, a)) {
				replaced.push(a);
			} else {
				unchanged++;
			}
			continue;
		}
		const twin = bySpan.get(spanKey(a));
		if (twin !== undefined) {
			idMap.set(a.id, twin);
			unchanged++;
			continue;
		}
		idMap.set(a.id, a.id);
		bySpan.set(spanKey(a), a.id);
		added.push(a);
	}
	const relById = new Map(storedRelations.map((r) => [r.id, r]));
	const relByKey = new Set(storedRelations.map(relationKey));
	const addedRelations: Relation[] = [];
	const replacedRelations: Relation[] = [];
	let unchangedRelations = 0;
	for (const r0 of incomingRelations) {
		const r = { ...r0, from: idMap.get(r0.from) ?? r0.from, to: idMap.get(r0.to) ?? r0.to };
		const same = relById.get(r.id);
		if (same) {
			if (differs(same, r)) {
				replacedRelations.push(r);
			} else {
				unchangedRelations++;
			}
		} else if (relByKey.has(relationKey(r))) {
			unchangedRelations++;
		} else {
			relByKey.add(relationKey(r));
			addedRelations.push(r);
		}
	}
	return { added, replaced, unchanged, addedRelations, replacedRelations, unchangedRelations };
}
