/**
 * Issue 16's export figure: `corpus-annotator export` of 10,000 articles × 100 annotations (with
 * notes on some, and relations) through the built command line, per format, beside a floor
 * measured in the same run: reading and parsing the same sidecars with `fs` and `yaml` alone
 * (no session, no format, no output). Budget: under 20 s per format.
 *
 * Part of `npm run bench`; alone (prints, writes nothing): `npm run bench:exchange`.
 * EXCHANGE_BENCH_ARTICLES (default 10000), EXCHANGE_BENCH_FORMATS (default: all six, comma-separated),
 * EXCHANGE_BENCH_DIR (where the corpus goes; reused when present, default $TMPDIR/corpus-exchange-bench),
 * EXCHANGE_BENCH_JOBS (export's --jobs, comma-separated for several rows each; default: none given, i.e. the cores).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { selectorAt } from '../src/core/annotations/anchoring';
import { hashArticleText } from '../src/core/annotations/textHash';
import type { Annotation, Relation } from '../src/core/annotations/model';
import { sidecarOffset } from '../src/core/annotations/offsets';
import { createSidecar, serializeIfChanged } from '../src/core/annotations/sidecarCodec';
import { seededRandom } from '../src/core/util/seededRandom';
import type { ScaleRow } from './scaleBench';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const ARTICLES = Number(process.env.EXCHANGE_BENCH_ARTICLES ?? 10_000);
const PER_ARTICLE = 100;
const FORMATS = (process.env.EXCHANGE_BENCH_FORMATS ?? 'w3c,brat,webanno-tsv,doccano,label-studio,conll').split(',').filter((f) => f !== '');
const BUDGET_MS = 20_000;
const JOBS = (process.env.EXCHANGE_BENCH_JOBS ?? '').split(',').filter((j) => j !== '');

const VOCABULARY = 'Kiev Washington Poetin Zelensky NAVO Brussel kabinet minister wapens levering onderhandelingen sancties ' +
	'verklaarde president bondgenoten steun oorlog vrede gesprek Witte Huis Patriot raketten luchtverdediging Europa';

/** One article of about 3,000 characters: header, paragraphs of words. */
function makeArticle(random: () => number, month: number): string {
	const words = VOCABULARY.split(' ');
	const paragraphs: string[] = [];
	for (let p = 0; p < 8; p++) {
		const n = 40 + Math.floor(random() * 20);
		paragraphs.push(Array.from({ length: n }, () => words[Math.floor(random() * words.length)]).join(' ') + '.');
	}
	return ` date 2025-${String(month).padStart(2, '0')} ${paragraphs.join('\n\n')}`;
}

/** 100 spans of one or two words spread over the text; a fifth with notes; 10 relations. */
function makeAnnotations(text: string, random: () => number): { annotations: Annotation[]; relations: Relation[] } {
	const starts: number[] = [];
	for (const m of text.matchAll(/(?<= )\p{L}+/gu)) {
		if (m.index > 14) {
			starts.push(m.index);
		}
	}
	const step = starts.length / PER_ARTICLE;
	const annotations = Array.from({ length: PER_ARTICLE }, (_, i): Annotation => {
		const start = starts[Math.floor(i * step)];
		const end = text.indexOf(' ', start + 1 + Math.floor(random() * 6));
		const s = selectorAt(text, sidecarOffset(start), sidecarOffset(end < 0 ? text.length : end));
		return {
			id: `b${i}`, label: ['claim', 'attribution', 'event', 'framing'][i % 4], ...s,
			...(i % 5 === 0 ? { note: `notitie ${i}` } : {}), author: 'Analist', created: '2026-11-20T10:00:00Z',
		};
	});
	const relations = Array.from({ length: 10 }, (_, i): Relation => ({ id: `r${i}`, type: 'about', from: `b${i * 10}`, to: `b${i * 10 + 1}` }));
	return { annotations, relations };
}

