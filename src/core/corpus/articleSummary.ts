import { looksLikeArticle, parseHeader, type ArticleDate } from '../article/articleParser';

/**
 * What the corpus index keeps of one article: enough for a tree label, a tooltip and the
 * lead filter, never the full text (an index of 100,000 articles must stay small).
 */
export interface ArticleSummary {
	/** Null when the header is missing or its date is impossible (the article is "undated"). */
	readonly date: ArticleDate | null;
	/** The lead's opening words (about {@link TITLE_LENGTH} characters), or the file name when there is no lead. */
	readonly title: string;
	/** The start of the lead, whitespace collapsed, at most {@link LEAD_EXCERPT_LENGTH} characters. */
	readonly leadExcerpt: string;
	/** Why the article is undated (short, for a tree description and `index --json`), or null. */
	readonly problem: string | null;
}

/** Characters of the lead used as the article's label. */
export const TITLE_LENGTH = 60;
/** Characters of the lead kept in memory for tooltips and the text filter. */
export const LEAD_EXCERPT_LENGTH = 300;
/**
 * Bytes read from the start of each file: the header plus a 300-character excerpt of Dutch text
 * (mostly one byte per character in UTF-8). A lead full of multi-byte characters just gets a
 * shorter excerpt. Small reads keep a 100,000-file index fast and its garbage low.
 */
export const HEAD_BYTES = 1024;

const PROBLEM_EMPTY = 'empty file';
const PROBLEM_NOT_UTF8 = 'not valid UTF-8';

/**
 * Summarises an article from the first bytes of its text (`headText` may be cut anywhere after
 * the first line's excerpt). Returns undefined when the text is not an article at all: a
 * non-empty first line that does not start like ` date …`.
 */
export function summarizeArticle(relativePath: string, headText: string): ArticleSummary | undefined {
	const firstLine = firstLineOf(headText);
	// Blank (a BOM counts as blank): `\s` covers what `trim()` removes, without copying the line.
	if (!NON_BLANK.test(firstLine)) {
		return { date: null, title: fileTitle(relativePath), leadExcerpt: '', problem: PROBLEM_EMPTY };
	}
	if (!looksLikeArticle(firstLine)) {
		return undefined;
	}
	const head = parseHeader(firstLine);
	const excerpt = detach(collapse(firstLine.slice(head.leadStart), LEAD_EXCERPT_LENGTH));
	let problem: string | null = null;
	if (!head.date) {
		problem = dateProblem(head.header ? firstLine.slice(head.header.dateText.start, head.header.dateText.end) : '');
	}
	return {
		date: head.date && internDate(head.date),
		title: articleTitle(relativePath, excerpt),
		leadExcerpt: excerpt,
		problem,
	};
}

const NON_BLANK = /\S/;

/** The label of an article: its lead's opening words, or the file name when there is no lead. */
export function articleTitle(relativePath: string, leadExcerpt: string): string {
	return leadExcerpt.length > 0 ? titleOf(leadExcerpt) : fileTitle(relativePath);
}

/** One shared (frozen) date object per year and month: 100,000 entries need only a few hundred. */
const dates = new Map<number, ArticleDate>();

export function internDate(date: ArticleDate): ArticleDate {
	const key = date.year * 100 + date.month;
	let shared = dates.get(key);
	if (!shared) {
		shared = Object.freeze({ year: date.year, month: date.month });
		dates.set(key, shared);
	}
	return shared;
}

/**
 * Summarises the first bytes of a file: decodes them as strict UTF-8 and reports
 * "not valid UTF-8" (undated) when decoding fails. An undecodable file counts as an article
 * only if its first line, decoded leniently, still starts like a header (a Latin-1 or UTF-16
 * export of an article); anything else is not an article.
 * `truncated` says the bytes are a prefix of the file, so an incomplete last character is cut, not an error.
 */
export function summarizeArticleBytes(relativePath: string, bytes: Uint8Array, truncated: boolean): ArticleSummary | undefined {
	const complete = truncated ? bytes.subarray(0, completeUtf8Length(bytes)) : bytes;
	let text: string;
	try {
		text = strictDecoder.decode(complete);
	} catch {
		const lenient = lenientDecoder.decode(complete).replace(/[\u0000\uFFFD\uFFFE]/g, '');
		if (!looksLikeArticle(firstLineOf(lenient))) {
			return undefined;
		}
		return { date: null, title: fileTitle(relativePath), leadExcerpt: '', problem: PROBLEM_NOT_UTF8 };
	}
	return summarizeArticle(relativePath, text);
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const lenientDecoder = new TextDecoder('utf-8');

/** Length of the longest prefix of `bytes` that does not end inside a UTF-8 sequence. */
export function completeUtf8Length(bytes: Uint8Array): number {
	const n = bytes.length;
	// Walk back over at most three continuation bytes to the lead byte of the last sequence.
	for (let i = n - 1, back = 0; i >= 0 && back < 4; i--, back++) {
		const b = bytes[i];
		if ((b & 0xc0) === 0x80) {
			continue;
		}
		const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
		return n - i >= need ? n : i;
	}
	return n;
}

/** Short reason for an undated article whose header starts like one. */
function dateProblem(dateText: string): string {
	const m = /^(\d{4})-(\d{2})$/.exec(dateText);
	if (m) {
		return `invalid month in "${dateText}" (expected 01–12)`;
	}
	return `invalid date "${dateText}" (expected YYYY-MM)`;
}

function firstLineOf(text: string): string {
	const nl = text.indexOf('\n');
	const line = nl === -1 ? text : text.slice(0, nl);
	return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** A run of two or more whitespace characters, or a single one that is not a space. */
const WHITESPACE_TO_COLLAPSE = /[^\S ]\s*|\s{2,}/g;

/** Collapses runs of whitespace and cuts to `max` characters. */
function collapse(text: string, max: number): string {
	// Only the first part can end up in the excerpt: do not scan a long lead twice.
	// Only runs that change are matched (single spaces are not): usually nothing is, and no copy is made.
	return text.slice(0, max * 2).replace(WHITESPACE_TO_COLLAPSE, ' ').trim().slice(0, max);
}

/** The opening words of the lead: cut at a word boundary near {@link TITLE_LENGTH}, with an ellipsis. */
function titleOf(excerpt: string): string {
	if (excerpt.length <= TITLE_LENGTH) {
		return excerpt;
	}
	const cut = excerpt.lastIndexOf(' ', TITLE_LENGTH);
	const end = cut > TITLE_LENGTH / 2 ? cut : TITLE_LENGTH;
	return excerpt.slice(0, end).replace(/[\s,;:–-]+$/u, '') + '…';
}

function fileTitle(relativePath: string): string {
	const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
	return name.replace(/\.txt$/i, '');
}

/**
 * Returns a copy of `s` that does not keep the (much larger) string it was sliced from alive:
 * V8 represents substrings as views into their parent, so an excerpt of a 2 KB read would
 * otherwise retain the whole read.
 */
function detach(s: string): string {
	return (' ' + s).slice(1);
}
