/**
 * Consistency checks of sidecars for CI (`corpus-annotator check`): the validator's errors
 * (encoding, damaged or truncated files, schema, merge conflicts), labels missing from the label
 * schema, missing articles and anchors whose quote is no longer at its offsets. Pure and
 * read-only: the caller reads the files, nothing is ever written (orphans are reported, kept).
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { parseLabelSchema } from '../annotations/labelSchema';
import { parseSidecar } from '../annotations/sidecarCodec';
import { openSidecarSession } from '../annotations/sidecarSession';
import { decodeSidecarBytes, type SidecarError } from '../annotations/sidecarValidator';
import type { SidecarData } from '../annotations/model';
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
	// The same session every writer opens: what it refuses, check reports.
	let data: SidecarData;
	let anchors: ReadonlyMap<string, AnchorResult> | undefined;
	if (input.articleText !== undefined) {
		const opened = openSidecarSession({ sidecarText: text, articleText: input.articleText, articleName: input.articleName });
		if (!opened.ok) {
			return errorsAsProblems(opened.errors);
		}
		data = opened.session.asRead;
		anchors = opened.session.anchors;
	} else {
		const parsed = parseSidecar(text);
		if (!parsed.ok) {
			return errorsAsProblems(parsed.errors);
		}
		data = parsed.doc.data;
	}
	const positions = annotationPositions(text);
	const header = positions.get('') ?? { line: 1, column: 1, labelLine: 1, labelColumn: 1 };
	if (data.article !== input.articleName) {
		problems.push({
			file, line: header.labelLine, column: header.labelColumn, severity: 'warning', code: 'article-mismatch',
			message: `"article" says ${data.article} but the sidecar belongs to ${input.articleName}.`,
		});
	}
	if (input.articleText === undefined && !input.articleUnreadable) {
		problems.push({ file, line: 1, column: 1, severity: 'error', code: 'missing-article', message: `The article ${input.articleName} does not exist next to this sidecar.` });
	}
	for (const a of data.annotations) {
		const pos = positions.get(a.id) ?? header;
		if (!input.labels.has(a.label)) {
			problems.push({
				file, line: pos.labelLine, column: pos.labelColumn, severity: 'error', code: 'unknown-label',
				message: `Annotation ${a.id}: label "${a.label}" is not in the label schema (${[...input.labels].join(', ')}).`,
			});
		}
		const r = anchors?.get(a.id);
		if (!r) {
			continue;
		}
		const where = `${a.start}–${a.end}`;
		if (r.status === 'moved') {
			problems.push({
				file, line: pos.line, column: pos.column, severity: 'warning', code: 'anchor-moved',
				message: `Annotation ${a.id}: quote “${a.quote}” is no longer at ${where}; found unchanged at ${r.start}–${r.end} (can be re-anchored: open the article in Corpus Annotator).`,
			});
		} else if (r.status === 'fuzzy') {
			problems.push({
				file, line: pos.line, column: pos.column, severity: 'warning', code: 'anchor-fuzzy',
				message: `Annotation ${a.id}: quote “${a.quote}” is no longer at ${where}; an edited version “${r.selector?.quote ?? ''}” was found at ${r.start}–${r.end} (can be re-anchored; check the quote).`,
			});
		} else if (r.status === 'orphaned') {
			problems.push({
				file, line: pos.line, column: pos.column, severity: 'error', code: 'anchor-orphaned',
				message: `Annotation ${a.id}: quote “${a.quote}” is no longer at ${where} and cannot be re-anchored (${r.reason ?? 'not found'}).`,
			});
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

/**
 * Where each annotation is (its `- ` item, and its `label` value), by id; key `''` holds the
 * position of the `article` header value.
 */
function annotationPositions(text: string): Map<string, { line: number; column: number; labelLine: number; labelColumn: number }> {
	const result = new Map<string, { line: number; column: number; labelLine: number; labelColumn: number }>();
	const lineCounter = new LineCounter();
	const doc = parseDocument(text, { lineCounter, version: '1.2' });
	const pos = (node: YamlNode | undefined | null): { line: number; col: number } => lineCounter.linePos(node?.range?.[0] ?? 0);
	const root = doc.contents;
	if (!isMap(root)) {
		return result;
	}
	const article = pos(root.get('article', true) as YamlNode | undefined);
	result.set('', { line: article.line, column: article.col, labelLine: article.line, labelColumn: article.col });
	const seq = root.get('annotations', true) as YamlNode | undefined;
	if (!isSeq(seq)) {
		return result;
	}
	for (const item of seq.items as YamlNode[]) {
		if (!isMap(item)) {
			continue;
		}
		const idNode = item.get('id', true) as YamlNode | undefined;
		if (!isScalar(idNode) || result.has(String(idNode.value))) {
			continue;
		}
		const at = pos(item);
		const label = pos((item.get('label', true) as YamlNode | undefined) ?? item);
		result.set(String(idNode.value), { line: at.line, column: at.col, labelLine: label.line, labelColumn: label.col });
	}
	return result;
}
