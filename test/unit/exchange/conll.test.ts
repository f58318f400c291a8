import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { alignToArticle, alignTokens, conllFormat } from '../../../src/core/exchange/conll';
import { seededRandom } from '../../../src/core/util/seededRandom';
import { imported, importErrors, PLAIN_DOC, randomDocuments, SAMPLE_DOC, SAMPLE_SCHEMA, SAMPLE_TEXT, spans } from './exchangeSample';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'exchange', 'conll', 'hand-written-iob.conll');

describe('exchange: conll', () => {
	const result = conllFormat.exportDocuments([SAMPLE_DOC, PLAIN_DOC], SAMPLE_SCHEMA);

	it('writes -DOCSTART-, one token per line with IOB2 tags and a blank line after each sentence', () => {
		assert.deepStrictEqual(result.files.map((f) => f.path), ['2025/07/001_abc.conll', 'plain.conll']);
		assert.strictEqual(result.files[0].text, [
			'-DOCSTART-\tO', '',
			'Trump\tB-MISC', '😀\tI-MISC', 'sprak\tB-claim', 'met\tI-claim', 'Zelensky\tI-claim', 'in\tO', 'Kiev\tB-LOC', 'over\tO', 'Patriot-raketten\tO', '.\tO', '',
			'De\tO', 'NAVO-top\tB-event', 'in\tI-event', 'Den\tI-event', 'Haag\tI-event', '',
			'was\tO', 'kort\tO', '.\tO', '',
			'Poetin\tB-PER', 'zweeg\tO', '.\tO', '', '',
		].join('\n'));
		assert.strictEqual(result.files[1].text, '-DOCSTART-\tO\n\nRutte\tB-PER\nbezocht\tO\nKiev\tO\n.\tO\n\n');
	});

	it('counts exactly what CoNLL does not carry, and warns about overlaps', () => {
		assert.deepStrictEqual(result.losses, [
			{ what: 'annotation ids', count: 13 },
			{ what: 'notes', count: 3 },
			{ what: 'entity names', count: 1 },
			{ what: 'authors', count: 2 },
			{ what: 'creation times', count: 2 },
			{ what: 'modification times', count: 1 },
			{ what: 'relations', count: 3 },
			{ what: 'spans within one token or between tokens (not written)', count: 2 },
			{ what: 'overlapping spans (the longest kept)', count: 5 },
		]);
		assert.deepStrictEqual(result.warnings, ['2025/07/001_abc.txt: 5 spans overlapping a longer one not written (CoNLL has one tag per token).']);
	});

	it('writes only the chosen labels', () => {
		const r = conllFormat.exportDocuments([SAMPLE_DOC], SAMPLE_SCHEMA, { labels: ['PER', 'LOC'] });
		const tagged = r.files[0].text.split('\n').filter((l) => /\t[BI]-/.test(l));
		assert.deepStrictEqual(tagged, ['Trump\tB-PER', 'Zelensky\tB-LOC', 'in\tI-LOC', 'Kiev\tI-LOC', 'Den\tB-LOC', 'Haag\tI-LOC', 'Poetin\tB-PER']);
		assert.deepStrictEqual(r.losses.filter((l) => l.what.startsWith('spans') || l.what.startsWith('overlapping')), [
			{ what: 'spans with labels not chosen', count: 6 },
			{ what: 'overlapping spans (the longest kept)', count: 2 },
		]);
	});

	it('imports into a text rebuilt from the tokens, and aligns it back to the article exactly', () => {
		const docs = imported(conllFormat.importFiles(result.files));
		assert.deepStrictEqual(docs.map((d) => d.path), ['2025/07/001_abc.txt', 'plain.txt']);
		assert.strictEqual(docs[0].text, 'Trump 😀 sprak met Zelensky in Kiev over Patriot-raketten .\nDe NAVO-top in Den Haag\nwas kort .\nPoetin zweeg .');
		assert.deepStrictEqual(docs[0].annotations.map((a) => [a.label, a.start, a.end, a.quote]), [
			['MISC', 0, 7, 'Trump 😀'],
			['claim', 8, 26, 'sprak met Zelensky'],
			['LOC', 30, 34, 'Kiev'],
			['event', 62, 82, 'NAVO-top in Den Haag'],
			['PER', 94, 100, 'Poetin'],
		]);
		const aligned = alignToArticle(docs[0], SAMPLE_TEXT);
		assert.ok(aligned.ok);
		const written = SAMPLE_DOC.annotations.filter((a) => ['aemo02', 'aclm03', 'aloc06', 'aevt09', 'aper12'].includes(a.id));
		assert.deepStrictEqual(spans(aligned.annotations, false), spans(written, false));
		const plain = alignToArticle(docs[1], PLAIN_DOC.text);
		assert.ok(plain.ok);
		assert.deepStrictEqual(spans(plain.annotations), spans(PLAIN_DOC.annotations));
	});

	it('300 seeded random articles: every written span aligns back to the article, inside a span of its label; written + counted = all', () => {
		const docs = randomDocuments(seededRandom(3), 300);
		const r = conllFormat.exportDocuments(docs, { labels: [], relationTypes: [] });
		const back = imported(conllFormat.importFiles(r.files));
		let written = 0;
		for (const doc of docs) {
			const got = back.find((d) => d.path === doc.path);
			if (!got) {
				continue; // no tokens at all: nothing written
			}
			const aligned = alignToArticle(got, doc.text);
			assert.ok(aligned.ok, aligned.ok ? '' : `${doc.path}: ${aligned.message}`);
			for (const a of aligned.annotations) {
				assert.ok(doc.annotations.some((o) => o.label === a.label && o.start <= a.start && a.end <= o.end), `${doc.path}: ${a.label} ${a.start}-${a.end}`);
			}
			written += aligned.annotations.length;
		}
		const count = (what: string): number => r.losses.find((l) => l.what.startsWith(what))?.count ?? 0;
		const all = docs.reduce((n, d) => n + d.annotations.length, 0);
		assert.strictEqual(written + count('spans within one token') + count('overlapping spans'), all);
	});

	it('alignTokens: tokens in order with white space between, the header skipped; the first misfit named', () => {
		const text = '\uFEFF date 2025-07 Rutte  bezocht\r\nKiev.';
		assert.deepStrictEqual(alignTokens(text, ['Rutte', 'bezocht', 'Kiev', '.']), {
			ok: true, offsets: [{ start: 14, end: 19 }, { start: 21, end: 28 }, { start: 29, end: 33 }, { start: 33, end: 34 }],
		});
		assert.strictEqual(alignTokens(text, ['date', '2025-07', 'Rutte']).ok, true);
		const bad = alignTokens(text, ['Rutte', 'bezoekt']);
		assert.ok(!bad.ok);
		assert.strictEqual(bad.tokenIndex, 1);
		assert.match(bad.message, /^token 2 "bezoekt" is not in the article where the tokens before it end \(code point 21, which reads "bezocht\\nKi"\)/);
	});

	it('imports the hand-written three-column fixture (token, POS, tag): two documents, IOB1 I- starting a span', () => {
		const r = conllFormat.importFiles([{ path: 'data/hand-written-iob.conll', text: fs.readFileSync(FIXTURE, 'utf8') }]);
		const docs = imported(r);
		assert.deepStrictEqual(docs.map((d) => d.path), ['data/hand-written-iob/0001.txt', 'data/hand-written-iob/0002.txt']);
		assert.strictEqual(docs[0].text, 'Het Belgische parlement ontving De Wever in Antwerpen .\nIedereen luisterde .');
		assert.deepStrictEqual(docs[0].annotations.map((a) => [a.label, a.quote, a.start]), [['MISC', 'Belgische', 4], ['PER', 'De Wever', 32], ['LOC', 'Antwerpen', 44]]);
		assert.deepStrictEqual(docs[1].annotations.map((a) => [a.label, a.quote]), [['ORG', 'Europol'], ['ORG', 'Interpol'], ['LOC', 'Moldavië']]);
		assert.ok(r.ok);
		assert.deepStrictEqual(r.schema.labels.map((l) => l.id), ['MISC', 'PER', 'LOC', 'ORG']);
	});

	describe('malformed input: an error with file and line, and no documents', () => {
		const cases: [string, string, RegExp][] = [
			['a tag that is not IOB', 'Rutte\tB-PER\nsprak\tX-VERB\n', /^x\.conll:2: "X-VERB" is not an IOB tag/],
			['a line without a tag', 'Rutte\tB-PER\nsprak\n', /^x\.conll:2: a token line is "token<tab>tag"/],
		];
		for (const [name, text, expected] of cases) {
			it(name, () => {
				const errors = importErrors(conllFormat.importFiles([{ path: 'ok.conll', text: 'A\tO\n' }, { path: 'x.conll', text }]));
				assert.strictEqual(errors.length, 1, errors.join('\n'));
				assert.match(errors[0], expected);
			});
		}
	});
});
