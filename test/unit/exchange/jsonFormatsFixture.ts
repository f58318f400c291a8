/**
 * The article the W3C, doccano and Label Studio tests share: a BOM, CRLF line ends, emoji (one
 * a flag of two code points) before and inside spans, overlapping and nested spans, a span across
 * a line break, notes, an entity, curation fields and relations with notes.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Annotation, Relation } from '../../../src/core/annotations/model';
import type { ExchangeDocument, ExchangeFile, ImportResult } from '../../../src/core/exchange/exchangeFormat';
import { selectOccurrence } from '../annotations/helpers';

export const RAW = '\uFEFF date 2024-05 Trump 🇺🇸 zegt: “Poetin 😀 wil vrede.”\r\n\r\nDe NAVO reageert 🎉 koel.\r\n\r\nKiev twijfelt.';
export const PATH = '2024/05/001_0a1b2c3d4e5f6071.txt';

function ann(id: string, label: string, quote: string, fields: Partial<Annotation> = {}): Annotation {
	return { id, label, ...selectOccurrence(RAW, quote), ...fields };
}

export const ANNOTATIONS: Annotation[] = [
	ann('a2trmp', 'attribution', 'Trump 🇺🇸', { author: 'anna', created: '2024-06-01T10:00:00Z', modified: '2024-06-02T11:00:00Z', entity: 'Donald Trump' }),
	ann('f4zegt', 'framing', 'zegt: “Poetin', { author: 'bert', created: '2024-06-01T10:05:00Z' }),
	ann('c1ptn0', 'claim', 'Poetin 😀 wil vrede.', { note: 'Citaat met emoji 😀', author: 'anna', created: '2024-06-01T10:01:00Z', modified: '2024-06-01T10:01:00Z' }),
	ann('e3emoj', 'event', '😀 wil', { note: 'genest in de claim', curated_by: 'carla', curated: '2024-06-03T09:00:00Z' }),
	ann('x5brk1', 'framing', 'vrede.”\r\n\r\nDe NAVO'),
	ann('k6kiev', 'attribution', 'Kiev', { entity: 'Kyiv', note: '' }),
].sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : 1));

export const RELATIONS: Relation[] = [
	{ id: 'r1', type: 'source-of', from: 'a2trmp', to: 'c1ptn0', note: 'Trump geeft het citaat', author: 'anna', created: '2024-06-01T10:02:00Z', modified: '2024-06-01T10:03:00Z' },
	{ id: 'r2', type: 'about', from: 'e3emoj', to: 'f4zegt' },
	{ id: 'r3', type: 'contradicts', from: 'k6kiev', to: 'x5brk1', author: 'bert' },
];

export const DOCUMENT: ExchangeDocument = { path: PATH, text: RAW, annotations: ANNOTATIONS, relations: RELATIONS };

/** A second, plain article: no BOM, LF only, no relations. */
export const PLAIN: ExchangeDocument = {
	path: '2024/06/002_aaaaaaaaaaaaaaaa.txt',
	text: ' date 2024-06 Zelensky bezoekt Washington.',
	annotations: [{ id: 'p1', label: 'event', ...selectOccurrence(' date 2024-06 Zelensky bezoekt Washington.', 'bezoekt Washington') }],
	relations: [],
};

/** Code points of `raw` before UTF-16 offset `u`: what Python's `len(text[:i])` counts. */
export function codePointsBefore(raw: string, u: number): number {
	return [...raw.slice(0, u)].length;
}

/** Python-style slice of `raw` by code points. */
export function slicePoints(raw: string, start: number, end: number): string {
	return [...raw].slice(start, end).join('');
}

/** The import succeeded; its documents. */
export function documentsOf(result: ImportResult): Extract<ImportResult, { ok: true }> {
	if (!result.ok) {
		assert.fail(`import failed: ${result.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`).join('; ')}`);
	}
	return result;
}

/** The import failed; its errors as `file:line: message`. */
export function errorsOf(result: ImportResult): string[] {
	assert.ok(!result.ok, 'expected the import to fail');
	return result.errors.map((e) => `${e.file}:${e.line}: ${e.message}`);
}

/** The import of an export of [DOCUMENT, PLAIN] gave both back: text, annotations, relations, paths. */
export function assertBothBack(result: ImportResult): void {
	const { documents } = documentsOf(result);
	assert.deepStrictEqual(documents.map((d) => d.path), [PATH, PLAIN.path]);
	assert.strictEqual(documents[0].text, RAW);
	assert.deepStrictEqual(byId(documents[0].annotations), byId(ANNOTATIONS));
	assert.deepStrictEqual(byId(documents[0].relations), byId(RELATIONS));
	assert.deepStrictEqual(documents[1].annotations, PLAIN.annotations);
	assert.strictEqual(documents[1].text, PLAIN.text);
}

/** Hand-written fixtures of a format, as import input files. */
export function fixtureFiles(format: string): ExchangeFile[] {
	const dir = path.resolve(__dirname, '../../../../test/fixtures/exchange', format);
	return fs.readdirSync(dir).sort().map((name) => ({ path: name, text: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

/** Sorted by id, for comparing annotation sets regardless of order. */
export function byId<T extends { id: string }>(items: readonly T[]): T[] {
	return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
