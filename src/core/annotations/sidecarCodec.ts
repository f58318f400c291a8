/**
 * Reads and writes annotation sidecars (`<article>.ann.yaml`) through the `yaml`
 * Document API, so analysts' comments, blank lines and unknown keys survive and a
 * change to one annotation only touches that annotation's lines in a git diff.
 *
 * Rules (style note P10):
 * - parse → edit nodes in place → `toString(SIDECAR_STRINGIFY_OPTIONS)`; never
 *   parse → mutate plain JS → stringify.
 * - Our own output round-trips byte-identically; a hand-edited file is normalised
 *   only where the yaml printer must, and `serializeIfChanged` then keeps every line
 *   the edit did not touch byte-identical (see `lineMerge.ts`).
 * - Writing after edits splices only the edited items/pairs, printed with the same options
 *   in the same context, into the parsed text (`sidecarSplice.ts`): for our own output the
 *   result equals the full print, at a cost independent of the file size. Layouts it does
 *   not handle fall back to the full print + line merge (`serializeIfChangedFullPrint`).
 * - Errors (YAML syntax, merge-conflict markers, schema) are returned, never thrown,
 *   and a document with errors is never handed out for writing.
 * - YAML 1.2 core schema: `2025-07`, `yes`, timestamps stay strings; strings that would
 *   read back as numbers (`"0123"`) are quoted by the printer.
 */
import {
	Document, LineCounter, Pair, Scalar, YAMLMap, YAMLSeq,
	isMap, isScalar, isSeq, parseDocument, visit,
} from 'yaml';
import type { Node as YamlNode, ToStringOptions } from 'yaml';
import {
	ANNOTATION_FIELDS, ARTICLE_HEADER_FIELDS, OPTIONAL_ANNOTATION_FIELDS, RELATION_FIELDS, RELATION_KEY_ORDER, type FieldSpec,
} from './fieldTable';
import {
	ANNOTATION_KEY_ORDER, Annotation, HEADER_KEY_ORDER, Relation, SIDECAR_VERSION, SidecarData, SidecarHeader,
	compareAnnotations,
} from './model';
import {
	checkSidecarText, fieldValueProblem, findPair, readSidecarFields, spanProblem, valueNode,
	type ArticleFacts, type SidecarError,
} from './sidecarValidator';
import { mergeUntouchedLines } from './lineMerge';
import type { SidecarOffset } from './offsets';
import { MapEditRecord, listSpliceable, rebaseRanges, spliceSidecar, spliceable, type SpliceResult, type SpliceState } from './sidecarSplice';

/** What the fast write path records from the first edit on (see `sidecarSplice.ts`); the codec adds to `moved` and `maps`. */
type SpliceInfo = Omit<SpliceState, 'source' | 'eol' | 'options' | 'moved' | 'maps'> & {
	readonly moved: Set<unknown>;
	readonly maps: Map<YAMLMap, MapEditRecord>;
};

/** Printer options; pinned so repeated writes are idempotent. */
export const SIDECAR_STRINGIFY_OPTIONS: Readonly<ToStringOptions> = Object.freeze({
	lineWidth: 0, // never fold long quotes or notes
	minContentWidth: 0,
	indent: 2,
	indentSeq: true,
	flowCollectionPadding: false,
	// Keep double-quoted strings (quotes with line breaks) on one line.
	doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER,
	defaultStringType: 'PLAIN',
	defaultKeyType: 'PLAIN',
});

/** First line of files created by {@link createSidecar} (without `# `). */
export function sidecarHeaderComment(article: string): string {
	return ` Annotations for ${article} — written by Corpus Annotator. Comments are kept; key order is managed.`;
}

export type { ArticleFacts, SidecarError, SidecarErrorCode } from './sidecarValidator';

/** Result of {@link parseSidecar}. */
export type ParseSidecarResult =
	| { ok: true; doc: SidecarDocument }
	| { ok: false; errors: SidecarError[] };

/** Thrown by {@link SidecarDocument} edit methods on invalid input (a caller bug). */
export class SidecarEditError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SidecarEditError';
	}
}

/** Fields of an annotation that {@link SidecarDocument.update} may change; `undefined` on an optional field removes it. */
export type AnnotationPatch = Partial<Omit<Annotation, 'id'>>;

