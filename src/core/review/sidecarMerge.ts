/**
 * Three-way merge of annotation sidecars by annotation id (the git merge driver's core).
 *
 * Rules, per annotation id (B = base, O = ours, T = theirs):
 * - added on one side → kept; added on both sides identically → kept once;
 * - deleted on one side and untouched on the other → deleted; deleted on both → deleted;
 * - changed on one side → that change; the same change on both sides → taken once;
 * - changed on both sides in different fields → merged field by field, except that the span
 *   (start, end, quote, prefix, suffix) is one unit taken from the side that changed it;
 *   `modified` takes the later timestamp (it changes with every edit, so it is never a
 *   conflict by itself);
 * - the same field changed differently on both sides, deleted on one side but changed on
 *   the other, or added on both sides with different content → a **conflict**: the result
 *   keeps both versions of that annotation between git conflict markers
 *   (`<<<<<<< ours` / `=======` / `>>>>>>> theirs`) inside the annotations list, so
 *   `parseSidecar` (and therefore `corpus-annotator check` and the extension) reports it
 *   with line numbers. Never a silent pick.
 *
 * Relations (`relations:`) are merged by relation id with the same rules and the field table's
 * policies (`modified`: the later one), and their conflicts are marked the same way inside the
 * relations list. A relation the merge keeps whose `from` or `to` annotation one side deleted is
 * never silently left dangling nor dropped: it is an `endpoint-deleted-by-*` conflict, and both
 * the annotation and the relation stay between markers with the deleting side empty.
 *
 * Header fields (`article`, `date`, `textHash`) take the side that changed them. When both
 * sides changed one differently, ours is kept and a note is returned: for `textHash` this is
 * harmless because annotations are re-anchored by their quote when the article is opened,
 * and the article file itself is merged by git, so no single side's hash is "right" anyway.
 *
 * The result is built by editing `ours` through {@link SidecarDocument}, so lines the merge
 * did not touch (comments included) stay byte-identical and formatting follows the codec.
 * Comments inside annotations that come only from `theirs` are not carried over.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { ANNOTATION_FIELDS, ANNOTATION_KEY_ORDER, ARTICLE_HEADER_FIELDS, RELATION_FIELDS, RELATION_KEY_ORDER, type FieldSpec } from '../annotations/fieldTable';
import type { Annotation, Relation, SidecarData, SidecarHeader } from '../annotations/model';
import { sidecarOffset } from '../annotations/offsets';
import { createSidecar, parseSidecar, serializeIfChanged } from '../annotations/sidecarCodec';
import type { ParseOptions, SidecarDocument, SidecarError } from '../annotations/sidecarCodec';
import { sameAnnotation, sameRelation } from './annotationDiff';
import type { AnnotationField, RelationField } from './annotationDiff';

/** Why an annotation, a relation (or the whole file) could not be merged automatically. */
export type MergeConflictKind =
	/** Both sides changed the same field(s) differently. */
	| 'both-changed'
	/** Both sides added an annotation (relation) with this id, with different content. */
	| 'both-added'
	/** Ours deleted it, theirs changed it. */
	| 'deleted-by-ours'
	/** Theirs deleted it, ours changed it. */
	| 'deleted-by-theirs'
	/** A relation the merge keeps names an annotation ours deleted (the relation and the annotation are kept between markers, ours empty). */
	| 'endpoint-deleted-by-ours'
	/** A relation the merge keeps names an annotation theirs deleted. */
	| 'endpoint-deleted-by-theirs'
	/** One side is not a readable sidecar (YAML error, earlier conflict markers): whole-file conflict. */
	| 'unreadable';

export interface MergeConflict {
	readonly kind: MergeConflictKind;
	/** Annotation id (a relation id when `relation` is set); absent for whole-file conflicts. */
	readonly id?: string;
	/** The conflict is about the relation `id` (relation and annotation ids are separate namespaces). */
	readonly relation?: true;
	/** For `both-changed`: the fields both sides changed differently. */
	readonly fields?: readonly (AnnotationField | RelationField)[];
	/** For `endpoint-deleted-by-*`: the deleted annotations the relation names. */
	readonly annotations?: readonly string[];
	/** For `unreadable`: which side and its errors. */
	readonly side?: 'base' | 'ours' | 'theirs';
	readonly errors?: readonly SidecarError[];
}

