import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import { parseLabelSchema } from '../../../src/core/annotations/labelSchema';
import { ExchangeCancelled, exportCorpus, importAnnotations, ExchangeRefused } from '../../../src/node/exchangeRunner';
import { runCli } from '../cli/runCli';
import { at, copyDir, HARD_ARTICLE, hardAnnotations, jsonTestFormat, readSidecars, span, tempDir, writeSidecar } from './exchangeFixtures';

const SECOND = ' date 2024-11 Poetin sprak met Trump over Oekraïne.';

/** Every file below `dir` with its bytes, to show that nothing was written. */
async function snapshot(dir: string): Promise<Map<string, string>> {
	const out = new Map<string, string>();
	const visit = async (d: string): Promise<void> => {
		for (const e of await fs.readdir(d, { withFileTypes: true })) {
			const full = path.join(d, e.name);
			if (e.isDirectory()) {
				await visit(full);
			} else {
				out.set(path.relative(dir, full), (await fs.readFile(full)).toString('base64'));
			}
		}
	};
	await visit(dir);
	return out;
}

async function refusal(p: Promise<unknown>): Promise<ExchangeRefused> {
	try {
		await p;
	} catch (error) {
		if (error instanceof ExchangeRefused) {
			return error;
		}
		throw error;
	}
	throw new Error('expected the import to be refused');
}

