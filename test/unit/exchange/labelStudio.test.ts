import * as assert from 'assert';
import { LABEL_STUDIO_FILE, labelStudioFormat, UNLABELLED_RELATION_TYPE } from '../../../src/core/exchange/labelStudio';
import { ANNOTATIONS, assertBothBack, byId, codePointsBefore, DOCUMENT, documentsOf, errorsOf, fixtureFiles, PATH, PLAIN, RAW, RELATIONS, slicePoints } from './jsonFormatsFixture';

const SCHEMA = { labels: [], relationTypes: [] };

interface Result {
	id?: string;
	type: string;
	from_name?: string;
	value?: { start: number; end: number; text: string | string[]; labels?: string[] };
	from_id?: string;
	to_id?: string;
	direction?: string;
	labels?: string[];
}
interface Task {
	id: number;
	data: { text: string; path: string };
	annotations: { result: Result[] }[];
}

function exportedTasks(): Task[] {
	const result = labelStudioFormat.exportDocuments([DOCUMENT, PLAIN], SCHEMA);
	assert.deepStrictEqual(result.losses, []);
	assert.deepStrictEqual(result.files.map((f) => f.path), [LABEL_STUDIO_FILE]);
	return JSON.parse(result.files[0].text) as Task[];
}

describe('exchange: Label Studio JSON', () => {
	it('exports a task per article: data.text as read, regions in code points of it, notes as per-region textareas, relations', () => {
		const tasks = exportedTasks();
		assert.strictEqual(tasks.length, 2);
		const [task] = tasks;
		assert.strictEqual(task.data.text, RAW);
		assert.strictEqual(task.data.path, PATH);
		const result = task.annotations[0].result;
		const regions = result.filter((r) => r.type === 'labels');
		assert.deepStrictEqual(regions.map((r) => r.id), ANNOTATIONS.map((a) => a.id));
		for (const r of regions) {
			// value.text is data.text between start and end counted in code points (Label Studio's unit).
			assert.strictEqual(r.value!.text, slicePoints(RAW, r.value!.start, r.value!.end));
			assert.strictEqual(r.from_name, 'label');
		}
		const kiev = regions.find((r) => r.id === 'k6kiev')!;
		assert.strictEqual(kiev.value!.start, codePointsBefore(RAW, RAW.indexOf('Kiev')));
		assert.strictEqual(regions.find((r) => r.id === 'x5brk1')!.value!.text, 'vrede.”\r\n\r\nDe NAVO');
		const notes = result.filter((r) => r.type === 'textarea');
		assert.deepStrictEqual(notes.map((n) => [n.id, n.value!.text]), [['c1ptn0', ['Citaat met emoji 😀']], ['e3emoj', ['genest in de claim']], ['k6kiev', ['']]]);
		const links = result.filter((r) => r.type === 'relation');
		assert.deepStrictEqual(links[0], { from_id: 'a2trmp', to_id: 'c1ptn0', type: 'relation', direction: 'right', labels: ['source-of'] });
	});

	it('round trip: same text, annotations, relations, ids, authors, times, notes, entities', () => {
		const files = labelStudioFormat.exportDocuments([DOCUMENT, PLAIN], SCHEMA).files;
		const result = labelStudioFormat.importFiles(files);
		assertBothBack(result);
		assert.deepStrictEqual(documentsOf(result).warnings, []);
	});

	it('without our stash (what another Label Studio project gives): spans, labels, notes and relations still come back', () => {
		const tasks = exportedTasks();
		for (const t of tasks) {
			delete (t.data as Partial<Task['data']> & { corpus_annotator?: unknown }).corpus_annotator;
		}
		const doc = documentsOf(labelStudioFormat.importFiles([{ path: 'ls.json', text: JSON.stringify(tasks) }])).documents[0];
		assert.deepStrictEqual(
			byId(doc.annotations).map((a) => [a.id, a.label, a.start, a.end, a.quote, a.note]),
			byId(ANNOTATIONS).map((a) => [a.id, a.label, a.start, a.end, a.quote, a.note]),
		);
		assert.deepStrictEqual(doc.relations.map((r) => [r.type, r.from, r.to]), RELATIONS.map((r) => [r.type, r.from, r.to]));
	});

	it('the annotation says when: created_at is the regions\' earliest created, updated_at their latest modified (or created); no completed_by', () => {
		const [task, plain] = exportedTasks() as (Task & { annotations: Record<string, unknown>[] })[];
		const times = ANNOTATIONS.flatMap((a) => (a.created !== undefined ? [a.created] : [])).sort();
		const last = ANNOTATIONS.flatMap((a) => (a.modified ?? a.created) ?? []).sort();
		assert.ok(times.length > 1);
		assert.deepStrictEqual([task.annotations[0].created_at, task.annotations[0].updated_at], [times[0], last[last.length - 1]]);
		assert.ok(!('completed_by' in task.annotations[0]));
		assert.deepStrictEqual(Object.keys(plain.annotations[0]), ['result'], 'no times, no time fields');
	});

	it('a task Label Studio exported: its annotation\'s completed_by (e-mail or text), created_at and a later updated_at go to every region of it', () => {
		const region = (id: string, start: number, end: number, text: string): string =>
			`{"id": "${id}", "type": "labels", "from_name": "label", "to_name": "text", "value": {"start": ${start}, "end": ${end}, "text": "${text}", "labels": ["PER"]}}`;
		const tasks = `[{"id": 7, "data": {"text": "Rutte en Poetin"}, "annotations": [
  {"id": 11, "completed_by": {"id": 3, "email": "anna@example.org", "first_name": "Anna"}, "created_at": "2024-06-01T10:00:00.513742Z", "updated_at": "2024-06-02T08:30:00.000001Z",
   "result": [${region('r1', 0, 5, 'Rutte')}]},
  {"id": 12, "completed_by": 4, "created_at": "2024-06-03T09:00:00Z", "updated_at": "2024-06-03T09:00:00Z", "result": [${region('r2', 9, 15, 'Poetin')}]},
  {"id": 13, "completed_by": "bram", "created_at": "gisteren", "result": [${region('r3', 0, 5, 'Rutte')}]}
]}]`;
		const [doc] = documentsOf(labelStudioFormat.importFiles([{ path: 'ls.json', text: tasks }])).documents;
		assert.deepStrictEqual(byId(doc.annotations).map((a) => [a.id, a.author, a.created, a.modified]), [
			['r1', 'anna@example.org', '2024-06-01T10:00:00.513742Z', '2024-06-02T08:30:00.000001Z'],
			// A bare user id names no one outside that Label Studio; updated_at equal to created_at is no change.
			['r2', undefined, '2024-06-03T09:00:00Z', undefined],
			// A time a sidecar would refuse is left out, not an error.
			['r3', 'bram', undefined, undefined],
		]);
	});

	it('imports the hand-written fixture', () => {
		const result = documentsOf(labelStudioFormat.importFiles(fixtureFiles('label-studio')));
		const [d1, d2] = result.documents;
		assert.strictEqual(d1.path, 'tasks/101.txt');
		assert.deepStrictEqual(d1.annotations.map((a) => [a.id, a.label, a.start, a.end, a.quote, a.note]), [
			['wX3kPq9aZb', 'PER', 0, 5, 'Rutte', undefined],
			['Lm2Yt7Hc0d', 'LOC', 17, 25, 'Oekraïne', undefined],
			['Qe5Ns1Vb8r', 'claim', 28, 33, 'steun', 'Welke steun precies?'],
		]);
		assert.deepStrictEqual(d1.relations.map((r) => [r.type, r.from, r.to]), [['source-of', 'wX3kPq9aZb', 'Qe5Ns1Vb8r']]);
		assert.strictEqual(d2.path, 'tasks/102.txt');
		// The CR counts in Label Studio's offsets (30–50), not in ours (29–49); two labels make two annotations.
		assert.deepStrictEqual(d2.annotations.map((a) => [a.id, a.label, a.start, a.end, a.quote]), [
			['Hn8Rc4Wq2s', 'PER', 0, 6, 'Poetin'],
			['Zt6Gv0Kx3m', 'PER', 29, 49, 'Kremlin-woordvoerder'],
			['Zt6Gv0Kx3m-2', 'ORG', 29, 49, 'Kremlin-woordvoerder'],
		]);
		// direction "left": the arrow points at from_id.
		assert.deepStrictEqual(d2.relations.map((r) => [r.type, r.from, r.to]), [[UNLABELLED_RELATION_TYPE, 'Zt6Gv0Kx3m', 'Hn8Rc4Wq2s']]);
		assert.strictEqual(result.warnings.length, 2);
		assert.match(result.warnings[0], /^tasks\.json:\d+:\d+: a "choices" result is not a span label: not imported$/);
		assert.match(result.warnings[1], /^tasks\.json:\d+:\d+: a relation without a label gets the type "related"$/);
		assert.deepStrictEqual(result.schema.labels.map((l) => l.id), ['PER', 'LOC', 'claim', 'ORG']);
	});

	describe('malformed input: an error with file and line, no documents', () => {
		const task = (results: string): string => `[
  {
    "id": 1,
    "data": {"text": "De NAVO 🛡️ reageert."},
    "annotations": [{"result": [
      {"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
       "value": {"start": 3, "end": 7, "text": "NAVO", "labels": ["org"]}}${results}
    ]}]
  }
]`;
		const run = (text: string): string[] => errorsOf(labelStudioFormat.importFiles([{ path: 'ls.json', text }]));
		it('not JSON', () => {
			assert.deepStrictEqual(run(task(',\n      {"type": "relation", "from_id": "a" "to_id": "a"}')), ['ls.json:8: not valid JSON: unexpected "\\""']);
		});
		it('offsets past the text', () => {
			assert.deepStrictEqual(run(task('').replace('"end": 7', '"end": 77')), ['ls.json:7: the span 3–77 ends past the text, which has 20 characters']);
		});
		it('value.text that is not the text at the offsets', () => {
			assert.deepStrictEqual(run(task('').replace('"text": "NAVO"', '"text": "NATO"')), ['ls.json:7: "value.text" "NATO" is not the text at 3–7, which reads "NAVO"']);
		});
		it('offsets counted in UTF-16 units by mistake are caught by value.text', () => {
			const text = task('').replace('"start": 3, "end": 7, "text": "NAVO"', '"start": 12, "end": 20, "text": "reageert"');
			assert.deepStrictEqual(run(text), ['ls.json:7: "value.text" "reageert" is not the text at 12–20, which reads "eageert."']);
		});
		it('a dangling relation', () => {
			assert.deepStrictEqual(run(task(',\n      {"type": "relation", "from_id": "a", "to_id": "gone", "labels": ["about"]}')), ['ls.json:8: the relation points at region "gone", which is not a labelled region of this task']);
		});
	});
});
