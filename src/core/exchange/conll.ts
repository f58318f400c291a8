/**
 * CoNLL IOB2 (the CoNLL-2002 shared-task layout): one token per line, `token<tab>B-LABEL`,
 * `I-LABEL` or `O`, a blank line after each sentence, a `-DOCSTART-<tab>O` line and a blank line
 * at the top of each article. Tokens and sentences are our tokenizer's (`tokenizeDocument`: the
 * article's ` date YYYY-MM ` header is skipped, as for the tagger). One `<stem>.conll` per
 * article, so `cat` of the files is a CoNLL corpus with `-DOCSTART-` between articles.
 *
 * What is carried: spans of the chosen labels (`options.labels`, all when absent) that lie on
 * token boundaries. Not carried, counted: labels not chosen, spans overlapping a longer one
 * (the longest is kept, ties the earlier), spans not on token boundaries (written as the tokens
 * inside them, or not at all when no whole token is inside), notes, relations, ids, authors,
 * times, entity names. A span continuing over a sentence break stays one span (`I-` after the
 * blank line).
 *
 * CoNLL does not carry the text. Import rebuilds one: the tokens of a sentence joined by single
 * spaces, sentences joined by a line break, and gives offsets into that text. To put the spans
 * into an existing article, {@link alignTokens} finds the tokens in the article's text in order
 * (only white space between them) and {@link alignToArticle} moves an imported document's
 * spans there.
 */
import { prepareText, selectorAt } from '../annotations/anchoring';
import type { Annotation } from '../annotations/model';
import { canonicalUtf16Offset, sidecarOffset, type SidecarOffset } from '../annotations/offsets';
import { headerLength, tokenizeDocument } from '../ner/tokenizer';
import { exchangeFormatOf } from './articleExport';
import type { ArticleExport, ArticleExporter, ExchangeDocument, ExchangeError, ExchangeFile, ExchangeFormat, ImportedDocument, ImportResult } from './exchangeFormat';
import { countUncarried, LossTally } from './exchangeLosses';
import { importPerFile } from './exchangeImport';
import { buildDocument, importedPath, RawText, SchemaCollector, withExtension, type SpanInput } from './jsonExchange';

const DOCSTART = '-DOCSTART-';

interface Candidate {
	label: string;
	/** Sentence-flattened token indexes, inclusive first, exclusive last. */
	first: number;
	last: number;
	order: number;
}

