import * as assert from 'assert';
import { DOCCANO_FILE, doccanoFormat } from '../../../src/core/exchange/doccano';
import { ANNOTATIONS, assertBothBack, byId, codePointsBefore, DOCUMENT, documentsOf, errorsOf, fixtureFiles, PATH, PLAIN, RAW, RELATIONS, slicePoints } from './jsonFormatsFixture';

const SCHEMA = { labels: [], relationTypes: [] };

interface Line {
	text: string;
	entities: { id: number; label: string; start_offset: number; end_offset: number }[];
	relations: { id: number; from_id: number; to_id: number; type: string }[];
	meta: { path: string };
}

describe('exchange: doccano JSONL', () => {
	it('exports one line per article: the text as read, entities in code points of it, relations by entity id', () => {
		const result = doccanoFormat.exportDocuments([DOCUMENT, PLAIN], SCHEMA);
		assert.deepStrictEqual(result.losses, []);
		assert.deepStrictEqual(result.files.map((f) => f.path), [DOCCANO_FILE]);
		const lines = result.files[0].text.split('\n');
		assert.strictEqual(lines.length, 3);
		assert.strictEqual(lines[2], '');
		const line = JSON.parse(lines[0]) as Line;
		assert.strictEqual(line.text, RAW);
		assert.strictEqual(line.meta.path, PATH);
		// Python's text[start_offset:end_offset] is the span, a BOM and CRs counted.
		const kiev = line.entities.find((e) => slicePoints(RAW, e.start_offset, e.end_offset) === 'Kiev');
		assert.ok(kiev);
		assert.strictEqual(kiev.start_offset, codePointsBefore(RAW, RAW.indexOf('Kiev')));
		const across = line.entities.find((e) => e.label === 'framing' && slicePoints(RAW, e.start_offset, e.end_offset).includes('\r\n'));
		assert.strictEqual(slicePoints(RAW, across!.start_offset, across!.end_offset), 'vrede.”\r\n\r\nDe NAVO');
		for (const e of line.entities) {
			const a = ANNOTATIONS.find((x) => x.label === e.label && slicePoints(RAW, e.start_offset, e.end_offset).replace(/\r\n/g, '\n') === x.quote);
			assert.ok(a, `entity ${JSON.stringify(e)} is the text of an annotation`);
		}
		const r1 = line.relations[0];
		const ids = new Map(line.entities.map((e) => [e.id, e]));
		assert.strictEqual(slicePoints(RAW, ids.get(r1.from_id)!.start_offset, ids.get(r1.from_id)!.end_offset), 'Trump 🇺🇸');
		assert.strictEqual(r1.type, 'source-of');
	});

	it('round trip: same text, annotations, relations, ids, authors, times, notes, entities', () => {
		const exported = doccanoFormat.exportDocuments([DOCUMENT, PLAIN], SCHEMA).files;
		assertBothBack(doccanoFormat.importFiles(exported));
	});

	it('keeps our fields through doccano renumbering its ids (meta is matched by span and label)', () => {
		const text = doccanoFormat.exportDocuments([DOCUMENT], SCHEMA).files[0].text;
		const line = JSON.parse(text) as Line;
		// doccano gives entities and relations its own ids and may reorder them.
		const renumber = new Map(line.entities.map((e, i) => [e.id, 900 + line.entities.length - i]));
		const moved = {
			...line,
			entities: line.entities.map((e) => ({ ...e, id: renumber.get(e.id) })).reverse(),
			relations: line.relations.map((r, i) => ({ ...r, id: 50 + i, from_id: renumber.get(r.from_id), to_id: renumber.get(r.to_id) })),
		};
		const doc = documentsOf(doccanoFormat.importFiles([{ path: 'x.jsonl', text: JSON.stringify(moved) }])).documents[0];
		assert.deepStrictEqual(byId(doc.annotations), byId(ANNOTATIONS));
		assert.deepStrictEqual(byId(doc.relations), byId(RELATIONS));
	});

	it('imports the hand-written fixtures: the entities shape with relations and the older label triples', () => {
		const result = documentsOf(doccanoFormat.importFiles(fixtureFiles('doccano')));
		const docs = new Map(result.documents.map((d) => [d.path, d]));
		assert.deepStrictEqual([...docs.keys()].sort(), ['labels/3.txt', 'relations/14.txt', 'relations/15.txt']);
		const spans = (path: string): [string, number, number, string][] => docs.get(path)!.annotations.map((a) => [a.label, a.start, a.end, a.quote]);
		assert.deepStrictEqual(spans('relations/14.txt'), [['PER', 0, 5, 'Rutte'], ['LOC', 17, 25, 'Oekraïne'], ['claim', 28, 33, 'steun']]);
		// The CR before "De" counts in doccano's offsets, not in ours.
		assert.deepStrictEqual(spans('relations/15.txt'), [['PER', 0, 6, 'Poetin'], ['LOC', 18, 24, 'Moskou'], ['PER', 29, 49, 'Kremlin-woordvoerder']]);
		assert.deepStrictEqual(spans('labels/3.txt'), [['PER', 0, 8, 'Zelensky'], ['LOC', 20, 30, 'Washington']]);
		const d15 = docs.get('relations/15.txt')!;
		assert.strictEqual(d15.text, 'Poetin spreekt in Moskou.\r\nDe Kremlin-woordvoerder 😐 bevestigt.');
		assert.deepStrictEqual(d15.relations.map((r) => [r.type, r.from, r.to]), [['about', d15.annotations[2].id, d15.annotations[0].id]]);
		assert.deepStrictEqual(result.schema.labels.map((l) => l.id), ['PER', 'LOC', 'claim']);
		assert.deepStrictEqual(result.schema.relationTypes.map((t) => t.id), ['source-of', 'about']);
		// Ids made for the entities are stable: the same file imports the same way twice.
		assert.deepStrictEqual(documentsOf(doccanoFormat.importFiles(fixtureFiles('doccano'))).documents, result.documents);
	});

	it('counts a relation to a missing annotation as not carried, and warns about an orphaned quote', () => {
		const orphan = { ...PLAIN.annotations[0], id: 'p2', quote: 'bezocht Washington' };
		const doc = { ...PLAIN, annotations: [...PLAIN.annotations, orphan], relations: [{ id: 'r9', type: 'about', from: 'p1', to: 'gone' }] };
		const result = doccanoFormat.exportDocuments([doc], SCHEMA);
		assert.deepStrictEqual(result.losses, [{ what: 'relations whose endpoint is not an annotation of the article', count: 1 }]);
		assert.deepStrictEqual((JSON.parse(result.files[0].text) as Line).relations, []);
		assert.strictEqual(result.warnings.length, 1);
		assert.match(result.warnings[0], /annotation p2's quote is not the text at 23–41 \(orphaned\?\)/);
	});

	describe('malformed input: an error with file and line, no documents', () => {
		const good = '{"text": "De NAVO 🛡️ reageert.", "entities": [{"id": 1, "label": "org", "start_offset": 3, "end_offset": 7}]}';
		const run = (...lines: string[]): string[] => errorsOf(doccanoFormat.importFiles([{ path: 'in.jsonl', text: lines.join('\n') }]));
		it('a line that is not JSON', () => {
			assert.deepStrictEqual(run(good, '', '{"text": "x", "entities": [}'), ['in.jsonl:3: not valid JSON: unexpected "}"']);
		});
		it('offsets past the text', () => {
			assert.deepStrictEqual(run(good, good.replace('"end_offset": 7', '"end_offset": 70')), ['in.jsonl:2: the span 3–70 ends past the text, which has 20 characters']);
		});
		it('a dangling relation', () => {
			const line = good.replace(']}', '], "relations": [{"id": 1, "from_id": 1, "to_id": 9, "type": "about"}]}');
			assert.deepStrictEqual(run(line), ['in.jsonl:1: the relation points at entity 9, which is not an entity on this line']);
		});
		it('an unsafe path in meta', () => {
			const line = good.replace(']}', '], "meta": {"path": "../../etc/x.txt"}}');
			assert.deepStrictEqual(run(line), ['in.jsonl:1: meta.path: "../../etc/x.txt" has an empty, "." or ".." segment']);
		});
		it('a span of only the LF of a CRLF', () => {
			assert.deepStrictEqual(run('{"text": "ab\\r\\ncd", "entities": [{"id": 1, "label": "x", "start_offset": 3, "end_offset": 4}]}'), ['in.jsonl:1: the span holds nothing of the article text: only a BOM, or the LF of a CRLF']);
		});
		it('a line without text', () => {
			assert.deepStrictEqual(run(good, '{"entities": []}'), ['in.jsonl:2: expected one JSON object per line with a "text" string']);
		});
	});
});