export interface MergeResult {
	/**
	 * The merged file text (with conflict markers when `conflicts` is not empty); exactly `ours`
	 * when ours is unreadable, which is then left alone.
	 */
	readonly text: string;
	readonly conflicts: readonly MergeConflict[];
	/** Non-conflict remarks (header field changed on both sides, unreadable base…). */
	readonly notes: readonly string[];
}

/** Marker lines, as git writes them (7 characters and the side name). */
export const CONFLICT_MARKERS = { ours: '<<<<<<< ours', separator: '=======', theirs: '>>>>>>> theirs' } as const;

/**
 * Merges three versions of a sidecar. `base` is the common ancestor (empty or undefined when
 * the file did not exist there); `ours` and `theirs` the two sides; `options.article`, when the
 * caller has the article, lets offsets past its end count as damage. Never throws.
 */
export function mergeSidecars(base: string | undefined, ours: string | undefined, theirs: string | undefined, options: ParseOptions = {}): MergeResult {
	const notes: string[] = [];
	const oursText = ours ?? '';
	const theirsText = theirs ?? '';
	const baseText = base ?? '';
	if (oursText === theirsText) {
		return { text: oursText, conflicts: [], notes };
	}
	if (isBlank(oursText)) {
		// Ours emptied the file, theirs changed it: ours (not a readable sidecar) stays as it is.
		return { text: oursText, conflicts: theirsText === baseText ? [] : [{ kind: 'deleted-by-ours' }], notes };
	}
	// Unreadable means untouchable: an unreadable ours stays byte-identical, even when a side
	// would simply be taken, and the conflict is reported.
	const o = parseSidecar(oursText, options);
	if (!o.ok) {
		return { text: oursText, conflicts: [{ kind: 'unreadable', side: 'ours', errors: o.errors }], notes };
	}
	if (theirsText === baseText) {
		return { text: oursText, conflicts: [], notes };
	}
	if (oursText === baseText) {
		return { text: theirsText, conflicts: [], notes };
	}
	if (isBlank(theirsText)) {
		return wholeFileConflict(oursText, theirsText, { kind: 'deleted-by-theirs' });
	}
	const t = parseSidecar(theirsText, options);
	if (!t.ok) {
		return wholeFileConflict(oursText, theirsText, { kind: 'unreadable', side: 'theirs', errors: t.errors });
	}
	let baseData: SidecarData | undefined;
	if (!isBlank(baseText)) {
		const b = parseSidecar(baseText);
		if (b.ok) {
			baseData = b.doc.data;
		}
		else {
			notes.push('The common ancestor is not a readable sidecar; merged as if both sides added their annotations.');
		}
	}
	return mergeDocuments(baseData, o.doc, t.doc.data, oursText, notes);
}

function isBlank(text: string): boolean {
	return text.trim() === '';
}

function ensureEol(text: string, eol: string): string {
	return text === '' || text.endsWith('\n') ? text : text + eol;
}

function wholeFileConflict(ours: string, theirs: string, conflict: MergeConflict): MergeResult {
	const eol = /\r\n/.test(ours) ? '\r\n' : '\n';
	const text = [CONFLICT_MARKERS.ours, eol, ensureEol(ours, eol), CONFLICT_MARKERS.separator, eol, ensureEol(theirs, eol), CONFLICT_MARKERS.theirs, eol].join('');
	return { text, conflicts: [conflict], notes: [] };
}

type Side = 'ours' | 'theirs';
type ListKey = 'annotations' | 'relations';
type Item = Annotation | Relation;

/** A conflict block to write: the version shown on each side (undefined: that side is empty, it deleted the item). */
interface PendingBlock {
	readonly list: ListKey;
	readonly id: string;
	/** Ours is shown as its lines in the merged text (comments kept); only whether it is there matters. */
	readonly ours: Item | undefined;
	readonly theirs: Item | undefined;
}

/** What a merge builds up besides the edited document. */
interface MergeState {
	readonly doc: SidecarDocument;
	readonly conflicts: MergeConflict[];
	readonly blocks: PendingBlock[];
}

function conflictOn(state: MergeState, conflict: MergeConflict, block: PendingBlock): void {
	state.conflicts.push(conflict);
	state.blocks.push(block);
}

