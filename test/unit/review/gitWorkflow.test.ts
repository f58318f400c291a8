/**
 * End to end with real git and the built CLI (`npm run build` first; `pretest` does it):
 * setup-git, merges through the driver, diff and check, in temporary repositories.
 */
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseSidecar } from '../../../src/core/annotations/sidecarCodec';
import { ARTICLE_NAME, ARTICLE_TEXT, KIEV, STEUN, ZELENSKY, ann, edit, sidecarText } from './fixtures';

const CLI = path.resolve(__dirname, '../../../../dist/cli.js');
const SIDECAR = ARTICLE_NAME.replace(/\.txt$/, '.ann.yaml');

interface Run { code: number; out: string; err: string }

function cli(cwd: string, ...args: string[]): Run {
	const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
	return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function git(cwd: string, ...args: string[]): string {
	return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function gitStatus(cwd: string, ...args: string[]): Run {
	const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
	return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function newRepo(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-review-git-'));
	git(dir, 'init', '-q', '-b', 'main');
	git(dir, 'config', 'user.name', 'Test Analyst');
	git(dir, 'config', 'user.email', 'analyst@example.org');
	git(dir, 'config', 'commit.gpgsign', 'false');
	return dir;
}

function write(dir: string, rel: string, text: string): void {
	fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
	fs.writeFileSync(path.join(dir, rel), text);
}

function read(dir: string, rel: string): string {
	return fs.readFileSync(path.join(dir, rel), 'utf8');
}

function commitAll(dir: string, message: string): void {
	git(dir, 'add', '-A');
	git(dir, 'commit', '-q', '-m', message);
}

describe('git workflow with the built CLI', function () {
	this.timeout(60_000);
	const repos: string[] = [];
	const repo = (): string => {
		const dir = newRepo();
		repos.push(dir);
		return dir;
	};

	before(() => {
		assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`);
	});
	after(() => {
		for (const dir of repos) {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	describe('setup-git and the merge driver', () => {
		let dir: string;
		beforeEach(() => {
			dir = repo();
			write(dir, `corpus/${ARTICLE_NAME}`, ARTICLE_TEXT);
			write(dir, `corpus/${SIDECAR}`, sidecarText([STEUN]));
			const setup = cli(dir, 'setup-git', 'corpus', '--cli', CLI);
			assert.strictEqual(setup.code, 0, setup.err);
			commitAll(dir, 'base');
		});

		it('registers the driver idempotently', () => {
			assert.strictEqual(read(dir, '.gitattributes'), '*.ann.yaml merge=corpus-annotator\n');
			const driver = git(dir, 'config', '--get', 'merge.corpus-annotator.driver').trim();
			assert.ok(driver.includes(`${CLI} merge-driver %O %A %B %P`), driver);
			assert.strictEqual(git(dir, 'check-attr', 'merge', `corpus/${SIDECAR}`).trim(), `corpus/${SIDECAR}: merge: corpus-annotator`);
			const again = cli(dir, 'setup-git', '--cli', CLI);
			assert.strictEqual(again.code, 0, again.err);
			assert.match(again.out, /Already present/);
			assert.strictEqual(read(dir, '.gitattributes'), '*.ann.yaml merge=corpus-annotator\n');
		});

		it('merges two branches that tag the same article differently, keeping both annotations', () => {
			git(dir, 'checkout', '-q', '-b', 'anna');
			write(dir, `corpus/${SIDECAR}`, edit(read(dir, `corpus/${SIDECAR}`), (d) => d.add(ZELENSKY)));
			commitAll(dir, 'anna tags Zelensky');
			git(dir, 'checkout', '-q', 'main');
			write(dir, `corpus/${SIDECAR}`, edit(read(dir, `corpus/${SIDECAR}`), (d) => d.add(KIEV)));
			commitAll(dir, 'bert tags Kiev');
			// A plain text merge would conflict: both sides insert lines at the same place.
			const merge = gitStatus(dir, 'merge', '--no-edit', 'anna');
			assert.strictEqual(merge.code, 0, merge.out + merge.err);
			const merged = parseSidecar(read(dir, `corpus/${SIDECAR}`));
			assert.ok(merged.ok);
			assert.deepStrictEqual(merged.doc.data.annotations.map((a) => a.id), ['a1', 'a2', 'a3']);
			assert.strictEqual(cli(dir, 'check').code, 0);
		});

		it('stops on a true conflict, leaves marked versions, and check reports them with lines', () => {
			git(dir, 'checkout', '-q', '-b', 'anna');
			write(dir, `corpus/${SIDECAR}`, edit(read(dir, `corpus/${SIDECAR}`), (d) => d.update('a3', { label: 'fact-check' })));
			commitAll(dir, 'anna: fact-check');
			git(dir, 'checkout', '-q', 'main');
			write(dir, `corpus/${SIDECAR}`, edit(read(dir, `corpus/${SIDECAR}`), (d) => d.update('a3', { label: 'framing' })));
			commitAll(dir, 'bert: framing');
			const merge = gitStatus(dir, 'merge', '--no-edit', 'anna');
			assert.notStrictEqual(merge.code, 0);
			assert.match(merge.err + merge.out, /annotation a3: both sides changed label/);
			const text = read(dir, `corpus/${SIDECAR}`);
			const lines = text.split('\n');
			const at = (marker: string): number => lines.indexOf(marker) + 1;
			assert.ok(at('<<<<<<< ours') > 0 && at('=======') > at('<<<<<<< ours') && at('>>>>>>> theirs') > at('======='), text);
			assert.ok(text.includes('    label: framing') && text.includes('    label: fact-check'), text);
			const check = cli(dir, 'check');
			assert.strictEqual(check.code, 1);
			const file = `corpus/${SIDECAR}`;
			assert.strictEqual(
				check.out,
				[at('<<<<<<< ours'), at('======='), at('>>>>>>> theirs')]
					.map((line, i) => `${file}:${line}:1: error: Unresolved merge conflict marker "${['<<<<<<<', '=======', '>>>>>>>'][i]}": resolve the conflict before annotating. [merge-conflict]\n`)
					.join(''),
			);
		});
	});

	describe('diff', () => {
		let dir: string;
		before(() => {
			dir = repo();
			write(dir, `corpus/2024/${ARTICLE_NAME}`, ARTICLE_TEXT);
			write(dir, `corpus/2024/${SIDECAR}`, sidecarText([ZELENSKY, KIEV, STEUN]));
			commitAll(dir, 'base');
			write(dir, `corpus/2024/${SIDECAR}`, edit(read(dir, `corpus/2024/${SIDECAR}`), (d) => {
				d.update('a1', { label: 'claim' });
				d.remove('a2');
				d.update('a3', { note: 'Bron?' });
				d.add(ann('b1', 'event', 'wederopbouw'));
			}));
		});

		it('prints readable text for a PR comment, paths relative to DIR', () => {
			const r = cli(dir, 'diff', 'corpus');
			assert.strictEqual(r.code, 0, r.err);
			assert.strictEqual(r.out, [
				'Annotation changes HEAD → working tree',
				'',
				'### 2024/001_0a1b2c3d4e5f6071.txt',
				'',
				'+ [event] “wederopbouw” (b1)',
				'- [event] “ontving in Kiev” (a2)',
				'~ a1: label attribution → claim “President Zelensky”',
				'✎ a3: note added “Bron?”',
				'',
				'1 article(s): 1 added, 1 removed, 2 changed',
				'',
			].join('\n'));
		});

		it('prints JSON and honours --exit-code', () => {
			const r = cli(path.join(dir, 'corpus'), 'diff', '--json', '--exit-code');
			assert.strictEqual(r.code, 1, r.err);
			const json = JSON.parse(r.out) as { article: string; added: { id: string }[]; removed: { id: string }[]; changed: { id: string; fields: string[] }[] }[];
			assert.strictEqual(json.length, 1);
			assert.strictEqual(json[0].article, `2024/${ARTICLE_NAME}`);
			assert.deepStrictEqual(json[0].added.map((a) => a.id), ['b1']);
			assert.deepStrictEqual(json[0].removed.map((a) => a.id), ['a2']);
			assert.deepStrictEqual(json[0].changed.map((c) => [c.id, c.fields]), [['a1', ['label']], ['a3', ['note']]]);
		});

		it('compares two commits, and reports nothing when they are equal', () => {
			commitAll(dir, 'review');
			const r = cli(dir, 'diff', '--from', 'HEAD~1', '--to', 'HEAD', '--json');
			assert.strictEqual(r.code, 0, r.err);
			assert.strictEqual((JSON.parse(r.out) as unknown[]).length, 1);
			const none = cli(dir, 'diff', '--exit-code');
			assert.deepStrictEqual([none.code, none.out], [0, 'No annotation changes between HEAD and working tree.\n']);
		});

		it('fails clearly for an unknown ref or outside a repository', () => {
			const r = cli(dir, 'diff', '--from', 'nope');
			assert.strictEqual(r.code, 2);
			assert.match(r.err, /unknown revision "nope"/);
			const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-review-nogit-'));
			repos.push(outside);
			const o = cli(outside, 'diff');
			assert.strictEqual(o.code, 2);
			assert.match(o.err, /not inside a git repository/);
		});
	});

	describe('check', () => {
		it('exits 0 on a clean folder', () => {
			const dir = repo();
			write(dir, ARTICLE_NAME, ARTICLE_TEXT);
			write(dir, SIDECAR, sidecarText([ZELENSKY, STEUN]));
			write(dir, 'node_modules/x/bad.ann.yaml', 'not: [valid');
			const r = cli(dir, 'check');
			assert.deepStrictEqual([r.code, r.out], [0, '']);
			assert.match(r.err, /no problems/);
		});

		it('lists wrong labels, bad YAML, duplicate ids, quote mismatches, missing articles and list errors', () => {
			const dir = repo();
			write(dir, '.corpus/labels.yaml', '- id: claim\n- id: event\n- id: attribution\n  color: red\n');
			write(dir, '.corpus/entities.yaml', 'version: 1\nentities:\n  - name: Kiev\n    type: CITY\n');
			write(dir, 'a/' + ARTICLE_NAME, ARTICLE_TEXT);
			// Wrong label (framing is not in this schema); quotes moved, edited (fuzzy: the text after it
			// still agrees) and gone (orphaned).
			const shifted = ARTICLE_TEXT.replace('President Zelensky ontving', 'Gisteren president Zelensky ontving').replace('de wederopbouw van het land', 'iets anders');
			write(dir, 'a/' + ARTICLE_NAME, shifted);
			write(dir, 'a/' + SIDECAR, sidecarText([ann('w1', 'framing', 'wederopbouw'), ann('m1', 'event', 'Amerikaanse minister Blinken'), ZELENSKY]));
			write(dir, 'b/002_bad.txt', ARTICLE_TEXT);
			write(dir, 'b/002_bad.ann.yaml', 'version: 1\narticle: 002_bad.txt\nannotations:\n  - id: x\n    label: [claim\n');
			write(dir, 'c/003_dup.txt', ARTICLE_TEXT);
			write(dir, 'c/003_dup.ann.yaml', sidecarText([ZELENSKY]).split(ARTICLE_NAME).join('003_dup.txt') + `  - id: a1\n    label: claim\n    start: ${STEUN.start}\n    end: ${STEUN.end}\n    quote: ${STEUN.quote}\n`);
			write(dir, 'd/004_gone.ann.yaml', sidecarText([]).split(ARTICLE_NAME).join('004_gone.txt'));
			const r = cli(dir, 'check');
			assert.strictEqual(r.code, 1, r.err);
			const sidecarA = read(dir, 'a/' + SIDECAR).split('\n');
			const lineOf = (needle: string): number => sidecarA.findIndex((l) => l.includes(needle)) + 1;
			const dupLines = read(dir, 'c/003_dup.ann.yaml').split('\n');
			const dupLine = dupLines.lastIndexOf('  - id: a1') + 1;
			const moved = shifted.indexOf('Amerikaanse minister Blinken');
			const lines = r.out.trimEnd().split('\n');
			assert.deepStrictEqual(lines, [
				'.corpus/entities.yaml:4:11: error: Entity "Kiev": `type` must be one of PER, LOC, ORG, MISC. [invalid-entity-list]',
				'.corpus/labels.yaml:4:10: error: "color" must be "#rrggbb" (quote it: "#e69f00"). [invalid-field]',
				`a/${SIDECAR}:${lineOf('- id: a1')}:5: warning: Annotation a1: quote “President Zelensky” is no longer at 14–32; an edited version “president Zelensky” was found at ${shifted.indexOf('president')}–${shifted.indexOf('president') + 18} (can be re-anchored; check the quote). [anchor-fuzzy]`,
				`a/${SIDECAR}:${lineOf('- id: m1')}:5: warning: Annotation m1: quote “Amerikaanse minister Blinken” is no longer at ${ARTICLE_TEXT.indexOf('Amerikaanse')}–${ARTICLE_TEXT.indexOf('Amerikaanse') + 28}; found unchanged at ${moved}–${moved + 28} (can be re-anchored: open the article in Corpus Annotator). [anchor-moved]`,
				`a/${SIDECAR}:${lineOf('- id: w1')}:5: error: Annotation w1: quote “wederopbouw” is no longer at 197–208 and cannot be re-anchored (not-found). [anchor-orphaned]`,
				`a/${SIDECAR}:${lineOf('label: framing')}:12: error: Annotation w1: label "framing" is not in the label schema (claim, event, attribution). [unknown-label]`,
				'b/002_bad.ann.yaml:6:1: error: Flow sequence in block collection must be sufficiently indented and end with a ] at line 6, column 1: [yaml-syntax]',
				`c/003_dup.ann.yaml:${dupLine}:9: error: Duplicate annotation id "a1" (first used on line ${dupLines.indexOf('  - id: a1') + 1}). [duplicate-id]`,
				'd/004_gone.ann.yaml:1:1: error: The article 004_gone.txt does not exist next to this sidecar. [missing-article]',
			]);
			const json = cli(dir, 'check', '--json');
			assert.strictEqual(json.code, 1);
			const problems = JSON.parse(json.out) as { file: string; line: number; column: number; severity: string; code: string; message: string }[];
			assert.strictEqual(problems.length, lines.length);
			assert.deepStrictEqual(Object.keys(problems[0]).sort(), ['code', 'column', 'file', 'line', 'message', 'severity']);
			assert.deepStrictEqual(problems.map((p) => p.code), ['invalid-entity-list', 'invalid-field', 'anchor-fuzzy', 'anchor-moved', 'anchor-orphaned', 'unknown-label', 'yaml-syntax', 'duplicate-id', 'missing-article']);
		});
	});
});
