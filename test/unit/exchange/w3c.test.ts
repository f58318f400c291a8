import * as assert from 'assert';
import { canonicalText, codePointLength } from '../../../src/core/annotations/offsets';
import { parseJson } from '../../../src/core/exchange/jsonExchange';
import { w3cFormat } from '../../../src/core/exchange/w3c';
import { ANNOTATIONS, assertBothBack, byId, DOCUMENT, documentsOf, errorsOf, fixtureFiles, PATH, PLAIN, RAW, RELATIONS } from './jsonFormatsFixture';

const SCHEMA = { labels: [], relationTypes: [] };

function exported(): { page: string; pageText: string } {
	const result = w3cFormat.exportDocuments([DOCUMENT], SCHEMA);
	assert.deepStrictEqual(result.files.map((f) => f.path), ['2024/05/001_0a1b2c3d4e5f6071.jsonld']);
	return { page: result.files[0].path, pageText: result.files[0].text };
}

describe('exchange: JSON with positions', () => {
	it('reads what JSON.parse reads, "__proto__" as an ordinary key, and knows where each object starts', () => {
		const text = '\uFEFF{"__proto__": {"x": 1},\n "a": [1, -2.5e3, true, false, null, "\\u00e9\\n\u00e9"],\n  "o": {}}';
		const parsed = parseJson(text);
		assert.ok(parsed.ok);
		assert.deepStrictEqual(parsed.value, JSON.parse(text.slice(1)));
		assert.strictEqual(Object.getPrototypeOf(parsed.value), Object.prototype);
		const v = parsed.value as { a: unknown[]; o: object };
		assert.deepStrictEqual(parsed.at(v.a), { line: 2, column: 7 });
		assert.deepStrictEqual(parsed.at(v.o), { line: 3, column: 8 });
	});
	it('places a syntax error exactly', () => {
		assert.deepStrictEqual(parseJson('[1,\n 2,,]'), { ok: false, line: 2, column: 4, message: 'not valid JSON: unexpected ","' });
		assert.deepStrictEqual(parseJson('{"a": "x'), { ok: false, line: 1, column: 7, message: 'not valid JSON: a string is not closed' });
	});
});