/** Fields of a relation that {@link SidecarDocument.updateRelation} may change; `undefined` on an optional field removes it. */
export type RelationPatch = Partial<Omit<Relation, 'id'>>;

/** A line holding only a comment. */
const COMMENT_LINE = /^[ \t]*#/m;
/** Most YAML syntax errors reported for one file. */
const MAX_YAML_ERRORS = 50;
const MERGE_MARKER = /^(?:<{7}|>{7}|\|{7})(?:[ \t]|$)|^={7}[ \t]*$/;

/** What {@link parseSidecar} may check beyond the file itself. */
export interface ParseOptions {
	/** The article the sidecar belongs to: offsets past its end are refused when the file records its hash. */
	readonly article?: ArticleFacts;
}

/**
 * Parses sidecar text into an editable document, or returns every problem found (see
 * `sidecarValidator.ts` for the rules). Never throws.
 */
export function parseSidecar(text: string, options: ParseOptions = {}): ParseSidecarResult {
	try {
		return parseUnsafe(text, options);
	} catch (e) {
		// The yaml library should not throw on any input; if it does, report, don't crash.
		return { ok: false, errors: [{ message: `Cannot read sidecar: ${String(e)}`, line: 1, column: 1, code: 'yaml-syntax' }] };
	}
}

function parseUnsafe(text: string, options: ParseOptions): ParseSidecarResult {
	if (text.trim() === '') {
		return { ok: false, errors: [{ message: 'Annotations file is empty.', line: 1, column: 1, code: 'empty' }] };
	}
	const textErrors = checkSidecarText(text);
	if (textErrors.length > 0) {
		return { ok: false, errors: textErrors };
	}
	const conflicts = findMergeConflictMarkers(text);
	if (conflicts.length > 0) {
		return { ok: false, errors: conflicts };
	}

	const lineCounter = new LineCounter();
	const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true, version: '1.2' });
	if (doc.errors.length > 0) {
		return {
			ok: false,
			// The first ones say where the damage is; thousands (deep nesting) say nothing more.
			errors: doc.errors.slice(0, MAX_YAML_ERRORS).map((e) => ({
				message: e.message.split('\n')[0],
				line: e.linePos?.[0].line ?? 1,
				column: e.linePos?.[0].col ?? 1,
				code: 'yaml-syntax' as const,
			})),
		};
	}
	const errors: SidecarError[] = [];
	const at = (node: YamlNode | null | undefined): { line: number; column: number } => {
		const offset = node?.range?.[0] ?? 0;
		const p = lineCounter.linePos(offset);
		return { line: p.line, column: p.col };
	};
	// Aliases would make one edit change several annotations: refuse them.
	visit(doc, {
		Alias(_key, node) {
			errors.push({ message: 'Anchors and aliases (*name) are not supported in annotation files.', ...at(node), code: 'unsupported-yaml' });
		},
	});
	if (errors.length > 0) {
		return { ok: false, errors };
	}
	const data = readSidecarFields(doc.contents, {
		text,
		report: (message, node, code) => errors.push({ message, ...at(node), code }),
		lineOf: (node) => at(node).line,
		article: options.article,
	});
	if (errors.length > 0 || !data) {
		return { ok: false, errors };
	}
	const eol = /\r\n/.test(text) ? '\r\n' : '\n';
	return { ok: true, doc: new SidecarDocument(doc, eol, data, text) };
}

/** Unresolved git merge-conflict markers, one error per marker line. */
export function findMergeConflictMarkers(text: string): SidecarError[] {
	const errors: SidecarError[] = [];
	const lines = text.split(/\r?\n/);
	for (let i = 0; i < lines.length; i++) {
		if (MERGE_MARKER.test(lines[i])) {
			errors.push({
				message: `Unresolved merge conflict marker "${lines[i].slice(0, 7)}": resolve the conflict before annotating.`,
				line: i + 1,
				column: 1,
				code: 'merge-conflict',
			});
		}
	}
	return errors;
}

/** Checks the managed fields of an item against the field table: the same rules as reading, so nothing is written that the next read refuses. */
function assertValidFields(noun: string, item: object, order: readonly string[], specs: Readonly<Record<string, FieldSpec>>): void {
	for (const key of order) {
		const spec = specs[key];
		const value = (item as Record<string, unknown>)[key];
		if (value === undefined) {
			if (spec.required) {
				throw new SidecarEditError(`${noun} field "${key}" is required.`);
			}
			continue;
		}
		const problem = fieldValueProblem(key, spec, value);
		if (problem) {
			throw new SidecarEditError(problem);
		}
	}
}

