/**
 * Migration of plain texts into articles: a text another tool annotated (brat, doccano…) that has
 * no header yet becomes an article by putting the header ` date YYYY-MM ` in front of its first
 * line, so that the first paragraph becomes the lead on line 1 (see the article format). Every
 * offset moves by the header's length in code points; nothing else changes.
 */
import { selectorAt } from '../annotations/anchoring';
import type { Annotation, Relation } from '../annotations/model';
import { sidecarOffset } from '../annotations/offsets';
import { looksLikeArticle } from '../article/articleParser';
import type { ExchangeError, ImportedDocument } from './exchangeFormat';

/** `YYYY-MM` with a month 01–12. */
const MONTH = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

/** True for a month the header can carry (`2025-07`). */
export function isArticleMonth(date: string): boolean {
	return MONTH.test(date);
}

/** The header an article of this month starts with (one space, `date`, one space, the month, one space). */
export function articleHeaderText(date: string): string {
	if (!isArticleMonth(date)) {
		throw new Error(`"${date}" is not a month YYYY-MM`);
	}
	return ` date ${date} `;
}

/** True when the text already starts with an article header (then it is not migrated). */
export function isArticleText(text: string): boolean {
	return looksLikeArticle(text);
}

/**
 * The article for a plain text: the header in front (after a BOM, which stays first), and the
 * annotations shifted by the header's length and given fresh quote and context from the new
 * text. Relations refer to annotation ids, which do not change.
 */
export function migrateDocument(doc: ImportedDocument, date: string): ImportedDocument {
	const header = articleHeaderText(date);
	const bom = doc.text.startsWith('\uFEFF') ? '\uFEFF' : '';
	const text = bom + header + doc.text.slice(bom.length);
	// The header is ASCII: its length in code points is its length.
	const shift = header.length;
	const annotations = doc.annotations.map((a): Annotation => {
		const s = selectorAt(text, sidecarOffset(a.start + shift), sidecarOffset(a.end + shift));
		return { ...a, start: s.start, end: s.end, quote: s.quote, prefix: s.prefix, suffix: s.suffix };
	});
	const relations: Relation[] = doc.relations.map((r) => ({ ...r }));
	return { path: doc.path, text, annotations, relations };
}

/**
 * `dates.csv` beside an import's input: `path,date` lines (a header line `path,date` is allowed,
 * blank lines and `#` comments are skipped). Paths are relative to the input root with `/`.
 * Every bad line is reported with its line and column.
 */
export function parseDatesCsv(text: string, file = 'dates.csv'): { dates: Map<string, string>; errors: ExchangeError[] } {
	const dates = new Map<string, string>();
	const errors: ExchangeError[] = [];
	const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
	lines.forEach((raw, i) => {
		const line = raw.trim();
		if (line === '' || line.startsWith('#') || (i === 0 && /^path\s*,\s*date$/i.test(line))) {
			return;
		}
		const comma = raw.lastIndexOf(',');
		if (comma < 0) {
			errors.push({ file, line: i + 1, column: 1, message: 'expected "path,date" (for example "2024/05/001.txt,2024-05")' });
			return;
		}
		const path = unquote(raw.slice(0, comma).trim()).replace(/\\/g, '/').replace(/^\.\//, '');
		const date = unquote(raw.slice(comma + 1).trim());
		if (path === '') {
			errors.push({ file, line: i + 1, column: 1, message: 'the path is empty' });
		} else if (!isArticleMonth(date)) {
			errors.push({ file, line: i + 1, column: comma + 2, message: `"${date}" is not a month YYYY-MM (01–12)` });
		} else if (dates.has(path)) {
			errors.push({ file, line: i + 1, column: 1, message: `${path} is listed twice` });
		} else {
			dates.set(path, date);
		}
	});
	return { dates, errors };
}

function unquote(s: string): string {
	return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s;
}