function mergeDocuments(base: SidecarData | undefined, doc: SidecarDocument, theirs: SidecarData, oursText: string, notes: string[]): MergeResult {
	// A snapshot: edits below (remove, update) rearrange doc.data's arrays in place.
	const ours: SidecarData = { ...doc.data, annotations: [...doc.data.annotations], relations: [...doc.data.relations] };
	const state: MergeState = { doc, conflicts: [], blocks: [] };

	// Header.
	const header: Partial<SidecarHeader> = {};
	for (const field of ARTICLE_HEADER_FIELDS) {
		const b = base ? base[field] : ours[field];
		const o = ours[field];
		const t = theirs[field];
		if (o === t || t === b) {
			continue;
		}
		if (o === b) {
			(header as Record<string, string | null>)[field] = t;
		} else {
			notes.push(`Both sides changed "${field}" (ours ${String(o)}, theirs ${String(t)}); kept ours.`);
		}
	}
	if (Object.keys(header).length > 0) {
		doc.setHeader(header);
	}

	const deleted = mergeAnnotations(base?.annotations ?? [], ours.annotations, theirs.annotations, state);
	const relationsToAdd = mergeRelations(base?.relations ?? [], ours.relations, theirs.relations, state);
	const restored = keepDeletedEndpoints(deleted, relationsToAdd, state);
	for (const [id, d] of deleted.clean) {
		if (d.by === 'theirs' && !restored.has(id)) {
			doc.remove(id);
		}
	}
	relationsToAdd.forEach((r) => addRelationAsIs(doc, r));

	const text = serializeIfChanged(oursText, doc) ?? oursText;
	if (state.blocks.length === 0) {
		return { text, conflicts: state.conflicts, notes };
	}
	return { text: insertConflictMarkers(text, state.blocks), conflicts: state.conflicts, notes };
}

/**
 * The items only theirs has, each with what happened to it: `added` by theirs, `deleted` by ours
 * and untouched by theirs (it stays deleted), or deleted by ours but `changed-deleted` by theirs
 * (a conflict).
 */
function onlyInTheirs<T extends { readonly id: string }>(
	theirs: readonly T[],
	oursById: ReadonlyMap<string, T>,
	baseById: ReadonlyMap<string, T>,
	same: (a: T, b: T) => boolean,
): { item: T; fate: 'added' | 'deleted' | 'changed-deleted' }[] {
	return theirs
		.filter((item) => !oursById.has(item.id))
		.map((item) => {
			const b = baseById.get(item.id);
			return { item, fate: !b ? 'added' : same(b, item) ? 'deleted' : 'changed-deleted' };
		});
}

/** Annotations one side deleted: untouched by the other (`clean`, removed unless a kept relation names them) or changed by it (`inConflict`). */
interface Deletions {
	readonly clean: Map<string, { by: Side; annotation: Annotation }>;
	readonly inConflict: Map<string, Side>;
}