/** Checks a whole annotation given to {@link SidecarDocument.add}. */
function assertValidAnnotation(a: Annotation): void {
	assertValidFields('Annotation', a, ANNOTATION_KEY_ORDER, ANNOTATION_FIELDS);
	const problem = spanProblem(a);
	if (problem) {
		throw new SidecarEditError(`Invalid annotation range [${a.start}, ${a.end}): ${problem}`);
	}
}

/**
 * An editable sidecar. Edits change the underlying yaml nodes in place, so
 * `toString()` reprints untouched parts exactly as parsed.
 */
export class SidecarDocument {
	/** Typed view, kept in step with every edit (index i ↔ item i of the `annotations` list). */
	private readonly view: SidecarData;
	private mutated = false;
	/** Set by the first edit. */
	private editing = false;
	/** How the printer wrote the document before the first edit (for keeping untouched lines), when the fast path cannot apply. */
	private printedBeforeEdits: string | undefined;
	/** Edits since parse, for writing by splicing the source text (undefined: full print only). */
	private splice: SpliceInfo | undefined;
	/** The splice of the current edits, once computed (null: the layout needs the full print). */
	private lastSplice: SpliceResult | null | undefined;

	/** @internal Use {@link parseSidecar} or {@link createSidecar}. */
	constructor(
		private doc: Document,
		private eol: '\n' | '\r\n',
		data: SidecarData,
		/** The text this document was parsed from, or last committed. */
		private source: string,
	) {
		this.view = data;
	}

	/** @internal How {@link commit} went so far: node ranges rebased, or the text parsed again (tests, benchmarks). */
	readonly commits = { rebased: 0, parsed: 0 };

	/** The text this document was parsed from, or the text last {@link commit}ted. */
	get sourceText(): string {
		return this.source;
	}

	/**
	 * Records that `writtenText` (what {@link serializeIfChanged} returned for this document) is
	 * now the file: later edits are written relative to it, and {@link changed} starts over. The
	 * typed view keeps its identity (`data` and its `annotations` array), updated in place.
	 */
	commit(writtenText: string): void {
		const sp = this.splice;
		const last = this.mutated ? this.lastSplice : undefined;
		// Written by splicing: shift the node ranges instead of parsing the whole text again. Comments
		// inside the list (hand-edited files) attach to nodes in ways not worth replaying: parse those.
		const list = writtenText.indexOf('\nannotations:');
		const rebased = !!sp && !!last && last.text === writtenText && list >= 0 && !COMMENT_LINE.test(writtenText.slice(list + 1)) &&
			rebaseRanges(writtenText, sp.root, sp.annotationsKey, sp.seq, last.edits);
		if (!rebased) {
			const parsed = parseSidecar(writtenText);
			if (!parsed.ok) {
				throw new SidecarEditError(`Cannot commit a text that does not read back: ${parsed.errors[0].message}`);
			}
			this.doc = parsed.doc.doc;
			this.eol = parsed.doc.eol;
			Object.assign(this.view, { ...parsed.doc.view, annotations: this.view.annotations, relations: this.view.relations });
			this.view.annotations.splice(0, this.view.annotations.length, ...parsed.doc.view.annotations);
			this.view.relations.splice(0, this.view.relations.length, ...parsed.doc.view.relations);
		}
		this.commits[rebased ? 'rebased' : 'parsed']++;
		this.source = writtenText;
		this.mutated = false;
		this.editing = false;
		this.printedBeforeEdits = undefined;
		this.splice = undefined;
		this.lastSplice = undefined;
	}

	/** @internal Printer output of the unedited document, when `original` is its source. */
	printedSource(original: string): string | undefined {
		return original === this.sourceText ? this.printedBeforeEdits : undefined;
	}

	/**
	 * Typed view of the current content, updated in place by every edit. Treat it as read-only, and
	 * iterate over a copy (`[...doc.data.annotations]`) when editing inside the loop: an edit that
	 * changes offsets may move an annotation within this array to keep document order.
	 */
	get data(): SidecarData {
		return this.view;
	}

