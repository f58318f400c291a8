/**
 * The rules a sidecar must meet before anything reads offsets from it or writes to it. Every
 * entry point (the codec's `parseSidecar`, hence the CLI, the merge driver, `check` and the
 * extension's store) goes through these functions, so a file one of them refuses is refused by
 * all: unreadable means untouchable.
 *
 * Layers, cheapest first: bytes ({@link decodeSidecarBytes}: strict UTF-8), text
 * ({@link checkSidecarText}: size, NUL and other control characters), YAML (the codec), then the
 * fields ({@link readSidecarFields}, driven by the field table) and, when the caller knows the
 * article, the offsets against its text.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node as YamlNode, Pair, YAMLMap } from 'yaml';
import { ANNOTATION_FIELDS, ANNOTATION_KEY_ORDER, HEADER_FIELDS, RELATION_FIELDS, RELATION_KEY_ORDER, type FieldSpec } from './fieldTable';
import { SIDECAR_VERSION, type Annotation, type Relation, type SidecarData } from './model';

/** Machine-readable kind of a {@link SidecarError}. */
export type SidecarErrorCode =
	| 'empty'
	| 'invalid-utf8'
	| 'invalid-character'
	| 'too-large'
	| 'merge-conflict'
	| 'yaml-syntax'
	| 'unsupported-yaml'
	| 'not-a-map'
	| 'missing-field'
	| 'invalid-field'
	| 'unknown-version'
	| 'duplicate-id'
	| 'invalid-range'
	| 'offset-past-text';

/** A problem in a sidecar file, positioned for a diagnostic (1-based line and column, UTF-16 columns like an editor). */
export interface SidecarError {
	message: string;
	line: number;
	column: number;
	code: SidecarErrorCode;
}

/**
 * Largest sidecar read (UTF-16 code units, about bytes for this mostly-ASCII format). 10,000
 * annotations take about 2.5 MB; parsing costs about 0.7 s per MB, so a bound keeps every read
 * (and `check` over a hostile file) within seconds.
 */
export const SIDECAR_MAX_CHARS = 4 * 1024 * 1024;

/** What the validator knows about the article, when the caller has read it. */
export interface ArticleFacts {
	/** Code points of the canonical text. */
	readonly codePointLength: number;
	/** `hashArticleText` of it. */
	readonly textHash: string;
}

// ---- bytes ----------------------------------------------------------------------------------

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Result of {@link decodeSidecarBytes}. */
export type DecodeResult = { ok: true; text: string; bom: boolean } | { ok: false; errors: SidecarError[] };

/**
 * Decodes a file strictly as UTF-8 (a leading BOM is removed and reported in `bom`). Invalid
 * bytes are an error at the line and column of the first bad sequence, never replaced by U+FFFD.
 */
export function decodeSidecarBytes(bytes: Uint8Array): DecodeResult {
	const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
	try {
		return { ok: true, text: STRICT_UTF8.decode(bytes), bom };
	} catch {
		const { line, column } = firstInvalidUtf8(bytes);
		return {
			ok: false,
			errors: [{ line, column, code: 'invalid-utf8', message: 'The file is not valid UTF-8 here (a byte sequence that is no character); re-save it as UTF-8.' }],
		};
	}
}