/** Merges the annotation lists into `state.doc`; deletions untouched by the other side are returned, not yet applied. */
function mergeAnnotations(base: readonly Annotation[], ours: readonly Annotation[], theirs: readonly Annotation[], state: MergeState): Deletions {
	const { doc } = state;
	const baseById = new Map(base.map((a) => [a.id, a]));
	const oursById = new Map(ours.map((a) => [a.id, a]));
	const theirsById = new Map(theirs.map((a) => [a.id, a]));
	const deleted: Deletions = { clean: new Map(), inConflict: new Map() };
	for (const o of ours) {
		const b = baseById.get(o.id);
		const t = theirsById.get(o.id);
		if (!t) {
			if (!b) {
				continue; // added by ours
			}
			if (sameAnnotation(o, b)) {
				deleted.clean.set(o.id, { by: 'theirs', annotation: o }); // deleted by theirs, untouched by ours
			} else {
				conflictOn(state, { kind: 'deleted-by-theirs', id: o.id }, { list: 'annotations', id: o.id, ours: o, theirs: undefined });
				deleted.inConflict.set(o.id, 'theirs');
			}
			continue;
		}
		if (sameAnnotation(o, t)) {
			continue;
		}
		if (!b) {
			conflictOn(state, { kind: 'both-added', id: o.id }, { list: 'annotations', id: o.id, ours: o, theirs: t });
			continue;
		}
		const merged = mergeFields(b, o, t, ANNOTATION_KEY_ORDER, ANNOTATION_FIELDS);
		doc.update(o.id, patchFor(o, merged.ours, ANNOTATION_KEY_ORDER));
		if (merged.conflicting.length > 0) {
			conflictOn(state, { kind: 'both-changed', id: o.id, fields: merged.conflicting }, { list: 'annotations', id: o.id, ours: merged.ours, theirs: merged.theirs });
		}
	}
	for (const { item: t, fate } of onlyInTheirs(theirs, oursById, baseById, sameAnnotation)) {
		if (fate === 'added') {
			doc.add(t);
		} else if (fate === 'changed-deleted') {
			// Deleted by ours, changed by theirs: show theirs' version where it sorts, ours empty.
			doc.add(t);
			conflictOn(state, { kind: 'deleted-by-ours', id: t.id }, { list: 'annotations', id: t.id, ours: undefined, theirs: t });
			deleted.inConflict.set(t.id, 'ours');
		} else {
			deleted.clean.set(t.id, { by: 'ours', annotation: t }); // stays deleted
		}
	}
	return deleted;
}

/**
 * Merges the relation lists by relation id, with the annotation rules. Edits of relations ours
 * has are made in `state.doc`; the relations to add (from theirs) are returned, to be added once
 * the annotations are final.
 */
function mergeRelations(base: readonly Relation[], ours: readonly Relation[], theirs: readonly Relation[], state: MergeState): Relation[] {
	const { doc } = state;
	const baseById = new Map(base.map((r) => [r.id, r]));
	const oursById = new Map(ours.map((r) => [r.id, r]));
	const theirsById = new Map(theirs.map((r) => [r.id, r]));
	const toAdd: Relation[] = [];
	const relationConflict = (kind: MergeConflictKind, id: string, o: Relation | undefined, t: Relation | undefined, fields?: RelationField[]): void => {
		conflictOn(state, { kind, id, relation: true, ...(fields ? { fields } : {}) }, { list: 'relations', id, ours: o, theirs: t });
	};
	for (const o of ours) {
		const b = baseById.get(o.id);
		const t = theirsById.get(o.id);
		if (!t) {
			if (b && sameRelation(o, b)) {
				doc.removeRelation(o.id); // deleted by theirs, untouched by ours
			} else if (b) {
				relationConflict('deleted-by-theirs', o.id, o, undefined);
			}
			continue; // (no base: added by ours)
		}
		if (sameRelation(o, t)) {
			continue;
		}
		if (!b) {
			relationConflict('both-added', o.id, o, t);
			continue;
		}
		const merged = mergeFields(b, o, t, RELATION_KEY_ORDER, RELATION_FIELDS);
		doc.updateRelation(o.id, patchFor(o, merged.ours, RELATION_KEY_ORDER));
		if (merged.conflicting.length > 0) {
			relationConflict('both-changed', o.id, merged.ours, merged.theirs, merged.conflicting);
		}
	}
	for (const { item: t, fate } of onlyInTheirs(theirs, oursById, baseById, sameRelation)) {
		if (fate !== 'deleted') {
			toAdd.push(t);
		}
		if (fate === 'changed-deleted') {
			relationConflict('deleted-by-ours', t.id, undefined, t);
		}
	}
	return toAdd;
}

/**
 * A relation the merge keeps (on either side of a conflict, too) that names an annotation one
 * side deleted would be left dangling: instead, each such relation is an `endpoint-deleted-by-*`
 * conflict. The annotation is kept between markers (the deleting side empty), and so is the
 * relation when it had no conflict of its own: resolving every block to one side gives that
 * side's annotations and relations. Returns the deleted annotations kept that way.
 */
