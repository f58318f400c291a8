import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Annotation } from '../../../src/core/annotations/model';
import { escapeText, escapeValue, unescapeText, unescapeValue, webannoTsvFormat } from '../../../src/core/exchange/webannoTsv';
import { seededRandom } from '../../../src/core/util/seededRandom';
import { imported, importErrors, PLAIN_DOC, randomDocuments, relationViews, SAMPLE_DOC, SAMPLE_SCHEMA, SAMPLE_TEXT, spans } from './exchangeSample';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'exchange', 'webanno-tsv', 'ne.tsv');

/** Every field of an annotation but prefix/suffix (compared through `spans`). */
function full(a: Annotation): Annotation {
	return { ...a };
}

describe('exchange: webanno-tsv', () => {
	const result = webannoTsvFormat.exportDocuments([SAMPLE_DOC, PLAIN_DOC], SAMPLE_SCHEMA);
	const tsv = result.files[0].text.split('\n');

	it('writes the header, #Text= lines covering every character and UTF-16 offsets', () => {
		assert.deepStrictEqual(result.files.map((f) => f.path), ['2025/07/001_abc.tsv', 'plain.tsv']);
		assert.deepStrictEqual(tsv.slice(0, 5), [
			'#FORMAT=WebAnno TSV 3.3',
			'#T_SP=webanno.custom.Annotation|label|note|entity|author|created|modified|annotationId',
			'#T_RL=webanno.custom.Relation|type|note|author|relationId|BT_webanno.custom.Annotation',
			'', '',
		]);
		// The first sentence runs to the next one's first token: its CR LF CR LF are two more #Text= lines.
		assert.deepStrictEqual(tsv.slice(5, 8), ['#Text=date 2025-07 Trump 😀 sprak met Zelensky in Kiev over Patriot-raketten.\\r', '#Text=\\r', '#Text=']);
		// The emoji takes two UTF-16 units (20-22); the BOM is not in the TSV text.
		assert.ok(tsv.includes('1-4\t20-22\t😀\tMISC[2]\t*[2]\t*[2]\tann[2]\t2026-11-01T10:00:01Z[2]\t2026-11-02T09:00:00Z[2]\taemo02[2]\t_\t_\t_\t_\t_'), tsv.join('\n'));
		// A relation on its target's first row, the source's first row in the BT_ column.
		assert.ok(tsv.includes('1-5\t23-28\tsprak\tclaim[3]\t*[3]\t*[3]\t*[3]\t*[3]\t*[3]\taclm03[3]\tsource-of\tzegt hij\tann\tr1\t1-3[1_3]'));
		// Reserved characters escaped.
		assert.ok(tsv.some((l) => l.includes('stad\\; ook "Kyiv" \\[hoofdstad\\] \\| x\\_y \\* z[6]')));
	});

	it('writes sub-token rows for spans inside a token', () => {
		assert.ok(tsv.includes('1-11\t55-71\tPatriot-raketten\t_\t_\t_\t_\t_\t_\t_\t_\t_\t_\t_\t_'));
		assert.ok(tsv.includes('1-11.1\t55-62\tPatriot\tMISC\t*\t*\t*\t*\t*\tamis07\t_\t_\t_\t_\t_'));
		assert.ok(tsv.includes('1-11.2\t62-71\t-raketten\t_\t_\t_\t_\t_\t_\t_\t_\t_\t_\t_\t_'));
	});

	it('carries every field: only the BOM is lost', () => {
		assert.deepStrictEqual(result.losses, [{ what: 'byte-order marks (the TSV text has none)', count: 1 }]);
		assert.deepStrictEqual(result.warnings, []);
	});

	it('imports what it exported: the text without BOM, every annotation and relation field, ids included', () => {
		const docs = imported(webannoTsvFormat.importFiles(result.files));
		assert.deepStrictEqual(docs.map((d) => d.path), ['2025/07/001_abc.txt', 'plain.txt']);
		assert.strictEqual(docs[0].text, SAMPLE_TEXT.slice(1));
		assert.deepStrictEqual(docs[0].annotations.map(full), SAMPLE_DOC.annotations.map(full));
		assert.deepStrictEqual(docs[0].relations, SAMPLE_DOC.relations);
		assert.deepStrictEqual(spans(docs[1].annotations), spans(PLAIN_DOC.annotations));
		assert.strictEqual(docs[1].text, PLAIN_DOC.text);
	});

	it('spans starting or ending in white space come back exactly (white-space tokens)', () => {
		const text = 'Een  twee\n\ndrie';
		const mk = (id: string, s: number, e: number): Annotation => ({ id, label: 'L', start: s as never, end: e as never, quote: text.slice(s, e), prefix: text.slice(0, s), suffix: text.slice(e) });
		const doc = { path: 'w.txt', text, annotations: [mk('a', 0, 4), mk('b', 4, 10), mk('c', 9, 15)], relations: [] };
		const r = webannoTsvFormat.exportDocuments([doc], { labels: [], relationTypes: [] });
		assert.deepStrictEqual(r.losses, []);
		const [back] = imported(webannoTsvFormat.importFiles(r.files));
		assert.strictEqual(back.text, text);
		assert.deepStrictEqual(spans(back.annotations), spans(doc.annotations));
	});

	it('round-trips 300 seeded random articles exactly (spans in white space, inside tokens, across lines, stacked)', () => {
		const docs = randomDocuments(seededRandom(16), 300);
		const r = webannoTsvFormat.exportDocuments(docs, { labels: [], relationTypes: [] });
		const back = imported(webannoTsvFormat.importFiles(r.files));
		const byPath = new Map(back.map((d) => [d.path, d]));
		for (const doc of docs) {
			const got = byPath.get(doc.path)!;
			assert.strictEqual(got.text, doc.text.replace(/^\uFEFF/, ''), doc.path);
			assert.deepStrictEqual(got.annotations.map(full), doc.annotations.map(full), doc.path);
			assert.deepStrictEqual(got.relations, doc.relations, doc.path);
		}
	});

	it('escapes and unescapes values and text as the spec says', () => {
		for (const v of ['a\\b', '[x]', 'p|q', 'x_y', 'a->b', 'a;b', 't\tn\n', '*', '']) {
			assert.strictEqual(unescapeValue(escapeValue(v)), v);
		}
		assert.strictEqual(escapeValue('a->b_c'), 'a\\->b\\_c');
		assert.strictEqual(escapeText('a\tb\r\\'), 'a\\tb\\r\\\\');
		assert.strictEqual(unescapeText('a\\tb\\r\\\\ \\_'), 'a\tb\r\\ \\_');
	});

	it('imports the hand-written fixture (spec examples: NamedEntity value, multi-token, stacked, sub-token, relation with disambiguation)', () => {
		const r = webannoTsvFormat.importFiles([{ path: 'ne.tsv', text: fs.readFileSync(FIXTURE, 'utf8') }]);
		const [doc] = imported(r);
		assert.strictEqual(doc.path, 'ne.txt');
		assert.strictEqual(doc.text, 'Mevr. De Vries bezocht Den Haag .\nZij zag Patriot-raketten \\ 1_2 .');
		// Same-span annotations are in id order (random ids here), so compare them sorted by label.
		const byPlace = (x: (string | number)[], y: (string | number)[]): number => Number(x[1]) - Number(y[1]) || Number(x[2]) - Number(y[2]) || String(x[0]).localeCompare(String(y[0]));
		assert.deepStrictEqual(doc.annotations.map((a) => [a.label, a.start, a.end, a.quote]).sort(byPlace), [
			['PER', 0, 14, 'Mevr. De Vries'],
			['LOC', 23, 31, 'Den Haag'],
			['NamedEntity', 23, 31, 'Den Haag'],
			['MISC', 42, 49, 'Patriot'],
			['sym|bol', 59, 60, '\\'],
		]);
		assert.deepStrictEqual(relationViews(doc), ['bezoekt: PER 0-14 -> LOC 23-31']);
		assert.ok(r.ok);
		assert.deepStrictEqual(r.warnings, ['ne.tsv:3: span layer de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS has no "label" or "value" feature; not imported.']);
	});

	describe('malformed input: an error with file and line, and no documents', () => {
		const good = (): string[] => fs.readFileSync(FIXTURE, 'utf8').split('\n');
		const edit = (f: (lines: string[]) => void): string => {
			const lines = good();
			f(lines);
			return lines.join('\n');
		};
		const cases: [string, string, RegExp][] = [
			['a wrong first line', edit((l) => { l[0] = '#FORMAT=WebAnno TSV 2'; }), /^bad\.tsv:1: the first line must be/],
			['a bad header line', edit((l) => { l[2] = '#T_XX=foo'; }), /^bad\.tsv:3: a header line is/],
			['a row with too few columns', edit((l) => { l[8] = '1-2\t6-8\tDe\tPER[1]'; }), /^bad\.tsv:9: a row is "sentence-token<tab>begin-end<tab>token" and 4 annotation columns/],
			['offsets past the text', edit((l) => { l[22] = '2-6\t65-70\t.\t_\tPUNCT\t_\t_'; }), /^bad\.tsv:23: offsets 65-70 run past the text/],
			['a token that is not the text at its offsets', edit((l) => { l[7] = '1-1\t0-5\tMevr!\tPER[1]\tNN\t_\t_'; }), /^bad\.tsv:8: the token "Mevr!" is not the text at 0-5, which reads "Mevr\."/],
			['a dangling relation', edit((l) => { l[11] = '1-5\t23-26\tDen\tLOC[2]|*[3]\tNN\tbezoekt\t1-9[1_2]'; }), /^bad\.tsv:12: the relation points at "1-9\[1_2\]", which is not a span/],
			['a sub-token outside its token', edit((l) => { l[19] = '2-3.1\t40-49\tPatriot\tMISC\t_\t_\t_'; }), /^bad\.tsv:20: sub-token 2-3\.1 is not inside the token before it/],
		];
		for (const [name, text, expected] of cases) {
			it(name, () => {
				const errors = importErrors(webannoTsvFormat.importFiles([{ path: 'ok.tsv', text: good().join('\n') }, { path: 'bad.tsv', text }]));
				assert.strictEqual(errors.length, 1, errors.join('\n'));
				assert.match(errors[0], expected);
			});
		}
	});
});
