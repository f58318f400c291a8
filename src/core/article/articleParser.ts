/**
 * The article format (see README "File formats"): line 1 is ` date YYYY-MM <lead paragraph>`,
 * then paragraphs separated by blank lines, each paragraph one line; short lines without final
 * punctuation are section headings. The parser never throws: problems come back as issues with ranges.
 *
 * All offsets are UTF-16 indices into the text as given (what VS Code and JS strings use);
 * sidecars convert to code points at the edge.
 */

/** Year and month of an article; the format has month precision only. */
export interface ArticleDate {
	readonly year: number;
	readonly month: number;
}

export interface TextRange {
	readonly start: number;
	readonly end: number;
}

export type BlockKind = 'lead' | 'paragraph' | 'heading';

/** A paragraph, the lead or a heading: one line of text, without its line break. */
export interface ArticleBlock extends TextRange {
	readonly kind: BlockKind;
	readonly text: string;
	/** Zero-based line number of the block. */
	readonly line: number;
}

export type ArticleIssueCode =
	| 'empty-file'
	| 'invalid-date'
	| 'invalid-month'
	| 'missing-lead'
	| 'header-spacing'
	| 'invalid-encoding';

export interface ArticleIssue extends TextRange {
	readonly code: ArticleIssueCode;
	readonly severity: 'error' | 'warning';
	readonly message: string;
}

export interface ParsedArticle {
	/** Null when the header is missing or its date is invalid. */
	readonly date: ArticleDate | null;
	/** Range of ` date YYYY-MM ` (without the BOM), or null when line 1 is not a header at all. */
	readonly header: (TextRange & { readonly keyword: TextRange; readonly dateText: TextRange }) | null;
	readonly lead: ArticleBlock | null;
	/** Lead, paragraphs and headings in document order. */
	readonly blocks: readonly ArticleBlock[];
	readonly issues: readonly ArticleIssue[];
	readonly hasBom: boolean;
	readonly eol: '\n' | '\r\n';
}

/** Maximum length of a line that can be a section heading. */
const HEADING_MAX_LENGTH = 90;

/**
 * Line 1 "looks like a header": optional BOM and blanks, the word `date`, blanks, then a digit.
 * A `.txt` whose first line does not match is simply not an article (it stays plain text).
 */
const HEADER_LIKE = /^\uFEFF?[ \t]*date[ \t]+(?=\d)/;
const HEADER = /^(\uFEFF?)([ \t]*)(date)([ \t]+)(\S+)([ \t]*)/;
const VALID_DATE = /^(\d{4})-(\d{2})$/;

/** True when the first line of `text` starts like an article header (cheap: looks at the first bytes only). */
export function looksLikeArticle(text: string): boolean {
	return HEADER_LIKE.test(text.slice(0, 64));
}

