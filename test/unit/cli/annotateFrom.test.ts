import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { readAnnotationLines } from '../../../src/cli/annotationLines';
import { runCli } from './runCli';

const ARTICLE_A = ' date 2024-06 De NAVO 🇺🇦 sprak met Zelensky.\r\n\r\nRutte bezocht later Kiev.';
const ARTICLE_B = ' date 2023-02 Het kabinet van Schoof viel in Den Haag.';

interface SidecarFile {
	annotations: { id: string; quote: string; start: number; end: number; label: string; author: string; note?: string; entity?: string }[];
}

describe('CLI annotate --from', () => {
	let dir: string;
	beforeEach(async () => {
		dir = await fs.mkdtemp(path.join(os.tmpdir(), 'corpus-from-'));
		await fs.writeFile(path.join(dir, 'a.txt'), ARTICLE_A);
		await fs.mkdir(path.join(dir, 'sub'));
		await fs.writeFile(path.join(dir, 'sub', 'b.txt'), ARTICLE_B);
	});
	afterEach(async () => {
		await fs.rm(dir, { recursive: true, force: true });
	});

	const cp = (text: string, needle: string): number => {
		const canonical = text.replace(/\r\n/g, '\n');
		return [...canonical.slice(0, canonical.indexOf(needle))].length;
	};
	const read = async (file: string): Promise<SidecarFile> => parse(await fs.readFile(path.join(dir, file), 'utf8')) as SidecarFile;

	it('adds every line to its article, one write per sidecar, ids in the file\'s order', async () => {
		const z = cp(ARTICLE_A, 'Zelensky');
		const r = cp(ARTICLE_A, 'Rutte');
		const s = cp(ARTICLE_B, 'Schoof');
		const lines = [
			{ start: r, end: r + 5, label: 'attribution', note: 'premier' },
			{ start: s, end: s + 6, label: 'claim', article: 'sub/b.txt', entity: 'Dick Schoof' },
			'',
			{ start: z, end: z + 8, label: 'claim', author: 'Other' },
		];
		await fs.writeFile(path.join(dir, 'in.jsonl'), lines.map((l) => (l === '' ? '' : JSON.stringify(l))).join('\r\n') + '\n');
		const out = await runCli(dir, 'annotate', 'a.txt', '--from', 'in.jsonl', '--author', 'Tester');
		assert.strictEqual(out.code, 0, out.err);
		const ids = out.out.trim().split('\n');
		assert.strictEqual(ids.length, 3);
		const a = await read('a.ann.yaml');
		const b = await read('sub/b.ann.yaml');
		// Sidecars keep document order; the printed ids follow the input.
		assert.deepStrictEqual(a.annotations.map((x) => [x.id, x.quote, x.author, x.note]), [
			[ids[2], 'Zelensky', 'Other', undefined],
			[ids[0], 'Rutte', 'Tester', 'premier'],
		]);
		assert.deepStrictEqual(b.annotations.map((x) => [x.id, x.quote, x.start, x.end, x.entity]), [[ids[1], 'Schoof', s, s + 6, 'Dick Schoof']]);
		const list = await runCli(dir, 'list', 'a.txt', '--json');
		assert.deepStrictEqual((JSON.parse(list.out) as { status: string }[]).map((x) => x.status), ['anchored', 'anchored']);
	});

	it('keeps the annotations already in the sidecar and adds to them', async () => {
		const first = await runCli(dir, 'annotate', 'a.txt', '--start', '14', '--end', '16', '--label', 'claim', '--author', 'T');
		assert.strictEqual(first.code, 0, first.err);
		await fs.writeFile(path.join(dir, 'in.jsonl'), JSON.stringify({ start: 17, end: 21, label: 'event' }) + '\n');
		const r = await runCli(dir, 'annotate', 'a.txt', '--from', 'in.jsonl', '--author', 'T');
		assert.strictEqual(r.code, 0, r.err);
		assert.deepStrictEqual((await read('a.ann.yaml')).annotations.map((x) => x.id), [first.out.trim(), r.out.trim()]);
	});

	it('reports every bad line as FILE:line:column and writes nothing', async () => {
		const before = await runCli(dir, 'annotate', 'sub/b.txt', '--start', '14', '--end', '17', '--label', 'claim', '--author', 'T');
		assert.strictEqual(before.code, 0);
		const bSidecar = await fs.readFile(path.join(dir, 'sub', 'b.ann.yaml'));
		const lines = [
			'{"start": 14, "end": 16, "label": "claim"}', // 1: fine
			'{"start": 14, "end": 16, "label": "claim",}', // 2: JSON error at the }
			'{"start": 14, "end": 9999, "label": "claim"}', // 3: range past the end
			'{"start": 14, "end": 16, "label": "nope"}', // 4: unknown label
			'{"start": 14.5, "end": 16, "label": "claim"}', // 5: not whole
			'{"start": 14, "end": 16, "lable": "claim"}', // 6: unknown field, label missing
			'{"start": 14, "end": 16, "label": "claim", "article": "missing.txt"}', // 7: no such article
			'{"start": 14, "end": 16, "label": "claim", "article": "sub/b.txt"}', // 8: fine, but nothing may be written
		];
		await fs.writeFile(path.join(dir, 'in.jsonl'), lines.join('\n'));
		const r = await runCli(dir, 'annotate', 'a.txt', '--from', 'in.jsonl');
		assert.strictEqual(r.code, 1);
		const where = [...r.err.matchAll(/in\.jsonl:(\d+):(\d+): /g)].map((m) => `${m[1]}:${m[2]}`);
		assert.deepStrictEqual(where, ['2:43', '3:11', '4:35', '5:11', '6:1', '6:26', '7:55'], r.err);
		assert.match(r.err, /Nothing was written/);
		await assert.rejects(fs.stat(path.join(dir, 'a.ann.yaml')));
		assert.deepStrictEqual(await fs.readFile(path.join(dir, 'sub', 'b.ann.yaml')), bSidecar);
	});

	it('refuses flag fields beside --from, and a line without an article', async () => {
		await fs.writeFile(path.join(dir, 'in.jsonl'), '{"start": 14, "end": 16, "label": "claim"}\n');
		const both = await runCli(dir, 'annotate', 'a.txt', '--from', 'in.jsonl', '--label', 'claim');
		assert.strictEqual(both.code, 1);
		assert.match(both.err, /not from --label/);
		const none = await runCli(dir, 'annotate', '--from', 'in.jsonl');
		assert.strictEqual(none.code, 1);
		assert.match(none.err, /in\.jsonl:1:1: no "article"/);
	});
});

