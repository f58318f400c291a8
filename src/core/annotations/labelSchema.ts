/**
 * Label definitions for a corpus: `.corpus/labels.yaml`. Either a YAML list of labels
 * `{ id, description?, color?, key? }` (the original form), or a mapping
 * `{ labels: [...], relations: [...] }` whose `relations` are the relation types
 * `{ id, description?, color?, from?: [label ids], to?: [label ids] }`. Invalid entries are
 * reported with positions (like sidecar errors) and skipped, so one typo does not disable every label.
 */
import { Document as YamlDocument, LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, YAMLMap, YAMLSeq } from 'yaml';
import { DEFAULT_LABELS, DEFAULT_RELATION_TYPES } from './defaultLabels';
import type { LabelDef, RelationTypeDef } from './model';
import { findMergeConflictMarkers } from './sidecarCodec';
import type { SidecarError, SidecarErrorCode } from './sidecarCodec';

export { DEFAULT_LABELS, DEFAULT_RELATION_TYPES };

/** Result of {@link parseLabelSchema}: the valid labels and relation types plus every problem found. */
export interface LabelSchemaResult {
	/** The valid labels, in file order ([] when the file has none: the caller uses {@link DEFAULT_LABELS}). */
	labels: LabelDef[];
	/** The valid relation types, in file order ([] when the file defines none: see {@link effectiveRelationTypes}). */
	relationTypes: RelationTypeDef[];
	/** True when the file defines at least one valid relation type (else the defaults apply). */
	definesRelationTypes: boolean;
	errors: SidecarError[];
}

/** The relation types in force: the file's, or {@link DEFAULT_RELATION_TYPES} when it defines none. */
export function effectiveRelationTypes(result: Pick<LabelSchemaResult, 'relationTypes'>): readonly RelationTypeDef[] {
	return result.relationTypes.length > 0 ? result.relationTypes : DEFAULT_RELATION_TYPES;
}

/** The labels in force: the file's, or {@link DEFAULT_LABELS} when it lists none. */
export function effectiveLabels(result: Pick<LabelSchemaResult, 'labels'>): readonly LabelDef[] {
	return result.labels.length > 0 ? result.labels : DEFAULT_LABELS;
}

const ID_RE = /^[\p{L}\p{N}][\p{L}\p{N}_.:-]*$/u;
const COLOR_RE = /^#[0-9a-fA-F]{6}$/;
const ID_HINT = 'a word of letters, digits, "-", "_", "." or ":"';
/** Top-level keys of the mapping form. */
const SCHEMA_KEYS = ['labels', 'relations'];

type Report = (message: string, node: YamlNode | null | undefined, code: SidecarErrorCode) => void;

interface ParsedText {
	doc?: Document.Parsed;
	errors: SidecarError[];
	report: Report;
}

function parseText(yamlText: string): ParsedText {
	const errors: SidecarError[] = [];
	const lineCounter = new LineCounter();
	const report: Report = (message, node, code) => {
		const p = lineCounter.linePos(node?.range?.[0] ?? 0);
		errors.push({ message, line: p.line, column: p.col, code });
	};
	const conflicts = findMergeConflictMarkers(yamlText);
	if (conflicts.length > 0) {
		return { errors: conflicts, report };
	}
	const doc = parseDocument(yamlText, { lineCounter, uniqueKeys: true, prettyErrors: true });
	if (doc.errors.length > 0) {
		return {
			report,
			errors: doc.errors.map((e) => ({
				message: e.message.split('\n')[0],
				line: e.linePos?.[0].line ?? 1,
				column: e.linePos?.[0].col ?? 1,
				code: 'yaml-syntax' as const,
			})),
		};
	}
	return { doc, errors, report };
}

