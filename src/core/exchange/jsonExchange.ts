/**
 * What the three JSON exchange formats (W3C Web Annotation, doccano, Label Studio) share:
 * - {@link parseJson}: JSON with the line and column of every object and array, so a problem deep
 *   in a task list names the line it is on (and a syntax error its exact place);
 * - {@link RawText}: offsets in code points of a text *as given* (BOM and CR counted, the unit
 *   of doccano and Label Studio, both of which count `text[start:end]` in code points) to and
 *   from sidecar offsets;
 * - {@link DocumentBuilder}: one imported document from spans and relations, with the checks
 *   every import makes (span inside the text, field values a sidecar accepts, unique ids, ids
 *   for spans the format gave none) and errors that name the file and line;
 * - export-side checks ({@link checkArticle}) and path rules ({@link articlePathProblem}).
 */
import { prepareText, selectorAt, type PreparedText } from '../annotations/anchoring';
import { makeIdGenerator } from '../annotations/factory';
import { ANNOTATION_FIELDS, RELATION_FIELDS } from '../annotations/fieldTable';
import { compareAnnotations, type Annotation, type LabelDef, type Relation, type RelationTypeDef } from '../annotations/model';
import { editorOffset, sidecarOffset, TextIndex, type CanonicalUtf16Offset, type SidecarOffset } from '../annotations/offsets';
import { fieldValueProblem } from '../annotations/sidecarValidator';
import { seededRandom } from '../util/seededRandom';
import type { ExchangeDocument, ExchangeError, ExchangeLoss, ExchangeSchema, ImportedDocument } from './exchangeFormat';

// ---- JSON with positions --------------------------------------------------------------------

/** 1-based line and column (UTF-16 units) in a file. */
export interface Place {
	readonly line: number;
	readonly column: number;
}

export type JsonParse =
	| { readonly ok: true; readonly value: unknown; readonly at: (node: unknown) => Place }
	| { readonly ok: false; readonly line: number; readonly column: number; readonly message: string };

const MAX_DEPTH = 512;

class JsonSyntaxError {
	constructor(readonly message: string, readonly offset: number) { }
}

/**
 * Parses `text` as JSON (a leading BOM is skipped) and remembers where each object and array
 * starts. `firstLine`: the line number of the text's first line (for one line of a JSONL file).
 */
