/**
 * Issue 17's bulk figures, each beside a floor measured in the same run, all through the built
 * command line (dist/cli.js) as a user runs it:
 * - `annotate --from`: 1 and 1,000 annotations into sidecars of 10 / 100 / 1,000 / 10,000, the
 *   per-annotation cost at each size, one-by-one `annotate` beside it, and 10,000 into an empty
 *   sidecar (target < 3 s). Floor: `corpus-annotator --help` (Node start + loading the bundle).
 * - `diff --json` on 1,001 articles × 100 annotations with 10 / 100 / 1,000 sidecars changed in
 *   the working tree (target ≤ 5× at 100). Floor: `git diff` of the same working tree.
 * - `entities DIR --jsonl` with `--jobs 2` against `--jobs 1` (target ≥ 1.8× on 2 cores).
 * - `check` on 1,000 and 10,000 sidecars of 10 annotations, `--jobs 1` and the default (one per
 *   core), target ≤ 1.5× at 10,000. Floor: a Node process that reads every sidecar and its article
 *   and parses the sidecar's YAML (the `yaml` library the command uses), nothing else.
 *
 * Part of `npm run bench`; alone (prints, writes nothing): `npm run bench:scale`.
 * SCALE_RUNS (default 3) timed runs per figure, median; KEEP=1 keeps the temp folder;
 * SCALE_ONLY=check runs the `check` rows only, SCALE_ONLY=diff the `diff` rows (with the `--help` figure), SCALE_ONLY=entities the
 * `entities --jsonl` rows; SCALE_ENTITIES_COUNTS (default 400,2000) the corpus sizes of those rows, the budget judged on the last.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makeSelector, prepareText } from '../src/core/annotations/anchoring';
import { editorOffset } from '../src/core/annotations/offsets';
import { hashArticleText } from '../src/core/annotations/textHash';
import type { Annotation } from '../src/core/annotations/model';
import { createSidecar, parseSidecar, serializeIfChanged } from '../src/core/annotations/sidecarCodec';
import { seededRandom } from '../src/core/util/seededRandom';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const RUNS = Number(process.env.SCALE_RUNS ?? 3);
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** A row as bench/runBench.ts takes it. */
export interface ScaleRow {
	readonly group: string;
	readonly name: string;
	readonly value: number;
	readonly unit: 'ms';
	readonly floor?: number;
	readonly floorWhat?: string;
	readonly budget?: { readonly text: string; readonly pass: boolean };
	readonly note?: string;
}

interface Run {
	readonly wallMs: number;
	/** User + system CPU of the process (NaN without /usr/bin/time). */
	readonly cpuMs: number;
	readonly rssMB: number;
}

