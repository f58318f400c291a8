/**
 * Corpus index benchmark: `npm run compile-tests && node --expose-gc out/bench/indexBench.js [sizes…]`.
 *
 * Generates synthetic corpora from the sample corpus (varied dates, a few malformed files, some
 * sidecars, a few non-article .txt) under os.tmpdir()/corpus-bench-N (reused when present), then
 * measures the shared core indexer with the command line's Node file system:
 * - first batch: the tree could show its first years;
 * - headers: every header read, so the set of years is final (the top level is complete);
 * - full: sidecar counts included;
 * - heap: peak and retained extra heap (`--expose-gc` for exact figures);
 * - change: re-indexing one edited file and updating the index;
 * - all years seen: the batch after which every year is in the index (the top level stops changing);
 * - floor: listing the same folders and reading the first 256 bytes of every .txt with plain async `fs`;
 * - sync floor: the same files with synchronous open, fstat, read (1 KB), close — what the indexer
 *   does on a local disk, so the fairer floor for it (no summaries, no index).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { looksLikeArticle } from '../src/core/article/articleParser';
import { CorpusIndex, parseFilter, withEntryFields } from '../src/core/corpus/corpusIndex';
import { indexArticleFile, indexCorpus } from '../src/core/corpus/corpusIndexer';
import { decodeIndexSnapshot, encodeIndexSnapshot } from '../src/core/corpus/indexSnapshot';
import { NodeCorpusFileSystem } from '../src/node/nodeCorpusFileSystem';

export interface IndexBenchResult {
	readonly size: number;
	readonly files: number;
	readonly articles: number;
	readonly firstBatchMs: number;
	readonly yearsSeenMs: number;
	readonly headersMs: number;
	readonly fullMs: number;
	readonly peakHeapMB: number;
	readonly retainedHeapMB: number;
	readonly changeMs: number;
	readonly floorMs: number;
	readonly syncFloorMs: number;
	readonly ratio: number;
	/** The next session: the snapshot's size, read + decode + into a CorpusIndex with its years. */
	readonly snapshotMB: number;
	readonly restoreMs: number;
	/** CPU of the process (every thread, GC included) during the restore: steadier than wall time on a loaded machine. */
	readonly restoreCpuMs: number;
	/** Floors: reading the snapshot's bytes alone; reading and `JSON.parse` of the same index as one JSON text (`jsonMB`). */
	readonly restoreReadMs: number;
	readonly restoreFloorMs: number;
	readonly restoreFloorCpuMs: number;
	readonly jsonMB: number;
	/**
	 * Heap + array buffers the restored index holds after a GC, and right after the restore
	 * (garbage included: the peak); what the parsed JSON alone holds.
	 */
	readonly restoredMB: number;
	readonly restorePeakMB: number;
	readonly jsonHeldMB: number;
	/** Titles of the first month's articles from the restored index (decoded from the leads on demand). */
	readonly monthArticles: number;
	readonly monthLabelsMs: number;
	/** A text filter over every lead: restored (decoded on demand) and freshly indexed (strings). */
	readonly restoredFilterMs: number;
	readonly freshFilterMs: number;
	/** The background check after the restore: walk + stat every file, only the one edited above re-read. */
	readonly recheckMs: number;
}

const BENCH_VERSION = '1';
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

function templates(): string[] {
	const found: string[] = [];
	const walk = (dir: string): void => {
		if (!fs.existsSync(dir)) {
			return;
		}
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) {
				walk(full);
			} else if (entry.name.endsWith('.txt')) {
				const text = fs.readFileSync(full, 'utf8');
				if (looksLikeArticle(text) && /^\s*date \d{4}-(0[1-9]|1[0-2]) /.test(text)) {
					found.push(text.replace(/^\uFEFF?\s*date \S+ /, ''));
				}
			}
		}
	};
	walk(path.join(PROJECT_ROOT, 'sample-corpus'));
	if (found.length === 0) {
		walk(path.join(PROJECT_ROOT, 'test', 'fixtures', 'workspace'));
	}
	if (found.length === 0) {
		throw new Error('no template articles in sample-corpus/ or test/fixtures/workspace/');
	}
	return found;
}