/** Formats a date as `YYYY-MM`. */
export function formatArticleDate(date: ArticleDate): string {
	return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}`;
}

export const MONTH_NAMES_NL = [
	'januari',
	'februari',
	'maart',
	'april',
	'mei',
	'juni',
	'juli',
	'augustus',
	'september',
	'oktober',
	'november',
	'december',
] as const;

/** Parses the header only: enough for indexing, without scanning the whole article. */
export function parseHeader(firstLine: string): {
	date: ArticleDate | null;
	header: ParsedArticle['header'];
	issues: ArticleIssue[];
	leadStart: number;
} {
	const issues: ArticleIssue[] = [];
	const m = HEADER.exec(firstLine);
	if (!m || !HEADER_LIKE.test(firstLine)) {
		const trimmed = firstLine.replace(/^\uFEFF/, '');
		const start = firstLine.length - trimmed.length;
		if (trimmed.trim().length === 0) {
			issues.push({ code: 'empty-file', severity: 'error', message: 'The article is empty: line 1 must be " date YYYY-MM " followed by the lead paragraph.', start, end: firstLine.length });
		}
		return { date: null, header: null, issues, leadStart: start };
	}
	const [, bom, indent, keyword, gap, dateText, trailing] = m;
	const keywordStart = bom.length + indent.length;
	const dateStart = keywordStart + keyword.length + gap.length;
	const dateEnd = dateStart + dateText.length;
	const headerEnd = dateEnd + trailing.length;
	const header = {
		start: bom.length,
		end: headerEnd,
		keyword: { start: keywordStart, end: keywordStart + keyword.length },
		dateText: { start: dateStart, end: dateEnd },
	};
	if (indent !== ' ' || gap !== ' ') {
		issues.push({
			code: 'header-spacing',
			severity: 'warning',
			message: 'The header should be exactly one space, "date", one space and the date (" date 2025-07 ").',
			start: bom.length,
			end: dateStart,
		});
	}
	let date: ArticleDate | null = null;
	const dm = VALID_DATE.exec(dateText);
	if (!dm) {
		issues.push({
			code: 'invalid-date',
			severity: 'error',
			message: `"${dateText}" is not a valid article date: expected year and month as YYYY-MM, for example 2025-07.`,
			start: dateStart,
			end: dateEnd,
		});
	} else {
		const year = Number(dm[1]);
		const month = Number(dm[2]);
		if (month < 1 || month > 12) {
			issues.push({
				code: 'invalid-month',
				severity: 'error',
				message: `"${dateText}" has month ${dm[2]}: the month must be 01 to 12.`,
				start: dateStart + 5,
				end: dateEnd,
			});
		} else {
			date = { year, month };
		}
	}
	if (headerEnd >= firstLine.length) {
		issues.push({
			code: 'missing-lead',
			severity: 'warning',
			message: 'The header has no lead paragraph after the date: line 1 should continue with the first paragraph.',
			start: dateStart,
			end: dateEnd,
		});
	}
	return { date, header, issues, leadStart: headerEnd };
}

/** True when a line reads as a section heading: short, not ending in sentence punctuation (closing quotes ignored). */
export function isHeadingLine(line: string): boolean {
	const trimmed = line.trim();
	if (trimmed.length === 0 || trimmed.length > HEADING_MAX_LENGTH) {
		return false;
	}
	const core = trimmed.replace(/["'”’»)\]]+$/u, '');
	return core.length > 0 && !/[.!?:;,…]$/u.test(core);
}

/** Parses a whole article. Never throws. */
export function parseArticle(text: string): ParsedArticle {
	const hasBom = text.charCodeAt(0) === 0xfeff;
	const eol = text.includes('\r\n') ? '\r\n' : '\n';
	const blocks: ArticleBlock[] = [];
	const issues: ArticleIssue[] = [];
	const firstLineEnd = lineEnd(text, 0);
	const head = parseHeader(text.slice(0, firstLineEnd));
	issues.push(...head.issues);
	const replacement = text.indexOf('\uFFFD');
	if (replacement !== -1) {
		issues.push({
			code: 'invalid-encoding',
			severity: 'error',
			message: 'The file is not valid UTF-8: a byte sequence could not be decoded (shown as �). Re-save it as UTF-8.',
			start: replacement,
			end: replacement + 1,
		});
	}
	let lead: ArticleBlock | null = null;
	if (head.header && head.leadStart < firstLineEnd) {
		const start = head.leadStart;
		lead = { kind: 'lead', start, end: firstLineEnd, text: text.slice(start, firstLineEnd), line: 0 };
		blocks.push(lead);
	}
	let line = 0;
	let pos = firstLineEnd;
	if (!head.header && firstLineEnd > (hasBom ? 1 : 0)) {
		// Not an article header: still report the blocks so the text stays navigable.
		const start = hasBom ? 1 : 0;
		blocks.push({ kind: 'paragraph', start, end: firstLineEnd, text: text.slice(start, firstLineEnd), line: 0 });
	}
	while (pos < text.length) {
		pos = skipLineBreak(text, pos);
		line++;
		const end = lineEnd(text, pos);
		const content = text.slice(pos, end);
		if (content.trim().length > 0) {
			const previousBlank = blocks.length === 0 || blocks[blocks.length - 1].line < line - 1;
			const nextBlankOrEnd = end >= text.length || lineEnd(text, skipLineBreak(text, end)) === skipLineBreak(text, end);
			const kind: BlockKind = previousBlank && nextBlankOrEnd && isHeadingLine(content) ? 'heading' : 'paragraph';
			blocks.push({ kind, start: pos, end, text: content, line });
		}
		pos = end;
	}
	return { date: head.date, header: head.header, lead, blocks, issues, hasBom, eol };
}

function lineEnd(text: string, from: number): number {
	const nl = text.indexOf('\n', from);
	const end = nl === -1 ? text.length : nl;
	return end > from && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
}

function skipLineBreak(text: string, pos: number): number {
	if (text.charCodeAt(pos) === 13) {
		pos++;
	}
	if (text.charCodeAt(pos) === 10) {
		pos++;
	}
	return pos;
}