/** The label list and the relation-type list of a parsed file (undefined: absent), after checking the file's shape. */
function schemaLists(root: unknown, report: Report): { labels?: YamlNode | null; relations?: YamlNode | null; ok: boolean } {
	if (root === null || root === undefined || (isScalar(root) && root.value === null)) {
		return { ok: true };
	}
	if (isSeq(root)) {
		return { labels: root, ok: true };
	}
	if (!isMap(root)) {
		report('labels.yaml must be a list of labels (- id: claim …), or a mapping with "labels:" and "relations:" lists.', root as YamlNode, 'not-a-map');
		return { ok: false };
	}
	const out: { labels?: YamlNode | null; relations?: YamlNode | null; ok: boolean } = { ok: true };
	for (const pair of root.items) {
		const key = isScalar(pair.key) ? pair.key.value : pair.key;
		if (key === 'labels' || key === 'relations') {
			out[key] = pair.value as YamlNode | null;
		} else {
			report(`Unknown key ${JSON.stringify(String(key))} in labels.yaml: the mapping form has ${SCHEMA_KEYS.map((k) => `"${k}:"`).join(' and ')}.`, pair.key as YamlNode, 'invalid-field');
		}
	}
	return out;
}

/** Parses and validates `.corpus/labels.yaml`. Never throws. */
export function parseLabelSchema(yamlText: string): LabelSchemaResult {
	const parsed = parseText(yamlText);
	const { errors, report } = parsed;
	const result: LabelSchemaResult = { labels: [], relationTypes: [], definesRelationTypes: false, errors };
	if (!parsed.doc) {
		return result;
	}
	const lists = schemaLists(parsed.doc.contents, report);
	if (!lists.ok) {
		return result;
	}
	if (lists.labels !== undefined) {
		result.labels = readLabels(listItems(lists.labels, 'labels', report), report);
	}
	if (lists.relations !== undefined) {
		const known = new Set(effectiveLabels(result).map((l) => l.id));
		result.relationTypes = readRelationTypes(listItems(lists.relations, 'relations', report), known, report);
		result.definesRelationTypes = result.relationTypes.length > 0;
	}
	return result;
}

/** The items of a `labels:` or `relations:` list (an empty value: none). */
function listItems(node: YamlNode | null, key: string, report: Report): YamlNode[] {
	if (node === null || (isScalar(node) && node.value === null)) {
		return [];
	}
	if (!isSeq(node)) {
		report(`"${key}" must be a list (- id: …).`, node, 'not-a-map');
		return [];
	}
	return node.items as YamlNode[];
}

/** Reads a field of an entry: its node and plain value (undefined when absent or null). */
function getter(item: YAMLMap): (k: string) => { node: YamlNode | null | undefined; value: unknown } {
	return (k) => {
		const pair = item.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === k);
		const node = pair?.value as YamlNode | null | undefined;
		return { node, value: node === null || node === undefined ? undefined : isScalar(node) ? node.value : node };
	};
}

/** The checked id, description and colour of one entry (a label or a relation type); undefined when the entry is unusable. */
function readEntry(item: YamlNode, noun: 'Label' | 'Relation type', ids: Set<string>, report: Report): { id: string; description?: string; color?: string } | undefined {
	if (!isMap(item)) {
		report(`Each ${noun.toLowerCase()} must be a mapping with at least an id.`, item, 'invalid-field');
		return undefined;
	}
	const get = getter(item);
	const id = get('id');
	if (id.value === undefined || id.value === null) {
		report(`${noun} is missing "id".`, item, 'missing-field');
		return undefined;
	}
	if (typeof id.value !== 'string' || !ID_RE.test(id.value)) {
		report(`${noun} id must be ${ID_HINT}.`, id.node, 'invalid-field');
		return undefined;
	}
	if (ids.has(id.value)) {
		report(`Duplicate ${noun.toLowerCase()} id "${id.value}".`, id.node, 'duplicate-id');
		return undefined;
	}
	ids.add(id.value);
	const entry: { id: string; description?: string; color?: string } = { id: id.value };
	const description = get('description');
	if (description.value !== undefined) {
		if (typeof description.value === 'string') {
			entry.description = description.value;
		} else {
			report('"description" must be text.', description.node, 'invalid-field');
		}
	}
	const color = get('color');
	if (color.value !== undefined) {
		if (typeof color.value === 'string' && COLOR_RE.test(color.value)) {
			entry.color = color.value;
		} else {
			report('"color" must be "#rrggbb" (quote it: "#e69f00").', color.node ?? item, 'invalid-field');
		}
	}
	return entry;
}

