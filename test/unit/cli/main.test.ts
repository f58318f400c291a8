/**
 * How the command line fails: readable messages without raw system codes, exit codes, strict
 * integer options, and a quiet exit when the reader of the output goes away (`| head -1`), the
 * last with the built CLI (`node esbuild.config.mjs` first; `pretest` does it).
 */
import * as assert from 'assert';
import { spawn } from 'child_process';
import { EventEmitter } from 'events';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exitWhenReaderCloses, failureMessage } from '../../../src/cli/main';
import { runCli as run } from './runCli';

const CLI = path.resolve(__dirname, '../../../../dist/cli.js');
const ARTICLE = ' date 2024-03 Mark Rutte sprak in Den Haag met Volodymyr Zelensky over de NAVO.';

describe('CLI failures', () => {
	let dir: string;
	before(async () => {
		dir = await fs.mkdtemp(path.join(os.tmpdir(), 'corpus-cli-main-'));
		await fs.writeFile(path.join(dir, '001_abc.txt'), ARTICLE);
		await fs.mkdir(path.join(dir, 'folder.txt'));
	});
	after(async () => {
		await fs.rm(dir, { recursive: true, force: true });
	});

	it('refuses --start "" and --start 0x10 in annotate, writing nothing', async () => {
		for (const start of ['', '0x10', '1e1', '-0', ' 5']) {
			const r = await run(dir, 'annotate', '001_abc.txt', '--start', start, '--end', '20', '--label', 'claim');
			assert.strictEqual(r.code, 1, `--start ${JSON.stringify(start)}: ${r.err}`);
			assert.strictEqual(r.err, `corpus-annotator annotate: option --start must be a whole number in decimal digits (like 0, 16 or -3), got ${JSON.stringify(start)}\n`);
			assert.strictEqual(r.out, '');
		}
		assert.deepStrictEqual((await fs.readdir(dir)).sort(), ['001_abc.txt', 'folder.txt']);
	});

	it('says "no such file" and "is a folder", without the raw codes', async () => {
		const missing = await run(dir, 'entities', 'missing.txt', '--json');
		assert.strictEqual(missing.code, 1);
		assert.strictEqual(missing.err, `corpus-annotator entities: article ${path.join(dir, 'missing.txt')}: no such file\n`);
		const folder = await run(dir, 'entities', 'folder.txt');
		assert.strictEqual(folder.code, 1);
		assert.strictEqual(folder.err, `corpus-annotator entities: article ${path.join(dir, 'folder.txt')}: is a folder\n`);
		const model = await run(dir, 'entities', '001_abc.txt', '--model', 'nope.model');
		assert.strictEqual(model.err, `corpus-annotator entities: NER model ${path.join(dir, 'nope.model')}: no such file\n`);
		for (const r of [missing, folder, model]) {
			assert.doesNotMatch(r.err, /\bE[A-Z]{2,}\b/);
			assert.strictEqual(r.out, '');
		}
	});

	it('exits 2 on a failure of a command for which 1 is a finding (check, diff, merge-driver)', async () => {
		assert.strictEqual((await run(dir, 'check', '--bogus')).code, 2);
		assert.strictEqual((await run(dir, 'diff', '--bogus')).code, 2);
		assert.strictEqual((await run(dir, 'index', '--bogus')).code, 1);
	});

	it('words a system error that reached main, and leaves other errors to be shown as bugs', async () => {
		const enoent = await fs.readFile(path.join(dir, 'missing.txt')).catch((error: unknown) => error);
		assert.strictEqual(failureMessage(enoent), `file ${path.join(dir, 'missing.txt')}: no such file`);
		const busy = Object.assign(new Error("EBUSY: resource busy or locked, open '/x'"), { code: 'EBUSY', syscall: 'open', path: '/x' });
		assert.strictEqual(failureMessage(busy), "file /x: resource busy or locked, open '/x'");
		const pathless = Object.assign(new Error('ECONNRESET: connection reset by peer'), { code: 'ECONNRESET', syscall: 'read' });
		assert.strictEqual(failureMessage(pathless), 'connection reset by peer');
		assert.strictEqual(failureMessage(new TypeError('x is undefined')), undefined);
		assert.strictEqual(failureMessage(Object.assign(new Error('with a code but no system call'), { code: 'ERR_X' })), undefined);
	});

	it('exits 0 without a word when the reader closes the pipe, 2 with a message on other write errors', () => {
		const calls: string[] = [];
		const stream = new EventEmitter();
		exitWhenReaderCloses(stream, (code) => calls.push(`exit ${code}`), (text) => calls.push(text));
		stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' }));
		stream.emit('error', Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO', syscall: 'write' }));
		assert.deepStrictEqual(calls, ['exit 0', 'corpus-annotator: cannot write the output: i/o error, write\n', 'exit 2']);
	});

	it('entities … | head -1 exits quietly with 0 (built CLI)', async function () {
		this.timeout(60_000);
		await fs.access(CLI).catch(() => assert.fail(`${CLI} is missing: run \`node esbuild.config.mjs\` first`));
		// Far more output than a pipe holds (64 KiB): the CLI is still writing when the reader leaves.
		const long = ARTICLE + ' Rutte ontmoette Zelensky later in Kiev en Brussel.'.repeat(400);
		await fs.writeFile(path.join(dir, 'long.txt'), long);
		const files = Array.from({ length: 30 }, () => 'long.txt');
		const child = spawn(process.execPath, [CLI, 'entities', ...files, '--json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
		let err = '';
		let firstChunk = '';
		child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
		child.stdout.once('data', (chunk: Buffer) => {
			firstChunk = chunk.toString('utf8');
			child.stdout.destroy();
		});
		const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
		assert.ok(firstChunk.startsWith('[\n'), firstChunk.slice(0, 40));
		assert.strictEqual(err, '');
		assert.strictEqual(code, 0);
	});
});
