/**
 * A fast read of sidecars laid out the way our printer writes them, for comparing thousands of
 * sidecars at once (the YAML Document API costs milliseconds per file, which is fine for one
 * file in an editor and too slow for 20,000). It reads the strict subset the printer produces —
 * top-level `key: value`, `annotations:` and `relations:` with `  - key: value` items, plain, single- or
 * double-quoted one-line scalars, comments and blank lines — and checks every field with the
 * validator's own rules. Anything else (flow or block scalars, unknown keys, anchors, tabs, a
 * problem of any kind) returns undefined, and the caller reads the file with `parseSidecar`,
 * which reports errors with line and column. So this never accepts what the codec would refuse,
 * and a unit test checks it reads what the codec reads.
 */
import {
	ANNOTATION_FIELDS, ANNOTATION_KEY_ORDER, HEADER_FIELDS, HEADER_KEY_ORDER, RELATION_FIELDS, RELATION_KEY_ORDER, type FieldSpec,
} from '../annotations/fieldTable';
import { SIDECAR_VERSION, type Annotation, type Relation, type SidecarData } from '../annotations/model';
import { parseSidecar } from '../annotations/sidecarCodec';
import { fieldValueProblem, SIDECAR_MAX_CHARS, spanProblem, type ArticleFacts, type SidecarError } from '../annotations/sidecarValidator';

type Scalar = string | number | null;
/** Marks a line this reader does not handle. */
const UNHANDLED = Symbol('unhandled');

const SPACE = 0x20, HASH = 0x23, DASH = 0x2d, COLON = 0x3a, CR = 0x0d, QUOTE = 0x27, DOUBLE_QUOTE = 0x22, QUESTION = 0x3f;
/**
 * Left to the codec: control characters (which it reports), tabs, and characters YAML 1.1 tools
 * or the BOM give a meaning. (A CR that does not end a line is checked apart: an alternative in
 * this class would make the scan several times slower.)
 */
const SUSPECT = /[\0-\x08\x0b\x0c\x0e-\x1f\x7f\t\u0085\u2028\u2029\ufeff]/;
const LONE_CR = /\r(?!\n)/;
/** Indicators that never start a plain scalar here (`-`, `?`, `:` do when a non-space follows). */
const NEVER_PLAIN = new Set([...',[]{}#&*!|>\'"%@` '].map((c) => c.charCodeAt(0)));
/** Only these first characters can begin a null, a boolean or a number (`~`, `null`, `true`, `False`, `-1`, `.5`, `0x1F`). */
const MAYBE_NOT_A_STRING = new Set([...'-+.~0123456789nNtTfF'].map((c) => c.charCodeAt(0)));
/** Plain scalars the YAML 1.2 core schema reads as null, booleans or numbers. */
const NOT_A_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const DIGITS = /^[0-9]+$/;
const NULL = /^(?:~|null|Null|NULL)$/;

/** Known keys by length, with their index in the key order: a key is recognised in place, never sliced. */
function byLength(keys: readonly string[]): readonly (readonly [string, number][])[] {
	const out: [string, number][][] = [];
	keys.forEach((k, i) => {
		(out[k.length] ??= []).push([k, i]);
	});
	return out;
}
const HEADER_KEYS = byLength(HEADER_KEY_ORDER);
const ANNOTATION_KEYS = byLength(ANNOTATION_KEY_ORDER);
const RELATION_KEYS = byLength(RELATION_KEY_ORDER);
const RELATION_SPECS = RELATION_KEY_ORDER.map((k) => [k, RELATION_FIELDS[k] as FieldSpec] as const);
const HEADER_INDEX = Object.fromEntries(HEADER_KEY_ORDER.map((k, i) => [k, i])) as Record<(typeof HEADER_KEY_ORDER)[number], number>;
const FIELD_SPECS = ANNOTATION_KEY_ORDER.map((k) => [k, ANNOTATION_FIELDS[k] as FieldSpec] as const);
const PREFIX = ANNOTATION_KEY_ORDER.indexOf('prefix');
const SUFFIX = ANNOTATION_KEY_ORDER.indexOf('suffix');