/** Writes the corpus once (it is reused: generating it takes longer than exporting it). */
function ensureCorpus(dir: string, say: (msg: string) => void): string[] {
	const marker = path.join(dir, `.complete-${ARTICLES}`);
	const sidecars: string[] = [];
	for (let i = 0; i < ARTICLES; i++) {
		sidecars.push(path.join(dir, String(Math.floor(i / 1000)).padStart(2, '0'), `${String(i % 1000).padStart(3, '0')}_bench.ann.yaml`));
	}
	if (fs.existsSync(marker)) {
		return sidecars;
	}
	say(`writing ${ARTICLES.toLocaleString('en')} articles × ${PER_ARTICLE} annotations to ${dir}…`);
	const random = seededRandom(16);
	for (let i = 0; i < ARTICLES; i++) {
		const sidecarPath = sidecars[i];
		const articlePath = sidecarPath.replace(/\.ann\.yaml$/, '.txt');
		fs.mkdirSync(path.dirname(articlePath), { recursive: true });
		const text = makeArticle(random, 1 + (i % 12));
		const { annotations, relations } = makeAnnotations(text, random);
		const doc = createSidecar({ article: path.basename(articlePath), date: text.slice(6, 13), textHash: hashArticleText(text) });
		doc.addAll(annotations);
		relations.forEach((r) => doc.addRelation(r));
		fs.writeFileSync(articlePath, text);
		fs.writeFileSync(sidecarPath, serializeIfChanged('', doc)!);
	}
	fs.writeFileSync(marker, '');
	return sidecars;
}

/** The floor: read and parse every sidecar with `fs` and `yaml`, nothing else. */
function floorMs(sidecars: readonly string[]): { ms: number; annotations: number } {
	const t0 = performance.now();
	let annotations = 0;
	for (const f of sidecars) {
		annotations += (parse(fs.readFileSync(f, 'utf8')) as { annotations: unknown[] }).annotations.length;
	}
	return { ms: performance.now() - t0, annotations };
}

export function runExchangeBench(say: (msg: string) => void): ScaleRow[] {
	if (!fs.existsSync(CLI)) {
		throw new Error(`${CLI} is missing: build first (node esbuild.config.mjs)`);
	}
	const dir = process.env.EXCHANGE_BENCH_DIR ?? path.join(os.tmpdir(), 'corpus-exchange-bench');
	const sidecars = ensureCorpus(dir, say);
	const rows: ScaleRow[] = [];
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-exchange-out-'));
	try {
		// One floor for every format: on 10,000 sidecars it takes as long as an export.
		const floor = floorMs(sidecars);
		if (floor.annotations !== ARTICLES * PER_ARTICLE) {
			throw new Error(`the bench corpus has ${floor.annotations} annotations, expected ${ARTICLES * PER_ARTICLE}`);
		}
		say(`floor: read + parse ${sidecars.length} sidecars ${(floor.ms / 1000).toFixed(1)} s`);
		const runs = FORMATS.flatMap((format) => (JOBS.length > 0 ? JOBS : [undefined]).map((jobs) => ({ format, jobs })));
		for (const { format, jobs } of runs) {
			const jobsArgs = jobs === undefined ? [] : ['--jobs', jobs];
			say(`export --format ${format} ${jobsArgs.join(' ')}…`);
			const target = path.join(out, format);
			const t0 = performance.now();
			const r = spawnSync('node', [CLI, 'export', dir, '--format', format, '--out', target, ...jobsArgs], { encoding: 'utf8', maxBuffer: 1 << 26 });
			const wall = performance.now() - t0;
			if (r.status !== 0) {
				throw new Error(`export --format ${format} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
			}
			fs.rmSync(target, { recursive: true, force: true });
			rows.push({
				group: 'Exchange (export)',
				name: `export --format ${format}${jobsArgs.map((a) => ' ' + a).join('')}: ${ARTICLES.toLocaleString('en')} articles × ${PER_ARTICLE} annotations`,
				value: wall,
				unit: 'ms',
				floor: floor.ms,
				floorWhat: 'reading and parsing the same sidecars (fs + yaml)',
				budget: { text: '< 20 s', pass: wall < BUDGET_MS },
				note: r.stdout.split('\n')[0],
			});
		}
	} finally {
		fs.rmSync(out, { recursive: true, force: true });
	}
	return rows;
}

if (require.main === module) {
	const started = Date.now();
	const say = (msg: string): void => console.log(`[exchange ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}`);
	say(`load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
	const rows = runExchangeBench(say);
	console.log('\n| What | Figure | Floor | Ratio | Budget |\n|---|---:|---:|---:|---|');
	for (const r of rows) {
		console.log(`| ${r.name} | ${(r.value / 1000).toFixed(1)} s | ${(r.floor! / 1000).toFixed(1)} s | ${(r.value / r.floor!).toFixed(2)}× | ${r.budget!.text} ${r.budget!.pass ? '✅' : '❌'} |`);
	}
	say(`done; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}
