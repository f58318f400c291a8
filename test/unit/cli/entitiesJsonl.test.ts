import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { EntitiesJsonEntry } from '../../../src/cli/commands/entitiesCommand';
import { inShard, parseShard, pathHash } from '../../../src/cli/shard';
import { runCli } from './runCli';

const SAMPLES = path.resolve(__dirname, '../../../../sample-corpus');

describe('CLI entities --jsonl, --jobs, --shard', () => {
	let dir: string;
	let articles: string[];
	before(async () => {
		dir = await fs.mkdtemp(path.join(os.tmpdir(), 'corpus-jsonl-'));
		const samples = (await fs.readdir(SAMPLES)).filter((n) => n.endsWith('.txt')).sort().slice(0, 12);
		articles = [];
		for (const [i, name] of samples.entries()) {
			const rel = `corpus/${i % 3 === 0 ? '' : `y${2020 + (i % 3)}/`}${name}`;
			await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
			await fs.copyFile(path.join(SAMPLES, name), path.join(dir, rel));
			articles.push(rel);
		}
		articles.sort();
		await fs.writeFile(path.join(dir, 'corpus', 'README.txt'), 'Not an article: no date header.\n');
		await fs.mkdir(path.join(dir, 'corpus', '.hidden'));
		await fs.copyFile(path.join(SAMPLES, samples[0]), path.join(dir, 'corpus', '.hidden', 'x.txt'));
	});
	after(async () => {
		await fs.rm(dir, { recursive: true, force: true });
	});

	const lines = (out: string): EntitiesJsonEntry[] => out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as EntitiesJsonEntry);

	it('prints one line per article below the folder, in path order, as --json does per file', async () => {
		const r = await runCli(dir, 'entities', 'corpus', '--jsonl', '--jobs', '1');
		assert.strictEqual(r.code, 0, r.err);
		const got = lines(r.out);
		assert.deepStrictEqual(got.map((e) => e.file), articles);
		const json = await runCli(dir, 'entities', ...articles, '--json');
		assert.deepStrictEqual(got, JSON.parse(json.out));
	});

	it('gives the same lines from two worker threads as from one thread', async () => {
		const one = await runCli(dir, 'entities', 'corpus', '--jsonl', '--jobs', '1');
		const two = await runCli(dir, 'entities', 'corpus/', '--jsonl', '--jobs', '2');
		assert.strictEqual(two.code, 0, two.err);
		assert.strictEqual(two.out, one.out);
	});

	it('splits into disjoint shards that cover the corpus, by the path below the folder', async () => {
		const all = (await runCli(dir, 'entities', 'corpus', '--jsonl', '--jobs', '1')).out.split('\n').filter((l) => l !== '');
		const problems: string[] = [];
		for (const n of [1, 2, 3, 5]) {
			const seen: string[] = [];
			for (let i = 1; i <= n; i++) {
				// From another folder and spelled differently: the shard depends on the path below the folder only.
				const cwd = i % 2 === 0 ? path.join(dir, 'corpus') : dir;
				const arg = i % 2 === 0 ? '.' : './corpus/';
				const r = await runCli(cwd, 'entities', arg, '--jsonl', '--jobs', '1', '--shard', `${i}/${n}`);
				assert.strictEqual(r.code, 0, r.err);
				seen.push(...lines(r.out).map((e) => JSON.stringify({ ...e, file: i % 2 === 0 ? `corpus/${e.file}` : e.file.replace(/^\.\//, '') })));
			}
			const expected = all.map((l) => JSON.stringify(JSON.parse(l)));
			if (JSON.stringify([...seen].sort()) !== JSON.stringify([...expected].sort())) {
				problems.push(`${n} shards: ${seen.length} lines for ${expected.length} articles`);
			}
		}
		assert.deepStrictEqual(problems, []);
	});

	it('reports an unreadable file on its line and exits 1 after the rest', async () => {
		const bad = path.join(dir, 'bad');
		await fs.mkdir(bad, { recursive: true });
		await fs.writeFile(path.join(bad, 'a.txt'), Buffer.from([0x20, 0x64, 0x61, 0x74, 0x65, 0x20, 0xff, 0xfe]));
		await fs.copyFile(path.join(dir, articles[0]), path.join(bad, 'b.txt'));
		const r = await runCli(dir, 'entities', 'bad', '--jsonl', '--jobs', '2');
		assert.strictEqual(r.code, 1);
		const [a, b] = r.out.trim().split('\n').map((l) => JSON.parse(l) as { file: string; error?: string });
		assert.strictEqual(a.file, 'bad/a.txt');
		assert.match(a.error ?? '', /not valid UTF-8/);
		assert.strictEqual(b.file, 'bad/b.txt');
		assert.match(r.err, /1 file\(s\) could not be tagged/);
	});

	it('refuses bad --shard and --jobs values, and --jobs without --jsonl', async () => {
		for (const shard of ['0/3', '4/3', '1/0', '1', 'a/b', '1/3/4']) {
			const r = await runCli(dir, 'entities', 'corpus', '--jsonl', '--shard', shard);
			assert.strictEqual(r.code, 1, shard);
			assert.match(r.err, /--shard must be I\/N/);
		}
		assert.match((await runCli(dir, 'entities', 'corpus', '--jsonl', '--jobs', '0')).err, /--jobs must be a whole number/);
		assert.match((await runCli(dir, 'entities', articles[0], '--jobs', '2')).err, /--jobs goes with --jsonl/);
	});

	it('tags a file over 1 MiB chunk by chunk, with offsets into the whole file, the same with --jsonl and --json', async () => {
		const parts: string[] = [];
		for (const rel of articles) {
			parts.push(await fs.readFile(path.join(dir, rel), 'utf8'));
		}
		let big = '\uFEFF';
		while (Buffer.byteLength(big) < 1.2 * 1024 * 1024) {
			big += parts.join('\r\n\r\n') + '\r\n\r\n';
		}
		await fs.writeFile(path.join(dir, 'big.txt'), big);
		try {
			const r = await runCli(dir, 'entities', 'big.txt', '--jsonl', '--jobs', '1');
			assert.strictEqual(r.code, 0, r.err);
			const [entry] = lines(r.out);
			const canonical = [...big.slice(1).replace(/\r\n/g, '\n')];
			const wrong = entry.entities.filter((e) => canonical.slice(e.start, e.end).join('') !== e.text);
			assert.ok(entry.entities.length > 1000, `${entry.entities.length} entities`);
			assert.deepStrictEqual(wrong.slice(0, 3), [], `${wrong.length} entities whose offsets point at other text`);
			const json = await runCli(dir, 'entities', 'big.txt', '--json');
			assert.strictEqual(json.code, 0, json.err);
			assert.deepStrictEqual((JSON.parse(json.out) as EntitiesJsonEntry[])[0].entities, entry.entities);
		} finally {
			await fs.rm(path.join(dir, 'big.txt'));
		}
	});
});

describe('shards', () => {
	it('hashes paths with 32-bit FNV-1a (published test vectors), backslashes as slashes', () => {
		assert.strictEqual(pathHash(''), 0x811c9dc5);
		assert.strictEqual(pathHash('a'), 0xe40c292c);
		assert.strictEqual(pathHash('foobar'), 0xbf9cf968);
		assert.strictEqual(pathHash('x\\y.txt'), pathHash('x/y.txt'));
	});

	it('puts each of 10,000 paths in exactly one of n shards, roughly evenly', () => {
		const paths = Array.from({ length: 10_000 }, (_, i) => `${2000 + (i % 25)}/${String(i).padStart(5, '0')}_a.txt`);
		for (const n of [2, 7, 64]) {
			const sizes = Array.from({ length: n }, (_, i) => paths.filter((p) => inShard(p, parseShard(`${i + 1}/${n}`))).length);
			assert.strictEqual(sizes.reduce((a, b) => a + b, 0), paths.length);
			const mean = paths.length / n;
			assert.ok(sizes.every((s) => Math.abs(s - mean) < mean * 0.3), `${n} shards: ${sizes.join(' ')}`);
		}
	});
});
