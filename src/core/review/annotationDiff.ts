/**
 * Semantic diff of two versions of one annotation sidecar: which annotations were added,
 * removed or changed (by id), and how (relabelled, moved, re-quoted, note changed…); the same
 * for relations (by relation id).
 * Pure: the CLI's `diff`, the merge driver and the Annotation Changes view all build on it.
 */
import {
	ANNOTATION_FIELDS, ANNOTATION_KEY_ORDER, ARTICLE_HEADER_FIELDS, RELATION_FIELDS, RELATION_KEY_ORDER,
	type AnnotationField, type ArticleHeaderField, type FieldSpec, type RelationField,
} from '../annotations/fieldTable';
import type { Annotation, Relation, SidecarData } from '../annotations/model';
import { readSidecarData } from '../annotations/sidecarCodec';
import type { SidecarError } from '../annotations/sidecarCodec';

export type { AnnotationField, RelationField } from '../annotations/fieldTable';

/** Fields a change line does not list by themselves (they follow the others). */
const QUIET_IN_DIFF: readonly AnnotationField[] = ANNOTATION_KEY_ORDER.filter((k) => (ANNOTATION_FIELDS[k] as FieldSpec).quietInDiff === true);
const QUIET_RELATION_FIELDS: readonly RelationField[] = RELATION_KEY_ORDER.filter((k) => (RELATION_FIELDS[k] as FieldSpec).quietInDiff === true);

/** One annotation present in both versions with different field values. */
export interface AnnotationChange {
	readonly id: string;
	/** Changed fields, in file key order. */
	readonly fields: readonly AnnotationField[];
	readonly before: Annotation;
	readonly after: Annotation;
}

/** One relation present in both versions with different field values. */
export interface RelationChange {
	readonly id: string;
	/** Changed fields, in file key order (`modified` included; lines do not list it by itself). */
	readonly fields: readonly RelationField[];
	readonly before: Relation;
	readonly after: Relation;
}

/** Relations added, removed and changed, by relation id. */
export interface RelationsDiff {
	/** In the order of the after version. */
	readonly added: readonly Relation[];
	/** In the order of the before version. */
	readonly removed: readonly Relation[];
	/** In the order of the after version. */
	readonly changed: readonly RelationChange[];
}

/** A changed header field (`article`, `date`, `textHash`). */
export interface HeaderChange {
	readonly field: ArticleHeaderField;
	readonly before: string | null;
	readonly after: string | null;
}

/** What changed between two versions of a sidecar. */
export interface SidecarDiff {
	/** In the order of the after version. */
	readonly added: readonly Annotation[];
	/** In the order of the before version. */
	readonly removed: readonly Annotation[];
	/** In the order of the after version. */
	readonly changed: readonly AnnotationChange[];
	readonly header: readonly HeaderChange[];
	readonly relations: RelationsDiff;
	/**
	 * The annotations the changed relations name (`from`/`to` ids, either version), as the
	 * after version has them, else the before version; ids neither has are absent (dangling).
	 */
	readonly endpoints: ReadonlyMap<string, Annotation>;
	/** Set when a side given as text could not be read; that side is then treated as empty. */
	readonly errors?: { readonly side: 'before' | 'after'; readonly errors: readonly SidecarError[] };
}

/** One version of a sidecar: its text, its parsed data, or absent (`undefined`/`null`: file does not exist). */
export type SidecarVersion = string | SidecarData | null | undefined;

/** True when two annotations have the same value in every managed field. */
export function sameAnnotation(a: Annotation, b: Annotation): boolean {
	return changedFields(a, b).length === 0;
}

/** Fields whose values differ (an absent optional field equals `undefined`). */
export function changedFields(before: Annotation, after: Annotation): AnnotationField[] {
	return ANNOTATION_KEY_ORDER.filter((key) => (before[key] ?? undefined) !== (after[key] ?? undefined));
}

