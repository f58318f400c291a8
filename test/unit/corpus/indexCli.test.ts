import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../cli/runCli';


describe('corpus-annotator index', () => {
	let dir: string;

	before(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-index-test-'));
		const write = (rel: string, content: string | Buffer): void => {
			fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
			fs.writeFileSync(path.join(dir, rel), content);
		};
		write('2024/001_0a1b2c3d4e5f6071.txt', ' date 2024-03 President Zelensky ontving in Kiev de Amerikaanse minister Blinken voor overleg.\n\nMeer.');
		write('002_1b2c3d4e5f607182.txt', '\uFEFF date 2023-11 De Europese Unie neemt een nieuw sanctiepakket aan.\r\n\r\nMeer.');
		write('a/b/005_0000000000000005.txt', ' date 2023-11 “Productief gesprek” in Genève.');
		write('003_badheader00000000.txt', ' date 2025-13 Deze kop heeft een onmogelijke maand.');
		write('empty.txt', '');
		write('latin1.txt', Buffer.concat([Buffer.from(' date 2024-01 Caf'), Buffer.from([0xe9]), Buffer.from(' in Kiev.')]));
		write('notes.txt', 'Boodschappenlijst\n\nbrood');
	});

	after(() => {
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('prints JSON sorted by date then path, undated last, without non-articles', async () => {
		const { code, out, err } = await runCli(path.dirname(dir), 'index', path.basename(dir), '--json');
		assert.strictEqual(err, '');
		assert.strictEqual(code, 0);
		assert.deepStrictEqual(JSON.parse(out), [
			{ path: '002_1b2c3d4e5f607182.txt', date: '2023-11', title: 'De Europese Unie neemt een nieuw sanctiepakket aan.', problem: null },
			{ path: 'a/b/005_0000000000000005.txt', date: '2023-11', title: '“Productief gesprek” in Genève.', problem: null },
			{ path: '2024/001_0a1b2c3d4e5f6071.txt', date: '2024-03', title: 'President Zelensky ontving in Kiev de Amerikaanse minister…', problem: null },
			{ path: '003_badheader00000000.txt', date: null, title: 'Deze kop heeft een onmogelijke maand.', problem: 'invalid month in "2025-13" (expected 01–12)' },
			{ path: 'empty.txt', date: null, title: 'empty', problem: 'empty file' },
			{ path: 'latin1.txt', date: null, title: 'latin1', problem: 'not valid UTF-8' },
		]);
	});

	it('prints a readable listing grouped by year and month', async () => {
		const { code, out } = await runCli('/', 'index', dir);
		assert.strictEqual(code, 0);
		const lines = out.split('\n');
		assert.deepStrictEqual(lines.slice(0, 4), [
			'2023 (2 articles)',
			'  2023-11 november (2 articles)',
			'    002_1b2c3d4e5f607182.txt  De Europese Unie neemt een nieuw sanctiepakket aan.',
			'    a/b/005_0000000000000005.txt  “Productief gesprek” in Genève.',
		]);
		assert.ok(lines.includes('Undated (3 articles)'));
		assert.ok(lines.includes('  empty.txt  empty file'));
		assert.ok(out.endsWith('6 articles\n'));
	});

	it('fails clearly for a missing folder or a file', async () => {
		const missing = await runCli('/', 'index', path.join(dir, 'nope'));
		assert.deepStrictEqual([missing.code, missing.err], [1, `corpus-annotator index: ${path.join(dir, 'nope')}: no such folder\n`]);
		const file = await runCli(dir, 'index', 'notes.txt');
		assert.deepStrictEqual([file.code, file.err], [1, 'corpus-annotator index: notes.txt: not a folder\n']);
	});
});