/** Line and column (UTF-16 units of the valid text before it) of the first invalid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): { line: number; column: number } {
	// LF never occurs inside a multi-byte sequence, so lines can be decoded one by one.
	let line = 1;
	let lineStart = 0;
	for (;;) {
		const nl = bytes.indexOf(0x0a, lineStart);
		const lineEnd = nl < 0 ? bytes.length : nl;
		const lineBytes = bytes.subarray(lineStart, lineEnd);
		if (!decodes(lineBytes, false)) {
			// The shortest prefix that fails in streaming mode ends in the bad byte; an incomplete
			// sequence at the end of the line only fails when the line is complete.
			let lo = 1, hi = lineBytes.length;
			while (lo < hi) {
				const mid = (lo + hi) >>> 1;
				if (decodes(lineBytes.subarray(0, mid), true)) {
					lo = mid + 1;
				} else {
					hi = mid;
				}
			}
			const validEnd = decodes(lineBytes.subarray(0, lo), true) ? lo : lo - 1;
			// Streaming holds back an incomplete sequence, so this is the text before the bad one.
			const before = new TextDecoder('utf-8').decode(lineBytes.subarray(0, validEnd), { stream: true });
			return { line, column: before.length + 1 };
		}
		if (nl < 0) {
			return { line, column: 1 }; // not reached: the whole text failed, so some line does
		}
		line++;
		lineStart = nl + 1;
	}
}

function decodes(bytes: Uint8Array, stream: boolean): boolean {
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream });
		return true;
	} catch {
		return false;
	}
}

// ---- text -----------------------------------------------------------------------------------

/** C0 controls other than tab, LF and CR, and DEL: not printable YAML, and a sign of binary or damaged data. */
const CONTROL = /[\0-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
/** At most this many control characters are listed; the rest add nothing. */
const MAX_CONTROL_ERRORS = 20;

/** 1-based line and UTF-16 column of `offset` in `text`. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
	let line = 1;
	for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
		line++;
	}
	return { line, column: offset - (text.lastIndexOf('\n', offset - 1) + 1) + 1 };
}

/** Size and character checks on the decoded text, before YAML parsing. */
export function checkSidecarText(text: string): SidecarError[] {
	if (text.length > SIDECAR_MAX_CHARS) {
		return [{
			...positionAt(text, SIDECAR_MAX_CHARS), code: 'too-large',
			message: `The annotations file is larger than ${SIDECAR_MAX_CHARS / (1024 * 1024)} MiB (it goes past that here); Corpus Annotator does not read it.`,
		}];
	}
	const errors: SidecarError[] = [];
	CONTROL.lastIndex = 0;
	for (let m = CONTROL.exec(text); m && errors.length < MAX_CONTROL_ERRORS; m = CONTROL.exec(text)) {
		const code = m[0].charCodeAt(0);
		const name = code === 0 ? 'a NUL byte' : `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
		errors.push({ ...positionAt(text, m.index), code: 'invalid-character', message: `The file contains ${name}: it is damaged or not a text file.` });
	}
	return errors;
}

// ---- fields ---------------------------------------------------------------------------------

/** Reports a problem at a node (or the nearest enclosing one). */
export type ReportAt = (message: string, node: YamlNode | null | undefined, code: SidecarErrorCode) => void;

export function findPair(map: YAMLMap, key: string): Pair | undefined {
	for (const item of map.items) {
		const k = item.key;
		if ((isScalar(k) ? k.value : k) === key) {
			return item as Pair;
		}
	}
	return undefined;
}

export function valueNode(map: YAMLMap, key: string): YamlNode | null | undefined {
	const pair = findPair(map, key);
	return pair ? (pair.value as YamlNode | null) : undefined;
}

function scalarValue(node: YamlNode | null | undefined): unknown {
	if (node === null || node === undefined) {
		return null;
	}
	return isScalar(node) ? node.value : node;
}

/** Offsets are written as plain digits: `1.5`, `1e3`, `0x10`, `+5` or `"12"` are refused, not rounded. */
const DIGITS = /^[0-9]+$/;

/**
 * Why `value` is not valid for field `key` (undefined: valid). `source` is the value as written
 * in the file, when known, for the digits-only rule of offsets.
 */
export function fieldValueProblem(key: string, spec: FieldSpec, value: unknown, source?: string): string | undefined {
	switch (spec.kind) {
		case 'offset':
			if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || (source !== undefined && !DIGITS.test(source))) {
				return `"${key}" must be a whole number ≥ 0 written in digits (a code-point offset).`;
			}
			return undefined;
		case 'text':
			if (typeof value !== 'string') {
				const hint = typeof value === 'number' || typeof value === 'boolean' ? ' (put it in quotes)' : '';
				return `"${key}" must be ${spec.nonEmpty ? 'a non-empty' : 'a'} string${hint}.`;
			}
			if (spec.nonEmpty && value === '') {
				return `"${key}" must not be empty.`;
			}
			if (spec.pattern && !spec.pattern.test(value)) {
				return `"${key}" must be ${spec.patternHint ?? `like ${spec.pattern.source}`}; got "${value.slice(0, 40)}" (cut off?).`;
			}
			return undefined;
		case 'version':
			return value === SIDECAR_VERSION ? undefined
				: typeof value === 'number' && value > SIDECAR_VERSION
					? `Annotations file version ${value} was written by a newer Corpus Annotator; this one reads version ${SIDECAR_VERSION}.`
					: `Unknown annotations file version ${JSON.stringify(value)}; expected ${SIDECAR_VERSION}.`;
		case 'list':
			return Array.isArray(value) ? undefined : `"${key}" must be a list.`;
	}
}

/** Why an annotation's span is impossible in itself (undefined: fine). */
export function spanProblem(a: Pick<Annotation, 'start' | 'end'>): string | undefined {
	if (a.start > a.end) {
		return `"start" (${a.start}) is after "end" (${a.end}).`;
	}
	if (a.start === a.end) {
		return `"start" and "end" are both ${a.start}: an annotation spans at least one character.`;
	}
	return undefined;
}

/** Context of {@link readSidecarFields}. */
export interface ReadContext {
	/** The source text (for offsets as written). */
	readonly text: string;
	readonly report: ReportAt;
	/** Line of a node, for "first used on line N". */
	readonly lineOf: (node: YamlNode) => number;
	readonly article?: ArticleFacts;
}

function sourceOf(text: string, node: YamlNode | null | undefined): string | undefined {
	const r = node?.range;
	return r ? text.slice(r[0], r[1]) : undefined;
}

/**
 * Validates the parsed root against the field table and builds the typed view. Every problem
 * goes to `report`; the result is undefined when the root is unusable, and must not be used
 * when anything was reported.
 */
export function readSidecarFields(root: unknown, ctx: ReadContext): SidecarData | undefined {
	const { report } = ctx;
	if (!isMap(root)) {
		report('An annotations file must be a mapping with version, article and annotations.', root as YamlNode | null, 'not-a-map');
		return undefined;
	}
	const header: Record<string, unknown> = {};
	for (const key of ['version', 'article', 'date', 'textHash'] as const) {
		const spec: FieldSpec = HEADER_FIELDS[key];
		const node = valueNode(root, key);
		const value = scalarValue(node);
		if (node === undefined || value === null) {
			if (spec.required) {
				report(`Missing "${key}:"${key === 'version' ? ` (version: ${SIDECAR_VERSION})` : key === 'article' ? ' (the article file name)' : ''}.`, root, 'missing-field');
			} else if (node === undefined || spec.nullable) {
				header[key] = null;
			}
			continue;
		}
		const problem = fieldValueProblem(key, spec, value);
		if (problem) {
			report(problem, node, key === 'version' ? 'unknown-version' : 'invalid-field');
		} else {
			header[key] = value;
		}
	}

	const annotations: Annotation[] = [];
	const annsNode = valueNode(root, 'annotations');
	if (annsNode === undefined) {
		report('Missing "annotations:" ([] when there are none): the file may be cut off.', root, 'missing-field');
	} else if (!isSeq(annsNode)) {
		report(scalarValue(annsNode) === null
			? '"annotations:" has no list ([] when there are none): the file may be cut off.'
			: '"annotations" must be a list.', annsNode ?? root, scalarValue(annsNode) === null ? 'missing-field' : 'invalid-field');
	} else {
		const unique = uniqueIds('annotation', ctx);
		const applies = ctx.article !== undefined && header.textHash === ctx.article.textHash;
		for (const item of annsNode.items as YamlNode[]) {
			const ann = readAnnotation(item, ctx);
			if (!ann) {
				continue;
			}
			unique(ann.id, item);
			// Offsets past the end only prove damage when they claim to refer to this very text;
			// after an outside edit they are what re-anchoring starts from.
			if (applies && ann.end > ctx.article!.codePointLength) {
				report(`"end" (${ann.end}) is past the end of the article (${ctx.article!.codePointLength} code points), whose text hash the file records.`,
					valueNode(item as YAMLMap, 'end'), 'offset-past-text');
			}
			annotations.push(ann);
		}
	}
	return {
		version: typeof header.version === 'number' ? header.version : SIDECAR_VERSION,
		article: typeof header.article === 'string' ? header.article : '',
		date: typeof header.date === 'string' ? header.date : null,
		textHash: typeof header.textHash === 'string' ? header.textHash : null,
		annotations,
		relations: readRelations(root, ctx),
	};
}

/**
 * The optional `relations:` list (after `annotations:`), in file order. Each item is checked
 * against the field table and relation ids must be unique; whether `from` and `to` name
 * annotations of the file is NOT checked here: a merge may produce a dangling relation, and
 * `check` reports it, so the file stays readable (and repairable) in the editor.
 */
function readRelations(root: YAMLMap, ctx: ReadContext): Relation[] {
	const { report } = ctx;
	const relations: Relation[] = [];
	const node = valueNode(root, 'relations');
	if (node === undefined) {
		return relations;
	}
	if (!isSeq(node)) {
		const empty = scalarValue(node) === null;
		report(empty
			? '"relations:" has no list (leave the key out, or [], when there are none): the file may be cut off.'
			: '"relations" must be a list.', node ?? root, empty ? 'missing-field' : 'invalid-field');
		return relations;
	}
	const unique = uniqueIds('relation', ctx);
	for (const item of node.items as YamlNode[]) {
		const rel = readRelation(item, ctx);
		if (rel) {
			unique(rel.id, item);
			relations.push(rel);
		}
	}
	return relations;
}

/** Reports an id already used by an earlier item of the same list, naming that item's line. */
function uniqueIds(noun: string, ctx: ReadContext): (id: string, item: YamlNode) => void {
	const seen = new Map<string, number>();
	return (id, item) => {
		const first = seen.get(id);
		if (first !== undefined) {
			ctx.report(`Duplicate ${noun} id "${id}" (first used on line ${first}).`, valueNode(item as YAMLMap, 'id'), 'duplicate-id');
		} else {
			seen.set(id, ctx.lineOf(item));
		}
	};
}

function readRelation(node: YamlNode, ctx: ReadContext): Relation | undefined {
	if (!isMap(node)) {
		ctx.report('Each relation must be a mapping (id, type, from, to, …).', node, 'invalid-field');
		return undefined;
	}
	return readItemFields(node, 'Relation', RELATION_KEY_ORDER, RELATION_FIELDS, ctx) as unknown as Relation | undefined;
}

function readAnnotation(node: YamlNode, ctx: ReadContext): Annotation | undefined {
	if (!isMap(node)) {
		ctx.report('Each annotation must be a mapping (id, label, start, end, quote, …).', node, 'invalid-field');
		return undefined;
	}
	const out = readItemFields(node, 'Annotation', ANNOTATION_KEY_ORDER, ANNOTATION_FIELDS, ctx, CONTEXT_FIELDS);
	if (!out) {
		return undefined;
	}
	const ann = out as unknown as Annotation;
	const problem = spanProblem(ann);
	if (problem) {
		ctx.report(problem, valueNode(node, 'start'), 'invalid-range');
		return undefined;
	}
	return ann;
}

/** Annotation fields read as "" when absent. */
const CONTEXT_FIELDS: ReadonlySet<string> = new Set(['prefix', 'suffix']);

/**
 * The managed fields of one list item (an annotation or a relation) in key order, checked
 * against the field table; undefined after reporting a problem. Absent `emptyWhenAbsent` fields read as "".
 */
function readItemFields(
	node: YAMLMap, noun: string, order: readonly string[], specs: Readonly<Record<string, FieldSpec>>, ctx: ReadContext,
	emptyWhenAbsent: ReadonlySet<string> = new Set(),
): Record<string, unknown> | undefined {
	let valid = true;
	const out: Record<string, unknown> = {};
	for (const key of order) {
		const spec = specs[key];
		const v = valueNode(node, key);
		const value = scalarValue(v);
		if (v === undefined || value === null) {
			if (spec.required) {
				ctx.report(`${noun} is missing "${key}".`, node, 'missing-field');
				valid = false;
			} else if (emptyWhenAbsent.has(key)) {
				out[key] = '';
			}
			continue;
		}
		const problem = fieldValueProblem(key, spec, value, spec.kind === 'offset' ? sourceOf(ctx.text, v) : undefined);
		if (problem) {
			ctx.report(problem, v, 'invalid-field');
			valid = false;
			continue;
		}
		out[key] = value;
	}
	return valid ? out : undefined;
}