	/** True once any edit changed a value (a no-op edit does not count). */
	get changed(): boolean {
		return this.mutated;
	}

	/** @internal Makes a new, not yet saved document count as changed. */
	markChanged(): void {
		this.mutated = true;
	}

	/** The annotation with this id, if any. */
	get(id: string): Annotation | undefined {
		return this.data.annotations.find((a) => a.id === id);
	}

	/**
	 * Inserts an annotation at its document-order position (start, end, id) without
	 * re-sorting the others. Throws {@link SidecarEditError} on a duplicate id or invalid fields.
	 */
	add(annotation: Annotation): void {
		assertValidAnnotation(annotation);
		if (this.findIndex(annotation.id) >= 0) {
			throw new SidecarEditError(`Duplicate annotation id "${annotation.id}".`);
		}
		this.snapshot();
		const seq = this.annotationsSeq(true);
		const node = this.annotationNode(annotation);
		seq.flow = false; // `annotations: []` turns into a block list
		const index = this.sortedIndex(seq, annotation, -1);
		seq.items.splice(index, 0, node);
		this.view.annotations.splice(index, 0, cleanAnnotation(annotation));
		this.touch();
	}

	/**
	 * Adds many annotations, each where {@link add} would put it, in time linear in the list's
	 * length plus the number added ({@link add} costs the list's length per call, so a bulk import
	 * through it grows with the square). Throws {@link SidecarEditError}, adding none, on a
	 * duplicate id or invalid fields.
	 */
	addAll(annotations: readonly Annotation[]): void {
		const ids = new Set(this.view.annotations.map((a) => a.id));
		for (const a of annotations) {
			assertValidAnnotation(a);
			if (ids.has(a.id)) {
				throw new SidecarEditError(`Duplicate annotation id "${a.id}".`);
			}
			ids.add(a.id);
		}
		const anns = this.view.annotations;
		if (annotations.length === 0) {
			return;
		}
		if (!anns.every((a, i) => i === 0 || compareAnnotations(anns[i - 1], a) <= 0)) {
			// A hand-ordered list: add's "before the first that sorts after" has no linear form.
			annotations.forEach((a) => this.add(a));
			return;
		}
		this.snapshot();
		const seq = this.annotationsSeq(true);
		seq.flow = false;
		const incoming = [...annotations].sort(compareAnnotations);
		const items: unknown[] = [];
		const views: Annotation[] = [];
		let i = 0;
		for (const a of incoming) {
			for (; i < anns.length && compareAnnotations(anns[i], a) <= 0; i++) {
				items.push(seq.items[i]);
				views.push(anns[i]);
			}
			items.push(this.annotationNode(a));
			views.push(cleanAnnotation(a));
		}
		for (; i < anns.length; i++) {
			items.push(seq.items[i]);
			views.push(anns[i]);
		}
		seq.items = items;
		// The typed view keeps its identity (callers hold `data.annotations`).
		anns.length = 0;
		for (const v of views) {
			anns.push(v);
		}
		this.touch();
	}

	/** A new annotation's map node, in key order, strings styled as the printer keeps them. */
	private annotationNode(annotation: Annotation): YAMLMap {
		return this.itemNode(annotation, ANNOTATION_KEY_ORDER);
	}

	/** A new list item's map node (an annotation or a relation), in key order, strings styled as the printer keeps them. */
	private itemNode(item: object, order: readonly string[]): YAMLMap {
		const node = this.doc.createNode(cleanItem(item, order)) as YAMLMap;
		for (const pair of node.items) {
			if (isScalar(pair.value)) {
				styleString(pair.value);
			}
		}
		return node;
	}

	/**
	 * Changes fields of one annotation; a field set to `undefined` is removed (optional
	 * fields only). Unknown keys and comments on the annotation are kept. Returns false
	 * if the id is unknown. Moves the annotation only if new offsets break document order.
	 */
	update(id: string, patch: AnnotationPatch): boolean {
		const index = this.findIndex(id);
		if (index < 0) {
			return false;
		}
		const seq = this.annotationsSeq(false)!;
		const map = seq.items[index] as YAMLMap;
		const current = this.data.annotations[index];
		const next: Annotation = { ...current, ...patch, id };
		assertValidAnnotation(next);
		this.snapshot();
		if (!this.patchMap(map, patch, ANNOTATION_KEY_ORDER, (key) => OPTIONAL_ANNOTATION_FIELDS.has(key), 'Annotation')) {
			return true;
		}
		this.view.annotations[index] = cleanAnnotation(next);
		this.touch();
		if (next.start !== current.start || next.end !== current.end) {
			this.keepInOrder(seq, index, next);
		}
		return true;
	}