/** Creates (or reuses) os.tmpdir()/corpus-bench-N; returns the folder and the path of one article to edit. */
export function generateCorpus(size: number): { dir: string; files: number; probe: string } {
	const dir = path.join(os.tmpdir(), `corpus-bench-${size}`);
	const marker = path.join(dir, '.bench');
	const probe = '2022/000/000_0000000000000000.txt';
	if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === `${BENCH_VERSION}:${size}`) {
		return { dir, files: Number(fs.readFileSync(path.join(dir, '.files'), 'utf8')), probe };
	}
	fs.rmSync(dir, { recursive: true, force: true });
	const bodies = templates();
	let files = 0;
	const made = new Set<string>();
	for (let i = 0; i < size; i++) {
		const year = 2022 + (i % 4);
		const month = 1 + ((i * 7) % 12);
		const folder = path.join(dir, String(year), String(Math.floor(i / 1000)).padStart(3, '0'));
		if (!made.has(folder)) {
			fs.mkdirSync(folder, { recursive: true });
			made.add(folder);
		}
		const name = `${String(i % 1000).padStart(3, '0')}_${i.toString(16).padStart(16, '0')}`;
		const body = bodies[i % bodies.length];
		let content: string | Buffer = ` date ${year}-${String(month).padStart(2, '0')} ${body}`;
		if (i % 97 === 13) {
			// Malformed, in turn: impossible month, short year, empty, Latin-1.
			const kind = Math.floor(i / 97) % 4;
			content =
				kind === 0
					? ` date ${year}-13 ${body}`
					: kind === 1
						? ` date ${String(year).slice(2)}-07 ${body}`
						: kind === 2
							? ''
							: Buffer.from(` date ${year}-05 Caf\u00e9 ${body.slice(0, 200)}`, 'latin1');
		}
		fs.writeFileSync(path.join(folder, `${name}.txt`), content);
		files++;
		if (i % 10 === 0) {
			const annotations = [0, 1, 2]
				.map((n) => `  - id: a${n}\n    label: ${n === 0 ? 'person' : 'place'}\n    start: ${n * 10}\n    end: ${n * 10 + 5}\n    quote: woord\n    entity: Entiteit ${n}\n`)
				.join('');
			fs.writeFileSync(path.join(folder, `${name}.ann.yaml`), `version: 1\narticle: ${name}.txt\nannotations:\n${annotations}`);
			files++;
		}
		if (i % 500 === 250) {
			fs.writeFileSync(path.join(folder, `notes-${i}.txt`), 'Aantekeningen\n\nGeen artikel.');
			files++;
		}
	}
	fs.writeFileSync(path.join(dir, '.files'), String(files));
	fs.writeFileSync(marker, `${BENCH_VERSION}:${size}`);
	return { dir, files, probe };
}

/** Bytes on the JS heap plus array buffers (the restored leads live in one). */
function heapAndBuffers(): number {
	const m = process.memoryUsage();
	return m.heapUsed + m.arrayBuffers;
}

function gc(): void {
	(globalThis as { gc?: () => void }).gc?.();
}

/** Lists every .txt with readdir and reads its first 256 bytes: the least any indexer must do. */
async function floor(dir: string): Promise<number> {
	const start = performance.now();
	const files: string[] = [];
	let level = [dir];
	while (level.length > 0) {
		const next: string[] = [];
		await Promise.all(
			level.map(async (d) => {
				for (const e of await fs.promises.readdir(d, { withFileTypes: true })) {
					const full = path.join(d, e.name);
					if (e.isDirectory()) {
						next.push(full);
					} else if (e.name.endsWith('.txt')) {
						files.push(full);
					}
				}
			}),
		);
		level = next;
	}
	// The cheapest plain-fs way per file (callbacks; FileHandle promises cost about twice as much).
	const readFirstBytes = (file: string): Promise<void> =>
		new Promise((resolve, reject) =>
			fs.open(file, 'r', (error, fd) => {
				if (error) {
					reject(error);
					return;
				}
				fs.read(fd, new Uint8Array(256), 0, 256, 0, () => fs.close(fd, () => resolve()));
			}),
		);
	let i = 0;
	await Promise.all(
		Array.from({ length: 64 }, async () => {
			while (i < files.length) {
				await readFirstBytes(files[i++]);
			}
		}),
	);
	return performance.now() - start;
}

