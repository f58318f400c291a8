import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { changedSidecars, parseRawDiff } from '../../../src/node/sidecarChanges';

function git(cwd: string, ...args: string[]): string {
	return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

describe('changedSidecars (one git diff --raw, one cat-file process)', () => {
	let dir: string;
	const write = (name: string, text: string): Promise<void> => fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true }).then(() => fs.writeFile(path.join(dir, name), text));
	beforeEach(async () => {
		dir = await fs.mkdtemp(path.join(os.tmpdir(), 'corpus-changes-'));
		git(dir, 'init', '-q', '-b', 'main');
		git(dir, 'config', 'user.name', 'T');
		git(dir, 'config', 'user.email', 't@example.org');
		git(dir, 'config', 'commit.gpgsign', 'false');
	});
	afterEach(async () => {
		await fs.rm(dir, { recursive: true, force: true });
	});

	it('compares with the empty tree before the first commit', async () => {
		await write('a.ann.yaml', 'A\n');
		assert.deepStrictEqual(await changedSidecars(dir, 'HEAD', undefined), [{ path: 'a.ann.yaml', before: undefined, after: 'A\n' }]);
	});

	it('reads modified, staged, deleted and untracked sidecars of the working tree, and two commits', async () => {
		await write('same.ann.yaml', 'S\n');
		await write('mod.ann.yaml', 'M1\n');
		await write('staged.ann.yaml', 'T1\n');
		await write('gone.ann.yaml', 'G\n');
		await write('sub/deep.ann.yaml', 'D1\n');
		await write('sub/article.txt', 'not a sidecar\n');
		git(dir, 'add', '-A');
		git(dir, 'commit', '-q', '-m', 'one');
		await write('mod.ann.yaml', 'M2\n');
		await write('staged.ann.yaml', 'T2\n');
		git(dir, 'add', 'staged.ann.yaml');
		await fs.rm(path.join(dir, 'gone.ann.yaml'));
		await write('new.ann.yaml', 'N\n');
		await write('sub/deep.ann.yaml', 'D2\n');
		await write('sub/article.txt', 'changed\n');
		// Touched but unchanged: git lists it when the index's stat data is stale; it must not show up.
		await write('same.ann.yaml', 'S\n');
		assert.deepStrictEqual(await changedSidecars(dir, 'HEAD', undefined), [
			{ path: 'gone.ann.yaml', before: 'G\n', after: undefined },
			{ path: 'mod.ann.yaml', before: 'M1\n', after: 'M2\n' },
			{ path: 'new.ann.yaml', before: undefined, after: 'N\n' },
			{ path: 'staged.ann.yaml', before: 'T1\n', after: 'T2\n' },
			{ path: 'sub/deep.ann.yaml', before: 'D1\n', after: 'D2\n' },
		]);
		assert.deepStrictEqual(await changedSidecars(path.join(dir, 'sub'), 'HEAD', undefined), [{ path: 'deep.ann.yaml', before: 'D1\n', after: 'D2\n' }]);
		git(dir, 'add', '-A');
		git(dir, 'commit', '-q', '-m', 'two');
		assert.deepStrictEqual((await changedSidecars(dir, 'HEAD~1', 'HEAD')).map((c) => [c.path, c.before, c.after]), [
			['gone.ann.yaml', 'G\n', undefined],
			['mod.ann.yaml', 'M1\n', 'M2\n'],
			['new.ann.yaml', undefined, 'N\n'],
			['staged.ann.yaml', 'T1\n', 'T2\n'],
			['sub/deep.ann.yaml', 'D1\n', 'D2\n'],
		]);
		assert.deepStrictEqual(await changedSidecars(dir, 'HEAD', undefined), []);
		await assert.rejects(changedSidecars(dir, 'nope', undefined), /unknown revision "nope"/);
	});

	it('parses raw diff records', () => {
		const a = 'a'.repeat(40);
		const raw = `:100644 100644 ${a} ${'0'.repeat(40)} M\0x y.ann.yaml\0:000000 100644 ${'0'.repeat(40)} ${a} A\0z.ann.yaml\0`;
		assert.deepStrictEqual(parseRawDiff(raw), [
			{ path: 'x y.ann.yaml', before: a, after: undefined },
			{ path: 'z.ann.yaml', before: undefined, after: a },
		]);
	});
});
