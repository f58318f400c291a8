import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from './runCli';

describe('CLI entities with an entity list', () => {
	let dir: string;
	before(async () => {
		dir = await fs.mkdtemp(path.join(os.tmpdir(), 'corpus-entities-'));
		await fs.mkdir(path.join(dir, '.corpus'));
		await fs.mkdir(path.join(dir, 'nested'));
		await fs.writeFile(
			path.join(dir, '.corpus', 'entities.yaml'),
			'version: 1\nentities:\n  - name: luchtverdediging\n    type: MISC\n    aliases: []\n  - name: Volodymyr Zelensky\n    type: PER\n    aliases: [Zelenski]\nnotEntities:\n  - Kiev\n',
		);
		await fs.writeFile(path.join(dir, 'nested', 'a.txt'), ' date 2024-03 🙂 Zelenski sprak in Kiev over luchtverdediging met de NAVO.');
	});
	after(async () => {
		await fs.rm(dir, { recursive: true, force: true });
	});

	it('applies the nearest .corpus/entities.yaml and reports sidecar offsets (code points)', async () => {
		const { code, out, err } = await runCli(dir, 'entities', 'nested/a.txt', '--json');
		assert.strictEqual(code, 0, err);
		const [result] = JSON.parse(out) as { file: string; entities: { start: number; end: number; text: string; type: string }[] }[];
		assert.strictEqual(result.file, 'nested/a.txt');
		const text = [...' date 2024-03 🙂 Zelenski sprak in Kiev over luchtverdediging met de NAVO.'];
		for (const e of result.entities) {
			assert.strictEqual(text.slice(e.start, e.end).join(''), e.text);
		}
		const found = result.entities.map((e) => `${e.type}:${e.text}`);
		assert.ok(found.includes('MISC:luchtverdediging'), found.join(', '));
		assert.ok(found.includes('PER:Zelenski'), found.join(', '));
		assert.ok(!found.some((f) => f.endsWith(':Kiev')), found.join(', '));
	});
});