/**
 * The same files with synchronous calls, open → fstat → read 1 KB → close (what the indexer does
 * on a local disk): the floor for an indexer that also records each file's mtime and size.
 */
function syncFloor(dir: string): number {
	const start = performance.now();
	const buffer = new Uint8Array(1024);
	const walk = (d: string): void => {
		for (const e of fs.readdirSync(d, { withFileTypes: true })) {
			const full = path.join(d, e.name);
			if (e.isDirectory()) {
				walk(full);
			} else if (e.name.endsWith('.txt')) {
				const fd = fs.openSync(full, 'r');
				fs.fstatSync(fd);
				fs.readSync(fd, buffer, 0, 1024, 0);
				fs.closeSync(fd);
			}
		}
	};
	walk(dir);
	return performance.now() - start;
}

type ProbeMode = 'restore' | 'read' | 'json';

interface ProbeResult {
	readonly ms: number;
	readonly cpuMs: number;
	readonly peakMB: number;
	readonly heldMB: number;
}

/** Median of three runs (memory figures from the median-time run) of {@link probe} in a child process. */
function probeMedian(mode: ProbeMode, file: string, rootKey: string, expected: number): ProbeResult {
	const runs: ProbeResult[] = [];
	for (let i = 0; i < 3; i++) {
		const child = spawnSync(process.execPath, ['--expose-gc', __filename, '--probe', mode, file, rootKey, String(expected)], { encoding: 'utf8' });
		if (child.status !== 0) {
			throw new Error(`the ${mode} probe failed: ${child.stderr}`);
		}
		runs.push(JSON.parse(child.stdout) as ProbeResult);
	}
	runs.sort((a, b) => a.ms - b.ms);
	return runs[1];
}

/** Heap plus array buffers, after the GC has had the chance to free buffers (their memory is released after the collection). */
async function settledMemory(): Promise<number> {
	for (let i = 0; i < 2; i++) {
		gc();
		await new Promise((resolve) => setImmediate(resolve));
	}
	return heapAndBuffers();
}

/**
 * One restore in this (fresh) process: `restore` reads and decodes the snapshot into a CorpusIndex
 * with its years (what reopening does before the tree shows); `read` only reads the file (the
 * least any restore does); `json` reads and `JSON.parse`s the JSON text of the same index.
 */
async function probe(mode: ProbeMode, file: string, rootKey: string, expected: number): Promise<ProbeResult> {
	const before = await settledMemory();
	const cpu = process.cpuUsage();
	const start = performance.now();
	let held: unknown;
	if (mode === 'restore') {
		const index = new CorpusIndex();
		index.setMany(decodeIndexSnapshot(fs.readFileSync(file), rootKey, (p) => `${rootKey}/${p}`) ?? []);
		index.yearGroups('oldestFirst');
		if (index.size !== expected) {
			throw new Error(`restored ${index.size} of ${expected}`);
		}
		held = index;
	} else if (mode === 'read') {
		held = fs.readFileSync(file);
	} else {
		held = JSON.parse(fs.readFileSync(file, 'utf8'));
	}
	const ms = performance.now() - start;
	const used = process.cpuUsage(cpu);
	const peakMB = (heapAndBuffers() - before) / 1e6;
	const heldMB = ((await settledMemory()) - before) / 1e6;
	if (!held) {
		throw new Error('nothing held');
	}
	return { ms, cpuMs: (used.user + used.system) / 1000, peakMB, heldMB };
}