/** Index of the first token starting at or after `pos` (tokens.length when none). */
function firstAtOrAfter(tokens: readonly { start: number }[], pos: number): number {
	let lo = 0, hi = tokens.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (tokens[mid].start < pos) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

function exportArticle(doc: ExchangeDocument, chosen: ReadonlySet<string> | undefined): ArticleExport {
	const tally = new LossTally();
	const warnings: string[] = [];
	countUncarried(tally, doc.annotations, doc.relations, { annotation: [], relation: false });
	const prepared = prepareText(doc.text);
	const sentences = tokenizeDocument(prepared.canonical);
	const tokens = sentences.flat();
	const candidates: Candidate[] = [];
	doc.annotations.forEach((a, order) => {
		if (chosen && !chosen.has(a.label)) {
			tally.add('spans with labels not chosen');
			return;
		}
		if (/\s/.test(a.label)) {
			tally.add('spans whose label has white space (not written: a tag is one word)');
			return;
		}
		const s = prepared.canonIndex.toUtf16(a.start);
		const e = prepared.canonIndex.toUtf16(a.end);
		const first = firstAtOrAfter(tokens, s);
		let last = first;
		while (last < tokens.length && tokens[last].end <= e) {
			last++;
		}
		if (last === first) {
			tally.add('spans within one token or between tokens (not written)');
			return;
		}
		if (tokens[first].start !== s || tokens[last - 1].end !== e) {
			tally.add('spans not on token boundaries (written as the tokens inside them)');
		}
		candidates.push({ label: a.label, first, last, order });
	});
	// Keep the longest of overlapping spans (in tokens; ties: the earlier, then document order).
	const byLength = [...candidates].sort((x, y) => (y.last - y.first) - (x.last - x.first) || x.first - y.first || x.order - y.order);
	const tags: string[] = tokens.map(() => 'O');
	let dropped = 0;
	for (const c of byLength) {
		if (tags.slice(c.first, c.last).some((t) => t !== 'O')) {
			dropped++;
			continue;
		}
		for (let k = c.first; k < c.last; k++) {
			tags[k] = `${k === c.first ? 'B' : 'I'}-${c.label}`;
		}
	}
	if (dropped > 0) {
		tally.add('overlapping spans (the longest kept)', dropped);
		warnings.push(`${doc.path}: ${dropped} span${dropped === 1 ? '' : 's'} overlapping a longer one not written (CoNLL has one tag per token).`);
	}
	const lines = [`${DOCSTART}\tO`, ''];
	let k = 0;
	for (const sentence of sentences) {
		for (const t of sentence) {
			lines.push(`${t.text}\t${tags[k++]}`);
		}
		lines.push('');
	}
	const file = { path: withExtension(doc.path, '.conll'), text: lines.join('\n') + '\n' };
	return { files: [file], losses: tally.list(), warnings };
}

const conllExporter: ArticleExporter = {
	exportArticle: (doc, _index, { options }) => exportArticle(doc, options.labels ? new Set(options.labels) : undefined),
	finish: () => [],
};

// ---- import -----------------------------------------------------------------------------------

const TAG = /^(?:O|([BI])-(\S+))$/;

interface ParsedDoc {
	sentences: { token: string; tag: string; line: number; column: number }[][];
}

function importConll(files: readonly ExchangeFile[]): ImportResult {
	return importPerFile(files, '.conll', (f, errors, _warnings, schema) => {
		const docs: ParsedDoc[] = [{ sentences: [[]] }];
		const lines = f.text.replace(/^\uFEFF/, '').split(/\r?\n/);
		lines.forEach((line, i) => {
			const doc = docs[docs.length - 1];
			const sentence = doc.sentences[doc.sentences.length - 1];
			if (line.trim() === '') {
				if (sentence.length > 0) {
					doc.sentences.push([]);
				}
				return;
			}
			const cols = line.trim().split(/\s+/);
			if (cols[0] === DOCSTART) {
				docs.push({ sentences: [[]] });
				return;
			}
			const tag = cols[cols.length - 1];
			if (cols.length < 2) {
				errors.push({ file: f.path, line: i + 1, column: 1, message: `a token line is "token<tab>tag" (O, B-LABEL or I-LABEL): ${JSON.stringify(line.slice(0, 60))}` });
				return;
			}
			if (!TAG.test(tag)) {
				errors.push({ file: f.path, line: i + 1, column: line.lastIndexOf(tag) + 1, message: `"${tag}" is not an IOB tag (O, B-LABEL or I-LABEL)` });
				return;
			}
			sentence.push({ token: cols[0], tag, line: i + 1, column: line.lastIndexOf(tag) + 1 });
		});
		// One document: <stem>.txt; several (a CoNLL corpus file): <stem>/0001.txt, … as the JSON formats name them.
		const nonEmpty = docs.filter((d) => d.sentences.some((s) => s.length > 0));
		return nonEmpty.flatMap((d, n) => {
			const path = nonEmpty.length === 1 ? withExtension(f.path, '.txt') : importedPath(f.path, undefined, '', undefined, n + 1, () => undefined)!;
			const doc = buildConllDocument(f.path, path, d, errors, schema);
			return doc ? [doc] : [];
		});
	});
}

/** The text (tokens joined by spaces, sentences by line breaks) and the spans of one CoNLL document. */
function buildConllDocument(file: string, path: string, d: ParsedDoc, errors: ExchangeError[], schema: SchemaCollector): ImportedDocument | undefined {
	const spans: SpanInput[] = [];
	let text = '';
	let points = 0;
	let open: { label: string; start: number; end: number; line: number; column: number } | undefined;
	const close = (): void => {
		if (open) {
			spans.push({ label: open.label, start: sidecarOffset(open.start), end: sidecarOffset(open.end), place: { line: open.line, column: open.column } });
			open = undefined;
		}
	};
	const sentences = d.sentences.filter((s) => s.length > 0);
	sentences.forEach((sentence, si) => {
		sentence.forEach((t, ti) => {
			if (si > 0 || ti > 0) {
				text += ti === 0 ? '\n' : ' ';
				points++;
			}
			const start = points;
			text += t.token;
			points += [...t.token].length;
			const m = TAG.exec(t.tag)!;
			if (!m[1]) {
				close();
			} else if (m[1] === 'B' || !open || open.label !== m[2]) {
				// IOB2 starts at B; an I- after O or another label starts a span too (IOB1).
				close();
				open = { label: m[2], start, end: points, line: t.line, column: t.column };
			} else {
				open.end = points;
			}
		});
	});
	close();
	return buildDocument(file, path, new RawText(text), spans, [], errors, schema);
}

// ---- alignment to an article ------------------------------------------------------------------

export type TokenAlignment =
	| { readonly ok: true; readonly offsets: { readonly start: SidecarOffset; readonly end: SidecarOffset }[] }
	| { readonly ok: false; readonly tokenIndex: number; readonly message: string };

/**
 * Finds `tokens` in order in an article's `text` (as read: BOM and CRLF allowed), with only
 * white space between them, starting at the text's start or, when the first token is not there,
 * after the article header (` date YYYY-MM `, which our CoNLL export leaves out). Offsets are
 * sidecar offsets. The first token that is not where it should be is named in the failure.
 */
export function alignTokens(text: string, tokens: readonly string[]): TokenAlignment {
	const prepared = prepareText(text);
	const c = prepared.canonical;
	const skipSpace = (from: number): number => {
		let p = from;
		while (p < c.length && /\s/.test(c[p])) {
			p++;
		}
		return p;
	};
	let pos = skipSpace(0);
	if (tokens.length > 0 && !c.startsWith(tokens[0], pos)) {
		pos = skipSpace(headerLength(c));
	}
	const offsets: { start: SidecarOffset; end: SidecarOffset }[] = [];
	for (let k = 0; k < tokens.length; k++) {
		if (k > 0) {
			pos = skipSpace(pos);
		}
		if (tokens[k] === '' || !c.startsWith(tokens[k], pos)) {
			const found = JSON.stringify(c.slice(pos, pos + Math.max(tokens[k].length, 10)));
			return { ok: false, tokenIndex: k, message: `token ${k + 1} ${JSON.stringify(tokens[k])} is not in the article where the tokens before it end (code point ${prepared.canonIndex.toCodePoint(canonicalUtf16Offset(pos))}, which reads ${found})` };
		}
		offsets.push({
			start: prepared.canonIndex.toCodePoint(canonicalUtf16Offset(pos)),
			end: prepared.canonIndex.toCodePoint(canonicalUtf16Offset(pos + tokens[k].length)),
		});
		pos += tokens[k].length;
	}
	return { ok: true, offsets };
}

/**
 * An imported CoNLL document's spans moved into the article `articleText`: its tokens (the
 * imported text split at spaces and line breaks) aligned with {@link alignTokens}, each span
 * from its first token's start to its last token's end, quote and context from the article.
 */
export function alignToArticle(doc: ImportedDocument, articleText: string): { ok: true; annotations: Annotation[] } | { ok: false; tokenIndex: number; message: string } {
	const tokens: { text: string; start: number; end: number }[] = [];
	let p = 0;
	for (const piece of doc.text.split(/([ \n])/)) {
		const n = [...piece].length;
		if (piece !== ' ' && piece !== '\n' && piece !== '') {
			tokens.push({ text: piece, start: p, end: p + n });
		}
		p += n;
	}
	const aligned = alignTokens(articleText, tokens.map((t) => t.text));
	if (!aligned.ok) {
		return aligned;
	}
	const prepared = prepareText(articleText);
	const annotations: Annotation[] = [];
	for (const a of doc.annotations) {
		const first = tokens.findIndex((t) => t.start === a.start);
		const last = tokens.findIndex((t) => t.end === a.end);
		if (first < 0 || last < first) {
			return { ok: false, tokenIndex: Math.max(first, 0), message: `annotation ${a.id} (${a.start}–${a.end}) does not start and end on tokens of the CoNLL text` };
		}
		annotations.push({ ...a, ...selectorAt(prepared, aligned.offsets[first].start, aligned.offsets[last].end) });
	}
	return { ok: true, annotations };
}

/** CoNLL IOB2 with our tokenizer. */
export const conllFormat: ExchangeFormat = exchangeFormatOf({
	id: 'conll', inputExtensions: ['.conll'], exporter: conllExporter, importFiles: importConll,
	description: 'CoNLL IOB2: <stem>.conll per article, token<tab>tag lines, -DOCSTART- at the top (only --labels, the longest of overlapping spans)',
});