export function parseJson(text: string, firstLine = 1): JsonParse {
	// A Map, not a WeakMap: it lives as long as the parse result, and weak tables cost the collector dearly.
	const starts = new Map<object, number>();
	const n = text.length;
	let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
	const fail = (message: string, at = i): never => {
		throw new JsonSyntaxError(message, at);
	};
	const ws = (): void => {
		for (; i < n; i++) {
			const c = text.charCodeAt(i);
			if (c !== 32 && c !== 10 && c !== 13 && c !== 9) {
				return;
			}
		}
	};
	const unexpected = (): never => fail(i >= n ? 'the JSON text ends too early' : `unexpected ${JSON.stringify(text[i])}`);
	const string = (): string => {
		const open = i++;
		let escaped = false;
		for (; i < n; i++) {
			const c = text.charCodeAt(i);
			if (c === 34) {
				i++;
				const token = text.slice(open, i);
				return escaped ? JSON.parse(token) as string : token.slice(1, -1);
			}
			if (c < 32) {
				fail('a control character inside a string (write it as an escape such as \\n)');
			}
			if (c === 92) {
				escaped = true;
				const e = text[i + 1];
				if (e === 'u') {
					if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
						fail('a \\u escape needs four hex digits', i + 1);
					}
					i += 5;
				} else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
					i++;
				} else {
					fail(`bad escape "\\${e ?? ''}" in a string`, i + 1);
				}
			}
		}
		return fail('a string is not closed', open);
	};
	const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
	/** The members of an object or array after its opening bracket, through `close`. */
	const members = (close: string, member: () => void): void => {
		ws();
		if (text[i] === close) {
			i++;
			return;
		}
		for (;;) {
			member();
			ws();
			if (text[i] === ',') {
				i++;
			} else if (text[i] === close) {
				i++;
				return;
			} else {
				unexpected();
			}
		}
	};
	const value = (depth: number): unknown => {
		ws();
		if (depth > MAX_DEPTH) {
			fail(`nested more than ${MAX_DEPTH} levels deep`);
		}
		const c = text[i];
		if (c === '{') {
			const obj: Record<string, unknown> = {};
			starts.set(obj, i++);
			members('}', () => {
				ws();
				if (text[i] !== '"') {
					unexpected();
				}
				const key = string();
				ws();
				if (text[i] !== ':') {
					unexpected();
				}
				i++;
				const v = value(depth + 1);
				if (key === '__proto__') {
					// An ordinary key, as in JSON.parse, not the prototype.
					Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
				} else {
					obj[key] = v;
				}
			});
			return obj;
		}
		if (c === '[') {
			const arr: unknown[] = [];
			starts.set(arr, i++);
			members(']', () => arr.push(value(depth + 1)));
			return arr;
		}
		if (c === '"') {
			return string();
		}
		const literal = c === 't' ? 'true' : c === 'f' ? 'false' : c === 'n' ? 'null' : undefined;
		if (literal !== undefined) {
			if (!text.startsWith(literal, i)) {
				unexpected();
			}
			i += literal.length;
			return literal === 'true' ? true : literal === 'false' ? false : null;
		}
		NUMBER.lastIndex = i;
		const m = NUMBER.exec(text);
		if (!m) {
			unexpected();
		}
		i += m![0].length;
		return Number(m![0]);
	};
	let lineStarts: number[] | undefined;
	const placeOf = (offset: number): Place => {
		if (!lineStarts) {
			lineStarts = [0];
			for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) {
				lineStarts.push(k + 1);
			}
		}
		let lo = 0, hi = lineStarts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >>> 1;
			if (lineStarts[mid] <= offset) {
				lo = mid;
			} else {
				hi = mid - 1;
			}
		}
		return { line: firstLine + lo, column: offset - lineStarts[lo] + 1 };
	};
	try {
		const v = value(0);
		ws();
		if (i < n) {
			fail(`unexpected ${JSON.stringify(text[i])} after the JSON value`);
		}
		return {
			ok: true, value: v,
			at: (node) => placeOf(typeof node === 'object' && node !== null ? starts.get(node) ?? 0 : 0),
		};
	} catch (error) {
		if (error instanceof JsonSyntaxError) {
			return { ok: false, ...placeOf(error.offset), message: `not valid JSON: ${error.message}` };
		}
		throw error;
	}
}

