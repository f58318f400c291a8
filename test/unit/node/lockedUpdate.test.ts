import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NodeFileError } from '../../../src/node/fileErrors';
import { updateFileLocked } from '../../../src/node/lockedUpdate';
import { deadPid, litter, useTempFolder } from './nodeTestFolder';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('updateFileLocked', () => {
	const tempDir = useTempFolder('corpus-locked-');
	const file = (): string => path.join(tempDir(), 'a.txt.ann.yaml');

	it('creates a missing file, passing undefined to update', async () => {
		const seen: (string | undefined)[] = [];
		const result = await updateFileLocked(file(), (current) => {
			seen.push(current);
			return 'annotations: []\n';
		});
		assert.deepStrictEqual(seen, [undefined]);
		assert.deepStrictEqual(result, { written: true, text: 'annotations: []\n' });
		assert.strictEqual(await fs.readFile(file(), 'utf8'), 'annotations: []\n');
		assert.deepStrictEqual(await litter(tempDir()), []);
	});

	it('keeps a BOM the file had; update sees the text without it', async () => {
		await fs.writeFile(file(), Buffer.concat([BOM, Buffer.from('a: 1\n')]));
		let seen: string | undefined;
		const result = await updateFileLocked(file(), (current) => {
			seen = current;
			return `${current}b: 2\n`;
		});
		assert.strictEqual(seen, 'a: 1\n');
		assert.strictEqual(result.text, 'a: 1\nb: 2\n');
		assert.deepStrictEqual(await fs.readFile(file()), Buffer.concat([BOM, Buffer.from('a: 1\nb: 2\n')]));
	});

	it('adds no BOM to a file without one, and one BOM when update returns text starting with it', async () => {
		await fs.writeFile(file(), 'a: 1\n');
		await updateFileLocked(file(), (current) => `${current}b: 2\n`);
		assert.deepStrictEqual(await fs.readFile(file()), Buffer.from('a: 1\nb: 2\n'));
		await updateFileLocked(file(), (current) => `\uFEFF${current}`);
		assert.deepStrictEqual(await fs.readFile(file()), Buffer.concat([BOM, Buffer.from('a: 1\nb: 2\n')]));
	});

	it('writes through a symlink to its target and leaves the link a link', async () => {
		const target = path.join(tempDir(), 'real.yaml');
		await fs.writeFile(target, 'old\n');
		await fs.symlink('real.yaml', file());
		await updateFileLocked(file(), (current) => `${current}new\n`);
		assert.ok((await fs.lstat(file())).isSymbolicLink(), 'the link was replaced by a file');
		assert.strictEqual(await fs.readlink(file()), 'real.yaml');
		assert.strictEqual(await fs.readFile(target, 'utf8'), 'old\nnew\n');
		assert.deepStrictEqual(await litter(tempDir()), []);
	});

	it('creates the target of a dangling symlink', async () => {
		await fs.symlink('missing.yaml', file());
		await updateFileLocked(file(), (current) => (current === undefined ? 'fresh\n' : 'wrong\n'));
		assert.ok((await fs.lstat(file())).isSymbolicLink());
		assert.strictEqual(await fs.readFile(path.join(tempDir(), 'missing.yaml'), 'utf8'), 'fresh\n');
	});

	it('keeps the permission bits of the file it replaces', async () => {
		await fs.writeFile(file(), 'x\n');
		await fs.chmod(file(), 0o640);
		await updateFileLocked(file(), () => 'y\n');
		assert.strictEqual((await fs.stat(file())).mode & 0o777, 0o640);
	});

	it('writes nothing when update returns undefined, and reports the current text', async () => {
		await fs.writeFile(file(), 'same\n');
		const before = await fs.stat(file());
		const result = await updateFileLocked(file(), () => undefined);
		assert.deepStrictEqual(result, { written: false, text: 'same\n' });
		assert.strictEqual((await fs.stat(file())).ino, before.ino, 'the file was replaced');
		assert.deepStrictEqual(await litter(tempDir()), []);
	});

	it('writes nothing and releases the lock when update throws', async () => {
		await fs.writeFile(file(), 'keep\n');
		await assert.rejects(
			updateFileLocked(file(), () => {
				throw new Error('refused');
			}),
			/refused/,
		);
		assert.strictEqual(await fs.readFile(file(), 'utf8'), 'keep\n');
		assert.deepStrictEqual(await litter(tempDir()), []);
		assert.strictEqual((await updateFileLocked(file(), () => 'next\n')).written, true);
	});

	it('refuses invalid UTF-8 before calling update; the bytes stay', async () => {
		const bytes = Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]);
		await fs.writeFile(file(), bytes);
		let called = false;
		await assert.rejects(
			updateFileLocked(file(), () => ((called = true), 'x')),
			(error: Error) => error instanceof NodeFileError && /is not valid UTF-8/.test(error.message),
		);
		assert.strictEqual(called, false);
		assert.deepStrictEqual(await fs.readFile(file()), bytes);
	});

	it('refuses a folder with "is a folder"', async () => {
		await fs.mkdir(file());
		await assert.rejects(
			updateFileLocked(file(), () => 'x', { what: 'sidecar' }),
			(error: Error) => error instanceof NodeFileError && error.message === `sidecar ${file()}: is a folder`,
		);
	});

	it('breaks the lock of a process that no longer runs, at once', async () => {
		const lock = `${file()}.lock`;
		await fs.writeFile(lock, JSON.stringify({ pid: deadPid(), host: os.hostname(), time: Date.now(), token: 'dead' }));
		// A timeout shorter than the stale age: only the dead-holder rule can let this through.
		const result = await updateFileLocked(file(), () => 'after\n', { timeoutMs: 2000, staleMs: 60_000 });
		assert.strictEqual(result.written, true);
		assert.deepStrictEqual(await litter(tempDir()), []);
	});

	it('breaks the lock of a live but silent holder once it is older than the stale age', async () => {
		const lock = `${file()}.lock`;
		// process.ppid is alive (the test runner's parent), so only the age rule applies.
		await fs.writeFile(lock, JSON.stringify({ pid: process.ppid, host: os.hostname(), time: 0, token: 'hung' }));
		const old = new Date(Date.now() - 60_000);
		await fs.utimes(lock, old, old);
		const result = await updateFileLocked(file(), () => 'after\n', { timeoutMs: 2000, staleMs: 30_000 });
		assert.strictEqual(result.written, true);
	});

	it('breaks an empty lock (holder killed before writing its record) after its grace', async () => {
		const lock = `${file()}.lock`;
		await fs.writeFile(lock, '');
		const old = new Date(Date.now() - 30_000);
		await fs.utimes(lock, old, old);
		assert.strictEqual((await updateFileLocked(file(), () => 'after\n', { timeoutMs: 2000 })).written, true);
	});

	it('waits for a fresh lock of a live holder and times out with a readable message', async () => {
		const lock = `${file()}.lock`;
		await fs.writeFile(lock, JSON.stringify({ pid: process.ppid, host: os.hostname(), time: Date.now(), token: 'busy' }));
		let called = false;
		await assert.rejects(
			updateFileLocked(file(), () => ((called = true), 'x'), { timeoutMs: 300, staleMs: 60_000 }),
			(error: Error) => error instanceof NodeFileError && error.message.includes(`waiting for the lock ${lock}, held by process ${process.ppid}`),
		);
		assert.strictEqual(called, false);
		assert.strictEqual(await fs.readFile(lock, 'utf8').then((t) => JSON.parse(t).token), 'busy', 'a live lock was broken');
	});

	it('runs the update again when its lock was taken over before it wrote', async () => {
		await fs.writeFile(file(), 'base\n');
		const calls: (string | undefined)[] = [];
		const result = await updateFileLocked(
			file(),
			async (current) => {
				calls.push(current);
				if (calls.length === 1) {
					// Another writer judged this one stale, took the lock, wrote, and died holding it.
					await fs.writeFile(file(), 'theirs\n');
					await fs.writeFile(`${file()}.lock`, JSON.stringify({ pid: deadPid(), host: os.hostname(), time: Date.now(), token: 'other' }));
				}
				return `${current}mine\n`;
			},
			{ timeoutMs: 2000 },
		);
		assert.deepStrictEqual(calls, ['base\n', 'theirs\n']);
		assert.strictEqual(result.text, 'theirs\nmine\n');
		assert.strictEqual(await fs.readFile(file(), 'utf8'), 'theirs\nmine\n');
		assert.deepStrictEqual(await litter(tempDir()), []);
	});

	it('removes temp files of dead processes and keeps those of live ones', async () => {
		// A first write: later litter must be found through the broken lock, not the first-write check.
		await updateFileLocked(file(), () => 'first\n');
		const dead = deadPid();
		const stale = [`.a.txt.ann.yaml.${dead}.1a2b3c.tmp`, `.a.txt.ann.yaml.lock.${dead}.ffee00.tmp`];
		const live = `.a.txt.ann.yaml.${process.ppid}.abcdef.tmp`;
		const unrelated = `.b.txt.ann.yaml.${dead}.1a2b3c.tmp`;
		for (const name of [...stale, live, unrelated]) {
			await fs.writeFile(path.join(tempDir(), name), 'partial');
		}
		// A lock left by the dead writer, as a kill during its save leaves it.
		await fs.writeFile(`${file()}.lock`, JSON.stringify({ pid: dead, host: os.hostname(), time: Date.now(), token: 'dead' }));
		await updateFileLocked(file(), () => 'x\n');
		assert.deepStrictEqual((await litter(tempDir())).sort(), [live, unrelated].sort());
	});

	it('loses no update with 4 writers in one process × 100 rounds', async () => {
		const writers = 4;
		const rounds = 100;
		await Promise.all(
			Array.from({ length: writers }, async (_, w) => {
				for (let i = 0; i < rounds; i++) {
					await updateFileLocked(file(), async (current) => {
						await new Promise((resolve) => setImmediate(resolve)); // let the others try meanwhile
						return `${current ?? ''}${w}-${i}\n`;
					});
				}
			}),
		);
		const lines = (await fs.readFile(file(), 'utf8')).split('\n').filter((l) => l !== '');
		const expected = writers * rounds;
		const lost = expected - new Set(lines).size;
		assert.strictEqual(lost, 0, `${lost} of ${expected} updates lost`);
		assert.strictEqual(lines.length, expected, `${lines.length - expected} duplicated lines`);
		assert.deepStrictEqual(await litter(tempDir()), []);
	});
});