/** Relation fields whose values differ (an absent optional field equals `undefined`). */
export function changedRelationFields(before: Relation, after: Relation): RelationField[] {
	return RELATION_KEY_ORDER.filter((key) => (before[key] ?? undefined) !== (after[key] ?? undefined));
}

/** True when two relations have the same value in every managed field. */
export function sameRelation(a: Relation, b: Relation): boolean {
	return changedRelationFields(a, b).length === 0;
}

/**
 * Compares two versions of a sidecar. A text side that does not parse (YAML error,
 * merge-conflict markers) counts as empty and is reported in `errors`.
 */
export function diffSidecars(before: SidecarVersion, after: SidecarVersion): SidecarDiff {
	const b = toData(before);
	const a = toData(after);
	const diff = diffAnnotations(b.data?.annotations ?? [], a.data?.annotations ?? []);
	const header: HeaderChange[] = [];
	if (b.data && a.data) {
		for (const field of ARTICLE_HEADER_FIELDS) {
			if (b.data[field] !== a.data[field]) {
				header.push({ field, before: b.data[field], after: a.data[field] });
			}
		}
	}
	const relations = diffRelations(b.data?.relations ?? [], a.data?.relations ?? []);
	const endpoints = relationEndpoints(relations, [a.data?.annotations ?? [], b.data?.annotations ?? []]);
	const errors = b.errors ? { side: 'before' as const, errors: b.errors } : a.errors ? { side: 'after' as const, errors: a.errors } : undefined;
	return errors ? { ...diff, header, relations, endpoints, errors } : { ...diff, header, relations, endpoints };
}

/** Compares two relation lists by relation id. */
export function diffRelations(before: readonly Relation[], after: readonly Relation[]): RelationsDiff {
	return diffById(before, after, changedRelationFields);
}

/** Each annotation the changed relations name, from the first list that has it. */
function relationEndpoints(relations: RelationsDiff, lists: readonly (readonly Annotation[])[]): Map<string, Annotation> {
	const wanted = new Set<string>();
	for (const r of [...relations.added, ...relations.removed, ...relations.changed.flatMap((c) => [c.before, c.after])]) {
		wanted.add(r.from).add(r.to);
	}
	const endpoints = new Map<string, Annotation>();
	if (wanted.size === 0) {
		return endpoints;
	}
	for (const list of lists) {
		for (const x of list) {
			if (wanted.has(x.id) && !endpoints.has(x.id)) {
				endpoints.set(x.id, x);
			}
		}
	}
	return endpoints;
}

/** Compares two annotation lists by id. */
export function diffAnnotations(before: readonly Annotation[], after: readonly Annotation[]): Pick<SidecarDiff, 'added' | 'removed' | 'changed'> {
	return diffById(before, after, changedFields);
}

/** Items added (after order), removed (before order) and changed (after order), by id. */
function diffById<T extends { readonly id: string }, F>(
	before: readonly T[], after: readonly T[], fieldsOf: (before: T, after: T) => F[],
): { added: T[]; removed: T[]; changed: { id: string; fields: F[]; before: T; after: T }[] } {
	const beforeById = new Map(before.map((x) => [x.id, x]));
	const afterIds = new Set(after.map((x) => x.id));
	const added: T[] = [];
	const changed: { id: string; fields: F[]; before: T; after: T }[] = [];
	for (const x of after) {
		const old = beforeById.get(x.id);
		if (!old) {
			added.push(x);
			continue;
		}
		const fields = fieldsOf(old, x);
		if (fields.length > 0) {
			changed.push({ id: x.id, fields, before: old, after: x });
		}
	}
	return { added, removed: before.filter((x) => !afterIds.has(x.id)), changed };
}

/** True when nothing changed (header and relations included). */
export function isEmptyDiff(diff: SidecarDiff): boolean {
	return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0 && diff.header.length === 0 && relationChangeCount(diff) === 0;
}