export async function runIndexBench(sizes = [1000, 10000, 100000]): Promise<IndexBenchResult[]> {
	const results: IndexBenchResult[] = [];
	for (const size of sizes) {
		const { dir, files, probe } = generateCorpus(size);
		const nodeFs = new NodeCorpusFileSystem();
		await floor(dir); // warm the page cache the same way for both
		gc();
		const baseline = process.memoryUsage().heapUsed;
		let peak = baseline;
		const sampler = setInterval(() => {
			peak = Math.max(peak, process.memoryUsage().heapUsed);
		}, 5);
		const index = new CorpusIndex();
		const start = performance.now();
		let firstBatchMs = 0;
		let headersMs = 0;
		/** When the last year first appeared: from then on the top level no longer changes. */
		let yearsSeenMs = 0;
		let yearsSeen = 0;
		const entries = await indexCorpus(nodeFs, dir, {
			onBatch: (batch) => {
				firstBatchMs ||= performance.now() - start;
				index.setMany(batch);
				const years = index.yearGroups('oldestFirst').length;
				if (years !== yearsSeen) {
					yearsSeen = years;
					yearsSeenMs = performance.now() - start;
				}
			},
			onSidecars: (batch) => {
				index.setMany(batch);
			},
			onProgress: (p) => {
				if (p.phase === 'sidecars' && headersMs === 0) {
					headersMs = performance.now() - start;
				}
			},
		});
		index.yearGroups('oldestFirst');
		const fullMs = performance.now() - start;
		clearInterval(sampler);
		peak = Math.max(peak, process.memoryUsage().heapUsed);
		gc();
		const retained = process.memoryUsage().heapUsed - baseline;

		// One edited file: its date changes, the index moves it.
		const probePath = path.join(dir, probe);
		const original = fs.readFileSync(probePath);
		fs.writeFileSync(probePath, original.toString('utf8').replace(/^ date \d{4}-\d{2}/, ' date 2019-01'));
		const changeStart = performance.now();
		const updated = await indexArticleFile(nodeFs, dir, probe, { previous: (id) => index.get(id) });
		const change = updated ? index.set(updated) : index.delete(probe);
		const changeMs = performance.now() - changeStart;
		fs.writeFileSync(probePath, original);
		if (!change.keys.has('year:2019')) {
			throw new Error('the edited article did not move to 2019');
		}

		// The next session: restore from the snapshot, then the check that reads only changed files.
		// Ids as the extension makes them (the folder's URI + the path): they are much of an entry's memory.
		const rootKey = `file:///bench/corpus-${size}`;
		const idFor = (p: string): string => `${rootKey}/${p}`;
		const snapshotFile = path.join(dir, '..', `snapshot-${size}.bin`);
		fs.writeFileSync(snapshotFile, encodeIndexSnapshot(rootKey, [...index.values()].map((e) => withEntryFields(e, { id: idFor(e.path), root: rootKey }))));
		const snapshotMB = fs.statSync(snapshotFile).size / 1e6;
		// The floor's file: the same index as one JSON text (version 1 of the snapshot was this).
		const jsonFile = path.join(dir, '..', `snapshot-${size}.json`);
		fs.writeFileSync(jsonFile, JSON.stringify([...index.values()].map((e) => [e.path, e.size, e.mtime, e.date?.year ?? 0, e.date?.month ?? 0, 0, e.leadExcerpt, e.problem, e.annotationCount, e.labels, e.entities])));
		const jsonMB = fs.statSync(jsonFile).size / 1e6;
		// Each in a process of its own, as a new session starts: no other index on the heap, memory not blurred by this one's garbage.
		const restore = probeMedian('restore', snapshotFile, rootKey, index.size);
		const read = probeMedian('read', snapshotFile, rootKey, index.size);
		const json = probeMedian('json', jsonFile, rootKey, index.size);
		fs.rmSync(jsonFile);

		const restored = new CorpusIndex();
		restored.setMany(decodeIndexSnapshot(fs.readFileSync(snapshotFile), rootKey, idFor) ?? []);
		if (restored.size !== index.size) {
			throw new Error(`the snapshot restored ${restored.size} of ${index.size} entries`);
		}
		// Labels of the biggest month (titles come from the leads on demand), and a text filter that reads every lead.
		const labelsStart = performance.now();
		const biggestMonth = restored.yearGroups('oldestFirst').flatMap((y) => restored.monthGroups(y.year, 'oldestFirst')).reduce((a, b) => (b.count > a.count ? b : a));
		let labelChars = 0;
		for (const e of restored.articles(biggestMonth.year, biggestMonth.month)) {
			labelChars += e.title.length;
		}
		const monthLabelsMs = performance.now() - labelsStart;
		const filterStart = performance.now();
		const filterMatches = restored.setFilter(parseFilter('oekraïne'));
		const restoredFilterMs = performance.now() - filterStart;
		restored.setFilter(undefined);
		const freshFilterStart = performance.now();
		const freshMatches = index.setFilter(parseFilter('oekraïne'));
		const freshFilterMs = performance.now() - freshFilterStart;
		index.setFilter(undefined);
		if (filterMatches !== freshMatches || labelChars === 0) {
			throw new Error(`the restored index filters to ${filterMatches} articles, the fresh one to ${freshMatches}`);
		}
		const recheckStart = performance.now();
		await indexCorpus(nodeFs, dir, { rootKey, idFor, previous: (id) => restored.get(id) });
		const recheckMs = performance.now() - recheckStart;
		fs.rmSync(snapshotFile);

		const floorMs = await floor(dir);
		results.push({
			size,
			files,
			articles: entries.length,
			firstBatchMs,
			yearsSeenMs,
			headersMs,
			fullMs,
			peakHeapMB: (peak - baseline) / 1e6,
			retainedHeapMB: retained / 1e6,
			changeMs,
			floorMs,
			syncFloorMs: syncFloor(dir),
			ratio: fullMs / floorMs,
			snapshotMB,
			restoreMs: restore.ms,
			restoreCpuMs: restore.cpuMs,
			restoreReadMs: read.ms,
			restoreFloorMs: json.ms,
			restoreFloorCpuMs: json.cpuMs,
			jsonMB,
			restoredMB: restore.heldMB,
			restorePeakMB: restore.peakMB,
			jsonHeldMB: json.heldMB,
			monthArticles: biggestMonth.count,
			monthLabelsMs,
			restoredFilterMs,
			freshFilterMs,
			recheckMs,
		});
		entries.length = 0;
	}
	return results;
}