function keepDeletedEndpoints(deleted: Deletions, toAdd: readonly Relation[], state: MergeState): Set<string> {
	const relationBlocks = new Map(state.blocks.filter((b) => b.list === 'relations').map((b) => [b.id, b]));
	const kept = [...state.doc.data.relations, ...toAdd];
	const restored = new Set<string>();
	for (const relation of kept) {
		const block = relationBlocks.get(relation.id);
		const versions = [relation, block?.ours as Relation | undefined, block?.theirs as Relation | undefined].filter((r): r is Relation => r !== undefined);
		const endsDeletedBy = (side: Side): string[] => [
			...new Set(versions.flatMap((r) => [r.from, r.to]).filter((id) => (deleted.clean.get(id)?.by ?? deleted.inConflict.get(id)) === side)),
		];
		const bySide = { ours: endsDeletedBy('ours'), theirs: endsDeletedBy('theirs') };
		for (const side of ['ours', 'theirs'] as const) {
			const ends = bySide[side];
			if (ends.length === 0) {
				continue;
			}
			state.conflicts.push({ kind: side === 'ours' ? 'endpoint-deleted-by-ours' : 'endpoint-deleted-by-theirs', id: relation.id, relation: true, annotations: ends });
			for (const id of ends) {
				const clean = deleted.clean.get(id);
				if (!clean || restored.has(id)) {
					continue; // already between markers (deleted on one side, changed on the other)
				}
				restored.add(id);
				if (clean.by === 'ours') {
					state.doc.add(clean.annotation);
				}
				state.blocks.push({
					list: 'annotations', id,
					ours: clean.by === 'ours' ? undefined : clean.annotation,
					theirs: clean.by === 'theirs' ? undefined : clean.annotation,
				});
			}
		}
		if (!block && (bySide.ours.length > 0) !== (bySide.theirs.length > 0)) {
			const by: Side = bySide.ours.length > 0 ? 'ours' : 'theirs';
			const block: PendingBlock = { list: 'relations', id: relation.id, ours: by === 'ours' ? undefined : relation, theirs: by === 'theirs' ? undefined : relation };
			state.blocks.push(block);
			relationBlocks.set(relation.id, block);
		}
	}
	return restored;
}

/**
 * Adds a relation exactly as a side has it. `addRelation` refuses ends that name no annotation,
 * but a side's file may hold such a dangling relation (it reads; `check` reports it), and the
 * merge carries it rather than drop it: added with stand-in ends, then given its own
 * (`updateRelation` does not check ends, like reading).
 */
function addRelationAsIs(doc: SidecarDocument, relation: Relation): void {
	if (doc.get(relation.from) && doc.get(relation.to)) {
		doc.addRelation(relation);
		return;
	}
	const standIn = doc.data.annotations[0]?.id;
	if (standIn === undefined) {
		const temporary = standInAnnotation('\u0000merge');
		doc.add(temporary);
		doc.addRelation({ ...relation, from: temporary.id, to: temporary.id });
		doc.remove(temporary.id);
	} else {
		doc.addRelation({ ...relation, from: standIn, to: standIn });
	}
	doc.updateRelation(relation.id, { from: relation.from, to: relation.to });
}

/** A minimal valid annotation with this id (for rendering and stand-ins only; never written as such). */
function standInAnnotation(id: string): Annotation {
	return { id, label: 'x', start: sidecarOffset(0), end: sidecarOffset(1), quote: 'x', prefix: '', suffix: '' };
}

/**
 * Field-wise three-way merge of one item (an annotation or a relation) by the field table's
 * policies. Returns the version to keep for each side (identical when nothing conflicts) and
 * the conflicting fields.
 */
function mergeFields<T extends Item, K extends keyof T & string>(
	b: T, o: T, t: T, order: readonly K[], specs: Readonly<Record<K, FieldSpec>>,
): { ours: T; theirs: T; conflicting: K[] } {
	const ours: Record<string, unknown> = { ...o };
	const theirsVersion: Record<string, unknown> = { ...o };
	const conflicting: K[] = [];
	// Fields merged as one unit (the 'span' policy): taken whole from the side that changed them.
	const spanFields = order.filter((k) => specs[k].merge === 'span');
	const spanOf = (x: T): string => JSON.stringify(spanFields.map((k) => x[k] ?? null));
	const [bs, os, ts] = [spanOf(b), spanOf(o), spanOf(t)];
	// The side whose whole span is kept; undefined: both moved it differently (a conflict).
	const spanSide = os === ts || ts === bs ? o : os === bs ? t : undefined;
	for (const key of order) {
		const bv = b[key] ?? undefined;
		const ov = o[key] ?? undefined;
		const tv = t[key] ?? undefined;
		if (specs[key].merge === 'span') {
			ours[key] = spanSide ? spanSide[key] : ov;
			theirsVersion[key] = spanSide ? spanSide[key] : tv;
			if (!spanSide && ov !== tv) {
				conflicting.push(key);
			}
			continue;
		}
		let pick: unknown;
		if (ov === tv || tv === bv) {
			pick = ov;
		} else if (ov === bv) {
			pick = tv;
		} else if (specs[key].merge === 'later') {
			pick = String(ov ?? '') >= String(tv ?? '') ? ov : tv; // ISO 8601 UTC sorts as text
		} else {
			conflicting.push(key);
			ours[key] = ov;
			theirsVersion[key] = tv;
			continue;
		}
		ours[key] = pick;
		theirsVersion[key] = pick;
	}
	return { ours: clean(ours) as T, theirs: clean(theirsVersion) as T, conflicting };
}

