/**
 * Benchmark of `corpus-annotator agree` (issue 15: 10,000 articles with 20 annotations per side
 * in under 10 s). Builds a git repository in a temporary folder: `main` with the articles, and
 * branches `alice` and `bob` whose sidecars disagree in known proportions (relabelled, moved
 * boundaries, dropped, added spans; 1% of bob's articles edited, so both sides are carried over
 * to the working tree's text). Then times `node dist/cli.js agree --a alice --b bob --json`
 * beside its floor: one `git cat-file --batch` reading the same blobs the command reads.
 *
 *   npm run bench:agree            # ARTICLES=1000 for a quick run; KEEP=1 keeps the repository
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makeSelector } from '../src/core/annotations/anchoring';
import { editorOffset } from '../src/core/annotations/offsets';
import { hashArticleText } from '../src/core/annotations/textHash';
import type { Annotation } from '../src/core/annotations/model';
import { createSidecar, serializeIfChanged } from '../src/core/annotations/sidecarCodec';
import { seededRandom } from '../src/core/util/seededRandom';

const ARTICLES = Number(process.env.ARTICLES ?? 10_000);
const PER_SIDE = 20;
const RUNS = 3;
const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

const WORDS = ('De Amerikaanse president Donald Trump heeft aangekondigd dat de Verenigde Staten meer wapens naar ' +
	'Oekraïne zullen sturen om het door oorlog getroffen land te helpen zich te verdedigen tegen Russische aanvallen ' +
	'Maandag sprak Trump met journalisten in het Witte Huis en verklaarde dat Oekraïne zwaar wordt getroffen').split(' ');
const LABELS = ['claim', 'attribution', 'event', 'framing'];

function article(r: () => number): string {
	const parts = [` date 2025-0${1 + Math.floor(r() * 9)} `];
	let size = parts[0].length;
	while (size < 3000) {
		const w = WORDS[Math.floor(r() * WORDS.length)] + (r() < 0.04 ? '.\n\n' : ' ');
		parts.push(w);
		size += w.length;
	}
	return parts.join('').trimEnd() + '.';
}

/** Word-aligned spans: 20 spans of 1–4 words, in order, not overlapping. */
function spans(text: string, r: () => number, n: number): { start: number; end: number }[] {
	const words = [...text.matchAll(/[^\s.]+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
	const step = Math.floor(words.length / n);
	const out: { start: number; end: number }[] = [];
	for (let i = 0; i < n; i++) {
		const first = i * step + Math.floor(r() * (step - 4));
		const last = first + Math.floor(r() * 4);
		out.push({ start: words[first].start, end: words[last].end });
	}
	return out;
}

const NOT_PLAIN = /^[\s\-?:,[\]{}#&*!|>'"%@`]|[\n\t]|: | #|[: ]$|^(?:~|null|true|false|[-+]?[0-9.]+(?:e[-+]?[0-9]+)?)$/i;

/** What the codec prints for these strings (checked against the codec on the first sidecars). */
function scalar(s: string): string {
	return NOT_PLAIN.test(s) ? JSON.stringify(s) : s;
}

function sidecarText(name: string, text: string, annotations: readonly Annotation[]): string {
	const lines = [
		`# Annotations for ${name} — written by Corpus Annotator. Comments are kept; key order is managed.`, '',
		'version: 1', `article: ${name}`, `date: ${text.slice(6, 13)}`, `textHash: ${hashArticleText(text)}`, 'annotations:',
	];
	for (const a of annotations) {
		lines.push(`  - id: ${a.id}`, `    label: ${a.label}`, `    start: ${a.start}`, `    end: ${a.end}`, `    quote: ${scalar(a.quote)}`,
			`    prefix: ${scalar(a.prefix)}`, `    suffix: ${scalar(a.suffix)}`, `    author: ${a.author!}`, `    created: ${a.created!}`);
	}
	return lines.join('\n') + '\n';
}

function viaCodec(name: string, text: string, annotations: readonly Annotation[]): string {
	const doc = createSidecar({ article: name, date: text.slice(6, 13), textHash: hashArticleText(text) });
	for (const a of annotations) {
		doc.add(a);
	}
	return serializeIfChanged('', doc)!;
}

function annotation(text: string, id: string, label: string, s: { start: number; end: number }, author: string): Annotation {
	return { id, label, ...makeSelector(text, editorOffset(s.start), editorOffset(s.end)), author, created: '2026-12-01T10:00:00Z' };
}

function build(dir: string): void {
	const r = seededRandom(15);
	const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
	git('init', '-q', '-b', 'main');
	git('config', 'user.name', 'Bench');
	git('config', 'user.email', 'bench@example.org');
	git('config', 'commit.gpgsign', 'false');
	const texts: string[] = [];
	const names: string[] = [];
	for (let i = 0; i < ARTICLES; i++) {
		const folder = `y${2020 + (i % 5)}`;
		const name = `${String(i).padStart(5, '0')}_${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}.txt`;
		fs.mkdirSync(path.join(dir, folder), { recursive: true });
		texts.push(article(r));
		names.push(`${folder}/${name}`);
		fs.writeFileSync(path.join(dir, folder, name), texts[i]);
	}
	git('add', '-A');
	git('commit', '-q', '-m', 'articles');
	const checked = { codec: 0 };
	const writeSidecar = (i: number, text: string, anns: Annotation[]): void => {
		const name = path.posix.basename(names[i]);
		const out = sidecarText(name, text, anns);
		if (checked.codec < 30) {
			const expected = viaCodec(name, text, anns);
			if (out !== expected) {
				throw new Error(`the bench writes sidecars unlike the codec:\n${out}\n---\n${expected}`);
			}
			checked.codec++;
		}
		fs.writeFileSync(path.join(dir, names[i].replace(/\.txt$/, '.ann.yaml')), out);
	};
	const alice: { label: string; start: number; end: number }[][] = [];
	git('checkout', '-q', '-b', 'alice');
	for (let i = 0; i < ARTICLES; i++) {
		alice.push(spans(texts[i], r, PER_SIDE).map((s) => ({ ...s, label: LABELS[Math.floor(r() * LABELS.length)] })));
		writeSidecar(i, texts[i], alice[i].map((s, k) => annotation(texts[i], `a${k}`, s.label, s, 'alice')));
	}
	git('add', '-A');
	git('commit', '-q', '-m', 'alice');
	git('checkout', '-q', '-b', 'bob', 'main');
	for (let i = 0; i < ARTICLES; i++) {
		// 1% of bob's articles have an extra sentence at the start: both sides are carried over to main's text.
		const edited = r() < 0.01;
		const insert = edited ? 'Een ingevoegde zin van Bob. ' : '';
		const text = edited ? texts[i].slice(0, 14) + insert + texts[i].slice(14) : texts[i];
		if (edited) {
			fs.writeFileSync(path.join(dir, names[i]), text);
		}
		const shift = edited ? insert.length : 0;
		const anns: Annotation[] = [];
		alice[i].forEach((s, k) => {
			const roll = r();
			if (roll < 0.05) {
				return; // dropped
			}
			const label = roll < 0.15 ? LABELS[(LABELS.indexOf(s.label) + 1) % LABELS.length] : s.label;
			const moved = roll >= 0.15 && roll < 0.25;
			const end = moved ? Math.min(texts[i].length, s.end + 1 + Math.floor(r() * 5)) : s.end;
			anns.push(annotation(text, `b${k}`, label, { start: s.start + shift, end: end + shift }, 'bob'));
		});
		writeSidecar(i, text, anns.sort((x, y) => x.start - y.start || x.end - y.end));
	}
	git('add', '-A');
	git('commit', '-q', '-m', 'bob');
	git('checkout', '-q', 'main');
}

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

function wall(fn: () => void): number {
	const t0 = performance.now();
	fn();
	return performance.now() - t0;
}

/** GNU time, when installed: CPU seconds (user + system, children included) of a command, the steadier figure on a shared machine. */
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs `command args` (with `input`), throwing on failure; returns stdout and the CPU ms GNU time reports, if any. */
function run(command: string, args: string[], cwd: string, input?: string): { stdout: string; cpuMs?: number } {
	const r = TIME
		? spawnSync(TIME, ['-f', '__cpu %U %S', command, ...args], { cwd, input, encoding: 'utf8', maxBuffer: 1 << 30 })
		: spawnSync(command, args, { cwd, input, encoding: 'utf8', maxBuffer: 1 << 30 });
	if (r.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
	}
	const m = /__cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
	return { stdout: r.stdout, cpuMs: m ? Math.round((Number(m[1]) + Number(m[2])) * 1000) : undefined };
}

/** The blobs `agree` reads: both sides' sidecars and articles, an article shared by both once. */
function blobList(dir: string): string {
	const tree = (ref: string): Map<string, string> => {
		const out = execFileSync('git', ['ls-tree', '-r', '-z', ref, '--', '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
		return new Map(out.split('\0').filter((x) => x).map((rec) => [rec.slice(rec.indexOf('\t') + 1), rec.split(' ')[2].split('\t')[0]]));
	};
	const a = tree('alice');
	const b = tree('bob');
	const oids: string[] = [];
	for (const [file, oid] of a) {
		if (file.endsWith('.ann.yaml')) {
			const txt = file.replace(/\.ann\.yaml$/, '.txt');
			oids.push(oid, b.get(file)!, a.get(txt)!);
			if (b.get(txt) !== a.get(txt)) {
				oids.push(b.get(txt)!);
			}
		}
	}
	return oids.join('\n') + '\n';
}

function main(): void {
	if (!fs.existsSync(CLI)) {
		throw new Error(`${CLI} is missing: run node esbuild.config.mjs first`);
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agree-bench-'));
	try {
		const built = wall(() => build(dir));
		const loadBefore = os.loadavg();
		const agree: number[] = [];
		const agreeCpu: (number | undefined)[] = [];
		let output = '';
		for (let i = 0; i < RUNS; i++) {
			agree.push(wall(() => {
				const r = run(process.execPath, [CLI, 'agree', '--a', 'alice', '--b', 'bob', '--json'], dir);
				output = r.stdout;
				agreeCpu.push(r.cpuMs);
			}));
		}
		const list = blobList(dir);
		const floor: number[] = [];
		const floorCpu: (number | undefined)[] = [];
		for (let i = 0; i < RUNS; i++) {
			floor.push(wall(() => floorCpu.push(run('git', ['cat-file', '--batch'], dir, list).cpuMs)));
		}
		const report = JSON.parse(output) as { overall: Record<string, number>; articles: unknown[]; orphans: unknown[] };
		const result = {
			articles: ARTICLES, annotationsPerSide: PER_SIDE, blobs: list.split('\n').length - 1,
			agreeMs: agree.map(Math.round), agreeMedianMs: Math.round(median(agree)),
			floorMs: floor.map(Math.round), floorMedianMs: Math.round(median(floor)),
			agreeCpuMs: agreeCpu, floorCpuMs: floorCpu,
			ratio: Math.round((median(agree) / median(floor)) * 100) / 100,
			buildRepoMs: Math.round(built), loadBefore: loadBefore.map((l) => Math.round(l * 100) / 100), loadAfter: os.loadavg().map((l) => Math.round(l * 100) / 100),
			overall: report.overall, compared: report.articles.length, orphans: report.orphans.length, node: process.version, cpus: os.cpus().length,
		};
		console.log(JSON.stringify(result, null, 2));
		if (process.env.KEEP) {
			console.log(`repository kept: ${dir}`);
		}
	} finally {
		if (!process.env.KEEP) {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	}
}

main();
