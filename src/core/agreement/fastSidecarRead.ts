/**
 * A fast read of sidecars laid out the way our printer writes them, for comparing thousands of
 * sidecars at once (the YAML Document API costs milliseconds per file, which is fine for one
 * file in an editor and too slow for 20,000). It reads the strict subset the printer produces —
 * top-level `key: value`, `annotations:` with `  - key: value` items, plain or double-quoted
 * one-line scalars, comments and blank lines — and checks every field with the validator's own
 * rules. Anything else (flow or block scalars, single quotes, unknown keys, anchors, tabs, a
 * problem of any kind) returns undefined, and the caller reads the file with `parseSidecar`,
 * which reports errors with line and column. So this never accepts what the codec would refuse,
 * and a unit test checks it reads what the codec reads.
 */
import { ANNOTATION_FIELDS, HEADER_FIELDS, type FieldSpec } from '../annotations/fieldTable';
import { SIDECAR_VERSION, type Annotation, type SidecarData } from '../annotations/model';
import { parseSidecar } from '../annotations/sidecarCodec';
import { checkSidecarText, fieldValueProblem, spanProblem, type ArticleFacts, type SidecarError } from '../annotations/sidecarValidator';

type Scalar = string | number | null;
/** Marks a line this reader does not handle. */
const UNHANDLED = Symbol('unhandled');

const TOP_KEY = /^([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$/;
const ITEM_FIRST = /^ {2}- ([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$/;
const ITEM_NEXT = /^ {4}([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$/;
const BLANK_OR_COMMENT = /^ *(?:#.*)?$/;
/** First characters that make a plain scalar something else, or that this reader leaves to the codec. */
const PLAIN_START = /^[-?:,[\]{}#&*!|>'"%@` ]/;
/** Characters with a meaning YAML 1.1 tools or the BOM give them; left to the codec. */
const ODD = /[\t\r\u0085\u2028\u2029\ufeff]/;
/** Plain scalars the YAML 1.2 core schema reads as null, booleans or numbers. */
const NOT_A_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const DIGITS = /^[0-9]+$/;
const NULL = /^(?:~|null|Null|NULL)$/;

const HEADER_KEYS = new Set(['version', 'article', 'date', 'textHash', 'annotations']);

/**
 * The sidecar's data, or undefined when the text is not in the printer's layout or has any
 * problem (then read it with `parseSidecar`). `article`: as for the codec, offsets past the end
 * of an article whose hash the file records are a problem.
 */
export function readSidecarFast(text: string, article?: ArticleFacts): SidecarData | undefined {
	if (text.trim() === '' || checkSidecarText(text).length > 0) {
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

/** Reads a sidecar's data: the fast path when it applies, else the codec (with its errors). */
export function readSidecarData(text: string, article?: ArticleFacts): { ok: true; data: SidecarData } | { ok: false; errors: SidecarError[] } {
	const fast = readSidecarFast(text, article);
	if (fast) {
		return { ok: true, data: fast };
	}
	const parsed = parseSidecar(text, { article });
	return parsed.ok ? { ok: true, data: parsed.doc.data } : parsed;
}

function readUnsafe(text: string, article: ArticleFacts | undefined): SidecarData {
	const header = new Map<string, Scalar>();
	const items: Map<string, Scalar>[] = [];
	let inList = false;
	let listSeen = false;
	let current: Map<string, Scalar> | undefined;
	let pos = 0;
	while (pos <= text.length) {
		const nl = text.indexOf('\n', pos);
		const end = nl < 0 ? text.length : nl;
		let line = text.slice(pos, end);
		pos = end + 1;
		if (line.endsWith('\r')) {
			line = line.slice(0, -1);
		}
		if (ODD.test(line)) {
			throw UNHANDLED;
		}
		if (BLANK_OR_COMMENT.test(line)) {
			if (nl < 0) {
				break;
			}
			continue;
		}
		let m: RegExpExecArray | null;
		if (inList && (m = ITEM_FIRST.exec(line))) {
			current = new Map();
			items.push(current);
			setOnce(current, m[1], m[2]);
		} else if (inList && current && (m = ITEM_NEXT.exec(line))) {
			setOnce(current, m[1], m[2]);
		} else if ((m = TOP_KEY.exec(line))) {
			inList = false;
			current = undefined;
			const key = m[1];
			if (!HEADER_KEYS.has(key) || header.has(key) || (key === 'annotations' && listSeen)) {
				throw UNHANDLED;
			}
			if (key === 'annotations') {
				listSeen = true;
				if (m[2] === '[]') {
					header.set(key, '[]');
				} else if (m[2] === undefined) {
					header.set(key, '');
					inList = true;
				} else {
					throw UNHANDLED;
				}
			} else {
				header.set(key, scalar(m[2]));
			}
		} else {
			throw UNHANDLED;
		}
		if (nl < 0) {
			break;
		}
	}
	if (!listSeen || (header.get('annotations') === '' && items.length === 0)) {
		throw UNHANDLED; // `annotations:` with nothing under it is an error the codec words
	}
	return build(header, items, article);
}

function setOnce(map: Map<string, Scalar>, key: string, raw: string | undefined): void {
	if (map.has(key) || !(key in ANNOTATION_FIELDS)) {
		throw UNHANDLED;
	}
	map.set(key, scalar(raw));
}

/** A one-line scalar: a number for digits, null for an empty or null value, a string otherwise. */
function scalar(raw: string | undefined): Scalar {
	if (raw === undefined || raw === '' || NULL.test(raw)) {
		return null;
	}
	if (raw.startsWith('"')) {
		return doubleQuoted(raw);
	}
	if (PLAIN_START.test(raw) || raw.includes(': ') || raw.includes(' #') || raw.endsWith(':') || raw.endsWith(' ')) {
		throw UNHANDLED;
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

function build(header: Map<string, Scalar>, items: Map<string, Scalar>[], article: ArticleFacts | undefined): SidecarData {
	const version = header.get('version');
	if (version !== SIDECAR_VERSION) {
		throw UNHANDLED;
	}
	const name = checked('article', HEADER_FIELDS.article, header.get('article') ?? null);
	const date = header.get('date') ?? null;
	const textHash = header.get('textHash') ?? null;
	if (date !== null) {
		checked('date', HEADER_FIELDS.date, date);
	}
	if (textHash !== null) {
		checked('textHash', HEADER_FIELDS.textHash, textHash);
	}
	const applies = article !== undefined && textHash === article.textHash;
	const ids = new Set<string>();
	const annotations: Annotation[] = items.map((item) => {
		const out: Record<string, unknown> = {};
		for (const [key, spec] of Object.entries(ANNOTATION_FIELDS) as [string, FieldSpec][]) {
			const value = item.get(key) ?? null;
			if (value === null) {
				if (spec.required) {
					throw UNHANDLED;
				}
				if (key === 'prefix' || key === 'suffix') {
					out[key] = '';
				}
				continue;
			}
			out[key] = checked(key, spec, value);
		}
		const a = out as unknown as Annotation;
		if (spanProblem(a) !== undefined || ids.has(a.id) || (applies && a.end > article.codePointLength)) {
			throw UNHANDLED;
		}
		ids.add(a.id);
		return a;
	});
	return { version, article: name as string, date: date as string | null, textHash: textHash as string | null, annotations };
}