function clean(record: Record<string, unknown>): Record<string, unknown> {
	for (const key of Object.keys(record)) {
		if (record[key] === undefined) {
			delete record[key];
		}
	}
	return record;
}

/** Patch turning `current` into `next` (fields missing in `next` are removed). */
function patchFor<T extends Item>(current: T, next: T, order: readonly (keyof T & string)[]): Partial<T> {
	const patch: Partial<T> = {};
	for (const key of order) {
		if (key !== 'id' && (current[key] ?? undefined) !== (next[key] ?? undefined)) {
			patch[key] = next[key];
		}
	}
	return patch;
}

/** Line ranges (0-based, inclusive) of each annotation item in a sidecar text, by id. */
export function annotationBlockLines(text: string): Map<string, { start: number; end: number }> {
	return listBlockLines(text, 'annotations');
}

/** Line ranges (0-based, inclusive) of each item of the top-level list `key` in a sidecar text, by id. */
export function listBlockLines(text: string, key: ListKey): Map<string, { start: number; end: number }> {
	const blocks = new Map<string, { start: number; end: number }>();
	const lineCounter = new LineCounter();
	const doc = parseDocument(text, { lineCounter, version: '1.2' });
	const root = doc.contents;
	if (!isMap(root)) {
		return blocks;
	}
	const seq = root.get(key, true) as YamlNode | undefined;
	if (!isSeq(seq)) {
		return blocks;
	}
	for (const item of seq.items as YamlNode[]) {
		if (!isMap(item) || !item.range) {
			continue;
		}
		const idNode = item.get('id', true) as YamlNode | undefined;
		const id = isScalar(idNode) ? String(idNode.value) : undefined;
		if (id === undefined || blocks.has(id)) {
			continue;
		}
		const start = lineCounter.linePos(item.range[0]).line - 1;
		const end = lineCounter.linePos(Math.max(item.range[0], item.range[1] - 1)).line - 1;
		blocks.set(id, { start, end });
	}
	return blocks;
}

/** The YAML lines of one annotation as a list item, indented with `indent` before the dash. */
export function renderAnnotationBlock(annotation: Annotation, indent = '  '): string[] {
	const doc = createSidecar({ article: 'x.txt', date: null, textHash: null });
	doc.add(annotation);
	return listLines(doc.toString(), 'annotations', indent);
}

/** The YAML lines of one relation as a list item, indented with `indent` before the dash. */
export function renderRelationBlock(relation: Relation, indent = '  '): string[] {
	const doc = createSidecar({ article: 'x.txt', date: null, textHash: null });
	for (const id of new Set([relation.from, relation.to])) {
		doc.add(standInAnnotation(id));
	}
	doc.addRelation(relation);
	return listLines(doc.toString(), 'relations', indent);
}

/** The item lines under the top-level `key:` of a printed sidecar, re-indented. */
function listLines(text: string, key: ListKey, indent: string): string[] {
	const lines = text.split('\n');
	const at = lines.findIndex((l) => l.startsWith(`${key}:`));
	const out: string[] = [];
	for (const line of lines.slice(at + 1)) {
		if (line.trim() === '') {
			continue;
		}
		if (!line.startsWith(' ')) {
			break; // the next top-level key
		}
		out.push(indent + line.slice(2));
	}
	return out;
}

