/**
 * `corpus-annotator agree` with real git: two branches made to disagree in known ways, in a
 * temporary repository; the JSON is checked count by count.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AuthorReport } from '../../../src/core/agreement/byAuthor';
import type { AgreementReport } from '../../../src/core/agreement/report';
import { makeSelector } from '../../../src/core/annotations/anchoring';
import { editorOffset } from '../../../src/core/annotations/offsets';
import { hashArticleText } from '../../../src/core/annotations/textHash';
import { createSidecar, parseSidecar, serializeIfChanged } from '../../../src/core/annotations/sidecarCodec';
import { runCli } from '../cli/runCli';

const A_TXT = ' date 2024-05 De minister van Defensie kondigde nieuwe steun aan Oekraïne aan.\n\nVolgens het kabinet gaat het om luchtverdediging en munitie.';
const B_TXT = ' date 2024-06 Premier Schoof sprak in Brussel met Zelensky over de toetreding.\n\nDe NAVO-top volgt in juli.';
const C_TXT = ' date 2024-07 Het weer in Kiev was slecht.';
const D_TXT = ' date 2024-08 Poetin reageerde niet op de vragen van journalisten.';
const E_TXT = ' date 2024-09 Trump belde met Poetin.';

describe('agree: two branches in a real repository', function () {
	this.timeout(120_000);
	let dir: string;
	const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	const write = (rel: string, text: string): void => {
		fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
		fs.writeFileSync(path.join(dir, rel), text);
	};
	let ids = 0;
	/** Adds an annotation of the first occurrence of `quote` to the article's sidecar, as the extension writes it. */
	const tag = (article: string, quote: string, label: string, author: string): void => {
		const text = fs.readFileSync(path.join(dir, article), 'utf8');
		const sidecarPath = path.join(dir, article.replace(/\.txt$/, '.ann.yaml'));
		const existing = fs.existsSync(sidecarPath) ? fs.readFileSync(sidecarPath, 'utf8') : undefined;
		const parsed = existing === undefined ? undefined : parseSidecar(existing);
		assert.ok(parsed === undefined || parsed.ok);
		const doc = parsed?.ok ? parsed.doc : createSidecar({ article: path.posix.basename(article), date: null, textHash: hashArticleText(text) });
		const start = text.indexOf(quote);
		assert.ok(start >= 0, quote);
		doc.add({ id: `t${++ids}`, label, ...makeSelector(text, editorOffset(start), editorOffset(start + quote.length)), author, created: '2026-12-01T10:00:00Z' });
		fs.writeFileSync(sidecarPath, serializeIfChanged(existing ?? '', doc)!);
	};
	const agree = async (...args: string[]): Promise<{ code: number; report: AgreementReport; err: string }> => {
		const r = await runCli(dir, 'agree', ...args, '--json');
		return { code: r.code, report: r.out ? (JSON.parse(r.out) as AgreementReport) : (undefined as never), err: r.err };
	};

	before(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-agree-'));
		git('init', '-q', '-b', 'main');
		git('config', 'user.name', 'Test');
		git('config', 'user.email', 'test@example.org');
		git('config', 'commit.gpgsign', 'false');
		write('news/a.txt', A_TXT);
		write('news/b.txt', B_TXT);
		write('news/c.txt', C_TXT);
		write('news/d.txt', D_TXT);
		write('news/e.txt', E_TXT);
		write('.corpus/labels.yaml', '- id: claim\n- id: event\n- id: attribution\n- id: framing\n');
		git('add', '-A');
		git('commit', '-q', '-m', 'articles');

		git('checkout', '-q', '-b', 'alice');
		tag('news/a.txt', 'De minister van Defensie', 'attribution', 'alice');
		tag('news/a.txt', 'nieuwe steun aan Oekraïne', 'claim', 'alice');
		tag('news/a.txt', 'luchtverdediging', 'event', 'alice');
		tag('news/a.txt', 'het kabinet', 'attribution', 'alice');
		tag('news/b.txt', 'Premier Schoof', 'attribution', 'alice');
		tag('news/b.txt', 'NAVO-top', 'event', 'alice');
		tag('news/c.txt', 'Kiev', 'event', 'alice');
		tag('news/e.txt', 'Trump', 'attribution', 'alice');
		git('add', '-A');
		git('commit', '-q', '-m', 'alice');

		git('checkout', '-q', '-b', 'bob', 'main');
		tag('news/a.txt', 'De minister van Defensie', 'attribution', 'bob'); // same
		tag('news/a.txt', 'steun aan Oekraïne', 'claim', 'bob'); // boundaries differ
		tag('news/a.txt', 'luchtverdediging', 'claim', 'bob'); // label differs
		tag('news/a.txt', 'munitie', 'fact-check', 'bob'); // only bob, and not in the schema
		// Bob edited b.txt on his branch (a sentence up front) and annotated his text: both sides are
		// carried over to the working tree's text and then agree.
		write('news/b.txt', B_TXT.slice(0, 14) + 'Een nieuwe eerste zin. ' + B_TXT.slice(14));
		tag('news/b.txt', 'Premier Schoof', 'attribution', 'bob');
		tag('news/b.txt', 'NAVO-top', 'event', 'bob');
		tag('news/d.txt', 'Poetin', 'attribution', 'bob');
		write('news/e.ann.yaml', 'version: 1\narticle: e.txt\nannotations:\n<<<<<<< HEAD\n  - id: x\n');
		git('add', '-A');
		git('commit', '-q', '-m', 'bob');
		git('checkout', '-q', 'main');
	});

	after(() => {
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('counts every kind of disagreement, lists one-sided articles, flags unknown labels, names the unreadable sidecar (exit 2)', async () => {
		const { code, report, err } = await agree('--a', 'alice', '--b', 'bob');
		assert.strictEqual(code, 2, err);
		const o = report.overall;
		assert.deepStrictEqual(
			{ n_a: o.n_a, n_b: o.n_b, matched_exact: o.matched_exact, boundary_differs: o.boundary_differs, label_differs: o.label_differs, only_a: o.only_a, only_b: o.only_b },
			// a.txt: 1 same, 1 bounds, 1 label, alice's "het kabinet" and bob's "munitie" alone; b.txt: 2 same.
			{ n_a: 6, n_b: 6, matched_exact: 3, boundary_differs: 1, label_differs: 1, only_a: 1, only_b: 1 },
		);
		assert.strictEqual(o.exact_f1, 0.5); // 2·3 / (6 + 6)
		assert.strictEqual(o.overlap_f1, 2 / 3); // 2·4 / 12
		assert.deepStrictEqual(report.articles.map((x) => [x.article, x.status]), [
			['news/a.txt', 'compared'], ['news/b.txt', 'compared'], ['news/c.txt', 'only-in-a'], ['news/d.txt', 'only-in-b'], ['news/e.txt', 'unreadable'],
		]);
		const b = report.articles.find((x) => x.article === 'news/b.txt');
		assert.ok(b && b.status === 'compared' && b.exact_f1 === 1, JSON.stringify(b));
		assert.strictEqual(report.labels['fact-check'].in_schema, false);
		assert.deepStrictEqual(report.labels_not_in_schema, ['fact-check']);
		assert.deepStrictEqual(report.labels.event.label_differs, 1);
		assert.deepStrictEqual(report.problems.map((p) => [p.side, p.file, p.line, p.column]), [['bob', 'news/e.ann.yaml', 4, 1]]);
		assert.deepStrictEqual(report.orphans, []);
	});

	it('prints a Markdown table for a pull-request comment, and compares only the labels asked for', async () => {
		const r = await runCli(dir, 'agree', '--a', 'alice', '--b', 'bob');
		assert.strictEqual(r.code, 2, r.err);
		assert.ok(r.out.includes('| Label | alice | bob | Exact F1 | Overlap F1 | κ | α |'), r.out);
		assert.match(r.out, /\| \*\*Overall\*\* \| 6 \| 6 \| 0\.500 \| 0\.667 \|/);
		assert.match(r.out, /- bob: news\/e\.ann\.yaml:4:1: /);
		assert.match(r.out, /Annotated only in alice \(not compared\): news\/c\.txt/);
		const only = await agree('--a', 'alice', '--b', 'bob', '--labels', 'attribution,event');
		assert.deepStrictEqual(Object.keys(only.report.labels), ['attribution', 'event']);
	});

	it('compares a ref with the working tree, and reports an annotation lost in the text as an orphan', async () => {
		git('checkout', '-q', 'alice');
		try {
			// The working tree's a.txt lost "luchtverdediging": alice's annotation of it cannot be placed.
			write('news/a.txt', A_TXT.replace('luchtverdediging en ', ''));
			const { report } = await agree('--a', 'alice', '--b', 'WORKTREE', 'news');
			// Lost on both sides: alice's carried over from her text, the working tree's in its own.
			assert.deepStrictEqual(report.orphans.map((x) => [x.article, x.side, x.label]), [['a.txt', 'alice', 'event'], ['a.txt', 'WORKTREE', 'event']]);
			const a = report.articles.find((x) => x.article === 'a.txt');
			assert.ok(a && a.status === 'compared' && a.n_a === 3 && a.n_b === 3 && a.matched_exact === 3, JSON.stringify(a));
		} finally {
			git('checkout', '-q', '--', '.');
			git('checkout', '-q', 'main');
		}
	});

	it('exits 2 on an unknown ref, naming it', async () => {
		const r = await runCli(dir, 'agree', '--a', 'alice', '--b', 'carol');
		assert.strictEqual(r.code, 2);
		assert.match(r.err, /unknown revision "carol"/);
	});

	it('--by-author: pairs of authors and α with an author missing where they did not annotate', async () => {
		git('checkout', '-q', '-b', 'merged', 'alice');
		try {
			// One working-tree sidecar with both analysts' annotations of c.txt, and only alice's of a.txt.
			tag('news/c.txt', 'Kiev', 'event', 'bob');
			tag('news/c.txt', 'Het weer', 'claim', 'bob');
			const r = await runCli(dir, 'agree', 'news', '--by-author', '--json');
			const report = JSON.parse(r.out) as AuthorReport;
			assert.deepStrictEqual(report.authors, ['alice', 'bob']);
			const pair = report.pairs[0];
			assert.deepStrictEqual([pair.a, pair.b], ['alice', 'bob']);
			assert.deepStrictEqual(pair.articles.map((x) => [x.article, x.status]), [['a.txt', 'only-in-a'], ['b.txt', 'only-in-a'], ['c.txt', 'compared'], ['e.txt', 'only-in-a']]);
			assert.deepStrictEqual([pair.overall.matched_exact, pair.overall.only_b], [1, 1]);
			// α over c.txt only (the one article both annotated): claim is 1 for bob on "Het weer" (7 units) and 0 for alice.
			assert.ok(report.krippendorff_alpha.labels.event === 1, JSON.stringify(report.krippendorff_alpha));
		} finally {
			git('checkout', '-q', '--', '.');
			git('checkout', '-q', 'main');
			git('branch', '-q', '-D', 'merged');
		}
	});
});