/** Relations added, removed or changed. */
export function relationChangeCount(diff: SidecarDiff): number {
	const r = diff.relations;
	return r.added.length + r.removed.length + r.changed.length;
}

function toData(version: SidecarVersion): { data?: SidecarData; errors?: readonly SidecarError[] } {
	if (version === undefined || version === null) {
		return {};
	}
	if (typeof version !== 'string') {
		return { data: version };
	}
	if (version.trim() === '') {
		return {};
	}
	const r = readSidecarData(version);
	return r.ok ? { data: r.data } : { errors: r.errors };
}

// ---- classification -------------------------------------------------------------------------

/** The label changed. */
export function isRelabelled(change: AnnotationChange): boolean {
	return change.fields.includes('label');
}

/** The offsets changed but the quote is the same (the text around it moved). */
export function isMoved(change: AnnotationChange): boolean {
	return (change.fields.includes('start') || change.fields.includes('end')) && !change.fields.includes('quote');
}

/** The quoted text changed (span resized or re-anchored to edited text). */
export function isRequoted(change: AnnotationChange): boolean {
	return change.fields.includes('quote');
}

/** The note was added, changed or removed. */
export function isNoteChanged(change: AnnotationChange): boolean {
	return change.fields.includes('note');
}

/** The canonical entity changed. */
export function isEntityChanged(change: AnnotationChange): boolean {
	return change.fields.includes('entity');
}

/** How an annotation changed, for lists and icons. One change can be several kinds. */
export type ChangeKind = 'relabelled' | 'moved' | 'requoted' | 'note' | 'entity' | 'other';

/**
 * The kinds of a change, most significant first. `other` only when none of the others
 * applies (e.g. only `author`, `prefix`/`suffix` or `modified` changed).
 */
export function classifyChange(change: AnnotationChange): ChangeKind[] {
	const kinds: ChangeKind[] = [];
	if (isRelabelled(change)) {
		kinds.push('relabelled');
	}
	if (isRequoted(change)) {
		kinds.push('requoted');
	}
	else if (isMoved(change)) {
		kinds.push('moved');
	}
	if (isNoteChanged(change)) {
		kinds.push('note');
	}
	if (isEntityChanged(change)) {
		kinds.push('entity');
	}
	if (kinds.length === 0) {
		kinds.push('other');
	}
	return kinds;
}

// ---- text rendering (PR comments, `corpus-annotator diff`) -------------------------------

/** Shortens a quote for one line of output. */
export function shortQuote(quote: string, max = 60): string {
	const flat = quote.replace(/\s+/g, ' ').trim();
	const chars = [...flat];
	return chars.length <= max ? flat : chars.slice(0, max - 1).join('') + '…';
}

/** `+ [claim] “quote” (id)` style lines for one sidecar's diff (no heading). */
export function formatDiffLines(diff: SidecarDiff): string[] {
	const lines: string[] = [];
	for (const h of diff.header) {
		lines.push(`~ ${h.field}: ${h.before ?? 'null'} → ${h.after ?? 'null'}`);
	}
	for (const x of diff.added) {
		lines.push(`+ [${x.label}] “${shortQuote(x.quote)}” (${x.id})`);
	}
	for (const x of diff.removed) {
		lines.push(`- [${x.label}] “${shortQuote(x.quote)}” (${x.id})`);
	}
	for (const c of diff.changed) {
		lines.push(...formatChange(c));
	}
	const endpoint = (id: string): string => endpointText(diff.endpoints, id);
	for (const r of diff.relations.added) {
		lines.push(`+ relation [${r.type}] ${endpoint(r.from)} → ${endpoint(r.to)} (${r.id})`);
	}
	for (const r of diff.relations.removed) {
		lines.push(`- relation [${r.type}] ${endpoint(r.from)} → ${endpoint(r.to)} (${r.id})`);
	}
	for (const c of diff.relations.changed) {
		lines.push(...formatRelationChange(c, diff.endpoints));
	}
	return lines;
}