function insertConflictMarkers(text: string, pending: readonly PendingBlock[]): string {
	const eol = /\r\n/.test(text) ? '\r\n' : '\n';
	const lines = text.split(/\r?\n/);
	const edits: { start: number; end: number; lines: string[] }[] = [];
	for (const list of ['annotations', 'relations'] as const) {
		const items = listBlockLines(text, list);
		const located = pending
			.filter((p) => p.list === list)
			.map((p) => ({ p, block: items.get(p.id) }))
			.filter((x): x is { p: PendingBlock; block: { start: number; end: number } } => x.block !== undefined);
		if (located.length === 0) {
			continue;
		}
		const side = (p: PendingBlock, which: Side): string[] => {
			const block = items.get(p.id)!;
			const version = p[which];
			if (!version) {
				return [];
			}
			if (which === 'ours') {
				return lines.slice(block.start, block.end + 1);
			}
			const indent = /^\s*/.exec(lines[block.start])?.[0] ?? '  ';
			return list === 'annotations' ? renderAnnotationBlock(version as Annotation, indent) : renderRelationBlock(version as Relation, indent);
		};
		const emptiedBy = (which: Side): boolean => located.filter((x) => !x.p[which]).length === items.size;
		if (!emptiedBy('ours') && !emptiedBy('theirs')) {
			for (const { p, block } of located) {
				edits.push({ start: block.start, end: block.end, lines: [CONFLICT_MARKERS.ours, ...side(p, 'ours'), CONFLICT_MARKERS.separator, ...side(p, 'theirs'), CONFLICT_MARKERS.theirs] });
			}
			continue;
		}
		// Resolving to one side would leave the list without items (a key with nothing under it does
		// not read): the whole list, key included, is one block, each side as resolved to it.
		const keyLine = lines.findIndex((l) => l.startsWith(`${list}:`));
		const last = Math.max(...[...items.values()].map((b) => b.end));
		const byStart = new Map(located.map((x) => [x.block.start, x]));
		const section = (which: Side): string[] => {
			if (emptiedBy(which)) {
				return list === 'annotations' ? ['annotations: []'] : []; // as the codec writes an empty list; no relations: no key
			}
			const out: string[] = [];
			for (let i = keyLine; i <= last; i++) {
				const x = byStart.get(i);
				if (x) {
					out.push(...side(x.p, which));
					i = x.block.end;
				} else {
					out.push(lines[i]);
				}
			}
			return out;
		};
		edits.push({ start: keyLine, end: last, lines: [CONFLICT_MARKERS.ours, ...section('ours'), CONFLICT_MARKERS.separator, ...section('theirs'), CONFLICT_MARKERS.theirs] });
	}
	// Replace from the bottom up so earlier line numbers stay valid.
	for (const e of edits.sort((a, b) => b.start - a.start)) {
		lines.splice(e.start, e.end - e.start + 1, ...e.lines);
	}
	return lines.join(eol);
}

/** One-line description of a conflict, for the merge driver's message. */
export function describeConflict(c: MergeConflict): string {
	if (c.id === undefined && c.kind !== 'unreadable') {
		return 'one side deleted the file, the other changed it';
	}
	const what = `${c.relation ? 'relation' : 'annotation'} ${c.id ?? ''}`;
	const named = (c.annotations ?? []).join(', ');
	switch (c.kind) {
		case 'both-changed':
			return `${what}: both sides changed ${(c.fields ?? []).join(', ')}`;
		case 'both-added':
			return `${what}: added on both sides with different content`;
		case 'deleted-by-ours':
			return `${what}: deleted on our side, changed on theirs`;
		case 'deleted-by-theirs':
			return `${what}: changed on our side, deleted on theirs`;
		case 'endpoint-deleted-by-ours':
			return `${what}: links annotation ${named}, which our side deleted (kept between markers with it; keep both or neither)`;
		case 'endpoint-deleted-by-theirs':
			return `${what}: links annotation ${named}, which their side deleted (kept between markers with it; keep both or neither)`;
		case 'unreadable':
			return `the ${c.side ?? 'other'} version is not a readable sidecar (${c.errors?.[0] ? `line ${c.errors[0].line}: ${c.errors[0].message}` : 'unknown error'})`;
	}
}
