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
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { looksLikeArticle } from '../src/core/article/articleParser';
import { CorpusIndex } from '../src/core/corpus/corpusIndex';
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
	/** The next session: the snapshot's size, read + decode + into a CorpusIndex with its years, and the floor (read + JSON.parse alone). */
	readonly snapshotMB: number;
	readonly restoreMs: number;
	readonly restoreFloorMs: number;
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
		const snapshotFile = path.join(dir, '..', `snapshot-${size}.json`);
		fs.writeFileSync(snapshotFile, encodeIndexSnapshot('', index.values()));
		const snapshotMB = fs.statSync(snapshotFile).size / 1e6;
		gc();
		const restoreStart = performance.now();
		const restored = new CorpusIndex();
		restored.setMany(decodeIndexSnapshot(fs.readFileSync(snapshotFile, 'utf8'), '', (p) => p) ?? []);
		restored.yearGroups('oldestFirst');
		const restoreMs = performance.now() - restoreStart;
		if (restored.size !== index.size) {
			throw new Error(`the snapshot restored ${restored.size} of ${index.size} entries`);
		}
		gc();
		const restoreFloorStart = performance.now();
		JSON.parse(fs.readFileSync(snapshotFile, 'utf8'));
		const restoreFloorMs = performance.now() - restoreFloorStart;
		const recheckStart = performance.now();
		await indexCorpus(nodeFs, dir, { previous: (id) => restored.get(id) });
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
			restoreMs,
			restoreFloorMs,
			recheckMs,
		});
		entries.length = 0;
	}
	return results;
}

function table(results: readonly IndexBenchResult[]): string {
	const header = ['articles', 'files', 'indexed', 'first batch', 'all years seen', 'years final', 'full index', 'peak heap', 'retained', '1-file change', 'floor (256 B)', 'sync floor', 'ratio', 'snapshot', 'restore', 'restore floor', 'recheck'];
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
		`${r.restoreMs.toFixed(0)} ms`,
		`${r.restoreFloorMs.toFixed(0)} ms`,
		`${r.recheckMs.toFixed(0)} ms`,
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ');
	return [line(header), ...rows.map(line)].join('\n');
}

if (require.main === module) {
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