function table(results: readonly IndexBenchResult[]): string {
	const header = ['articles', 'files', 'indexed', 'first batch', 'all years seen', 'years final', 'full index', 'peak heap', 'retained', '1-file change', 'floor (256 B)', 'sync floor', 'ratio', 'snapshot', 'restore', 'read floor', 'JSON floor', 'restored heap', 'per article', 'JSON held', 'biggest month labels', 'filter restored/fresh', 'recheck'];
	const rows = results.map((r) => [
		String(r.size),
		String(r.files),
		String(r.articles),
		`${r.firstBatchMs.toFixed(0)} ms`,
		`${r.yearsSeenMs.toFixed(0)} ms`,
		`${r.headersMs.toFixed(0)} ms`,
		`${r.fullMs.toFixed(0)} ms`,
		`${r.peakHeapMB.toFixed(1)} MB`,
		`${r.retainedHeapMB.toFixed(1)} MB`,
		`${r.changeMs.toFixed(2)} ms`,
		`${r.floorMs.toFixed(0)} ms`,
		`${r.syncFloorMs.toFixed(0)} ms`,
		`${r.ratio.toFixed(2)}×`,
		`${r.snapshotMB.toFixed(1)} MB`,
		`${r.restoreMs.toFixed(0)} ms (CPU ${r.restoreCpuMs.toFixed(0)})`,
		`${r.restoreReadMs.toFixed(0)} ms`,
		`${r.restoreFloorMs.toFixed(0)} ms (CPU ${r.restoreFloorCpuMs.toFixed(0)}, ${r.jsonMB.toFixed(1)} MB)`,
		`${r.restoredMB.toFixed(1)} MB (peak ${r.restorePeakMB.toFixed(1)})`,
		`${((r.restoredMB * 1e6) / r.articles).toFixed(0)} B`,
		`${r.jsonHeldMB.toFixed(1)} MB`,
		`${r.monthLabelsMs.toFixed(1)} ms (${r.monthArticles})`,
		`${r.restoredFilterMs.toFixed(0)}/${r.freshFilterMs.toFixed(0)} ms`,
		`${r.recheckMs.toFixed(0)} ms`,
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ');
	return [line(header), ...rows.map(line)].join('\n');
}

if (require.main === module && process.argv[2] === '--probe') {
	const [mode, file, rootKey, expected] = process.argv.slice(3);
	probe(mode as ProbeMode, file, rootKey, Number(expected)).then(
		(result) => console.log(JSON.stringify(result)),
		(error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		},
	);
} else if (require.main === module) {
	const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
	if (!(globalThis as { gc?: unknown }).gc) {
		console.warn('(run with node --expose-gc for exact heap figures)');
	}
	runIndexBench(sizes.length > 0 ? sizes : undefined).then(
		(results) => console.log(table(results)),
		(error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		},
	);
}
