/** The article the brat, WebAnno TSV and CoNLL tests export and import: BOM, CRLF, an emoji, overlapping and nested spans, a span across a line break, notes and relations. */
import * as assert from 'assert';
import { makeSelector } from '../../../src/core/annotations/anchoring';
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
	return { id, label, ...makeSelector(SAMPLE_TEXT, r.start, r.end), ...extra };
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
		annotations: [{ id: 'p1', label: 'PER', ...makeSelector(text, s, s + 5) }],
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
