/** The article the brat, WebAnno TSV and CoNLL tests export and import: BOM, CRLF, an emoji, overlapping and nested spans, a span across a line break, notes and relations. */
import * as assert from 'assert';
import { makeSelector } from '../../../src/core/annotations/anchoring';
import { editorOffset } from '../../../src/core/annotations/offsets';
import type { Annotation, Relation } from '../../../src/core/annotations/model';
import type { ExchangeDocument, ExchangeSchema, ImportedDocument, ImportResult } from '../../../src/core/exchange/exchangeFormat';

/** Raw file text: BOM, CRLF line ends, an emoji (two UTF-16 units, one code point), no final newline. */
export const SAMPLE_TEXT = '\uFEFF date 2025-07 Trump 😀 sprak met Zelensky in Kiev over Patriot-raketten.\r\n\r\n'
	+ 'De NAVO-top in Den Haag\r\nwas kort. Poetin zweeg.';

/** The span whose n-th occurrence of `quote` (in the raw text) it covers. */
function at(quote: string, nth = 0): { start: number; end: number } {
	let i = -1;
	for (let k = 0; k <= nth; k++) {
		i = SAMPLE_TEXT.indexOf(quote, i + 1);
	}
	assert.ok(i >= 0, quote);
	return { start: i, end: i + quote.length };
}

function ann(id: string, label: string, quote: string, extra: Partial<Annotation> = {}): Annotation {
	const r = at(quote);
	return { id, label, ...makeSelector(SAMPLE_TEXT, editorOffset(r.start), editorOffset(r.end)), ...extra };
}

const ANNOTATIONS: Annotation[] = [
	ann('aper01', 'PER', 'Trump', { note: 'de president', author: 'ann', created: '2026-11-01T10:00:00Z' }),
	ann('aemo02', 'MISC', 'Trump 😀', { author: 'ann', created: '2026-11-01T10:00:01Z', modified: '2026-11-02T09:00:00Z' }),
	ann('aclm03', 'claim', 'sprak met Zelensky'),
	ann('aper04', 'PER', 'Zelensky', { entity: 'Volodymyr Zelensky' }),
	ann('aloc05', 'LOC', 'Zelensky in Kiev'),
	ann('aloc06', 'LOC', 'Kiev', { note: 'stad; ook "Kyiv" [hoofdstad] | x_y * z' }),
	ann('amis07', 'MISC', 'Patriot'),
	ann('aorg08', 'ORG', 'NAVO'),
	ann('aevt09', 'event', 'NAVO-top in Den Haag'),
	ann('aloc10', 'LOC', 'Den Haag'),
	ann('aspn11', 'claim', 'Den Haag\r\nwas kort', { note: 'over twee regels' }),
	ann('aper12', 'PER', 'Poetin'),
].sort((a, b) => a.start - b.start || a.end - b.end);

const RELATIONS: Relation[] = [
	{ id: 'r1', type: 'source-of', from: 'aper01', to: 'aclm03', note: 'zegt hij', author: 'ann' },
	{ id: 'r2', type: 'about', from: 'aclm03', to: 'aper04' },
	{ id: 'r3', type: 'about', from: 'aspn11', to: 'aevt09' },
];

export const SAMPLE_DOC: ExchangeDocument = { path: '2025/07/001_abc.txt', text: SAMPLE_TEXT, annotations: ANNOTATIONS, relations: RELATIONS };

/** A second, plain article (LF, no BOM) so exports hold more than one document. */
export const PLAIN_DOC: ExchangeDocument = (() => {
	const text = ' date 2024-05 Rutte bezocht Kiev.';
	const s = text.indexOf('Rutte');
	return {
		path: 'plain.txt', text,
		annotations: [{ id: 'p1', label: 'PER', ...makeSelector(text, editorOffset(s), editorOffset(s + 5)) }],
		relations: [],
	};
})();

export const SAMPLE_SCHEMA: ExchangeSchema = {
	labels: [{ id: 'PER' }, { id: 'LOC' }, { id: 'ORG' }, { id: 'MISC' }, { id: 'claim' }, { id: 'event' }],
	relationTypes: [{ id: 'source-of', from: ['PER', 'ORG'], to: ['claim'] }, { id: 'about' }],
};

