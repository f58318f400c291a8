import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import type { EntitiesJsonEntry } from '../../../src/cli/commands/entitiesCommand';
import { runCli as run } from './runCli';

/**
 * A BOM, CRLF line ends and emoji before the names: in UTF-16 units of the file, in code points
 * of the file and in sidecar offsets the names sit at three different places.
 */
const ARTICLE =
	'\uFEFF date 2024-03 🙂 Premier Mark Rutte sprak in Den Haag met president Zelensky.\r\n\r\n' +
	'Tussenkop 🇳🇱🇺🇦\r\n\r\n' +
	'Volgens Mark Rutte 😀 steunt de NAVO Oekraïne; Zelensky bedankte Rutte in Kiev.';
const CANONICAL = [...ARTICLE.slice(1).replace(/\r\n/g, '\n')];

describe('CLI entities', () => {
	let dir: string;
	beforeEach(async () => {
		dir = await fs.mkdtemp(path.join(os.tmpdir(), 'corpus-entities-cmd-'));
		await fs.mkdir(path.join(dir, '.corpus'));
		await fs.writeFile(path.join(dir, '.corpus', 'entities.yaml'), 'version: 1\nentities:\n  - name: Mark Rutte\n    type: PER\n    aliases: [Rutte]\n');
		await fs.writeFile(path.join(dir, '001_bom.txt'), ARTICLE);
	});
	afterEach(async () => {
		await fs.rm(dir, { recursive: true, force: true });
	});

	async function entitiesJson(): Promise<EntitiesJsonEntry[]> {
		const r = await run(dir, 'entities', '001_bom.txt', '--json');
		assert.strictEqual(r.code, 0, r.err);
		return JSON.parse(r.out) as EntitiesJsonEntry[];
	}

	it('prints sidecar offsets: code points, BOM not counted, CRLF as one', async () => {
		const [result] = await entitiesJson();
		const found = result.entities.map((e) => `${e.type}:${e.text}@${e.start}`);
		assert.ok(result.entities.filter((e) => e.text === 'Mark Rutte').length === 2, found.join(', '));
		const wrong = result.entities.filter((e) => CANONICAL.slice(e.start, e.end).join('') !== e.text);
		assert.deepStrictEqual(wrong, [], `${wrong.length} of ${result.entities.length} entities are not at their offsets`);
		const rutte = result.entities.find((e) => e.text === 'Mark Rutte')!;
		assert.deepStrictEqual([rutte.start, rutte.source, rutte.canonical], [ARTICLE.indexOf('Mark Rutte') - 2, 'list', 'Mark Rutte']);
	});

	it('round trip: entities --json → annotate --start/--end tags exactly each entity text', async () => {
		const [result] = await entitiesJson();
		assert.ok(result.entities.length >= 4, `${result.entities.length} entities`);
		for (const e of result.entities) {
			const r = await run(dir, 'annotate', '001_bom.txt', '--start', String(e.start), '--end', String(e.end), '--label', 'claim', '--author', 'test');
			assert.strictEqual(r.code, 0, r.err);
		}
		const sidecar = parse(await fs.readFile(path.join(dir, '001_bom.ann.yaml'), 'utf8')) as { annotations: { start: number; quote: string }[] };
		const tagged = sidecar.annotations.map((a) => `${a.quote}@${a.start}`).sort();
		const expected = result.entities.map((e) => `${e.text}@${e.start}`).sort();
		assert.deepStrictEqual(tagged, expected);
		assert.strictEqual(await fs.readFile(path.join(dir, '001_bom.txt'), 'utf8'), ARTICLE, 'the article is untouched');
	});

	it('prints a readable table without --json', async () => {
		await fs.writeFile(path.join(dir, 'empty.txt'), ' date 2024-04 geen namen hier.');
		const r = await run(dir, 'entities', '001_bom.txt', 'empty.txt');
		assert.strictEqual(r.code, 0, r.err);
		const [result] = await entitiesJson();
		const lines = r.out.split('\n');
		assert.strictEqual(lines[0], `001_bom.txt (${result.entities.length} entities)`);
		assert.match(lines[1], /^ {2}type {2}text +start–end +source$/);
		const rutte = result.entities.find((e) => e.text === 'Mark Rutte')!;
		const row = lines.find((l) => l.includes(`Mark Rutte`))!;
		assert.match(row, new RegExp(`^ {2}PER +Mark Rutte +${rutte.start}–${rutte.end} +list$`));
		// Columns line up: every row has the start–end column at the same place as its heading.
		const column = lines[1].indexOf('start–end');
		const rows = lines.slice(2, 2 + result.entities.length);
		assert.deepStrictEqual(rows.filter((l) => !/^\d/.test(l.slice(column)) || /\S/.test(l[column - 1])), []);
		assert.deepStrictEqual(lines.slice(2 + result.entities.length), ['', 'empty.txt (no entities)', '']);
	});
});