describe('exchange: export and import machinery', () => {
	let root: string;
	let corpus: string;
	let out: string;
	beforeEach(async () => {
		root = await tempDir('corpus-exchange-');
		corpus = path.join(root, 'corpus');
		out = path.join(root, 'out');
		await fs.mkdir(path.join(corpus, '2025'), { recursive: true });
		await fs.writeFile(path.join(corpus, '2025', 'hard.txt'), HARD_ARTICLE);
		await fs.writeFile(path.join(corpus, 'second.txt'), SECOND);
		await fs.writeFile(path.join(corpus, 'notes.txt'), 'not an article');
		const { annotations, relations } = hardAnnotations();
		await writeSidecar(path.join(corpus, '2025', 'hard.txt'), annotations, relations);
	});
	afterEach(async () => {
		await fs.rm(root, { recursive: true, force: true });
	});

	const fresh = async (): Promise<string> => {
		const copy = path.join(root, 'copy');
		await copyDir(corpus, copy);
		await fs.rm(path.join(copy, '2025', 'hard.ann.yaml'));
		return copy;
	};

	it('exports every article and imports them back into a fresh copy unchanged; labels missing from the schema are added', async () => {
		const report = await exportCorpus({ corpusDir: corpus, outDir: out, format: jsonTestFormat });
		assert.deepStrictEqual([report.articles, report.annotations, report.relations, report.files], [2, 5, 2, 2]);
		assert.deepStrictEqual(report.lines.slice(0, 1), [`test-json: 2 articles, 5 annotations, 2 relations exported (2 files in ${out})`]);
		const copy = await fresh();
		const imported = await importAnnotations({ input: out, format: jsonTestFormat, intoDir: copy });
		assert.deepStrictEqual(imported.articles.map((a) => [a.kind, a.plan.added.length, a.plan.addedRelations.length]), [['existing', 5, 2], ['existing', 0, 0]]);
		assert.deepStrictEqual(await readSidecars(copy), await readSidecars(corpus));
		// source-of and supports are default relation types; every label is a default label.
		assert.deepStrictEqual([imported.addedLabels, imported.addedRelationTypes], [[], []]);
		const check = await runCli(copy, 'check');
		assert.strictEqual(check.code, 0, check.out + check.err);
		// The same import again changes nothing.
		const before = await snapshot(copy);
		const again = await importAnnotations({ input: out, format: jsonTestFormat, intoDir: copy });
		assert.strictEqual(again.articles[0].plan.unchanged, 5);
		assert.deepStrictEqual(await snapshot(copy), before);
	});

	it('merges into annotated articles: same id replaced (fields not carried kept), same label and span not added twice', async () => {
		await exportCorpus({ corpusDir: corpus, outDir: out, format: jsonTestFormat });
		const file = path.join(out, '2025', 'hard.json');
		const data = JSON.parse(await fs.readFile(file, 'utf8')) as { annotations: Record<string, unknown>[]; relations: Record<string, unknown>[] };
		const byId = (id: string): Record<string, unknown> => data.annotations.find((a) => a.id === id)!;
		byId('a1').label = 'event';
		delete byId('a1').note;
		byId('a2').id = 'T1'; // same label and span as a2, another id
		const z = at(HARD_ARTICLE, 'Kiev');
		data.annotations.push({ ...span(HARD_ARTICLE, 'T2', 'place', z, z + 4) });
		data.relations.push({ id: 'R9', type: 'located-in', from: 'T1', to: 'T2' });
		await fs.writeFile(file, JSON.stringify(data));
		const report = await importAnnotations({ input: out, format: jsonTestFormat, intoDir: corpus });
		const plan = report.articles[0].plan;
		assert.deepStrictEqual([plan.replaced.map((a) => a.id), plan.added.map((a) => a.id), plan.unchanged], [['a1'], ['T2'], 4]);
		assert.deepStrictEqual(plan.addedRelations.map((r) => [r.id, r.from, r.to]), [['R9', 'a2', 'T2']]);
		const stored = (await readSidecars(corpus)).get('2025/hard.ann.yaml')!;
		const a1 = stored.annotations.find((a) => a.id === 'a1')!;
		assert.deepStrictEqual([a1.label, a1.note], ['event', 'hele uitspraak']);
		assert.deepStrictEqual(stored.annotations.map((a) => a.id).sort(), ['T2', 'a1', 'a2', 'a3', 'a4', 'a5']);
		assert.deepStrictEqual([report.addedLabels, report.addedRelationTypes, report.labelsFileCreated], [['place'], ['located-in'], true]);
		const schema = parseLabelSchema(await fs.readFile(path.join(corpus, '.corpus', 'labels.yaml'), 'utf8'));
		assert.ok(schema.labels.some((l) => l.id === 'place') && schema.labels.some((l) => l.id === 'claim'));
		assert.ok(schema.relationTypes.some((t) => t.id === 'located-in'));
		assert.ok(report.lines.some((l) => l.includes('created') && l.includes('labels place') && l.includes('relation types located-in')), report.lines.join('\n'));
		const check = await runCli(corpus, 'check');
		assert.strictEqual(check.code, 0, check.out + check.err);
		// A label the relation type does not allow at its end: imported, and said.
		byId('a1').label = 'fact-check';
		await fs.writeFile(file, JSON.stringify(data));
		const again = await importAnnotations({ input: out, format: jsonTestFormat, intoDir: corpus, dryRun: true });
		assert.ok(again.lines.some((l) => /relation r1 "source-of" goes to claim or event or framing, but a1 is labelled fact-check \(check will report it\)/.test(l)), again.lines.join('\n'));
	});

	it('refuses a text that is not the article\'s, naming file, line:column and both snippets, and writes nothing', async () => {
		await exportCorpus({ corpusDir: corpus, outDir: out, format: jsonTestFormat });
		const file = path.join(out, 'second.json');
		const data = JSON.parse(await fs.readFile(file, 'utf8')) as { text: string };
		data.text = data.text.replace('Trump', 'Biden');
		await fs.writeFile(file, JSON.stringify(data));
		const copy = await fresh();
		const before = await snapshot(copy);
		const e = await refusal(importAnnotations({ input: out, format: jsonTestFormat, intoDir: copy, show: (p) => path.relative(copy, p) }));
		assert.deepStrictEqual(e.problems, ['second.txt:1:32: the imported text differs from the article here: the article has "Trump over Oekraïne.", the import has "Biden over Oekraïne."']);
		assert.deepStrictEqual(await snapshot(copy), before);
	});

	it('malformed input and spans outside the text: every problem with file:line, nothing written', async () => {
		await exportCorpus({ corpusDir: corpus, outDir: out, format: jsonTestFormat });
		const copy = await fresh();
		const before = await snapshot(copy);
		await fs.writeFile(path.join(out, 'second.json'), '{"text": "x",\n "annotations": [}');
		const e = await refusal(importAnnotations({ input: out, format: jsonTestFormat, intoDir: copy }));
		assert.match(e.problems[0], /second\.json:2:\d+: not JSON/);
		assert.match(e.message, /Nothing was written\.$/);
		await fs.writeFile(path.join(out, 'second.json'), JSON.stringify({ text: SECOND, annotations: [span(SECOND, 'x1', 'claim', 14, 20), { ...span(SECOND, 'x2', 'claim', 14, 20), end: 999 }] }));
		const e2 = await refusal(importAnnotations({ input: out, format: jsonTestFormat, intoDir: copy }));
		assert.match(e2.problems[0], /second\.txt:1:1: annotation x2 has the span 14–999, outside the article's 51 code points/);
		// A relation to an annotation that does not exist: refused by the sidecar, named.
		await fs.writeFile(path.join(out, 'second.json'), JSON.stringify({ text: SECOND, annotations: [span(SECOND, 'x1', 'claim', 14, 20)], relations: [{ id: 'r', type: 'supports', from: 'x1', to: 'nope' }] }));
		const e3 = await refusal(importAnnotations({ input: out, format: jsonTestFormat, intoDir: copy }));
		assert.match(e3.problems[0], /second\.ann\.yaml:1:1: .*nope/);
		assert.deepStrictEqual(await snapshot(copy), before);
	});

	it('migrates plain texts into new articles with --date or dates.csv, shifting every offset', async () => {
		const plainDir = path.join(root, 'plain');
		const { annotations, relations } = hardAnnotations();
		// The hard article without its header, as another tool would hold it.
		const header = ' date 2025-03 ';
		const plain = HARD_ARTICLE.replace(header, '');
		const shifted = annotations.map((a) => span(plain, a.id, a.label, a.start - header.length, a.end - header.length, { note: a.note, author: a.author, created: a.created }));
		await fs.mkdir(plainDir);
		await fs.writeFile(path.join(plainDir, 'hard.json'), JSON.stringify({ text: plain, annotations: shifted, relations }));
		await fs.writeFile(path.join(plainDir, 'other.json'), JSON.stringify({ text: 'Een tekst zonder kop.', annotations: [span('Een tekst zonder kop.', 'o1', 'claim', 4, 9)] }));
		const target = path.join(root, 'target');
		await fs.mkdir(target);
		const e = await refusal(importAnnotations({ input: plainDir, format: jsonTestFormat, intoDir: target, show: (p) => path.relative(root, p) }));
		assert.match(e.problems[0], /target\/hard\.txt:1:1: no such article, and the imported text has no " date YYYY-MM " header: give --date/);
		await fs.writeFile(path.join(plainDir, 'dates.csv'), 'path,date\nhard.txt,2025-03\n');
		const dry = await importAnnotations({ input: plainDir, format: jsonTestFormat, intoDir: target, date: '2024-01', dryRun: true });
		assert.ok(dry.lines.includes('dry run: nothing was written'));
		assert.deepStrictEqual(await fs.readdir(target), []);
		const report = await importAnnotations({ input: plainDir, format: jsonTestFormat, intoDir: target, date: '2024-01' });
		assert.deepStrictEqual(report.articles.map((a) => a.kind), ['new', 'new']);
		assert.strictEqual(await fs.readFile(path.join(target, 'hard.txt'), 'utf8'), HARD_ARTICLE);
		assert.strictEqual(await fs.readFile(path.join(target, 'other.txt'), 'utf8'), ' date 2024-01 Een tekst zonder kop.');
		const stored = await readSidecars(target);
		assert.deepStrictEqual(stored.get('hard.ann.yaml'), (await readSidecars(corpus)).get('2025/hard.ann.yaml'));
		assert.deepStrictEqual(stored.get('other.ann.yaml')!.annotations.map((a) => [a.start, a.end, a.quote]), [[18, 23, 'tekst']]);
		// Importing the plain texts again into the articles they became: offsets follow the header, nothing doubles.
		const again = await importAnnotations({ input: plainDir, format: jsonTestFormat, intoDir: target });
		assert.deepStrictEqual(again.articles.map((a) => [a.kind, a.plan.added.length, a.plan.unchanged]), [['existing', 0, 5], ['existing', 0, 1]]);
	});

	it('turns a plain text already in the corpus into an article when a month is given', async () => {
		const text = 'Een tekst zonder kop.';
		await fs.writeFile(path.join(corpus, 'notes.txt'), text);
		await fs.mkdir(path.join(root, 'in'));
		await fs.writeFile(path.join(root, 'in', 'notes.json'), JSON.stringify({ text, annotations: [span(text, 'o1', 'claim', 4, 9)] }));
		const e = await refusal(importAnnotations({ input: path.join(root, 'in'), format: jsonTestFormat, intoDir: corpus, show: (p) => path.relative(corpus, p) }));
		assert.match(e.problems[0], /^notes\.txt:1:1: not an article yet/);
		const report = await importAnnotations({ input: path.join(root, 'in', 'notes.json'), format: jsonTestFormat, intoDir: corpus, date: '2023-09' });
		assert.deepStrictEqual(report.articles.map((a) => a.kind), ['migrated']);
		assert.strictEqual(await fs.readFile(path.join(corpus, 'notes.txt'), 'utf8'), ` date 2023-09 ${text}`);
	});

	it('export counts orphaned annotations and their relations instead of exporting them at wrong offsets', async () => {
		// Rewrite the article so that a4 ("Rutte 😀 beloofde") is gone: a4 and its relation r2 are orphaned.
		await fs.writeFile(path.join(corpus, '2025', 'hard.txt'), HARD_ARTICLE.replace('Rutte 😀 beloofde', 'Iemand leverde'));
		const report = await exportCorpus({ corpusDir: corpus, outDir: out, format: jsonTestFormat });
		assert.deepStrictEqual([report.annotations, report.relations], [4, 1]);
		assert.ok(report.lines.includes('test-json: 1 orphaned annotation and 1 relation to an orphan not exported: not found in the current text (re-anchor or delete them, then export again)'), report.lines.join('\n'));
	});

	it('cancelling while checking writes nothing; progress counts the articles', async () => {
		await exportCorpus({ corpusDir: corpus, outDir: out, format: jsonTestFormat });
		const copy = await fresh();
		const before = await snapshot(copy);
		const seen: string[] = [];
		let polls = 0;
		const progress = { report: (done: number, total: number, stage: string) => seen.push(`${stage} ${done}/${total}`), isCancelled: () => ++polls > 1 };
		await assert.rejects(importAnnotations({ input: out, format: jsonTestFormat, intoDir: copy, progress }), (e: Error) => e instanceof ExchangeCancelled && !e.wroteSomething);
		assert.deepStrictEqual(seen, ['checking 0/2']);
		assert.deepStrictEqual(await snapshot(copy), before);
		const counted: string[] = [];
		await exportCorpus({ corpusDir: corpus, outDir: path.join(root, 'out2'), format: jsonTestFormat, progress: { report: (d, t, s) => counted.push(`${s} ${d}/${t}`), isCancelled: () => false } });
		assert.deepStrictEqual(counted, ['reading 0/3', 'reading 1/3', 'reading 2/3', 'writing 1/2', 'writing 2/2']);
	});

	it('CLI: unknown format and missing flags are named; --date is checked', async () => {
		const r = await runCli(corpus, 'export', '--format', 'nope', '--out', out);
		assert.strictEqual(r.code, 1);
		assert.match(r.err, /unknown format "nope"; known formats: /);
		const i = await runCli(corpus, 'import', out, '--format', 'nope', '--date', '2024-05');
		assert.match(i.err, /unknown format "nope"/);
		const d = await runCli(corpus, 'export', '--format', 'brat');
		assert.match(d.err, /--out OUTDIR is required|unknown format/);
		const jobs = await runCli(corpus, 'export', '--format', 'w3c', '--out', out, '--jobs', '0');
		assert.strictEqual(jobs.code, 1);
		assert.match(jobs.err, /--jobs must be a whole number ≥ 1, got "0"/);
		const help = await runCli(corpus, 'import', '--help');
		assert.match(help.out, /--dry-run/);
	});
});
