/**
 * Consistency checks of sidecars for CI (`corpus-annotator check`): the validator's errors
 * (encoding, damaged or truncated files, schema, merge conflicts), labels missing from the label
 * schema, missing articles, anchors whose quote is no longer at its offsets, and relations whose
 * ends name no annotation of the file, whose type the schema lacks or does not allow between
 * those labels. Pure and read-only: the caller reads the files, nothing is ever written (orphans
 * are reported, kept).
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode, YAMLMap } from 'yaml';
import { DEFAULT_RELATION_TYPES, disallowedEnds, parseLabelSchema } from '../annotations/labelSchema';
import { parseSidecar } from '../annotations/sidecarCodec';
import { articleHeader, openSidecarSession, reanchorAgainst } from '../annotations/sidecarSession';
import { prepareText } from '../annotations/anchoring';
import { readSidecarFast } from '../agreement/fastSidecarRead';
import { decodeSidecarBytes, type SidecarError } from '../annotations/sidecarValidator';
import type { Relation, RelationTypeDef, SidecarData } from '../annotations/model';
import type { AnchorResult } from '../annotations/anchoring';
import { parseEntityList } from '../entities/entityList';

export type ProblemSeverity = 'error' | 'warning';

/** One finding, positioned 1-based like a compiler message. */
export interface CheckProblem {
	file: string;
	line: number;
	column: number;
	severity: ProblemSeverity;
	/** Machine-readable kind: a codec error code or one of this module's codes. */
	code: string;
	message: string;
}

/** What {@link checkSidecar} needs to know about one sidecar. */
export interface SidecarCheckInput {
	/** Path shown in problems. */
	readonly file: string;
	/** The file's bytes (decoded strictly here), or its text already decoded. */
	readonly text: string | Uint8Array;
	/** File name the article should have (`<sidecar name>.txt`). */
	readonly articleName: string;
	/** The article's text, or undefined when the article file does not exist (or cannot be read: see `articleUnreadable`). */
	readonly articleText: string | undefined;
	/** The article exists but cannot be read (reported on its own): no anchors are checked. */
	readonly articleUnreadable?: boolean;
	/** Label ids allowed (from `.corpus/labels.yaml` or the defaults). */
	readonly labels: ReadonlySet<string>;
	/** Relation types in force (`.corpus/labels.yaml`'s, or the defaults when it defines none); default {@link DEFAULT_RELATION_TYPES}. */
	readonly relationTypes?: readonly RelationTypeDef[];
}

