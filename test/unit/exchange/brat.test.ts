import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { bratFormat } from '../../../src/core/exchange/brat';
import type { ExchangeFile } from '../../../src/core/exchange/exchangeFormat';
import { selectorAt } from '../../../src/core/annotations/anchoring';
import { sidecarOffset } from '../../../src/core/annotations/offsets';
import { seededRandom } from '../../../src/core/util/seededRandom';
import { imported, importErrors, PLAIN_DOC, randomDocuments, relationViews, SAMPLE_DOC, SAMPLE_SCHEMA, SAMPLE_TEXT, spans, type SpanView } from './exchangeSample';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'exchange', 'brat');

function file(files: readonly ExchangeFile[], p: string): string {
	const f = files.find((x) => x.path === p);
	assert.ok(f, `no ${p} among ${files.map((x) => x.path).join(', ')}`);
	return f.text;
}

const TEXT = 'Rutte sprak in Brussel.\nDe NAVO zweeg.';

describe('exchange: brat', () => {
	const result = bratFormat.exportDocuments([SAMPLE_DOC, PLAIN_DOC], SAMPLE_SCHEMA);

	it('writes the .txt exactly, T/R/# lines in characters of the .txt as read, and annotation.conf', () => {
		assert.deepStrictEqual(result.files.map((f) => f.path), ['2025/07/001_abc.txt', '2025/07/001_abc.ann', 'plain.txt', 'plain.ann', 'annotation.conf']);
		assert.strictEqual(file(result.files, '2025/07/001_abc.txt'), SAMPLE_TEXT);
		const ann = file(result.files, '2025/07/001_abc.ann').split('\n');
		// BOM and " date 2025-07 " come first: Trump starts at character 15 of the .txt (1 + 14).
		assert.strictEqual(ann[0], 'T1\tPER 15 20\tTrump');
		// The emoji is one character, as brat (Python) counts.
		assert.strictEqual(ann[1], 'T2\tMISC 15 22\tTrump 😀');
		// Across CRLF: two fragments, the CR LF between them not written; texts joined by a space.
		const spanLine = ann.find((l) => l.includes('claim') && l.includes(';'));
		const s = SAMPLE_TEXT.indexOf('Den Haag\r\n');
		const cp = (i: number): number => [...SAMPLE_TEXT.slice(0, i)].length;
		assert.strictEqual(spanLine?.split('\t').slice(1).join('\t'), `claim ${cp(s)} ${cp(s) + 8};${cp(s) + 10} ${cp(s) + 18}\tDen Haag was kort`);
		assert.ok(ann.includes('R1\tsource-of Arg1:T1 Arg2:T3'), ann.join('\n'));
		assert.ok(ann.some((l) => /^#\d+\tAnnotatorNotes T1\tde president$/.test(l)));
		assert.ok(ann.some((l) => /^#\d+\tAnnotatorNotes R1\tzegt hij$/.test(l)));
		const conf = file(result.files, 'annotation.conf');
		assert.match(conf, /\[entities\]\nPER\nLOC\nORG\nMISC\nclaim\nevent\n\[relations\]\n/);
		assert.match(conf, /\nsource-of\tArg1:PER\|ORG, Arg2:claim\nabout\tArg1:<ANY>, Arg2:<ANY>\n\[events\]\n\[attributes\]\n$/);
	});

	it('counts exactly what brat does not carry', () => {
		assert.deepStrictEqual(result.losses, [
			{ what: 'annotation ids', count: 13 },
			{ what: 'entity names', count: 1 },
			{ what: 'authors', count: 2 },
			{ what: 'creation times', count: 2 },
			{ what: 'modification times', count: 1 },
			{ what: 'relation ids', count: 3 },
			{ what: 'relation authors', count: 1 },
		]);
		assert.deepStrictEqual(result.warnings, []);
	});

	it('imports what it exported: same labels, offsets, quotes, notes and relations', () => {
		const docs = imported(bratFormat.importFiles(result.files));
		assert.deepStrictEqual(docs.map((d) => d.path), ['2025/07/001_abc.txt', 'plain.txt']);
		assert.strictEqual(docs[0].text, SAMPLE_TEXT);
		assert.deepStrictEqual(spans(docs[0].annotations), spans(SAMPLE_DOC.annotations));
		assert.deepStrictEqual(relationViews(docs[0]), relationViews(SAMPLE_DOC));
		assert.deepStrictEqual(spans(docs[1].annotations), spans(PLAIN_DOC.annotations));
		const back = bratFormat.importFiles(result.files);
		assert.ok(back.ok);
		assert.deepStrictEqual(back.schema.relationTypes, SAMPLE_SCHEMA.relationTypes);
		assert.deepStrictEqual(back.schema.labels.map((l) => l.id), ['PER', 'LOC', 'ORG', 'MISC', 'claim', 'event']);
	});

	it('counts spans that start or end with a line break, notes with line breaks and labels with spaces', () => {
		const text = 'Een\nTwee';
		const doc = {
			path: 'x.txt', text, relations: [],
			annotations: [
				{ id: 'a', label: 'L', start: 0 as never, end: 4 as never, quote: 'Een\n', prefix: '', suffix: 'Twee', note: 'a\nb' },
				{ id: 'b', label: 'two words', start: 4 as never, end: 8 as never, quote: 'Twee', prefix: 'Een\n', suffix: '' },
			],
		};
		const r = bratFormat.exportDocuments([doc], { labels: [], relationTypes: [] });
		assert.strictEqual(file(r.files, 'x.ann'), 'T1\tL 0 3\tEen\n#1\tAnnotatorNotes T1\ta b\n');
		assert.deepStrictEqual(r.losses.filter((l) => l.what !== 'annotation ids'), [
			{ what: 'spans starting or ending with a line break (written without it)', count: 1 },
			{ what: 'notes with line breaks (written on one line)', count: 1 },
			{ what: 'spans whose label has white space (not written: brat types have none)', count: 1 },
		]);
		assert.doesNotMatch(file(r.files, 'annotation.conf'), /two words/);
	});

	it('imports the hand-written fixture (brat docs): notes, a relation, merged and discontinuous fragments, skipped attributes', () => {
		const files = fs.readdirSync(FIXTURE).map((name) => ({ path: name, text: fs.readFileSync(path.join(FIXTURE, name), 'utf8') }));
		const r = bratFormat.importFiles(files);
		const [doc] = imported(r);
		assert.strictEqual(doc.path, 'doc1.txt');
		assert.deepStrictEqual(doc.annotations.map((a) => [a.id, a.label, a.start, a.end, a.quote, a.note]), [
			['T1', 'PER', 0, 5, 'Rutte', undefined],
			['T2', 'LOC', 15, 22, 'Brussel', 'hoofdstad van België'],
			['T3', 'PER', 27, 40, 'Von der Leyen', undefined],
			['T5', 'claim', 27, 44, 'Von der Leyen.\nDe', undefined],
			['T6', 'MISC', 35, 44, 'Leyen.\nDe', undefined],
			['T4', 'ORG', 45, 49, 'NAVO', undefined],
		]);
		assert.deepStrictEqual(doc.relations.map((x) => [x.id, x.type, x.from, x.to]), [['R1', 'meets', 'T1', 'T3']]);
		assert.ok(r.ok);
		assert.deepStrictEqual(r.schema.labels.map((l) => l.id), ['PER', 'LOC', 'ORG', 'claim', 'MISC']);
		assert.deepStrictEqual(r.schema.relationTypes, [{ id: 'meets', from: ['PER'], to: ['PER'] }]);
		assert.deepStrictEqual(r.warnings, [
			'doc1.ann:8: T5 is discontinuous (27 40;42 44); imported as the one span 27–44 covering its fragments.',
			'doc1.ann: 1 attributes skipped (not carried into sidecars).',
		]);
	});

	it('round-trips 300 seeded random articles: exact but for line breaks a span starts or ends with (counted)', () => {
		const docs = randomDocuments(seededRandom(7), 300);
		const r = bratFormat.exportDocuments(docs, { labels: [], relationTypes: [] });
		const back = imported(bratFormat.importFiles(r.files));
		const byPath = new Map(back.map((d) => [d.path, d]));
		const order = (x: SpanView, y: SpanView): number => x.start - y.start || x.end - y.end || x.label.localeCompare(y.label) || (x.note ?? '').localeCompare(y.note ?? '');
		let trimmed = 0;
		let dropped = 0;
		for (const doc of docs) {
			const got = byPath.get(doc.path)!;
			assert.strictEqual(got.text, doc.text);
			// What brat can hold: the span without the line breaks it starts or ends with.
			const expected = doc.annotations.flatMap((a) => {
				const lead = /^\n*/.exec(a.quote)![0].length;
				const trail = /\n*$/.exec(a.quote)![0].length;
				if (lead === a.quote.length) {
					dropped++;
					return [];
				}
				trimmed += lead + trail > 0 ? 1 : 0;
				return [{ ...a, ...selectorAt(doc.text, sidecarOffset(a.start + lead), sidecarOffset(a.end - trail)) }];
			});
			assert.deepStrictEqual(spans(got.annotations).sort(order), spans(expected).sort(order), doc.path);
		}
		assert.ok(trimmed > 0 && dropped > 0, `the seed should make both cases (${trimmed}, ${dropped})`);
		assert.strictEqual(r.losses.find((l) => l.what.startsWith('spans starting or ending'))?.count, trimmed);
		assert.strictEqual(r.losses.find((l) => l.what.startsWith('spans of line breaks'))?.count, dropped);
	});

	it('counts BOM and CR as characters on import too', () => {
		const text = '\uFEFFab\r\ncd';
		const docs = imported(bratFormat.importFiles([{ path: 'x.txt', text }, { path: 'x.ann', text: 'T1\tL 1 3\tab\nT2\tL 5 7\tcd\n' }]));
		assert.deepStrictEqual(docs[0].annotations.map((a) => [a.start, a.end, a.quote]), [[0, 2, 'ab'], [3, 5, 'cd']]);
	});

	describe('malformed input: an error with file and line, and no documents', () => {
		const cases: [string, string, RegExp][] = [
			['a bad line', 'T1\tPER 0 5\tRutte\nthis is not brat\n', /^x\.ann:2: not a brat annotation line/],
			['a T line without offsets', 'T1\tPER zero five\tRutte\n', /^x\.ann:1: a T line is/],
			['offsets past the text', 'T1\tPER 0 5\tRutte\nT2\tORG 35 45\tzweeg.\n', /^x\.ann:2: offsets 35 45 run past the end of x\.txt, which has 38 characters/],
			['a text mismatch', 'T1\tPER 0 5\tRuttE\n', /^x\.ann:1: the text "RuttE" is not the text at 0 5 in x\.txt, which reads "Rutte"/],
			['a dangling relation', 'T1\tPER 0 5\tRutte\nR1\tabout Arg1:T1 Arg2:T9\n', /^x\.ann:2: R1 points at T9, which is not a T annotation of this file/],
			['a note on nothing', 'T1\tPER 0 5\tRutte\n#1\tAnnotatorNotes T7\thm\n', /^x\.ann:2: the note is on T7/],
			['a duplicate id', 'T1\tPER 0 5\tRutte\nT1\tLOC 15 22\tBrussel\n', /^x\.ann:2: the id T1 is used twice/],
			['reversed offsets', 'T1\tPER 5 0\tRutte\n', /^x\.ann:1: offsets 5 0: each fragment must be non-empty/],
		];
		for (const [name, ann, expected] of cases) {
			it(name, () => {
				const errors = importErrors(bratFormat.importFiles([{ path: 'x.txt', text: TEXT }, { path: 'x.ann', text: ann }, { path: 'ok.txt', text: 'a' }, { path: 'ok.ann', text: 'T1\tL 0 1\ta\n' }]));
				assert.strictEqual(errors.length, 1, errors.join('\n'));
				assert.match(errors[0], expected);
			});
		}
		it('an .ann without its .txt', () => {
			assert.match(importErrors(bratFormat.importFiles([{ path: 'y.ann', text: 'T1\tPER 0 5\tRutte\n' }]))[0], /^y\.ann:1: no y\.txt beside it/);
		});
	});
});