/** What a format compares: label, offsets, quote, context, and (when asked) the note. */
export interface SpanView {
	label: string;
	start: number;
	end: number;
	quote: string;
	prefix: string;
	suffix: string;
	note?: string;
}

export function spans(annotations: readonly Annotation[], withNotes = true): SpanView[] {
	return annotations.map((a) => ({
		label: a.label, start: a.start, end: a.end, quote: a.quote, prefix: a.prefix, suffix: a.suffix,
		...(withNotes && a.note !== undefined ? { note: a.note } : {}),
	}));
}

/** Relations as (type, from span, to span, note), endpoints named by `label start-end`. */
export function relationViews(doc: { annotations: readonly Annotation[]; relations: readonly Relation[] }, withNotes = true): string[] {
	const name = (id: string): string => {
		const a = doc.annotations.find((x) => x.id === id);
		assert.ok(a, `relation endpoint ${id}`);
		return `${a.label} ${a.start}-${a.end}`;
	};
	return doc.relations.map((r) => `${r.type}: ${name(r.from)} -> ${name(r.to)}${withNotes && r.note !== undefined ? ` (${r.note})` : ''}`);
}

/** The documents of a successful import (fails the test with the errors otherwise). */
export function imported(result: ImportResult): ImportedDocument[] {
	if (!result.ok) {
		assert.fail(result.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`).join('\n'));
	}
	return result.documents;
}

/** The errors of a failed import, as `file:line: message` (fails the test if it succeeded). */
export function importErrors(result: ImportResult): string[] {
	assert.strictEqual(result.ok, false, 'the import should fail');
	return result.ok ? [] : result.errors.map((e) => `${e.file}:${e.line}: ${e.message}`);
}

/**
 * Seeded random articles for round-trip properties: words, punctuation, an emoji, tabs, CRLF and
 * blank lines, maybe a BOM; spans anywhere (inside tokens, in white space, across lines), stacked.
 */
export function randomDocuments(rng: () => number, count: number): ExchangeDocument[] {
	const pieces = ['Trump', 'Kiev', 'NAVO-top', 'Patriot-raketten', 'zo\'n', '1,5', 'J.', '😀', '.', ',', '“', '”', ' ', ' ', ' ', '  ', '\t', '\r\n', '\r\n\r\n', '\n', 'é', 'a_b', '[x]', 'p|q', '\\', '*'];
	const docs: ExchangeDocument[] = [];
	for (let d = 0; d < count; d++) {
		let text = rng() < 0.3 ? '\uFEFF' : '';
		text += ' date 2025-07 ';
		const n = 5 + Math.floor(rng() * 40);
		for (let k = 0; k < n; k++) {
			text += pieces[Math.floor(rng() * pieces.length)];
		}
		const cps = [...text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n')];
		const annotations: Annotation[] = [];
		const m = Math.floor(rng() * 8);
		for (let k = 0; k < m; k++) {
			const s = Math.floor(rng() * (cps.length - 1));
			const e = s + 1 + Math.floor(rng() * Math.min(12, cps.length - s - 1));
			// Offsets in code points of the canonical text; the selector from the raw text's UTF-16.
			const rawStart = rawUtf16(text, s);
			const rawEnd = rawUtf16(text, e);
			annotations.push({ id: `a${k}`, label: ['PER', 'LOC', 'x_y'][k % 3], ...makeSelector(text, editorOffset(rawStart), editorOffset(rawEnd)), ...(rng() < 0.3 ? { note: 'n|ote;' } : {}) });
		}
		annotations.sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : 1));
		const relations: Relation[] = annotations.length >= 2 ? [{ id: 'r1', type: 'about', from: annotations[0].id, to: annotations[annotations.length - 1].id }] : [];
		docs.push({ path: `r/${d}.txt`, text, annotations, relations });
	}
	return docs;
}

/** UTF-16 offset in the raw text (BOM, CRLF) of canonical code point `cp`. */
function rawUtf16(raw: string, cp: number): number {
	let i = raw.charCodeAt(0) === 0xfeff ? 1 : 0;
	for (let c = 0; c < cp && i < raw.length; c++) {
		if (raw[i] === '\r' && raw[i + 1] === '\n') {
			i += 2;
		} else {
			i += raw.codePointAt(i)! > 0xffff ? 2 : 1;
		}
	}
	return i;
}