function knownKey(text: string, start: number, colon: number, keys: readonly (readonly [string, number][])[]): number {
	for (const [k, i] of keys[colon - start] ?? []) {
		if (text.startsWith(k, start)) {
			return i;
		}
	}
	return -1;
}

/**
 * The sidecar's data, or undefined when the text is not in the printer's layout or has any
 * problem (then read it with `parseSidecar`). `article`: as for the codec, offsets past the end
 * of an article whose hash the file records are a problem.
 */
export function readSidecarFast(text: string, article?: ArticleFacts): SidecarData | undefined {
	if (text.length > SIDECAR_MAX_CHARS || SUSPECT.test(text) || (text.includes('\r') && LONE_CR.test(text)) || text.trim() === '') {
		return undefined;
	}
	try {
		return readUnsafe(text, article);
	} catch (e) {
		if (e === UNHANDLED) {
			return undefined;
		}
		throw e;
	}
}

/**
 * One annotation item exactly as the printer writes it, as a single regular expression built from
 * the field table (keys in key order, each once; offsets in digits; times matching their pattern;
 * other text plain, single- or double-quoted on one line), accepting only what {@link scalar} and the
 * field checks accept: a plain value that is not a null, boolean or number and holds no `: ` or
 * ` #`; no control, tab, CR or other character {@link SUSPECT} leaves to the codec. It runs as
 * native code, so a block both sides of a diff share is checked without the reader's
 * per-line work. Built on first use.
 */
let printedItem: RegExp | undefined;