/** Checks one sidecar. */
export function checkSidecar(input: SidecarCheckInput): CheckProblem[] {
	const { file } = input;
	const problems: CheckProblem[] = [];
	const errorsAsProblems = (errors: readonly SidecarError[]): CheckProblem[] =>
		errors.map((e) => ({ file, line: e.line, column: e.column, severity: 'error', code: e.code, message: e.message }));
	let text: string;
	if (typeof input.text === 'string') {
		text = input.text;
	} else {
		const decoded = decodeSidecarBytes(input.text);
		if (!decoded.ok) {
			return errorsAsProblems(decoded.errors);
		}
		text = decoded.text;
	}
	// The printer's layout is read without the YAML library (the fast reader accepts only what the
	// codec accepts); anything else goes through the same session every writer opens (or the codec
	// when there is no article): what it refuses, check reports, with the codec's wording.
	const prepared = input.articleText === undefined ? undefined : prepareText(input.articleText);
	const textHash = prepared && articleHeader(input.articleName, prepared).textHash!;
	let data = readSidecarFast(text, prepared && { codePointLength: prepared.canonIndex.codePointLength, textHash: textHash! });
	let anchors: ReadonlyMap<string, AnchorResult> | undefined;
	if (data && prepared) {
		const results = data.textHash === textHash ? undefined : reanchorAgainst(prepared, data.annotations);
		anchors = new Map(data.annotations.map((a, i) => [a.id, results?.[i] ?? { status: 'anchored', start: a.start, end: a.end, score: 1 }]));
	} else if (!data && input.articleText !== undefined) {
		const opened = openSidecarSession({ sidecarText: text, articleText: input.articleText, articleName: input.articleName });
		if (!opened.ok) {
			return errorsAsProblems(opened.errors);
		}
		data = opened.session.asRead;
		anchors = opened.session.anchors;
	} else if (!data) {
		const parsed = parseSidecar(text);
		if (!parsed.ok) {
			return errorsAsProblems(parsed.errors);
		}
		data = parsed.doc.data;
	}
	// Positions cost a second YAML parse: only a sidecar with something to report pays it.
	let located: ReturnType<typeof itemPositions> | undefined;
	const where = (): ReturnType<typeof itemPositions> => (located ??= itemPositions(text));
	const headerPosition = (): AnnotationPosition => where().annotations.get('') ?? { line: 1, column: 1, labelLine: 1, labelColumn: 1 };
	if (data.article !== input.articleName) {
		problems.push({
			file, line: headerPosition().labelLine, column: headerPosition().labelColumn, severity: 'warning', code: 'article-mismatch',
			message: `"article" says ${data.article} but the sidecar belongs to ${input.articleName}.`,
		});
	}
	if (input.articleText === undefined && !input.articleUnreadable) {
		problems.push({ file, line: 1, column: 1, severity: 'error', code: 'missing-article', message: `The article ${input.articleName} does not exist next to this sidecar.` });
	}
	for (const a of data.annotations) {
		const r = anchors?.get(a.id);
		if (input.labels.has(a.label) && (!r || r.status === 'anchored')) {
			continue;
		}
		const pos = where().annotations.get(a.id) ?? headerPosition();
		if (!input.labels.has(a.label)) {
			problems.push({
				file, line: pos.labelLine, column: pos.labelColumn, severity: 'error', code: 'unknown-label',
				message: `Annotation ${a.id}: label "${a.label}" is not in the label schema (${[...input.labels].join(', ')}).`,
			});
		}
		if (!r) {
			continue;
		}
		const span = `${a.start}–${a.end}`;
		if (r.status === 'moved') {
			problems.push({
				file, line: pos.line, column: pos.column, severity: 'warning', code: 'anchor-moved',
				message: `Annotation ${a.id}: quote “${a.quote}” is no longer at ${span}; found unchanged at ${r.start}–${r.end} (can be re-anchored: open the article in Corpus Annotator).`,
			});
		} else if (r.status === 'fuzzy') {
			problems.push({
				file, line: pos.line, column: pos.column, severity: 'warning', code: 'anchor-fuzzy',
				message: `Annotation ${a.id}: quote “${a.quote}” is no longer at ${span}; an edited version “${r.selector?.quote ?? ''}” was found at ${r.start}–${r.end} (can be re-anchored; check the quote).`,
			});
		} else if (r.status === 'orphaned') {
			problems.push({
				file, line: pos.line, column: pos.column, severity: 'error', code: 'anchor-orphaned',
				message: `Annotation ${a.id}: quote “${a.quote}” is no longer at ${span} and cannot be re-anchored (${r.reason ?? 'not found'}).`,
			});
		}
	}
	if (data.relations.length > 0) {
		problems.push(...checkRelations(file, data, input.relationTypes ?? DEFAULT_RELATION_TYPES, () => where().relations, headerPosition));
	}
	return problems;
}

/**
 * Relations: each end must name an annotation of the file (orphaned ones count: they are still
 * there), the type must be in force, and the labels at its ends allowed by the type.
 */
function checkRelations(
	file: string, data: SidecarData, types: readonly RelationTypeDef[], positions: () => ReadonlyMap<string, RelationPositions>, fallback: () => Position,
): CheckProblem[] {
	const problems: CheckProblem[] = [];
	const annotations = new Map(data.annotations.map((a) => [a.id, a]));
	const typesById = new Map(types.map((t) => [t.id, t]));
	const error = (at: Position, code: string, message: string): void => {
		problems.push({ file, line: at.line, column: at.column, severity: 'error', code, message });
	};
	for (const r of data.relations) {
		const at = (key: 'type' | 'from' | 'to'): Position => {
			const pos = positions().get(r.id);
			return pos?.[key] ?? pos?.item ?? fallback();
		};
		for (const end of ['from', 'to'] as const) {
			if (!annotations.has(r[end])) {
				error(at(end), 'dangling-relation', `Relation ${r.id}: "${end}" names no annotation of this file ("${r[end]}").`);
			}
		}
		const type = typesById.get(r.type);
		if (!type) {
			error(at('type'), 'unknown-relation-type', `Relation ${r.id}: type "${r.type}" is not in the label schema's relation types (${types.map((t) => t.id).join(', ')}).`);
			continue;
		}
		for (const { end, allowed, label } of disallowedEnds(type, { from: annotations.get(r.from)?.label, to: annotations.get(r.to)?.label })) {
			error(at('type'), 'relation-not-allowed', `Relation ${r.id}: "${r.type}" ${end === 'from' ? 'goes from' : 'goes to'} ${allowed.join(' or ')}, but its "${end}" annotation ${r[end]} is labelled ${label}.`);
		}
	}
	return problems;
}