	/** The relations, in file order (the same array as `data.relations`). */
	get relations(): readonly Relation[] {
		return this.view.relations;
	}

	/** The relation with this id, if any. */
	getRelation(id: string): Relation | undefined {
		return this.view.relations.find((r) => r.id === id);
	}

	/** Relations from or to this annotation, in file order. */
	relationsOf(annotationId: string): Relation[] {
		return this.view.relations.filter((r) => r.from === annotationId || r.to === annotationId);
	}

	/**
	 * Appends a relation to the `relations:` list (the first one creates the list, after
	 * `annotations:`). Throws {@link SidecarEditError} on a duplicate relation id, invalid fields,
	 * or a `from`/`to` that is no annotation of this document. The type is not checked against
	 * the label schema (`check` does that).
	 */
	addRelation(relation: Relation): void {
		assertValidFields('Relation', relation, RELATION_KEY_ORDER, RELATION_FIELDS);
		if (this.getRelation(relation.id)) {
			throw new SidecarEditError(`Duplicate relation id "${relation.id}".`);
		}
		for (const end of ['from', 'to'] as const) {
			if (!this.get(relation[end])) {
				throw new SidecarEditError(`Relation "${relation.id}": "${end}" names no annotation of this file ("${relation[end]}").`);
			}
		}
		this.snapshot();
		const seq = this.relationsSeq(true);
		seq.flow = false;
		seq.items.push(this.itemNode(relation, RELATION_KEY_ORDER));
		this.view.relations.push(cleanItem(relation, RELATION_KEY_ORDER));
		this.touch();
	}

	/**
	 * Changes fields of one relation; a field set to `undefined` is removed (optional fields
	 * only). Unknown keys and comments on it are kept. Returns false if the id is unknown. The new
	 * `from`/`to` are not checked against the annotations (as when reading).
	 */
	updateRelation(id: string, patch: RelationPatch): boolean {
		const index = this.view.relations.findIndex((r) => r.id === id);
		if (index < 0) {
			return false;
		}
		const map = this.relationsSeq(false)!.items[index] as YAMLMap;
		const next: Relation = { ...this.view.relations[index], ...patch, id };
		assertValidFields('Relation', next, RELATION_KEY_ORDER, RELATION_FIELDS);
		this.snapshot();
		if (this.patchMap(map, patch, RELATION_KEY_ORDER, (key) => !RELATION_FIELDS[key as keyof typeof RELATION_FIELDS].required, 'Relation')) {
			this.view.relations[index] = cleanItem(next, RELATION_KEY_ORDER);
				this.touch();
		}
		return true;
	}

	/**
	 * Removes one relation and its lines; removing the last one removes the `relations:` key,
	 * so the file is as it was before it had relations. Returns false if the id is unknown.
	 */
	removeRelation(id: string): boolean {
		const index = this.view.relations.findIndex((r) => r.id === id);
		if (index < 0) {
			return false;
		}
		this.removeListItem('relations', index, () => (this.doc.contents as YAMLMap).delete('relations'));
		return true;
	}

	/**
	 * Removes one annotation and its lines (including comments attached to it). Its relations
	 * are NOT removed (see {@link relationsOf}): the caller decides, and a relation left dangling
	 * is reported by `check`.
	 */
	remove(id: string): boolean {
		const index = this.findIndex(id);
		if (index < 0) {
			return false;
		}
		this.removeListItem('annotations', index, (seq) => {
			// As a fresh parse has it: an empty block list prints as `annotations:` + `  []`.
			seq.flow = true;
		});
		return true;
	}