function readLabels(items: readonly YamlNode[], report: Report): LabelDef[] {
	const labels: LabelDef[] = [];
	const ids = new Set<string>();
	const keys = new Map<string, string>();
	for (const item of items) {
		const label: LabelDef | undefined = readEntry(item, 'Label', ids, report);
		if (!label) {
			continue;
		}
		const key = getter(item as YAMLMap)('key');
		if (key.value !== undefined) {
			const k = typeof key.value === 'number' ? String(key.value) : key.value;
			if (typeof k !== 'string' || [...k].length !== 1 || /\s/.test(k)) {
				report('"key" must be a single character.', key.node, 'invalid-field');
			} else if (keys.has(k.toLowerCase())) {
				report(`Key "${k}" is already used by label "${keys.get(k.toLowerCase())}".`, key.node, 'invalid-field');
			} else {
				keys.set(k.toLowerCase(), label.id);
				label.key = k;
			}
		}
		labels.push(label);
	}
	return labels;
}

function readRelationTypes(items: readonly YamlNode[], knownLabels: ReadonlySet<string>, report: Report): RelationTypeDef[] {
	const types: RelationTypeDef[] = [];
	const ids = new Set<string>();
	for (const item of items) {
		const type: RelationTypeDef | undefined = readEntry(item, 'Relation type', ids, report);
		if (!type) {
			continue;
		}
		const get = getter(item as YAMLMap);
		for (const end of ['from', 'to'] as const) {
			const { node, value } = get(end);
			if (value === undefined) {
				continue;
			}
			if (!isSeq(node)) {
				report(`"${end}" must be a list of label ids ([claim, event]).`, node, 'invalid-field');
				continue;
			}
			const labels: string[] = [];
			for (const n of node.items as YamlNode[]) {
				const v = isScalar(n) ? n.value : undefined;
				if (typeof v !== 'string' || !ID_RE.test(v)) {
					report(`"${end}" lists label ids, each ${ID_HINT}.`, n, 'invalid-field');
				} else if (!knownLabels.has(v)) {
					report(`Relation type "${type.id}": "${end}" names label "${v}", which is not a label of this schema.`, n, 'invalid-field');
				} else if (!labels.includes(v)) {
					labels.push(v);
				}
			}
			type[end] = labels;
		}
		types.push(type);
	}
	return types;
}

// ---- adding entries (importers) ------------------------------------------------------------

/**
 * `text` (the current `.corpus/labels.yaml`, undefined when there is none) with the labels and
 * relation types that are not yet in force added; returns `text ?? ''` unchanged when none is
 * missing. "In force" counts the defaults when the file lists none, and the defaults are
 * written out with the first addition, so adding never takes a default away. The existing lines
 * and comments are kept: new entries are inserted after the last one of their list; a file in
 * the list form is turned into the mapping form (`labels:` inserted above the list, the list's
 * lines unchanged) only when relation types must be added. Throws an Error (naming line and
 * column) when the text cannot be read as a label schema.
 */
export function addToLabelSchemaText(text: string | undefined, labels: readonly LabelDef[], relationTypes: readonly RelationTypeDef[]): string {
	const before = text ?? '';
	const parsed = parseLabelSchema(before);
	const fatal = parsed.errors.find((e) => e.code === 'yaml-syntax' || e.code === 'merge-conflict' || e.code === 'not-a-map');
	if (fatal) {
		throw new Error(`labels.yaml:${fatal.line}:${fatal.column}: ${fatal.message}`);
	}
	const missing = <T extends { id: string }>(inForce: readonly T[], wanted: readonly T[]): T[] => {
		const ids = new Set(inForce.map((e) => e.id));
		return wanted.filter((e) => !ids.has(e.id) && (ids.add(e.id), true));
	};
	const newLabels = missing(effectiveLabels(parsed), labels);
	const newTypes = missing(effectiveRelationTypes(parsed), relationTypes);
	if (newLabels.length === 0 && newTypes.length === 0) {
		return before;
	}
	const addLabels = newLabels.length > 0 && parsed.labels.length === 0 ? [...DEFAULT_LABELS, ...newLabels] : newLabels;
	const addTypes = newTypes.length > 0 && parsed.relationTypes.length === 0
		? [...defaultTypesFor(new Set([...effectiveLabels(parsed), ...newLabels].map((l) => l.id))), ...newTypes]
		: newTypes;
	const expected = {
		labels: [...parsed.labels, ...addLabels].map((l) => l.id),
		relationTypes: [...parsed.relationTypes, ...addTypes].map((t) => t.id),
	};
	const reads = (out: string): boolean => {
		const again = parseLabelSchema(out);
		return again.errors.length <= parsed.errors.length &&
			JSON.stringify(again.labels.map((l) => l.id)) === JSON.stringify(expected.labels) &&
			JSON.stringify(again.relationTypes.map((t) => t.id)) === JSON.stringify(expected.relationTypes);
	};
	const spliced = spliceEntries(before, addLabels, addTypes);
	if (spliced !== undefined && reads(spliced)) {
		return spliced;
	}
	// A layout the line splice does not handle (flow lists, odd indentation): the yaml Document
	// API, which keeps comments but may reformat.
	const printed = printEntries(before, addLabels, addTypes);
	if (!reads(printed)) {
		throw new Error('labels.yaml: cannot add the new labels and relation types to this file; add them by hand.');
	}
	return printed;
}

