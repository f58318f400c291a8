/** `check --jobs N` (issue 17): the same output, order and exit code with any number of worker threads. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { seededRandom } from '../../../src/core/util/seededRandom';
import { ARTICLE_TEXT, KIEV, STEUN, ZELENSKY, rel, sidecarWithRelations } from '../review/fixtures';
import { runCli } from './runCli';

describe('check --jobs', function () {
	this.timeout(120_000);
	let dir: string;

	before(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-jobs-'));
		const random = seededRandom(1717);
		// 90 sidecars in 3 folders (more than one batch per worker), a seeded mix of defects.
		for (let i = 0; i < 90; i++) {
			const folder = path.join(dir, `f${i % 3}`);
			fs.mkdirSync(folder, { recursive: true });
			const name = `${String(i).padStart(3, '0')}_art`;
			let article = ARTICLE_TEXT;
			let sidecar = sidecarWithRelations([ZELENSKY, KIEV, STEUN], [rel('r1', 'source-of', 'a1', 'a3')]).replace(/article: \S+/, `article: ${name}.txt`);
			switch (Math.floor(random() * 8)) {
				case 0: sidecar = sidecar.replace('label: claim', 'label: bogus'); break;
				case 1: article = article.replace('President Zelensky', 'De president Zelensky'); break;
				case 2: article = ''; break; // no article file
				case 3: sidecar = sidecar.replace('from: a1', 'from: a9'); break;
				case 4: sidecar = sidecar.replace(/\n/g, '\r\n'); break;
				case 5: sidecar = sidecar.replace('  - id: a2', '  - id: a2\n   bad: [1'); break;
				case 6: article = article.replace('de steun van de Verenigde Staten onverminderd groot', 'iets anders'); break;
				default: break;
			}
			if (article !== '') {
				fs.writeFileSync(path.join(folder, `${name}.txt`), article);
			}
			fs.writeFileSync(path.join(folder, `${name}.ann.yaml`), sidecar);
		}
		fs.mkdirSync(path.join(dir, 'f1', 'folder.ann.yaml'));
		fs.mkdirSync(path.join(dir, 'f2', '.corpus'));
		fs.writeFileSync(path.join(dir, 'f2', '.corpus', 'labels.yaml'), 'labels:\n  - id: claim\n');
	});

	after(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('runs in worker threads when it has them (the compiled worker sits beside the command)', () => {
		assert.ok(fs.existsSync(path.join(__dirname, '../../../src/cli/commands/checkWorker.js')), 'checkWorker.js missing: --jobs would run in one thread');
	});

	for (const format of [[], ['--json'], ['--strict']]) {
		it(`prints the same problems in the same order with --jobs 1, 2, 3 and the default ${format.join(' ')}`, async () => {
			const one = await runCli(dir, 'check', '.', '--jobs', '1', ...format);
			assert.strictEqual(one.code, 1);
			const codes = new Set([...one.out.matchAll(/\[([a-z-]+)\]$/gm)].map((m) => m[1]));
			if (format.length === 0) {
				for (const code of ['unknown-label', 'anchor-moved', 'missing-article', 'dangling-relation', 'not-a-file', 'anchor-orphaned']) {
					assert.ok(codes.has(code), `no ${code} in:\n${one.out}`);
				}
			}
			for (const jobs of [['--jobs', '2'], ['--jobs', '3'], []]) {
				const many = await runCli(dir, 'check', '.', ...jobs, ...format);
				assert.deepStrictEqual(many, one, `check ${jobs.join(' ')} ${format.join(' ')} differs from --jobs 1`);
			}
		});
	}

	it('refuses a --jobs that is not a whole number ≥ 1 (exit 2)', async () => {
		for (const bad of ['0', 'two', '-1']) {
			assert.strictEqual((await runCli(dir, 'check', '.', '--jobs', bad)).code, 2);
		}
	});
});