/** What JSON.stringify would escape in a string, and lone surrogates (it escapes those too). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(s)`, without the call for the usual string that needs no escape. */
export function jsonString(s: string): string {
	return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** True for a plain JSON object (not an array, not null). */
export function isRecord(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A whole number ≥ 0, as an offset must be. */
export function isOffset(v: unknown): v is number {
	return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

// ---- offsets in the text as given ------------------------------------------------------------

/**
 * An article text as the file holds it, with conversions between code points of that text
 * (a BOM and each CR count as one: doccano's and Label Studio's unit) and sidecar offsets (code
 * points of the canonical text).
 */
export class RawText {
	readonly prepared: PreparedText;
	private readonly identity: boolean;
	private pointIndex: TextIndex<CanonicalUtf16Offset> | undefined;

	constructor(readonly raw: string) {
		this.prepared = prepareText(raw);
		this.identity = this.prepared.canonical === raw;
	}

	/** Code points ↔ UTF-16 of the text as given: only surrogate pairs are folded (no BOM or CRLF rule); built when first needed. */
	private get points(): TextIndex<CanonicalUtf16Offset> {
		this.pointIndex ??= this.identity ? this.prepared.canonIndex : TextIndex.forCanonical(this.raw);
		return this.pointIndex;
	}

	/** Code points of the text as given. */
	get length(): number {
		return this.points.codePointLength;
	}

	/** The sidecar offset of code point `rawPoint` of the text as given (inside a CRLF: after it). */
	toSidecar(rawPoint: number): SidecarOffset {
		if (this.identity) {
			return sidecarOffset(rawPoint);
		}
		// The index counts code points of its text; here that text is the raw one.
		const utf16 = this.points.toUtf16(sidecarOffset(rawPoint));
		return this.prepared.rawIndex.toCodePoint(editorOffset(utf16));
	}

	/** Code points of the text as given before sidecar offset `offset`. */
	fromSidecar(offset: SidecarOffset): number {
		if (this.identity) {
			return offset;
		}
		const utf16 = this.prepared.rawIndex.toUtf16(offset);
		return this.points.toCodePoint(utf16 as number as CanonicalUtf16Offset);
	}

	/** The text as given between two of its code-point offsets. */
	slice(rawStart: number, rawEnd: number): string {
		return this.raw.slice(this.points.toUtf16(sidecarOffset(rawStart)), this.points.toUtf16(sidecarOffset(rawEnd)));
	}

	/** Why [start, end) in code points of the text as given is not a span of it (undefined: it is). */
	rangeProblem(start: number, end: number): string | undefined {
		if (end > this.length) {
			return `the span ${start}–${end} ends past the text, which has ${this.length} characters`;
		}
		if (start >= end) {
			return `the span ${start}–${end} is empty or reversed`;
		}
		return undefined;
	}
}

/** Why a sidecar span is not inside `text` (undefined: it is). */
export function canonicalRangeProblem(text: PreparedText, start: number, end: number): string | undefined {
	const length = text.canonIndex.codePointLength;
	if (end > length) {
		return `the span ${start}–${end} ends past the text, which has ${length} code points`;
	}
	if (start >= end) {
		return `the span ${start}–${end} is empty or reversed`;
	}
	return undefined;
}

// ---- building imported documents ------------------------------------------------------------

/** Optional annotation fields an import can carry. */
export type AnnotationExtras = Partial<Pick<Annotation, 'note' | 'entity' | 'author' | 'created' | 'modified' | 'curated_by' | 'curated'>>;
/** Optional relation fields an import can carry. */
export type RelationExtras = Partial<Pick<Relation, 'note' | 'author' | 'created' | 'modified'>>;

export const ANNOTATION_EXTRA_KEYS = ['note', 'entity', 'author', 'created', 'modified', 'curated_by', 'curated'] as const satisfies readonly (keyof AnnotationExtras)[];
export const RELATION_EXTRA_KEYS = ['note', 'author', 'created', 'modified'] as const satisfies readonly (keyof RelationExtras)[];

/** The optional fields of an annotation or relation that are set. */
export function extrasOf<K extends string>(item: Partial<Record<K, string>>, keys: readonly K[]): Partial<Record<K, string>> {
	const out: Partial<Record<K, string>> = {};
	for (const k of keys) {
		if (item[k] !== undefined) {
			out[k] = item[k];
		}
	}
	return out;
}

/** One span, in sidecar offsets already checked to lie inside the text. */
export interface SpanInput {
	readonly id?: string;
	readonly label: string;
	readonly start: SidecarOffset;
	readonly end: SidecarOffset;
	readonly extras?: Record<string, unknown>;
	readonly place: Place;
}

/** One relation between two spans of the same document, given by their indexes in the span list. */
export interface RelationInput {
	readonly id?: string;
	readonly type: string;
	readonly from: number;
	readonly to: number;
	readonly extras?: Record<string, unknown>;
	readonly place: Place;
}

function seedOf(s: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
	}
	return h >>> 0;
}

/**
 * Our fields stashed where a format has no place for them (doccano's `meta`, Label Studio's
 * `data`), found again by a key the format keeps (span and label, ends and type); each record is
 * taken once, as two annotations may share a key.
 */
export class Stash {
	private readonly byKey = new Map<string, Record<string, unknown>[]>();
	constructor(records: unknown, key: (r: Record<string, unknown>) => string) {
		for (const r of Array.isArray(records) ? records : []) {
			if (isRecord(r)) {
				const k = key(r);
				this.byKey.set(k, [...(this.byKey.get(k) ?? []), r]);
			}
		}
	}
	take(key: string): Record<string, unknown> | undefined {
		return this.byKey.get(key)?.shift();
	}
}

/** A {@link Stash} key from its parts. */
export function stashKey(...parts: unknown[]): string {
	return parts.map(String).join('\u0000');
}

/** Collects the labels and relation types an import meets, in first-seen order. */
export class SchemaCollector {
	private readonly labels = new Map<string, LabelDef>();
	private readonly types = new Map<string, RelationTypeDef>();
	label(id: string): void {
		if (!this.labels.has(id)) {
			this.labels.set(id, { id });
		}
	}
	relationType(id: string): void {
		if (!this.types.has(id)) {
			this.types.set(id, { id });
		}
	}
	schema(): ExchangeSchema {
		return { labels: [...this.labels.values()], relationTypes: [...this.types.values()] };
	}
}

/**
 * Builds one {@link ImportedDocument} (annotations in document order): checks each field as a sidecar would, gives spans and
 * relations without an id a fresh one (seeded by the path, so an import is reproducible), and
 * takes quote and context from the text. Problems go to `errors`, each naming `file` and a line.
 */
export function buildDocument(
	file: string, path: string, text: RawText, spans: readonly SpanInput[], relations: readonly RelationInput[],
	errors: ExchangeError[], schema: SchemaCollector,
): ImportedDocument | undefined {
	const before = errors.length;
	const report = (place: Place, message: string): void => {
		errors.push({ file, line: place.line, column: place.column, message });
	};
	const checkExtras = (extras: Record<string, unknown> | undefined, table: Record<string, Parameters<typeof fieldValueProblem>[1]>, keys: readonly string[], place: Place): Record<string, string> => {
		const out: Record<string, string> = {};
		for (const key of keys) {
			const v = extras?.[key];
			if (v === undefined || v === null) {
				continue;
			}
			const problem = fieldValueProblem(key, table[key], v);
			if (problem) {
				report(place, problem);
			} else {
				out[key] = v as string;
			}
		}
		return out;
	};
	/** The ids the input gives, each reported when given twice. */
	const givenIds = (items: readonly { id?: string; place: Place }[], what: string): Set<string> => {
		const given = new Set<string>();
		for (const item of items) {
			if (item.id !== undefined) {
				if (given.has(item.id)) {
					report(item.place, `${what} id "${item.id}" is used twice in ${path}`);
				}
				given.add(item.id);
			}
		}
		return given;
	};
	const ids = givenIds(spans, 'annotation');
	const rng = seededRandom(seedOf(path));
	const newId = makeIdGenerator(rng, (id) => ids.has(id));
	const annotations: Annotation[] = spans.map((s) => {
		if (typeof s.label !== 'string' || s.label === '') {
			report(s.place, 'the label must be a non-empty string');
		}
		if (s.start >= s.end) {
			// A span of only a BOM or the LF of a CRLF (the CR stands for the line break): nothing is left of it.
			report(s.place, 'the span holds nothing of the article text: only a BOM, or the LF of a CRLF');
		}
		const id = s.id ?? newId();
		ids.add(id);
		const sel = selectorAt(text.prepared, s.start, s.end);
		schema.label(s.label);
		return { id, label: s.label, ...sel, ...checkExtras(s.extras, ANNOTATION_FIELDS, ANNOTATION_EXTRA_KEYS, s.place) };
	});
	const relationIds = givenIds(relations, 'relation');
	const newRelationId = makeIdGenerator(rng, (id) => relationIds.has(id));
	const out: Relation[] = relations.map((r) => {
		if (typeof r.type !== 'string' || r.type === '') {
			report(r.place, 'the relation type must be a non-empty string');
		}
		const id = r.id ?? newRelationId();
		relationIds.add(id);
		schema.relationType(r.type);
		return { id, type: r.type, from: annotations[r.from].id, to: annotations[r.to].id, ...checkExtras(r.extras, RELATION_FIELDS, RELATION_EXTRA_KEYS, r.place) };
	});
	if (errors.length > before) {
		return undefined;
	}
	return { path, text: text.raw, annotations: annotations.sort(compareAnnotations), relations: out };
}

// ---- export side ------------------------------------------------------------------------------

/** The article's relations whose ends are both its annotations (the others are not exported). */
export function keptRelations(doc: ExchangeDocument): readonly Relation[] {
	if (doc.relations.length === 0) {
		return doc.relations;
	}
	const ids = new Set(doc.annotations.map((a) => a.id));
	return doc.relations.filter((r) => ids.has(r.from) && ids.has(r.to));
}

/** One article as every export checks it first, with its text's offset indexes (built once per article). */
export interface CheckedArticle {
	readonly text: RawText;
	/** {@link keptRelations}. */
	readonly relations: readonly Relation[];
	readonly losses: ExchangeLoss[];
	readonly warnings: string[];
}

/**
 * What every export checks first: annotations whose stored quote is not the text at their
 * offsets (orphaned; exported as stored, with a warning, and an import would refuse them), and
 * relations whose endpoint is not among the article's annotations (not exported, counted).
 */
export function checkArticle(doc: ExchangeDocument, formatName: string): CheckedArticle {
	const text = new RawText(doc.text);
	const warnings: string[] = [];
	for (const a of doc.annotations) {
		const problem = canonicalRangeProblem(text.prepared, a.start, a.end);
		if (problem || !quoteIsAt(text.prepared, a)) {
			warnings.push(`${doc.path}: annotation ${a.id}'s quote is not the text at ${a.start}–${a.end} (orphaned?); ${formatName} gets it as stored, and importing it back will refuse it.`);
		}
	}
	const relations = keptRelations(doc);
	const dangling = doc.relations.length - relations.length;
	const losses = dangling > 0 ? [{ what: 'relations whose endpoint is not an annotation of the article', count: dangling }] : [];
	return { text, relations, losses, warnings };
}

/** Whether the canonical text between the annotation's offsets is its quote (compared in place, no copy). */
function quoteIsAt(text: PreparedText, a: Pick<Annotation, 'start' | 'end' | 'quote'>): boolean {
	const from = text.canonIndex.toUtf16(a.start);
	return text.canonIndex.toUtf16(a.end) - from === a.quote.length && text.canonical.startsWith(a.quote, from);
}

/** Why `path` cannot be an article path an import writes (undefined: it can). */
export function articlePathProblem(path: string): string | undefined {
	if (path === '' || path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\\')) {
		return `"${path}" is not a relative path with "/" separators`;
	}
	if (path.split('/').some((seg) => seg === '..' || seg === '.' || seg === '')) {
		return `"${path}" has an empty, "." or ".." segment`;
	}
	return undefined;
}

/**
 * Where an imported text goes: the path the file declares (`meta.path`, `data.path`; checked,
 * `.txt` added when missing), else `<input stem>/<id>.txt` beside the input, `id` being the
 * record's own id when it is a plain name, else its 1-based number padded to four digits.
 */
export function importedPath(
	inputPath: string, declared: unknown, declaredName: string, id: unknown, number: number, report: (message: string) => void,
): string | undefined {
	if (typeof declared === 'string') {
		const problem = articlePathProblem(declared);
		if (problem) {
			report(`${declaredName}: ${problem}`);
			return undefined;
		}
		return declared.endsWith('.txt') ? declared : `${declared}.txt`;
	}
	const name = (typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && /^[A-Za-z0-9_-]+$/.test(id))
		? String(id) : String(number).padStart(4, '0');
	return `${withExtension(inputPath, '')}/${name}.txt`;
}

/** The folder part of a `/`-separated path, with its trailing slash (`""` at the root). */
export function folderOf(path: string): string {
	return path.slice(0, path.lastIndexOf('/') + 1);
}

/** The path with its last extension replaced (`a/b.txt` → `a/b.jsonld`). */
export function withExtension(path: string, extension: string): string {
	const slash = path.lastIndexOf('/');
	const dot = path.lastIndexOf('.');
	return (dot > slash ? path.slice(0, dot) : path) + extension;
}