/**
 * The default relation types as written into a file with these labels: `from`/`to` name only
 * labels of the file (the schema refuses others), and a type whose restricted end names none is
 * left out. Either way, the same relations pass `check` as before.
 */
function defaultTypesFor(labels: ReadonlySet<string>): RelationTypeDef[] {
	const out: RelationTypeDef[] = [];
	for (const t of DEFAULT_RELATION_TYPES) {
		const type: RelationTypeDef = { ...t };
		let possible = true;
		for (const end of ['from', 'to'] as const) {
			if (t[end]) {
				type[end] = t[end].filter((id) => labels.has(id));
				possible &&= type[end].length > 0;
			}
		}
		if (possible) {
			out.push(type);
		}
	}
	return out;
}

/** Plain data of entries as written to the file (readonly arrays copied). */
function plainEntries(entries: readonly (LabelDef | RelationTypeDef)[]): object[] {
	return entries.map((e) => JSON.parse(JSON.stringify(e)) as object);
}

/** Block-list lines for `entries`, with the dash at column `indent` (each line ends with a line break). */
function listLines(entries: readonly (LabelDef | RelationTypeDef)[], indent: number): string {
	const doc = new YamlDocument(plainEntries(entries));
	// `from`/`to` in flow style: `[claim, event]` reads better than a nested list.
	for (const item of (doc.contents as YAMLSeq).items) {
		for (const pair of (item as YAMLMap).items) {
			if (isSeq(pair.value)) {
				pair.value.flow = true;
			}
		}
	}
	const pad = ' '.repeat(indent);
	return doc.toString({ lineWidth: 0, flowCollectionPadding: false }).split('\n').filter((l) => l !== '').map((l) => pad + l + '\n').join('');
}