/** One process run; `/usr/bin/time` adds its CPU and peak memory. */
function runOnce(cmd: string, args: readonly string[], cwd: string, input?: string): Run {
	const full = TIME ? [TIME, '-f', '@@%U %S %M', cmd, ...args] : [cmd, ...args];
	const t0 = performance.now();
	const r = spawnSync(full[0], full.slice(1), { cwd, input, encoding: 'utf8', maxBuffer: 1 << 30 });
	const wallMs = performance.now() - t0;
	if (r.status !== 0 && !(cmd === 'git' && r.status === 1)) {
		throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
	}
	const m = /@@([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
	return { wallMs, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, rssMB: m ? Number(m[3]) / 1024 : NaN };
}

function median(xs: readonly number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

/** Median wall, CPU and memory of RUNS runs after one warm-up; `prepare` runs before each (untimed). */
function measure(cmd: string, args: readonly string[], cwd: string, prepare?: () => void): Run {
	prepare?.();
	runOnce(cmd, args, cwd);
	const runs: Run[] = [];
	for (let i = 0; i < RUNS; i++) {
		prepare?.();
		runs.push(runOnce(cmd, args, cwd));
	}
	return { wallMs: median(runs.map((r) => r.wallMs)), cpuMs: median(runs.map((r) => r.cpuMs)), rssMB: median(runs.map((r) => r.rssMB)) };
}

const ms = (n: number): string => (Number.isNaN(n) ? '–' : `${n >= 100 ? n.toFixed(0) : n.toFixed(1)} ms`);

const WORDS = ('De Amerikaanse president heeft aangekondigd dat de Verenigde Staten meer wapens naar Oekraïne zullen sturen ' +
	'om het land te helpen zich te verdedigen tegen Russische aanvallen. Maandag sprak minister Brekelmans in Den Haag met de NAVO').split(' ');

function articleText(random: () => number, chars: number): string {
	let t = ` date 2025-0${1 + Math.floor(random() * 9)} `;
	while (t.length < chars) {
		t += WORDS[Math.floor(random() * WORDS.length)] + (random() < 0.03 ? '.\n\n' : ' ');
	}
	return t.trimEnd() + '.\n';
}

/** `count` annotations of 1–3 words spread over the text, ids from `prefix`. */
function annotationsFor(text: string, count: number, random: () => number, prefix: string): Annotation[] {
	const prepared = prepareText(text);
	const words = [...text.matchAll(/\p{L}+/gu)].filter((m) => m.index > 14);
	return Array.from({ length: count }, (_, i) => {
		const w = Math.floor(((i + random()) / count) * (words.length - 3));
		const last = words[w + Math.floor(random() * 3)];
		return {
			id: `${prefix}${i.toString(36).padStart(5, '0')}`,
			label: ['claim', 'event', 'attribution', 'framing'][i % 4],
			...makeSelector(prepared, editorOffset(words[w].index), editorOffset(last.index + last[0].length)),
			author: 'Analist',
			created: '2026-11-23T18:00:00Z',
			modified: '2026-11-23T18:00:00Z',
		};
	});
}

function sidecarOf(name: string, text: string, anns: readonly Annotation[]): string {
	const doc = createSidecar({ article: name, date: text.slice(6, 13), textHash: hashArticleText(text) });
	doc.addAll(anns);
	return serializeIfChanged('', doc)!;
}

/** JSON lines of `count` annotations spread over the text (what `annotate --from` reads). */
function jsonLines(text: string, count: number, random: () => number): string {
	const cps = [...text.replace(/\r\n/g, '\n')].length;
	return Array.from({ length: count }, () => {
		const start = 14 + Math.floor(random() * (cps - 30));
		return JSON.stringify({ start, end: start + 1 + Math.floor(random() * 12), label: 'claim', note: 'bulk' });
	}).join('\n') + '\n';
}

function annotateFromBench(work: string, floor: Run, say: (msg: string) => void): ScaleRow[] {
	const rows: ScaleRow[] = [];
	const random = seededRandom(17);
	const dir = path.join(work, 'annotate');
	fs.mkdirSync(dir, { recursive: true });
	// Long enough for 20,000 distinct spans.
	const text = articleText(random, 400_000);
	const article = path.join(dir, 'a.txt');
	const sidecar = path.join(dir, 'a.ann.yaml');
	fs.writeFileSync(article, text);
	const one = path.join(dir, 'one.jsonl');
	const thousand = path.join(dir, 'thousand.jsonl');
	const tenThousand = path.join(dir, 'ten-thousand.jsonl');
	fs.writeFileSync(one, jsonLines(text, 1, random));
	fs.writeFileSync(thousand, jsonLines(text, 1000, random));
	fs.writeFileSync(tenThousand, jsonLines(text, 10_000, random));
	const group = 'Bulk annotation (annotate --from, issue 17)';
	const growth: string[] = [];
	for (const size of [10, 100, 1000, 10_000]) {
		say(`annotate --from into a sidecar of ${size}…`);
		const base = sidecarOf('a.txt', text, annotationsFor(text, size, random, 'b'));
		const reset = (): void => fs.writeFileSync(sidecar, base);
		const add1 = measure('node', [CLI, 'annotate', 'a.txt', '--from', one, '--author', 'Bench'], dir, reset);
		const add1000 = measure('node', [CLI, 'annotate', 'a.txt', '--from', thousand, '--author', 'Bench'], dir, reset);
		const flag = measure('node', [CLI, 'annotate', 'a.txt', '--start', '20', '--end', '30', '--label', 'claim', '--author', 'Bench'], dir, reset);
		const perAnnotation = (add1000.cpuMs - add1.cpuMs) / 999;
		growth.push(`${size} | ${ms(add1.wallMs)} | ${ms(add1000.wallMs)} | ${perAnnotation.toFixed(3)} ms | ${ms(flag.wallMs)} (${ms(flag.cpuMs)} CPU)`);
		rows.push({
			group,
			name: `--from: 1,000 annotations into a sidecar of ${size.toLocaleString('en')}`,
			value: add1000.wallMs,
			unit: 'ms',
			floor: floor.wallMs,
			floorWhat: '`corpus-annotator --help` (Node start, bundle load)',
			note: `CPU ${ms(add1000.cpuMs)}; adding 1: ${ms(add1.wallMs)} (CPU ${ms(add1.cpuMs)}); per added annotation (CPU, 1,000 minus 1, ÷ 999) ${perAnnotation.toFixed(3)} ms; one-by-one \`annotate\` at this size ${ms(flag.wallMs)} (CPU ${ms(flag.cpuMs)}) per call`,
		});
	}
	say('annotate --from: 10,000 into an empty sidecar…');
	const big = measure('node', [CLI, 'annotate', 'a.txt', '--from', tenThousand, '--author', 'Bench'], dir, () => fs.rmSync(sidecar, { force: true }));
	rows.push({
		group,
		name: '--from: 10,000 annotations into an empty sidecar',
		value: big.wallMs,
		unit: 'ms',
		floor: floor.wallMs,
		floorWhat: '`corpus-annotator --help` (Node start, bundle load)',
		budget: { text: '< 3 s', pass: big.wallMs < 3000 },
		note: `CPU ${ms(big.cpuMs)}, peak RSS ${big.rssMB.toFixed(0)} MB. Growth (sidecar size | add 1 | add 1,000 | CPU per added annotation | one \`annotate\` call): ${growth.join('; ')}`,
	});
	return rows;
}

function git(cwd: string, ...args: string[]): void {
	execFileSync('git', args, { cwd, stdio: 'ignore' });
}

function diffBench(work: string, floor: Run, say: (msg: string) => void): ScaleRow[] {
	const rows: ScaleRow[] = [];
	const ARTICLES = 1001;
	const dir = path.join(work, 'diff');
	fs.mkdirSync(dir, { recursive: true });
	say(`diff: writing ${ARTICLES} articles × 100 annotations and committing…`);
	const random = seededRandom(5);
	const sidecars: { file: string; text: string }[] = [];
	for (let i = 0; i < ARTICLES; i++) {
		const name = `${String(i).padStart(4, '0')}_art.txt`;
		const sub = path.join(dir, `${2020 + (i % 5)}`);
		fs.mkdirSync(sub, { recursive: true });
		const text = articleText(random, 3000);
		fs.writeFileSync(path.join(sub, name), text);
		const side = sidecarOf(name, text, annotationsFor(text, 100, random, 'a'));
		const file = path.join(sub, name.replace(/\.txt$/, '.ann.yaml'));
		fs.writeFileSync(file, side);
		sidecars.push({ file, text: side });
	}
	git(dir, 'init', '-q', '-b', 'main');
	git(dir, 'config', 'user.name', 'Bench');
	git(dir, 'config', 'user.email', 'bench@example.org');
	git(dir, 'config', 'commit.gpgsign', 'false');
	git(dir, 'add', '-A');
	git(dir, 'commit', '-q', '-m', 'corpus');
	/** The first `changed` sidecars with 3 relabelled and one removed annotation; the rest as committed. */
	const changeFirst = (changed: number): void => {
		sidecars.forEach((s, i) => {
			if (i >= changed) {
				fs.writeFileSync(s.file, s.text);
				return;
			}
			const parsed = parseSidecar(s.text);
			if (!parsed.ok) {
				throw new Error(`${s.file}: ${parsed.errors[0].message}`);
			}
			const ids = parsed.doc.data.annotations.map((a) => a.id);
			for (const id of ids.slice(10, 13)) {
				parsed.doc.update(id, { label: 'framing' });
			}
			parsed.doc.remove(ids[50]);
			fs.writeFileSync(s.file, serializeIfChanged(s.text, parsed.doc)!);
		});
		// Fresh stat data, so `git diff` and the command see the same index.
		git(dir, 'update-index', '-q', '--refresh');
	};
	for (const changed of [10, 100, 1000]) {
		say(`diff --json with ${changed} of ${ARTICLES} sidecars changed…`);
		changeFirst(changed);
		const ours = measure('node', [CLI, 'diff', '--json'], dir);
		const gitDiff = measure('git', ['diff'], dir);
		rows.push({
			group: 'Review at git speed (diff, issue 17)',
			name: `diff --json: 1,001 articles × 100 annotations, ${changed.toLocaleString('en')} sidecars changed`,
			value: ours.wallMs,
			unit: 'ms',
			floor: gitDiff.wallMs,
			floorWhat: '`git diff` of the same working tree',
			budget: changed === 100 ? { text: '≤ 5× the floor', pass: ours.wallMs <= 5 * gitDiff.wallMs } : undefined,
			note: `CPU ${ms(ours.cpuMs)} vs ${ms(gitDiff.cpuMs)}; peak RSS ${ours.rssMB.toFixed(0)} MB vs ${gitDiff.rssMB.toFixed(0)} MB; \`corpus-annotator --help\` alone ${ms(floor.wallMs)}`,
		});
	}
	changeFirst(0);
	return rows;
}

/** CLI start-up: `--help` (Node start, loading the bundle, no work) beside a bare Node start. */
function helpRow(help: Run): ScaleRow {
	const bare = measure('node', ['-e', '0'], os.tmpdir());
	return {
		group: 'Review at git speed (diff, issue 17)',
		name: '`corpus-annotator --help` (CLI start-up)',
		value: help.wallMs,
		unit: 'ms',
		floor: bare.wallMs,
		floorWhat: '`node -e 0`',
		note: `CPU ${ms(help.cpuMs)} vs ${ms(bare.cpuMs)}; peak RSS ${help.rssMB.toFixed(0)} MB vs ${bare.rssMB.toFixed(0)} MB`,
	};
}

/** The floor of `check`: read every sidecar and its article, parse the YAML; no checks. */
const CHECK_FLOOR = `
const fs = require('fs'), path = require('path'), { parse } = require(process.argv[2]);
let n = 0;
const walk = (dir) => {
	for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
		const full = path.join(dir, e.name);
		if (e.isDirectory()) walk(full);
		else if (e.name.endsWith('.ann.yaml')) {
			parse(fs.readFileSync(full, 'utf8'));
			fs.readFileSync(full.slice(0, -'.ann.yaml'.length) + '.txt', 'utf8');
			n++;
		}
	}
};
walk(process.argv[3]);
if (n === 0) process.exit(3);
`;

function checkBench(work: string, say: (msg: string) => void): ScaleRow[] {
	const rows: ScaleRow[] = [];
	const random = seededRandom(23);
	const floorScript = path.join(work, 'check-floor.js');
	fs.writeFileSync(floorScript, CHECK_FLOOR);
	const yamlLib = path.join(ROOT, 'node_modules', 'yaml');
	const growth: string[] = [];
	let written = 0;
	const dir = path.join(work, 'check');
	for (const count of [1000, 10_000]) {
		say(`check: writing ${count.toLocaleString('en')} articles × 10 annotations…`);
		for (; written < count; written++) {
			const sub = path.join(dir, `${2020 + (written % 5)}`, String(Math.floor(written / 1000)).padStart(2, '0'));
			fs.mkdirSync(sub, { recursive: true });
			const name = `${String(written).padStart(5, '0')}_art.txt`;
			const text = articleText(random, 2000);
			fs.writeFileSync(path.join(sub, name), text);
			fs.writeFileSync(path.join(sub, name.replace(/\.txt$/, '.ann.yaml')), sidecarOf(name, text, annotationsFor(text, 10, random, 'c')));
		}
		say(`check on ${count.toLocaleString('en')} sidecars: floor, --jobs 1, default --jobs…`);
		const floor = measure('node', [floorScript, yamlLib, dir], work);
		const one = measure('node', [CLI, 'check', dir, '--jobs', '1'], work);
		const all = measure('node', [CLI, 'check', dir], work);
		growth.push(`${count.toLocaleString('en')}: floor ${ms(floor.wallMs)}, --jobs 1 ${ms(one.wallMs)} (${(one.wallMs / floor.wallMs).toFixed(2)}×), default ${ms(all.wallMs)} (${(all.wallMs / floor.wallMs).toFixed(2)}×)`);
		for (const [jobs, run] of [['1', one], [`default (${os.availableParallelism()})`, all]] as const) {
			rows.push({
				group: 'check near its floor (issue 17)',
				name: `check --jobs ${jobs}: ${count.toLocaleString('en')} sidecars × 10 annotations`,
				value: run.wallMs,
				unit: 'ms',
				floor: floor.wallMs,
				floorWhat: 'read every sidecar and its article, parse the YAML (one Node process)',
				budget: count === 10_000 ? { text: '≤ 1.5× the floor', pass: run.wallMs <= 1.5 * floor.wallMs } : undefined,
				note: `CPU ${ms(run.cpuMs)} vs ${ms(floor.cpuMs)}; peak RSS ${run.rssMB.toFixed(0)} MB vs ${floor.rssMB.toFixed(0)} MB${count === 10_000 ? `; growth: ${growth.join('; ')}` : ''}`,
			});
		}
	}
	return rows;
}

function entitiesBench(work: string, say: (msg: string) => void): ScaleRow[] {
	const random = seededRandom(9);
	const rows: ScaleRow[] = [];
	// 400 articles: 1.2 MB together, over the 1 MiB from which one file is streamed in chunks. 2,000:
	// enough work that the fixed cost of a run (Node, the bundle, each thread loading the model) no
	// longer hides the speed-up; the budget is judged there.
	const COUNTS = (process.env.SCALE_ENTITIES_COUNTS ?? '400,2000').split(',').map(Number);
	const growth: string[] = [];
	for (const count of COUNTS) {
		const dir = path.join(work, `entities-${count}`);
		fs.mkdirSync(dir, { recursive: true });
		for (let i = 0; i < count; i++) {
			fs.writeFileSync(path.join(dir, `${String(i).padStart(4, '0')}.txt`), articleText(random, 3000));
		}
		say(`entities --jsonl on ${count} articles, --jobs 1 and 2…`);
		const one = measure('node', [CLI, 'entities', dir, '--jsonl', '--jobs', '1'], work);
		const two = measure('node', [CLI, 'entities', dir, '--jsonl', '--jobs', '2'], work);
		const speedup = one.wallMs / two.wallMs;
		growth.push(`${count.toLocaleString('en')} articles: --jobs 1 ${ms(one.wallMs)}, --jobs 2 ${ms(two.wallMs)} (${speedup.toFixed(2)}×)`);
		const last = count === COUNTS[COUNTS.length - 1];
		if (count === COUNTS[0]) {
			// The same text as one file (articles one after another, a blank line between): tagged in paragraph chunks as it is read.
			const bigFile = path.join(work, 'one-big-file.txt');
			fs.writeFileSync(bigFile, fs.readdirSync(dir).sort().map((n) => fs.readFileSync(path.join(dir, n), 'utf8')).join('\n\n'));
			say(`entities --jsonl on the same text as one ${(fs.statSync(bigFile).size / 1e6).toFixed(1)} MB file…`);
			const big = measure('node', [CLI, 'entities', bigFile, '--jsonl', '--jobs', '1'], work);
			rows.push({
				group: 'Bulk tagging (entities --jsonl, issue 17)',
				name: `entities --jsonl: the same ${count} articles as one ${(fs.statSync(bigFile).size / 1e6).toFixed(1)} MB file (streamed in paragraph chunks)`,
				value: big.wallMs,
				unit: 'ms',
				floor: one.wallMs,
				floorWhat: `the ${count} files, \`--jobs 1\``,
				note: `peak RSS ${big.rssMB.toFixed(0)} MB vs ${one.rssMB.toFixed(0)} MB for the ${count} files`,
			});
		}
		rows.push({
			group: 'Bulk tagging (entities --jsonl, issue 17)',
			name: `entities --jsonl --jobs 2: ${count.toLocaleString('en')} articles of 3 KB`,
			value: two.wallMs,
			unit: 'ms',
			floor: one.wallMs,
			floorWhat: 'the same with `--jobs 1` (one thread)',
			budget: last ? { text: '≥ 1.8× faster than --jobs 1', pass: speedup >= 1.8 } : undefined,
			note: `speed-up ${speedup.toFixed(2)}× on ${os.availableParallelism()} cores; peak RSS ${two.rssMB.toFixed(0)} MB vs ${one.rssMB.toFixed(0)} MB${last ? `; growth: ${growth.join('; ')}` : ''}`,
		});
	}
	return rows;
}

/** Every figure of this file; `say` reports progress. */
export function runScaleBench(say: (msg: string) => void): ScaleRow[] {
	if (!fs.existsSync(CLI)) {
		throw new Error(`${CLI} is missing: build first (node esbuild.config.mjs)`);
	}
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-scale-bench-'));
	try {
		if (process.env.SCALE_ONLY === 'check') {
			return checkBench(work, say);
		}
		if (process.env.SCALE_ONLY === 'entities') {
			return entitiesBench(work, say); // its floor is its own `--jobs 1` run, not `--help`
		}
		const floor = measure('node', [CLI, '--help'], work);
		if (process.env.SCALE_ONLY === 'diff') {
			return [helpRow(floor), ...diffBench(work, floor, say)];
		}
		return [...checkBench(work, say), ...annotateFromBench(work, floor, say), ...diffBench(work, floor, say), ...entitiesBench(work, say)];
	} finally {
		if (process.env.KEEP !== '1') {
			fs.rmSync(work, { recursive: true, force: true });
		}
	}
}

if (require.main === module) {
	const started = Date.now();
	const say = (msg: string): void => console.log(`[scale ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}`);
	say(`load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
	const rows = runScaleBench(say);
	console.log('\n| What | Figure | Floor | Ratio | Budget | Notes |\n|---|---:|---:|---:|---|---|');
	for (const r of rows) {
		const ratio = r.floor ? `${(r.value / r.floor).toFixed(2)}×` : '–';
		console.log(`| ${r.name} | ${ms(r.value)} | ${r.floor === undefined ? '–' : `${ms(r.floor)}<br><sub>${r.floorWhat}</sub>`} | ${ratio} | ${r.budget ? `${r.budget.text} ${r.budget.pass ? '✅' : '❌'}` : ''} | ${r.note ?? ''} |`);
	}
	say(`done; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}
