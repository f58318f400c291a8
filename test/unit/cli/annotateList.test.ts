import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import type { CliIo } from '../../../src/cli/cliTypes';
import { execFileSync } from 'child_process';
import { main } from '../../../src/cli/main';
import { previousArticleText } from '../../../src/cli/commands/annotateCommand';
import { prepareText } from '../../../src/core/annotations/anchoring';
import { hashArticleText } from '../../../src/core/annotations/textHash';

async function run(cwd: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
	let out = '';
	let err = '';
	const io: CliIo = { cwd, out: (t) => (out += t), err: (t) => (err += t) };
	const code = await main(args, io);
	return { code, out, err };
}

const ARTICLE = ' date 2024-06 De NAVO 🇺🇦 sprak met Zelensky.\r\n\r\nRutte bezocht later Kiev.';

describe('CLI annotate and list', () => {
	let dir: string;
	let article: string;
	let sidecar: string;
	beforeEach(async () => {
		dir = await fs.mkdtemp(path.join(os.tmpdir(), 'corpus-cli-'));
		article = path.join(dir, '001_abc.txt');
		sidecar = path.join(dir, '001_abc.ann.yaml');
		await fs.writeFile(article, ARTICLE);
	});
	afterEach(async () => {
		await fs.rm(dir, { recursive: true, force: true });
	});

	function cp(needle: string): number {
		const canonical = ARTICLE.replace(/\r\n/g, '\n');
		return [...canonical.slice(0, canonical.indexOf(needle))].length;
	}

	it('adds an annotation in code points and prints its id', async () => {
		const start = cp('Zelensky');
		const r = await run(dir, 'annotate', '001_abc.txt', '--start', String(start), '--end', String(start + 8), '--label', 'claim', '--author', 'Tester', '--note', 'Check');
		assert.strictEqual(r.code, 0, r.err);
		const id = r.out.trim();
		assert.match(id, /^[a-z][a-z0-9]{5}$/);
		const data = parse(await fs.readFile(sidecar, 'utf8')) as { date: string; annotations: { id: string; quote: string; start: number; author: string; note: string }[] };
		assert.strictEqual(data.date, '2024-06');
		assert.deepStrictEqual(
			data.annotations.map((a) => [a.id, a.quote, a.start, a.author, a.note]),
			[[id, 'Zelensky', start, 'Tester', 'Check']],
		);
		const list = await run(dir, 'list', '001_abc.txt', '--json');
		assert.strictEqual(list.code, 0);
		assert.deepStrictEqual(JSON.parse(list.out), [{ id, label: 'claim', quote: 'Zelensky', note: 'Check', start, end: start + 8, status: 'anchored' }]);
	});

	it('lists moved and orphaned annotations after the article changed', async () => {
		const zStart = cp('Zelensky');
		const rStart = cp('Rutte');
		const a = await run(dir, 'annotate', '001_abc.txt', '--start', String(zStart), '--end', String(zStart + 8), '--label', 'claim', '--author', 'T');
		const b = await run(dir, 'annotate', '001_abc.txt', '--start', String(rStart), '--end', String(rStart + 5), '--label', 'attribution', '--author', 'T');
		await fs.writeFile(article, ARTICLE.replace('De NAVO', 'De grote NAVO').replace('Rutte bezocht', 'Hij bezocht'));
		const list = JSON.parse((await run(dir, 'list', '001_abc.txt', '--json')).out) as { id: string; status: string; start: number | null }[];
		const byId = new Map(list.map((x) => [x.id, x]));
		assert.deepStrictEqual(byId.get(a.out.trim()), { id: a.out.trim(), label: 'claim', quote: 'Zelensky', start: zStart + 6, end: zStart + 14, status: 'moved', match: 'exact' });
		assert.strictEqual(byId.get(b.out.trim())?.status, 'orphaned');
		assert.strictEqual(byId.get(b.out.trim())?.start, null);
	});

	it('re-anchors every existing annotation before adding to a sidecar of a changed article', async () => {
		const zStart = cp('Zelensky');
		const rStart = cp('Rutte');
		await run(dir, 'annotate', '001_abc.txt', '--start', String(zStart), '--end', String(zStart + 8), '--label', 'claim', '--author', 'T');
		await run(dir, 'annotate', '001_abc.txt', '--start', String(rStart), '--end', String(rStart + 5), '--label', 'claim', '--author', 'T');
		await fs.writeFile(article, ARTICLE.replace('De NAVO', 'Volgens bronnen: De NAVO'));
		const r = await run(dir, 'annotate', '001_abc.txt', '--start', '1', '--end', '5', '--label', 'event', '--author', 'T');
		assert.strictEqual(r.code, 0, r.err);
		const data = parse(await fs.readFile(sidecar, 'utf8')) as { annotations: { quote: string; start: number }[] };
		const shift = 'Volgens bronnen: '.length;
		assert.deepStrictEqual(
			data.annotations.filter((a) => a.quote !== 'date').map((a) => [a.quote, a.start]),
			[
				['Zelensky', zStart + shift],
				['Rutte', rStart + shift],
			],
		);
	});

	it('refuses a bad range or an unknown label and writes nothing', async () => {
		const bad = await run(dir, 'annotate', '001_abc.txt', '--start', '10', '--end', '5000', '--label', 'claim');
		assert.strictEqual(bad.code, 1);
		assert.match(bad.err, /bad range 10–5000: the article has \d+ code points/);
		const label = await run(dir, 'annotate', '001_abc.txt', '--start', '1', '--end', '5', '--label', 'nope');
		assert.strictEqual(label.code, 1);
		assert.match(label.err, /unknown label "nope"/);
		await assert.rejects(fs.access(sidecar));
	});

	it('refuses to touch a sidecar it cannot parse, naming line and column', async () => {
		const corrupt = 'version: 1\narticle: 001_abc.txt\nannotations:\n  - id: x\n    label: "open\n';
		await fs.writeFile(sidecar, corrupt);
		const r = await run(dir, 'annotate', '001_abc.txt', '--start', '1', '--end', '5', '--label', 'claim');
		assert.strictEqual(r.code, 1);
		assert.match(r.err, /001_abc\.ann\.yaml:\d+:\d+: .* the sidecar was not changed/);
		assert.strictEqual(await fs.readFile(sidecar, 'utf8'), corrupt);
		const list = await run(dir, 'list', '001_abc.txt', '--json');
		assert.strictEqual(list.code, 1);
		assert.doesNotMatch(list.err, /was not changed/, 'list never writes, so it does not talk about changing');
	});

	it('refuses a .txt that is not an article and writes no sidecar', async () => {
		await fs.writeFile(article, 'Boodschappen: brood, kaas.\n');
		const r = await run(dir, 'annotate', '001_abc.txt', '--start', '0', '--end', '5', '--label', 'claim', '--author', 'T');
		assert.strictEqual(r.code, 1);
		assert.match(r.err, /is not an article/);
		await fs.writeFile(article, ' date 2025-13 Een onmogelijke maand.');
		const month = await run(dir, 'annotate', '001_abc.txt', '--start', '1', '--end', '5', '--label', 'claim', '--author', 'T');
		assert.strictEqual(month.code, 1);
		assert.match(month.err, /001_abc\.txt:1:\d+: .*month/);
		await assert.rejects(fs.access(sidecar));
	});

	it('refuses a sidecar that is not UTF-8 with the line and column of the first bad byte', async () => {
		const bytes = Buffer.concat([Buffer.from('version: 1\narticle: 001_abc.txt\nannotations: []\n# ë'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
		await fs.writeFile(sidecar, bytes);
		const r = await run(dir, 'annotate', '001_abc.txt', '--start', '1', '--end', '5', '--label', 'claim', '--author', 'T');
		assert.match(r.err, /001_abc\.ann\.yaml:4:4: .*not valid UTF-8/);
		const list = await run(dir, 'list', '001_abc.txt');
		assert.match(list.err, /001_abc\.ann\.yaml:4:4: /);
		assert.ok((await fs.readFile(sidecar)).equals(bytes));
	});

	it('finds the text the offsets were made for in git (staged or committed), by the recorded hash', async () => {
		const git = (...args: string[]): void => {
			execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', ...args], { cwd: dir, stdio: 'ignore' });
		};
		git('init', '-q');
		git('add', '001_abc.txt');
		git('commit', '-q', '-m', 'article');
		const original = ARTICLE;
		const edited = ARTICLE.replace('De NAVO', 'De grote NAVO');
		await fs.writeFile(article, edited);
		assert.strictEqual(await previousArticleText(article, hashArticleText(original), prepareText(edited)), original);
		assert.strictEqual(await previousArticleText(article, hashArticleText(edited), prepareText(edited)), undefined, 'unchanged: nothing to look up');
		assert.strictEqual(await previousArticleText(article, 'sha256:00', prepareText(edited)), undefined, 'no version with that hash');
	});
});
