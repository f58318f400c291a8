/**
 * `annotate --from FILE.jsonl`: one annotation per line, with the fields the flags take. Every
 * problem is reported with the line and column it is at, so a generated file can be fixed where
 * it went wrong; the reader never stops at the first one.
 */

import { parseJson } from '../core/exchange/jsonExchange';
import { escapeRegExp } from '../core/text/namePattern';

/** One requested annotation, with where it was written. */
export interface AnnotationRequest {
	/** 1-based line in the file. */
	readonly line: number;
	/** `article`, as written (relative to the current folder), or undefined: the command's article. */
	readonly article?: string;
	readonly start: number;
	readonly end: number;
	readonly label: string;
	readonly note?: string;
	readonly author?: string;
	readonly entity?: string;
	/** 1-based column of a field's value on its line (1 when it cannot be found). */
	column(field: string): number;
}

export interface LineProblem {
	readonly line: number;
	readonly column: number;
	readonly message: string;
}

const STRING_FIELDS = ['label', 'note', 'author', 'entity', 'article'] as const;
const INTEGER_FIELDS = ['start', 'end'] as const;
const KNOWN = new Set<string>([...STRING_FIELDS, ...INTEGER_FIELDS]);

/** Parses the lines; blank lines are skipped. */
export function readAnnotationLines(text: string): { requests: AnnotationRequest[]; problems: LineProblem[] } {
	const requests: AnnotationRequest[] = [];
	const problems: LineProblem[] = [];
	const lines = text.split('\n');
	lines.forEach((raw, i) => {
		const source = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
		const line = i + 1;
		if (source.trim() === '') {
			return;
		}
		const parsed = parseJson(source, line);
		if (!parsed.ok) {
			problems.push({ line, column: parsed.column, message: parsed.message });
			return;
		}
		const value = parsed.value;
		if (typeof value !== 'object' || value === null || Array.isArray(value)) {
			problems.push({ line, column: firstNonBlank(source), message: 'expected one JSON object per line, like {"start": 0, "end": 5, "label": "claim"}' });
			return;
		}
		const column = (field: string): number => valueColumn(source, field);
		const record = value as Record<string, unknown>;
		const before = problems.length;
		for (const key of Object.keys(record)) {
			if (!KNOWN.has(key)) {
				problems.push({ line, column: keyColumn(source, key), message: `unknown field "${key}"; known fields: ${[...INTEGER_FIELDS, ...STRING_FIELDS].join(', ')}` });
			}
		}
		for (const key of INTEGER_FIELDS) {
			const v = record[key];
			if (v === undefined) {
				problems.push({ line, column: firstNonBlank(source), message: `"${key}" is required` });
			} else if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
				problems.push({ line, column: column(key), message: `"${key}" must be a whole number, got ${JSON.stringify(v)}` });
			}
		}
		for (const key of STRING_FIELDS) {
			const v = record[key];
			if (v !== undefined && (typeof v !== 'string' || (v === '' && key !== 'note'))) {
				problems.push({ line, column: column(key), message: `"${key}" must be a non-empty string, got ${JSON.stringify(v)}` });
			}
		}
		if (record.label === undefined) {
			problems.push({ line, column: firstNonBlank(source), message: '"label" is required' });
		}
		if (problems.length === before) {
			requests.push({ ...(record as Omit<AnnotationRequest, 'line' | 'column'>), line, column });
		}
	});
	return { requests, problems };
}

function firstNonBlank(s: string): number {
	return s.search(/\S/) + 1;
}

/** Column of `"key"` as a key (the raw text is searched: a key written with escapes is not found). */
function keyColumn(source: string, key: string): number {
	const m = new RegExp(`${escapeRegExp(JSON.stringify(key))}\\s*:`).exec(source);
	return m ? m.index + 1 : 1;
}

/** Column of the value of `"key": value`. */
function valueColumn(source: string, key: string): number {
	const m = new RegExp(`${escapeRegExp(JSON.stringify(key))}\\s*:\\s*`).exec(source);
	return m ? m.index + m[0].length + 1 : 1;
}