function printedItemPattern(): RegExp {
	const ctrl = '\\0-\\x1f\\x7f\\u0085\\u2028\\u2029\\ufeff';
	const neverPlain = [...NEVER_PLAIN].map((c) => `\\x${c.toString(16).padStart(2, '0')}`).join('');
	const notAString = NOT_A_STRING.source.replace(/^\^/, '').replace(/\$$/, '');
	// First character: not an indicator; `-`, `?` and `:` only before a non-space. Then no `: `, no ` #`, no space or colon last.
	// Runs of ordinary characters split by single special ones, each character matched one way only:
	// a nested quantifier (`(?:x+|…)*`) backtracks exponentially on a value that fails late.
	const plain = `(?!(?:${notAString})\\n)(?:[^${ctrl}${neverPlain}\\-?:]|[\\-?:](?=[^${ctrl} ]))[^${ctrl}: ]*(?:(?::(?=[^${ctrl} ])| (?=[^${ctrl}#]))[^${ctrl}: ]*)*`;
	const escape = `\\\\(?:[${Object.keys(SIMPLE_ESCAPES).map((e) => `\\x${e.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})`;
	// Non-empty: nothing but a quote after the opening one (a single-quoted `''''` is left to the reader).
	const quoted = (nonEmpty: boolean): string => {
		const [double, single] = nonEmpty ? ['(?!")', "(?!')"] : ['', ''];
		return `"${double}[^${ctrl}"\\\\]*(?:${escape}[^${ctrl}"\\\\]*)*"|'${single}[^${ctrl}']*(?:''[^${ctrl}']*)*'`;
	};
	const lines = FIELD_SPECS.map(([key, spec], i) => {
		let value: string;
		if (spec.kind === 'offset') {
			value = '([0-9]{1,15})'; // at most 15 digits: always a safe integer
		} else if (spec.kind !== 'text') {
			throw new Error(`no printed form for the ${spec.kind} field ${key}`);
		} else if (key === 'id') {
			value = `(${plain})`; // plain only: the text is the id
		} else if (spec.pattern) {
			const body = spec.pattern.source;
			if (!body.startsWith('^') || !body.endsWith('$')) {
				throw new Error(`the pattern of ${key} is not anchored at both ends`);
			}
			value = `(?=(?:${body.slice(1, -1)})\\n)${plain}`;
		} else {
			value = `(?:${plain}|${quoted(spec.nonEmpty === true)})`;
		}
		const line = `${i === 0 ? '  - ' : '    '}${key}: ${value}\\n`;
		return spec.required ? line : `(?:${line})?`;
	});
	// The groups are read by number in {@link printedAnnotationAt}: id, start, end, in this order.
	if (FIELD_SPECS.slice(0, 4).map(([key, spec]) => `${key}${spec.required ? '' : '?'}`).join() !== 'id,label,start,end') {
		throw new Error('the annotation key order no longer starts id, label, start, end: update the printed item pattern');
	}
	return new RegExp(lines.join(''), 'y');
}

/**
 * The annotation item that starts at `start` (a line `  - id: …`), when it is written exactly as
 * the printer writes it and valid: where its last line ends, and its id. Undefined: only the reader
 * can tell. What this accepts, the reader reads as one valid item wherever the annotations list
 * holds it with an item start, a top-level line or the end of the text after it.
 */
export function printedAnnotationAt(text: string, start: number): { readonly end: number; readonly id: string } | undefined {
	const pattern = (printedItem ??= printedItemPattern());
	pattern.lastIndex = start;
	const m = pattern.exec(text);
	return m && Number(m[2]) < Number(m[3]) ? { end: pattern.lastIndex, id: m[1] } : undefined;
}

/** Reads a sidecar's data: the fast path when it applies, else the codec (with its errors). */
export function readSidecarDataFast(text: string, article?: ArticleFacts): { ok: true; data: SidecarData } | { ok: false; errors: SidecarError[] } {
	const fast = readSidecarFast(text, article);
	if (fast) {
		return { ok: true, data: fast };
	}
	const parsed = parseSidecar(text, { article });
	return parsed.ok ? { ok: true, data: parsed.doc.data } : parsed;
}

/** Values by key index; undefined = key absent, null = key with an empty or null value. */
type Values = (Scalar | undefined)[];

function readUnsafe(text: string, article: ArticleFacts | undefined): SidecarData {
	const header: Values = new Array<Scalar | undefined>(HEADER_KEY_ORDER.length);
	const lists = { annotations: { items: [] as Values[], empty: false, keys: ANNOTATION_KEYS, size: ANNOTATION_KEY_ORDER.length },
		relations: { items: [] as Values[], empty: false, keys: RELATION_KEYS, size: RELATION_KEY_ORDER.length } };
	let inList: (typeof lists)['annotations'] | undefined;
	let current: Values | undefined;
	const find: Finders = { colonSpace: new Occurrences(text, ': '), spaceHash: new Occurrences(text, ' #') };
	for (let pos = 0; pos < text.length; ) {
		const nl = text.indexOf('\n', pos);
		const lineEnd = nl < 0 ? text.length : nl;
		const end = lineEnd > pos && text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
		const start = pos;
		pos = lineEnd + 1;
		let indent = start;
		while (indent < end && text.charCodeAt(indent) === SPACE) {
			indent++;
		}
		if (indent === end || text.charCodeAt(indent) === HASH) {
			continue; // blank line or comment
		}
		const depth = indent - start;
		let keyStart: number;
		let target: Values;
		if (depth === 2 && inList && text.charCodeAt(indent) === DASH && text.charCodeAt(indent + 1) === SPACE && text.charCodeAt(indent + 2) !== SPACE) {
			current = new Array<Scalar | undefined>(inList.size);
			inList.items.push(current);
			target = current;
			keyStart = indent + 2;
		} else if (depth === 4 && inList && current) {
			target = current;
			keyStart = indent;
		} else if (depth === 0) {
			inList = undefined;
			current = undefined;
			target = header;
			keyStart = start;
		} else {
			throw UNHANDLED;
		}
		const colon = text.indexOf(':', keyStart);
		if (colon < 0 || colon >= end) {
			throw UNHANDLED;
		}
		const key = knownKey(text, keyStart, colon, target === header ? HEADER_KEYS : inList!.keys);
		if (key < 0 || target[key] !== undefined) {
			throw UNHANDLED;
		}
		let valueStart = end;
		if (colon + 1 < end) {
			if (text.charCodeAt(colon + 1) !== SPACE) {
				throw UNHANDLED;
			}
			valueStart = colon + 2;
		}
		const list = target !== header ? undefined : key === HEADER_INDEX.annotations ? lists.annotations : key === HEADER_INDEX.relations ? lists.relations : undefined;
		if (!list) {
			target[key] = scalar(text, valueStart, end, find);
		} else if (valueStart === end) {
			target[key] = null;
			inList = list;
		} else if (end - valueStart === 2 && text.startsWith('[]', valueStart)) {
			target[key] = null;
			list.empty = true;
		} else {
			throw UNHANDLED;
		}
	}
	// `annotations:` (or `relations:`) with nothing under it is an error the codec words.
	if (header[HEADER_INDEX.annotations] === undefined ||
		(!lists.annotations.empty && lists.annotations.items.length === 0) ||
		(header[HEADER_INDEX.relations] !== undefined && !lists.relations.empty && lists.relations.items.length === 0)) {
		throw UNHANDLED;
	}
	return build(header, lists.annotations.items, lists.relations.items, article);
}

interface Finders {
	readonly colonSpace: Occurrences;
	readonly spaceHash: Occurrences;
}

/** A one-line scalar in text[start, end): a number for digits, null for an empty or null value, a string otherwise. */
function scalar(text: string, start: number, end: number, find: Finders): Scalar {
	if (start === end) {
		return null;
	}
	const c = text.charCodeAt(start);
	if (c === DOUBLE_QUOTE) {
		return doubleQuoted(text.slice(start, end));
	}
	if (c === QUOTE) {
		return singleQuoted(text.slice(start, end));
	}
	if (NEVER_PLAIN.has(c) || ((c === DASH || c === QUESTION || c === COLON) && (end - start < 2 || text.charCodeAt(start + 1) === SPACE))) {
		throw UNHANDLED;
	}
	const last = text.charCodeAt(end - 1);
	if (last === COLON || last === SPACE || find.colonSpace.within(start, end) || find.spaceHash.within(start, end)) {
		throw UNHANDLED;
	}
	const raw = text.slice(start, end);
	if (!MAYBE_NOT_A_STRING.has(c)) {
		return raw;
	}
	if (NULL.test(raw)) {
		return null;
	}
	if (DIGITS.test(raw)) {
		const n = Number(raw);
		if (!Number.isSafeInteger(n)) {
			throw UNHANDLED;
		}
		return n;
	}
	if (NOT_A_STRING.test(raw)) {
		throw UNHANDLED;
	}
	return raw;
}

/**
 * Whether `needle` occurs in text[start, end). Values are visited in text order, so the next
 * occurrence found is remembered: the text is scanned once per needle, not once per value.
 */
class Occurrences {
	private next = -2;

	constructor(
		private readonly text: string,
		private readonly needle: string,
	) {}

	within(start: number, end: number): boolean {
		if (this.next !== -1 && this.next < start) {
			this.next = this.text.indexOf(this.needle, start);
		}
		return this.next >= 0 && this.next + this.needle.length <= end;
	}
}

/** A single-quoted scalar on one line: `''` is a quote, nothing else is escaped. */
function singleQuoted(raw: string): string {
	let out = '';
	let i = 1;
	for (;;) {
		const q = raw.indexOf("'", i);
		if (q < 0) {
			throw UNHANDLED; // continues on the next line
		}
		out += raw.slice(i, q);
		if (raw.charCodeAt(q + 1) === QUOTE) {
			out += "'";
			i = q + 2;
		} else if (q === raw.length - 1) {
			return out;
		} else {
			throw UNHANDLED;
		}
	}
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
	'0': '\0', a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
	' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};
const HEX_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** A double-quoted scalar that closes on its own line, with nothing after the closing quote. */
function doubleQuoted(raw: string): string {
	let out = '';
	let i = 1;
	for (;;) {
		const q = raw.indexOf('"', i);
		const bs = raw.indexOf('\\', i);
		if (q < 0) {
			throw UNHANDLED; // continues on the next line
		}
		if (bs < 0 || q < bs) {
			out += raw.slice(i, q);
			if (q !== raw.length - 1) {
				throw UNHANDLED;
			}
			return out;
		}
		out += raw.slice(i, bs);
		const e = raw[bs + 1];
		if (e !== undefined && e in SIMPLE_ESCAPES) {
			out += SIMPLE_ESCAPES[e];
			i = bs + 2;
		} else if (e !== undefined && e in HEX_LENGTH) {
			const hex = raw.slice(bs + 2, bs + 2 + HEX_LENGTH[e]);
			if (hex.length !== HEX_LENGTH[e] || !/^[0-9a-fA-F]+$/.test(hex)) {
				throw UNHANDLED;
			}
			const code = parseInt(hex, 16);
			if (code > 0x10ffff) {
				throw UNHANDLED;
			}
			out += e === 'u' ? String.fromCharCode(code) : String.fromCodePoint(code);
			i = bs + 2 + hex.length;
		} else {
			throw UNHANDLED;
		}
	}
}

function checked(key: string, spec: FieldSpec, value: Scalar): Scalar {
	if (fieldValueProblem(key, spec, value) !== undefined) {
		throw UNHANDLED;
	}
	return value;
}

/** An item's fields in key order, checked; absent fields for which `emptyWhenAbsent` holds read as "". */
function fields(item: Values, specs: readonly (readonly [string, FieldSpec])[], emptyWhenAbsent: (index: number) => boolean): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (let i = 0; i < specs.length; i++) {
		const [key, spec] = specs[i];
		const value = item[i] ?? null;
		if (value === null) {
			if (spec.required) {
				throw UNHANDLED;
			}
			if (emptyWhenAbsent(i)) {
				out[key] = '';
			}
			continue;
		}
		out[key] = checked(key, spec, value);
	}
	return out;
}

function build(header: Values, items: readonly Values[], relationItems: readonly Values[], article: ArticleFacts | undefined): SidecarData {
	const version = header[HEADER_INDEX.version];
	if (version !== SIDECAR_VERSION) {
		throw UNHANDLED;
	}
	const name = checked('article', HEADER_FIELDS.article, header[HEADER_INDEX.article] ?? null) as string;
	const date = header[HEADER_INDEX.date] ?? null;
	const textHash = header[HEADER_INDEX.textHash] ?? null;
	if (date !== null) {
		checked('date', HEADER_FIELDS.date, date);
	}
	if (textHash !== null) {
		checked('textHash', HEADER_FIELDS.textHash, textHash);
	}
	const applies = article !== undefined && textHash === article.textHash;
	const ids = new Set<string>();
	const annotations: Annotation[] = items.map((item) => {
		const a = fields(item, FIELD_SPECS, (i) => i === PREFIX || i === SUFFIX) as unknown as Annotation;
		if (spanProblem(a) !== undefined || ids.has(a.id) || (applies && a.end > article.codePointLength)) {
			throw UNHANDLED;
		}
		ids.add(a.id);
		return a;
	});
	const relationIds = new Set<string>();
	const relations: Relation[] = relationItems.map((item) => {
		const r = fields(item, RELATION_SPECS, () => false) as unknown as Relation;
		if (relationIds.has(r.id)) {
			throw UNHANDLED;
		}
		relationIds.add(r.id);
		return r;
	});
	return { version, article: name, date: date as string | null, textHash: textHash as string | null, annotations, relations };
}