/** Checks `.corpus/labels.yaml`. */
export function checkLabelSchema(file: string, text: string): CheckProblem[] {
	return parseLabelSchema(text).errors.map((e) => ({ file, line: e.line, column: e.column, severity: 'error', code: e.code, message: e.message }));
}

/** Checks `.corpus/entities.yaml`. */
export function checkEntityList(file: string, text: string): CheckProblem[] {
	return parseEntityList(text).errors.map((e) => ({ file, line: e.line, column: e.column, severity: 'error', code: 'invalid-entity-list', message: e.message }));
}

/** Sorts problems by file, line, column. */
export function compareProblems(a: CheckProblem, b: CheckProblem): number {
	return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
}

/** `path:line:col: severity: message [code]`. */
export function formatProblem(p: CheckProblem): string {
	return `${p.file}:${p.line}:${p.column}: ${p.severity}: ${p.message} [${p.code}]`;
}

interface Position {
	line: number;
	column: number;
}

interface AnnotationPosition extends Position {
	labelLine: number;
	labelColumn: number;
}

/** Where a relation's item and its `type`, `from` and `to` values are. */
interface RelationPositions {
	item: Position;
	type?: Position;
	from?: Position;
	to?: Position;
}

/**
 * Where each annotation is (its `- ` item, and its `label` value), by id, with key `''` for the
 * position of the `article` header value; and where each relation's item and values are.
 */
function itemPositions(text: string): { annotations: Map<string, AnnotationPosition>; relations: Map<string, RelationPositions> } {
	const annotations = new Map<string, AnnotationPosition>();
	const relations = new Map<string, RelationPositions>();
	const lineCounter = new LineCounter();
	const doc = parseDocument(text, { lineCounter, version: '1.2' });
	const pos = (node: YamlNode | undefined | null): Position => {
		const p = lineCounter.linePos(node?.range?.[0] ?? 0);
		return { line: p.line, column: p.col };
	};
	const root = doc.contents;
	if (!isMap(root)) {
		return { annotations, relations };
	}
	const article = pos(root.get('article', true) as YamlNode | undefined);
	annotations.set('', { ...article, labelLine: article.line, labelColumn: article.column });
	/** The map items of a top-level list with a scalar id, first of each id only (`skip`: ids already taken). */
	const items = (key: string, skip: ReadonlySet<string> = new Set()): Map<string, YAMLMap> => {
		const seq = root.get(key, true) as YamlNode | undefined;
		const out = new Map<string, YAMLMap>();
		for (const item of isSeq(seq) ? (seq.items as YamlNode[]) : []) {
			const idNode = isMap(item) ? (item.get('id', true) as YamlNode | undefined) : undefined;
			const id = isScalar(idNode) ? String(idNode.value) : undefined;
			if (isMap(item) && id !== undefined && !skip.has(id) && !out.has(id)) {
				out.set(id, item);
			}
		}
		return out;
	};
	for (const [id, item] of items('annotations', new Set(['']))) {
		const at = pos(item);
		const label = pos((item.get('label', true) as YamlNode | undefined) ?? item);
		annotations.set(id, { ...at, labelLine: label.line, labelColumn: label.column });
	}
	for (const [id, item] of items('relations')) {
		const value = (key: keyof Relation): Position | undefined => {
			const node = item.get(key, true) as YamlNode | undefined;
			return node ? pos(node) : undefined;
		};
		relations.set(id, { item: pos(item), type: value('type'), from: value('from'), to: value('to') });
	}
	return { annotations, relations };
}