/** Inserts the entries by lines into the text; undefined when its layout is not a simple one. */
function spliceEntries(text: string, labels: readonly LabelDef[], types: readonly RelationTypeDef[]): string | undefined {
	const { doc } = parseText(text);
	if (!doc) {
		return undefined;
	}
	const root = doc.contents;
	const eol = text.includes('\r\n') ? '\r\n' : '\n';
	const inserts: { at: number; text: string }[] = [];
	const end = text.length;
	const tail = (): string => (end > 0 && !text.endsWith('\n') ? '\n' : '');
	/** Position after the last line of a non-empty block list, and the column of its dashes. */
	const afterList = (seq: YAMLSeq): { at: number; indent: number } | undefined => {
		if (seq.flow || seq.items.length === 0 || !seq.range) {
			return undefined;
		}
		const first = seq.items[0] as YamlNode;
		const firstStart = first.range?.[0];
		if (firstStart === undefined) {
			return undefined;
		}
		const dash = text.lastIndexOf('-', firstStart);
		const indent = dash - (text.lastIndexOf('\n', dash) + 1);
		let at = seq.range[1];
		if (at > 0 && text[at - 1] !== '\n') {
			const nl = text.indexOf('\n', at);
			at = nl < 0 ? end : nl + 1;
		}
		return dash < 0 || !/^ *$/.test(text.slice(dash - indent, dash)) ? undefined : { at, indent };
	};
	const addTo = (seq: YAMLSeq, entries: readonly (LabelDef | RelationTypeDef)[]): boolean => {
		const where = afterList(seq);
		if (!where) {
			return false;
		}
		inserts.push({ at: where.at, text: (where.at === end ? tail() : '') + listLines(entries, where.indent) });
		return true;
	};
	const appendKey = (key: string, entries: readonly (LabelDef | RelationTypeDef)[]): void => {
		if (entries.length > 0) {
			inserts.push({ at: end, text: tail() + `${key}:\n` + listLines(entries, 2) });
		}
	};
	if (root === null || (isScalar(root) && root.value === null)) {
		if (types.length === 0) {
			inserts.push({ at: end, text: tail() + listLines(labels, 0) });
		} else {
			appendKey('labels', labels);
			appendKey('relations', types);
		}
	} else if (isSeq(root)) {
		if (labels.length > 0 && !addTo(root, labels)) {
			return undefined;
		}
		if (types.length > 0) {
			// `labels:` above the list: a block list may sit at its key's column, so no line changes.
			const first = root.items[0] as YamlNode | undefined;
			if (root.flow || !first?.range || !afterList(root) || afterList(root)!.indent !== 0) {
				return undefined;
			}
			const dash = text.lastIndexOf('\n', first.range[0]) + 1;
			inserts.push({ at: dash, text: 'labels:\n' });
			appendKey('relations', types);
		}
	} else if (isMap(root)) {
		for (const [key, entries] of [['labels', labels], ['relations', types]] as const) {
			if (entries.length === 0) {
				continue;
			}
			const node = root.get(key, true);
			if (node === undefined) {
				appendKey(key, entries);
			} else if (!isSeq(node) || !addTo(node, entries)) {
				return undefined;
			}
		}
	} else {
		return undefined;
	}
	inserts.sort((a, b) => a.at - b.at);
	let out = '';
	let at = 0;
	for (const ins of inserts) {
		out += text.slice(at, ins.at) + (eol === '\n' ? ins.text : ins.text.replace(/\n/g, '\r\n'));
		at = ins.at;
	}
	return out + text.slice(at);
}

/** The entries added through the yaml Document API (comments kept, formatting may change). */
function printEntries(text: string, labels: readonly LabelDef[], types: readonly RelationTypeDef[]): string {
	const doc: Document = parseDocument(text);
	let root: unknown = doc.contents;
	if (root === null || (isScalar(root) && root.value === null) || (isSeq(root) && types.length > 0)) {
		const map = doc.createNode({}) as YAMLMap;
		map.set('labels', isSeq(root) ? root : doc.createNode([]));
		doc.contents = map;
		root = map;
	}
	const add = (seq: unknown, entries: readonly (LabelDef | RelationTypeDef)[]): void => {
		for (const e of plainEntries(entries)) {
			(seq as YAMLSeq).items.push(doc.createNode(e));
		}
		(seq as YAMLSeq).flow = false;
	};
	if (isSeq(root)) {
		add(root, labels);
	} else if (isMap(root)) {
		for (const [key, entries] of [['labels', labels], ['relations', types]] as const) {
			if (entries.length === 0) {
				continue;
			}
			if (!isSeq(root.get(key, true))) {
				root.set(key, doc.createNode([]));
			}
			add(root.get(key, true), entries);
		}
	}
	const out = doc.toString({ lineWidth: 0 });
	return text.includes('\r\n') ? out.replace(/\r?\n/g, '\r\n') : out;
}

/** An end of a relation whose label the relation's type does not allow there. */
export interface DisallowedEnd {
	readonly end: 'from' | 'to';
	/** The labels the type allows at that end. */
	readonly allowed: readonly string[];
	readonly label: string;
}

/**
 * The ends of a relation of `type` whose labels the type does not allow: the one rule for `check`,
 * import and the Link Annotation picker. An end whose label is unknown (undefined) is not judged;
 * a type without a list for an end allows any label there.
 */
export function disallowedEnds(type: RelationTypeDef | undefined, labels: { readonly from: string | undefined; readonly to: string | undefined }): DisallowedEnd[] {
	const found: DisallowedEnd[] = [];
	for (const end of ['from', 'to'] as const) {
		const allowed = type?.[end];
		const label = labels[end];
		if (allowed && label !== undefined && !allowed.includes(label)) {
			found.push({ end, allowed, label });
		}
	}
	return found;
}

/** True when a relation of `type` may go from an annotation labelled `from` to one labelled `to`. */
export function relationFits(type: RelationTypeDef, from: string, to: string): boolean {
	return disallowedEnds(type, { from, to }).length === 0;
}