describe('annotation lines', () => {
	it('names the line and column where a line stops being JSON, and why', () => {
		const cases: [string, number, RegExp][] = [
			['{"a":}', 6, /unexpected "}"/],
			['{"a":1', 7, /ends too early/],
			['{a:1}', 2, /unexpected "a"/],
			['{"a":"x', 6, /string is not closed/],
			['[1,]', 4, /unexpected "]"/],
			['{"a":1} x', 9, /after the JSON value/],
			['{"a":tru}', 6, /unexpected "t"/],
			['{"a":"\\q"}', 8, /bad escape/],
			['{"a":-}', 6, /unexpected "-"/],
		];
		const wrong = cases.flatMap(([s, column, message], i) => {
			const { requests, problems } = readAnnotationLines(`${'\n'.repeat(i)}${s}`);
			const p = problems[0];
			return requests.length === 0 && problems.length === 1 && p.line === i + 1 && p.column === column && message.test(p.message) ? [] : [`${s} → ${JSON.stringify(problems)}`];
		});
		assert.deepStrictEqual(wrong, []);
	});

	it('reads fields and skips blank lines', () => {
		const { requests, problems } = readAnnotationLines('\n{"start": 1, "end": 2, "label": "x", "note": ""}\n  \n');
		assert.deepStrictEqual(problems, []);
		assert.deepStrictEqual(requests.map((r) => [r.line, r.start, r.end, r.label, r.note, r.column('end')]), [[2, 1, 2, 'x', '', 21]]);
	});
});