/** A relation end for one line: the annotation's short quote, or its id and "(missing)" when neither version has it. */
export function endpointText(endpoints: ReadonlyMap<string, Annotation>, id: string, max = 40): string {
	const e = endpoints.get(id);
	return e ? `“${shortQuote(e.quote, max)}”` : `${id} (missing)`;
}

/** Lines describing one changed relation: `~ r1: relation type about → source-of …`, `↔ r1: relation now … (was …)`, `✎ r1: relation note …`. */
export function formatRelationChange(c: RelationChange, endpoints: ReadonlyMap<string, Annotation>): string[] {
	const lines: string[] = [];
	const { before: b, after: a } = c;
	const ends = (r: Relation): string => `${endpointText(endpoints, r.from)} → ${endpointText(endpoints, r.to)}`;
	const shown = new Set<RelationField>(QUIET_RELATION_FIELDS);
	if (c.fields.includes('type')) {
		lines.push(`~ ${c.id}: relation type ${b.type} → ${a.type} (${ends(a)})`);
		shown.add('type');
	}
	if (c.fields.includes('from') || c.fields.includes('to')) {
		lines.push(`↔ ${c.id}: relation [${a.type}] now ${ends(a)} (was ${ends(b)})`);
		shown.add('from').add('to');
	}
	if (c.fields.includes('note')) {
		lines.push(`✎ ${c.id}: relation ${noteChangeText(b.note, a.note)}`);
		shown.add('note');
	}
	const rest = c.fields.filter((f) => !shown.has(f));
	if (rest.length > 0 || lines.length === 0) {
		lines.push(`~ ${c.id}: relation changed ${(rest.length > 0 ? rest : c.fields).join(', ')}`);
	}
	return lines;
}

/** `note added “…”`, `note removed (was “…”)` or `note “…” → “…”`. */
function noteChangeText(before: string | undefined, after: string | undefined): string {
	return before === undefined ? `note added “${shortQuote(after ?? '')}”`
		: after === undefined ? `note removed (was “${shortQuote(before)}”)`
			: `note “${shortQuote(before)}” → “${shortQuote(after)}”`;
}

/** Lines describing one changed annotation: `~ id: label claim → event`, `↔ id: moved …`, `✎ id: note …`. */
export function formatChange(c: AnnotationChange): string[] {
	const lines: string[] = [];
	const { before: b, after: a } = c;
	const shown = new Set<AnnotationField>(QUIET_IN_DIFF);
	if (isRelabelled(c)) {
		lines.push(`~ ${c.id}: label ${b.label} → ${a.label} “${shortQuote(a.quote)}”`);
		shown.add('label');
	}
	if (isMoved(c)) {
		lines.push(`↔ ${c.id}: moved ${b.start}–${b.end} → ${a.start}–${a.end} “${shortQuote(a.quote)}”`);
		shown.add('start').add('end');
	}
	if (isRequoted(c)) {
		lines.push(`~ ${c.id}: quote “${shortQuote(b.quote)}” → “${shortQuote(a.quote)}” (${a.start}–${a.end})`);
		shown.add('quote').add('start').add('end');
	}
	if (isNoteChanged(c)) {
		lines.push(`✎ ${c.id}: ${noteChangeText(b.note, a.note)}`);
		shown.add('note');
	}
	if (isEntityChanged(c)) {
		lines.push(`~ ${c.id}: entity ${b.entity ?? '(none)'} → ${a.entity ?? '(none)'}`);
		shown.add('entity');
	}
	const rest = c.fields.filter((f) => !shown.has(f));
	if (rest.length > 0 || lines.length === 0) {
		lines.push(`~ ${c.id}: changed ${(rest.length > 0 ? rest : c.fields).join(', ')}`);
	}
	return lines;
}