	/**
	 * Re-anchors one annotation: new offsets and, when given, the quote and context.
	 * `modified` is left alone, since re-anchoring is not a person's change.
	 */
	setOffsets(id: string, start: SidecarOffset, end: SidecarOffset, quote?: string, prefix?: string, suffix?: string): boolean {
		const patch: AnnotationPatch = { start, end };
		if (quote !== undefined) {
			patch.quote = quote;
		}
		if (prefix !== undefined) {
			patch.prefix = prefix;
		}
		if (suffix !== undefined) {
			patch.suffix = suffix;
		}
		return this.update(id, patch);
	}

	/** Applies a patch to an item's map in place (undefined removes an optional field). Returns true if anything changed. */
	private patchMap(map: YAMLMap, patch: object, order: readonly string[], optional: (key: string) => boolean, noun: string): boolean {
		const rec = this.recordMap(map);
		let changed = false;
		for (const key of order) {
			if (key === 'id' || !(key in patch)) {
				continue;
			}
			const value = (patch as Record<string, unknown>)[key];
			if (value === undefined) {
				if (!optional(key)) {
					throw new SidecarEditError(`${noun} field "${key}" is required.`);
				}
				if (findPair(map, key)) {
					map.delete(key);
					changed = true;
				}
			} else if (setField(this.doc, map, key, value, order)) {
				changed = true;
				rec?.dirty.add(key);
			}
		}
		return changed;
	}

	/** Sets header fields (article, date, textHash); fields not given are left alone. */
	setHeader(header: Partial<SidecarHeader>): void {
		this.snapshot();
		const root = this.doc.contents as YAMLMap;
		const rec = this.recordMap(root);
		let changed = false;
		for (const key of ARTICLE_HEADER_FIELDS) {
			if (header[key] !== undefined && setField(this.doc, root, key, header[key], HEADER_KEY_ORDER)) {
				changed = true;
				rec?.dirty.add(key);
			}
		}
		if (changed) {
			this.view.article = header.article ?? this.view.article;
			this.view.date = header.date !== undefined ? header.date : this.view.date;
			this.view.textHash = header.textHash !== undefined ? header.textHash : this.view.textHash;
			this.touch();
		}
	}

	/**
	 * The file text: LF line ends unless the parsed file used CRLF; one trailing newline.
	 * After edits, the parsed text with only the edited lines replaced (see
	 * {@link splicedText}), else the full print.
	 */
	toString(): string {
		return this.splicedText() ?? this.printFull();
	}

	/** @internal The whole document through the printer (the write path before splicing). */
	printFull(): string {
		const s = this.doc.toString(SIDECAR_STRINGIFY_OPTIONS);
		return this.eol === '\n' ? s : s.replace(/\r?\n/g, '\r\n');
	}

	/**
	 * @internal The parsed source with the edits spliced in: for a file the printer wrote, equal
	 * to {@link printFull}; in a hand-formatted one, untouched lines stay as they are. Undefined
	 * without edits or when the layout needs the full printer.
	 */
	splicedText(): string | undefined {
		const sp = this.splice;
		if (!sp || !this.mutated || valueNode(sp.root, 'annotations') !== sp.seq || this.doc.contents !== sp.root) {
			return undefined;
		}
		this.lastSplice ??= spliceSidecar({
			source: this.sourceText,
			eol: this.eol,
			options: SIDECAR_STRINGIFY_OPTIONS,
			...sp,
		}) ?? null;
		return this.lastSplice?.text;
	}

	/**
	 * Called before every edit. The first time, records what the fast write path needs (cheap),
	 * or, when it cannot apply, remembers the unedited print (cheaper than re-parsing later).
	 */
	private snapshot(): void {
		if (this.editing) {
			return;
		}
		this.editing = true;
		const root = this.doc.contents;
		const pair = isMap(root) ? findPair(root, 'annotations') : undefined;
		const seq = pair?.value;
		const rel = isMap(root) ? findPair(root, 'relations') : undefined;
		if (isMap(root) && isSeq(seq) && isScalar(pair?.key) && spliceable(this.sourceText, this.eol, root, seq, pair.key) &&
			(!rel || listSpliceable(this.sourceText, rel.value, rel.key))) {
			const relSeq = rel?.value as YAMLSeq | undefined;
			this.splice = {
				root,
				annotationsKey: pair.key,
				seq,
				seqWasEmptyFlow: !!seq.flow,
				items: seq.items.slice(),
				relations: rel && relSeq ? { key: rel.key as Scalar, seq: relSeq, wasEmptyFlow: !!relSeq.flow, items: relSeq.items.slice() } : undefined,
				moved: new Set(),
				maps: new Map(),
			};
		} else {
			this.printedBeforeEdits = this.printFull();
		}
	}

