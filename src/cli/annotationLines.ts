/**
 * `annotate --from FILE.jsonl`: one annotation per line, with the fields the flags take. Every
 * problem is reported with the line and column it is at, so a generated file can be fixed where
 * it went wrong; the reader never stops at the first one.
 */

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
		let value: unknown;
		try {
			value = JSON.parse(source);
		} catch (error) {
			problems.push({ line, column: jsonErrorOffset(source) + 1, message: `not JSON: ${(error as Error).message}` });
			return;
		}
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

function escapeRegExp(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Offset of the first character that makes `s` invalid JSON (its length when it ends too
 * early). JSON.parse's own message gives a position for some errors only.
 */
export function jsonErrorOffset(s: string): number {
	let i = 0;
	const ws = (): void => {
		while (i < s.length && ' \t\n\r'.includes(s[i])) {
			i++;
		}
	};
	const bad = (): never => {
		throw i;
	};
	const literal = (word: string): void => {
		for (const ch of word) {
			if (s[i] !== ch) {
				bad();
			}
			i++;
		}
	};
	const string = (): void => {
		i++; // opening quote
		while (i < s.length && s[i] !== '"') {
			if (s[i] === '\\') {
				i++;
				if (s[i] === 'u') {
					for (let k = 1; k <= 4; k++) {
						if (!/[0-9a-fA-F]/.test(s[i + k] ?? '')) {
							i += k;
							bad();
						}
					}
					i += 4;
				} else if (!'"\\/bfnrt'.includes(s[i] ?? 'x')) {
					bad();
				}
			} else if (s.charCodeAt(i) < 0x20) {
				bad();
			}
			i++;
		}
		if (i >= s.length) {
			bad();
		}
		i++;
	};
	const number = (): void => {
		const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/.exec(s.slice(i));
		if (!m) {
			bad();
		}
		i += m![0].length;
	};
	/** An object or array after its opening bracket: items separated by commas, then `close`. */
	const sequence = (close: string, item: () => void): void => {
		i++;
		ws();
		if (s[i] === close) {
			i++;
			return;
		}
		for (;;) {
			item();
			ws();
			if (s[i] === ',') {
				i++;
			} else if (s[i] === close) {
				i++;
				return;
			} else {
				bad();
			}
		}
	};
	const member = (): void => {
		ws();
		if (s[i] !== '"') {
			bad();
		}
		string();
		ws();
		if (s[i] !== ':') {
			bad();
		}
		i++;
		value();
	};
	const value = (): void => {
		ws();
		const c = s[i];
		if (c === '{') {
			sequence('}', member);
		} else if (c === '[') {
			sequence(']', value);
		} else if (c === '"') {
			string();
		} else if (c === 't') {
			literal('true');
		} else if (c === 'f') {
			literal('false');
		} else if (c === 'n') {
			literal('null');
		} else {
			number();
		}
	};
	try {
		value();
		ws();
		return i < s.length ? i : s.length;
	} catch (at) {
		return Math.min(at as number, s.length);
	}
}
