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
import { ANNOTATION_FIELDS, ANNOTATION_KEY_ORDER, ARTICLE_HEADER_FIELDS, type FieldSpec } from '../annotations/fieldTable';
import type { Annotation, SidecarData, SidecarHeader } from '../annotations/model';
import { createSidecar, parseSidecar, serializeIfChanged } from '../annotations/sidecarCodec';
import type { AnnotationPatch, ParseOptions, SidecarDocument, SidecarError } from '../annotations/sidecarCodec';
import { changedFields, sameAnnotation } from './annotationDiff';
import type { AnnotationField } from './annotationDiff';

/** Why an annotation (or the whole file) could not be merged automatically. */
export type MergeConflictKind =
	/** Both sides changed the same field(s) differently. */
	| 'both-changed'
	/** Both sides added an annotation with this id, with different content. */
	| 'both-added'
	/** Ours deleted it, theirs changed it. */
	| 'deleted-by-ours'
	/** Theirs deleted it, ours changed it. */
	| 'deleted-by-theirs'
	/** One side is not a readable sidecar (YAML error, earlier conflict markers): whole-file conflict. */
	| 'unreadable';

export interface MergeConflict {
	readonly kind: MergeConflictKind;
	/** Annotation id; absent for whole-file conflicts. */
	readonly id?: string;
	/** For `both-changed`: the fields both sides changed differently. */
	readonly fields?: readonly AnnotationField[];
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

/** A conflicting annotation: the version to show for each side (undefined: deleted on that side). */
interface PendingConflict {
	readonly conflict: MergeConflict;
	readonly ours: Annotation | undefined;
	readonly theirs: Annotation | undefined;
}

function mergeDocuments(base: SidecarData | undefined, doc: SidecarDocument, theirs: SidecarData, oursText: string, notes: string[]): MergeResult {
	// A snapshot: edits below (remove, update) rearrange doc.data.annotations in place.
	const ours: SidecarData = { ...doc.data, annotations: [...doc.data.annotations] };
	const baseById = new Map((base?.annotations ?? []).map((a) => [a.id, a]));
	const oursById = new Map(ours.annotations.map((a) => [a.id, a]));
	const theirsById = new Map(theirs.annotations.map((a) => [a.id, a]));
	const pending: PendingConflict[] = [];

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

	// Annotations present in ours (and maybe elsewhere).
	for (const o of ours.annotations) {
		const b = baseById.get(o.id);
		const t = theirsById.get(o.id);
		if (!t) {
			if (!b) {
				continue; // added by ours
			}
			if (sameAnnotation(o, b)) {
				doc.remove(o.id); // deleted by theirs, untouched by ours
			} else {
				pending.push({ conflict: { kind: 'deleted-by-theirs', id: o.id }, ours: o, theirs: undefined });
			}
			continue;
		}
		if (sameAnnotation(o, t)) {
			continue;
		}
		if (!b) {
			pending.push({ conflict: { kind: 'both-added', id: o.id }, ours: o, theirs: t });
			continue;
		}
		const merged = mergeFields(b, o, t);
		if (merged.conflicting.length === 0) {
			doc.update(o.id, patchFor(o, merged.ours));
		} else {
			doc.update(o.id, patchFor(o, merged.ours));
			pending.push({ conflict: { kind: 'both-changed', id: o.id, fields: merged.conflicting }, ours: merged.ours, theirs: merged.theirs });
		}
	}
	// Annotations only in theirs.
	for (const t of theirs.annotations) {
		if (oursById.has(t.id)) {
			continue;
		}
		const b = baseById.get(t.id);
		if (!b) {
			doc.add(t); // added by theirs
		} else if (!sameAnnotation(b, t)) {
			// Deleted by ours, changed by theirs: show theirs' version where it sorts, ours empty.
			doc.add(t);
			pending.push({ conflict: { kind: 'deleted-by-ours', id: t.id }, ours: undefined, theirs: t });
		}
		// else: deleted by ours, untouched by theirs → stays deleted.
	}

	const text = serializeIfChanged(oursText, doc) ?? oursText;
	if (pending.length === 0) {
		return { text, conflicts: [], notes };
	}
	return { text: insertConflictMarkers(text, pending), conflicts: pending.map((p) => p.conflict), notes };
}

/**
 * Field-wise three-way merge of one annotation. Returns the version to keep for each side
 * (identical when nothing conflicts) and the conflicting fields.
 */
/** Fields merged as one unit (see the 'span' merge policy). */
const SPAN_FIELDS: readonly AnnotationField[] = ANNOTATION_KEY_ORDER.filter((k) => (ANNOTATION_FIELDS[k] as FieldSpec).merge === 'span');

function mergeFields(b: Annotation, o: Annotation, t: Annotation): { ours: Annotation; theirs: Annotation; conflicting: AnnotationField[] } {
	const ours: Record<string, unknown> = { ...o };
	const theirsVersion: Record<string, unknown> = { ...o };
	const conflicting: AnnotationField[] = [];
	const spanOf = (x: Annotation): string => JSON.stringify(SPAN_FIELDS.map((k) => x[k] ?? null));
	const [bs, os, ts] = [spanOf(b), spanOf(o), spanOf(t)];
	// The side whose whole span is kept; undefined: both moved it differently (a conflict).
	const spanSide = os === ts || ts === bs ? o : os === bs ? t : undefined;
	for (const key of ANNOTATION_KEY_ORDER) {
		const bv = b[key] ?? undefined;
		const ov = o[key] ?? undefined;
		const tv = t[key] ?? undefined;
		if ((ANNOTATION_FIELDS[key] as FieldSpec).merge === 'span') {
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
		} else if ((ANNOTATION_FIELDS[key] as FieldSpec).merge === 'later') {
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
	return { ours: clean(ours), theirs: clean(theirsVersion), conflicting };
}

function clean(record: Record<string, unknown>): Annotation {
	for (const key of Object.keys(record)) {
		if (record[key] === undefined) {
			delete record[key];
		}
	}
	return record as unknown as Annotation;
}

/** Patch turning `current` into `next` (fields missing in `next` are removed). */
function patchFor(current: Annotation, next: Annotation): AnnotationPatch {
	const patch: Record<string, unknown> = {};
	for (const key of changedFields(current, next)) {
		if (key !== 'id') {
			patch[key] = next[key];
		}
	}
	return patch as AnnotationPatch;
}

/** Line ranges (0-based, inclusive) of each annotation item in a sidecar text, by id. */
export function annotationBlockLines(text: string): Map<string, { start: number; end: number }> {
	const blocks = new Map<string, { start: number; end: number }>();
	const lineCounter = new LineCounter();
	const doc = parseDocument(text, { lineCounter, version: '1.2' });
	const root = doc.contents;
	if (!isMap(root)) {
		return blocks;
	}
	const seq = root.get('annotations', true) as YamlNode | undefined;
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
	const lines = doc.toString().split('\n');
	const at = lines.findIndex((l) => /^annotations:/.test(l));
	return lines
		.slice(at + 1)
		.filter((l) => l.trim() !== '')
		.map((l) => indent + l.slice(2));
}

function insertConflictMarkers(text: string, pending: readonly PendingConflict[]): string {
	const eol = /\r\n/.test(text) ? '\r\n' : '\n';
	const lines = text.split(/\r?\n/);
	const blocks = annotationBlockLines(text);
	// Replace from the bottom up so earlier line numbers stay valid.
	const located = pending
		.map((p) => ({ p, block: blocks.get(p.conflict.id ?? '') }))
		.filter((x): x is { p: PendingConflict; block: { start: number; end: number } } => x.block !== undefined)
		.sort((a, b) => b.block.start - a.block.start);
	for (const { p, block } of located) {
		const indent = /^\s*/.exec(lines[block.start])?.[0] ?? '  ';
		const oursLines = p.ours ? lines.slice(block.start, block.end + 1) : [];
		const theirsLines = p.theirs ? renderAnnotationBlock(p.theirs, indent) : [];
		lines.splice(block.start, block.end - block.start + 1, CONFLICT_MARKERS.ours, ...oursLines, CONFLICT_MARKERS.separator, ...theirsLines, CONFLICT_MARKERS.theirs);
	}
	return lines.join(eol);
}

/** One-line description of a conflict, for the merge driver's message. */
export function describeConflict(c: MergeConflict): string {
	if (c.id === undefined && c.kind !== 'unreadable') {
		return 'one side deleted the file, the other changed it';
	}
	switch (c.kind) {
		case 'both-changed':
			return `annotation ${c.id}: both sides changed ${(c.fields ?? []).join(', ')}`;
		case 'both-added':
			return `annotation ${c.id}: added on both sides with different content`;
		case 'deleted-by-ours':
			return `annotation ${c.id}: deleted on our side, changed on theirs`;
		case 'deleted-by-theirs':
			return `annotation ${c.id}: changed on our side, deleted on theirs`;
		case 'unreadable':
			return `the ${c.side ?? 'other'} version is not a readable sidecar (${c.errors?.[0] ? `line ${c.errors[0].line}: ${c.errors[0].message}` : 'unknown error'})`;
	}
}