	/** Before the first in-place edit of `map`: remember its pairs as parsed. */
	private recordMap(map: YAMLMap): MapEditRecord | undefined {
		const maps = this.splice?.maps;
		if (!maps) {
			return undefined;
		}
		let rec = maps.get(map);
		if (!rec) {
			const pairs = (map.items as Pair[]).slice();
			rec = { pairs, values: pairs.map((p) => p.value), dirty: new Set() };
			maps.set(map, rec);
		}
		return rec;
	}

	private touch(): void {
		this.mutated = true;
		this.lastSplice = undefined;
	}

	private annotationsSeq(create: true): YAMLSeq;
	private annotationsSeq(create: false): YAMLSeq | undefined;
	private annotationsSeq(create: boolean): YAMLSeq | undefined {
		return this.listSeq('annotations', create);
	}

	private relationsSeq(create: true): YAMLSeq;
	private relationsSeq(create: false): YAMLSeq | undefined;
	private relationsSeq(create: boolean): YAMLSeq | undefined {
		return this.listSeq('relations', create);
	}

	/** Removes item `index` of the top-level list `key` from the file and the view; `emptied` shapes a list left empty. */
	private removeListItem(key: 'annotations' | 'relations', index: number, emptied: (seq: YAMLSeq) => void): void {
		this.snapshot();
		const seq = this.listSeq(key, false)!;
		seq.items.splice(index, 1);
		if (seq.items.length === 0) {
			emptied(seq);
		}
		this.view[key].splice(index, 1);
		this.touch();
	}

	/** The top-level list `key`, created at its managed position when asked. */
	private listSeq(key: 'annotations' | 'relations', create: boolean): YAMLSeq | undefined {
		const root = this.doc.contents as YAMLMap;
		const node = valueNode(root, key);
		if (isSeq(node) || !create) {
			return isSeq(node) ? node : undefined;
		}
		const seq = new YAMLSeq();
		const pair = findPair(root, key);
		if (pair) {
			pair.value = seq;
		} else {
			insertPair(root, new Pair(new Scalar(key), seq), key, HEADER_KEY_ORDER);
		}
		return seq;
	}

	private findIndex(id: string): number {
		return this.data.annotations.findIndex((a) => a.id === id);
	}

	/** Index of the first item that sorts after `a` (skipping item `skip`). */
	private sortedIndex(seq: YAMLSeq, a: Annotation, skip: number): number {
		const anns = this.data.annotations;
		for (let i = 0; i < seq.items.length; i++) {
			if (i === skip) {
				continue;
			}
			if (compareAnnotations(anns[i], a) > 0) {
				return i;
			}
		}
		return seq.items.length;
	}

	private keepInOrder(seq: YAMLSeq, index: number, a: Annotation): void {
		const anns = this.data.annotations; // already reflects the new offsets
		const before = index > 0 && compareAnnotations(anns[index - 1], a) > 0;
		const after = index + 1 < anns.length && compareAnnotations(a, anns[index + 1]) > 0;
		if (!before && !after) {
			return;
		}
		let target = this.sortedIndex(seq, a, index);
		if (target > index) {
			target--;
		}
		const [node] = seq.items.splice(index, 1);
		seq.items.splice(target, 0, node);
		this.splice?.moved.add(node);
		const [item] = anns.splice(index, 1);
		anns.splice(target, 0, item);
	}
}

/** A copy in key order without undefined optional fields (what the file holds). */
function cleanAnnotation(a: Annotation): Annotation {
	return cleanItem(a, ANNOTATION_KEY_ORDER);
}

/** A copy of an item's managed fields in key order, without undefined ones. */
function cleanItem<T extends object>(item: T, order: readonly string[]): T {
	const out: Record<string, unknown> = {};
	for (const key of order) {
		const v = (item as Record<string, unknown>)[key];
		if (v !== undefined) {
			out[key] = v;
		}
	}
	return out as T;
}

/** Strings with line breaks go double-quoted on one line: diff-friendly, no block-scalar traps. */
function styleString(node: Scalar): void {
	if (typeof node.value === 'string' && /[\n\r]/.test(node.value)) {
		node.type = Scalar.QUOTE_DOUBLE;
	} else if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
		node.type = undefined;
	}
}