describe('exchange: W3C Web Annotation', () => {
	it('exports an AnnotationPage whose selectors count code points of the canonical text', () => {
		const result = w3cFormat.exportDocuments([DOCUMENT, PLAIN], SCHEMA);
		assert.deepStrictEqual(result.losses, []);
		assert.deepStrictEqual(result.warnings, []);
		const page = JSON.parse(result.files[0].text) as { '@context': unknown; type: string; items: Record<string, unknown>[] };
		// Curation fields are used, so our two terms are added to the standard context.
		assert.strictEqual((page['@context'] as unknown[])[0], 'http://www.w3.org/ns/anno.jsonld');
		assert.strictEqual(JSON.parse(result.files[1].text)['@context'], 'http://www.w3.org/ns/anno.jsonld');
		assert.strictEqual(page.type, 'AnnotationPage');
		assert.strictEqual(page.items.length, ANNOTATIONS.length + RELATIONS.length);
		const canonical = canonicalText(RAW);
		const kiev = page.items.find((i) => i.id === '#annotation-k6kiev') as { target: { source: string; selector: Record<string, unknown>[] }; body: unknown[] };
		const position = kiev.target.selector.find((s) => s.type === 'TextPositionSelector')!;
		const expectedStart = codePointLength(canonical.slice(0, canonical.indexOf('Kiev')));
		assert.deepStrictEqual(position, { type: 'TextPositionSelector', start: expectedStart, end: expectedStart + 4 });
		assert.strictEqual(kiev.target.source, PATH);
		assert.deepStrictEqual(kiev.body, [
			{ type: 'TextualBody', purpose: 'tagging', value: 'attribution' },
			{ type: 'TextualBody', purpose: 'commenting', value: '' },
			{ type: 'TextualBody', purpose: 'identifying', value: 'Kyiv' },
		]);
		const link = page.items.find((i) => i.id === '#relation-r1')!;
		assert.strictEqual(link.motivation, 'linking');
		assert.deepStrictEqual(link.target, ['#annotation-a2trmp', '#annotation-c1ptn0']);
		assert.deepStrictEqual(link.creator, { type: 'Person', name: 'anna' });
	});

	it('round trip with the article text: same annotations, relations, ids, authors, times, notes, entities', () => {
		const pages = w3cFormat.exportDocuments([DOCUMENT, PLAIN], SCHEMA).files;
		const raw = w3cFormat.importFiles([...pages, { path: PATH, text: RAW }, { path: PLAIN.path, text: PLAIN.text }]);
		assertBothBack(raw);
		const result = documentsOf(raw);
		assert.deepStrictEqual(result.schema.labels.map((l) => l.id).sort(), ['attribution', 'claim', 'event', 'framing']);
		assert.deepStrictEqual(result.schema.relationTypes.map((t) => t.id).sort(), ['about', 'contradicts', 'source-of']);
	});

	it('finds the text beside the page when the source path is not under the import root', () => {
		const { pageText } = exported();
		const result = documentsOf(w3cFormat.importFiles([{ path: 'out/001_0a1b2c3d4e5f6071.jsonld', text: pageText }, { path: 'out/001_0a1b2c3d4e5f6071.txt', text: RAW }]));
		assert.strictEqual(result.documents[0].path, 'out/001_0a1b2c3d4e5f6071.txt');
		assert.deepStrictEqual(byId(result.documents[0].annotations), byId(ANNOTATIONS));
	});

	it('says the text is needed when no article text is given', () => {
		const { page, pageText } = exported();
		const errors = errorsOf(w3cFormat.importFiles([{ path: page, text: pageText }]));
		assert.ok(errors.length > 0);
		assert.match(errors[0], /^2024\/05\/001_0a1b2c3d4e5f6071\.jsonld:\d+: the article text is needed/);
	});

	it('imports the hand-written fixture', () => {
		const result = documentsOf(w3cFormat.importFiles(fixtureFiles('w3c')));
		assert.strictEqual(result.documents.length, 1);
		const doc = result.documents[0];
		assert.strictEqual(doc.path, 'navo.txt');
		const spans = doc.annotations.map((a) => [a.id, a.label, a.start, a.end, a.quote, a.note, a.author, a.entity]);
		assert.deepStrictEqual(spans, [
			['navo', 'attribution', 13, 17, 'NAVO', undefined, 'Lotte de Vries', 'Noord-Atlantische Verdragsorganisatie'],
			['eis', 'claim', 13, 50, 'NAVO 🛡️ eist meer steun voor Oekraïne', 'Eis uit het persbericht', 'Lotte de Vries', undefined],
			// The second "Oekraïne" has only a TextQuoteSelector: found by its prefix.
			[doc.annotations[2].id, 'location', 66, 74, 'Oekraïne', undefined, undefined, undefined],
		]);
		assert.strictEqual(doc.annotations[0].created, '2024-05-14T08:30:00Z');
		assert.deepStrictEqual(doc.relations.map((r) => [r.id, r.type, r.from, r.to, r.note]), [['bron', 'source-of', 'navo', 'eis', 'De NAVO zegt het zelf']]);
	});

	describe('malformed input: an error with file and line, no documents', () => {
		const files = (pageText: string): { path: string; text: string }[] => [{ path: 'p.jsonld', text: pageText }, { path: 'a.txt', text: 'De NAVO 🛡️ reageert.' }];
		const item = (selector: unknown, extra = ''): string => `{
  "type": "AnnotationPage",
  "items": [
    {
      "id": "#annotation-x",
      "type": "Annotation",
      "body": {"type": "TextualBody", "purpose": "tagging", "value": "org"},
      "target": {"source": "a.txt", "selector": ${JSON.stringify(selector)}}
    }${extra}
  ]
}`;
		it('not JSON', () => {
			assert.deepStrictEqual(errorsOf(w3cFormat.importFiles(files('{\n  "items": [\n    {"id": 1,}\n  ]\n}'))), ['p.jsonld:3: not valid JSON: unexpected "}"']);
		});
		it('offsets past the text', () => {
			const errors = errorsOf(w3cFormat.importFiles(files(item({ type: 'TextPositionSelector', start: 3, end: 40 }))));
			assert.deepStrictEqual(errors, ['p.jsonld:8: the span 3–40 ends past the text, which has 20 code points']);
		});
		it('a quote that is not the text at its position', () => {
			const errors = errorsOf(w3cFormat.importFiles(files(item([{ type: 'TextQuoteSelector', exact: 'NATO' }, { type: 'TextPositionSelector', start: 3, end: 7 }]))));
			assert.deepStrictEqual(errors, ['p.jsonld:8: the quote "NATO" is not the text at 3–7, which reads "NAVO"']);
		});
		it('a dangling relation', () => {
			const link = `,
    {"id": "#relation-r", "type": "Annotation", "motivation": "linking",
     "body": {"type": "TextualBody", "purpose": "tagging", "value": "about"},
     "target": ["#annotation-x", "#annotation-gone"]}`;
			const errors = errorsOf(w3cFormat.importFiles(files(item({ type: 'TextPositionSelector', start: 3, end: 7 }, link))));
			assert.deepStrictEqual(errors, ['p.jsonld:10: the relation points at #annotation-gone, which is not an annotation of this page']);
		});
		it('(not an error) a source written as an object with an id', () => {
			const page = item({ type: 'TextPositionSelector', start: 3, end: 7 }).replace('"source": "a.txt"', '"source": {"id": "a.txt", "type": "Text"}');
			assert.deepStrictEqual(documentsOf(w3cFormat.importFiles(files(page))).documents[0].annotations.map((a) => [a.id, a.quote]), [['x', 'NAVO']]);
		});
		it('a creation time a sidecar would refuse', () => {
			const page = item({ type: 'TextPositionSelector', start: 3, end: 7 }).replace('"type": "Annotation",', '"type": "Annotation", "created": "gisteren",');
			const errors = errorsOf(w3cFormat.importFiles(files(page)));
			assert.strictEqual(errors.length, 1);
			assert.match(errors[0], /^p\.jsonld:4: "created" must be an ISO 8601 time/);
		});
	});
});