/** Sets `key` in `map` in place, or inserts it at its managed position. Returns true if anything changed. */
function setField(doc: Document, map: YAMLMap, key: string, value: unknown, order: readonly string[]): boolean {
	const pair = findPair(map, key);
	if (pair) {
		if (isScalar(pair.value)) {
			if (pair.value.value === value) {
				return false;
			}
			pair.value.value = value;
			styleString(pair.value);
			return true;
		}
		pair.value = doc.createNode(value);
		if (isScalar(pair.value)) {
			styleString(pair.value);
		}
		return true;
	}
	const node = doc.createNode(value) as Scalar;
	if (isScalar(node)) {
		styleString(node);
	}
	insertPair(map, new Pair(new Scalar(key), node), key, order);
	return true;
}

/** Inserts before the first key that is unknown or comes later in `order`. */
function insertPair(map: YAMLMap, pair: Pair, key: string, order: readonly string[]): void {
	const rank = order.indexOf(key);
	let i = 0;
	for (; i < map.items.length; i++) {
		const k = map.items[i].key;
		const r = order.indexOf(String(isScalar(k) ? k.value : k));
		if (r < 0 || r > rank) {
			break;
		}
	}
	map.items.splice(i, 0, pair);
}

/**
 * A new sidecar for an article, with the explanatory header comment and no
 * annotations. `changed` is true so the first save writes it.
 */
export function createSidecar(header: SidecarHeader): SidecarDocument {
	const doc = new Document({
		version: SIDECAR_VERSION,
		article: header.article,
		date: header.date,
		textHash: header.textHash,
		annotations: [],
	});
	doc.commentBefore = sidecarHeaderComment(header.article);
	const parsed = parseSidecar(doc.toString(SIDECAR_STRINGIFY_OPTIONS));
	if (!parsed.ok) {
		throw new SidecarEditError(parsed.errors.map((e) => e.message).join('; '));
	}
	parsed.doc.markChanged();
	return parsed.doc;
}

/**
 * Text to write for `doc`, or undefined when nothing needs writing (no edit, or the
 * result equals `original`). Lines of `original` the edit did not touch are kept
 * byte-identical even if the yaml printer would normalise them.
 */
export function serializeIfChanged(original: string, doc: SidecarDocument): string | undefined {
	if (!doc.changed) {
		return undefined;
	}
	// Fast path: splice the edited lines into the parsed text (no full print).
	const spliced = original === doc.sourceText ? doc.splicedText() : undefined;
	if (spliced !== undefined) {
		return spliced === original ? undefined : spliced;
	}
	return serializeIfChangedFullPrint(original, doc);
}

/**
 * @internal The write path without splicing: full print, then the line merge that keeps a
 * hand-edited file's untouched lines. {@link serializeIfChanged} falls back to it.
 */
export function serializeIfChangedFullPrint(original: string, doc: SidecarDocument): string | undefined {
	if (!doc.changed) {
		return undefined;
	}
	const next = doc.printFull();
	if (next === original) {
		return undefined;
	}
	const base = doc.printedSource(original) ?? canonicalForm(original);
	// Edits that cancel out (an add and its remove) print as before: nothing to write, and the
	// printer's normalisation of a hand-formatted file is no reason to rewrite it.
	if (next === base) {
		return undefined;
	}
	// Our own output (or unparsable original): nothing to preserve beyond what the Document API keeps.
	if (base === undefined || base === original) {
		return next;
	}
	const merged = mergeUntouchedLines(original, base, next);
	if (merged !== undefined && merged !== original && canonicalForm(merged) === next) {
		return merged;
	}
	return next;
}

/** How our printer would write `text` (undefined if it does not parse cleanly). */
function canonicalForm(text: string): string | undefined {
	const r = parseSidecar(text);
	return r.ok ? r.doc.printFull() : undefined;
}

/** Shorthand: typed data of a sidecar text, or the errors. */
export function readSidecarData(text: string): { ok: true; data: SidecarData } | { ok: false; errors: SidecarError[] } {
	const r = parseSidecar(text);
	return r.ok ? { ok: true, data: r.doc.data } : r;
}
