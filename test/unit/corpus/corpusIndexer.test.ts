import * as assert from 'assert';
import { CorpusIndex } from '../../../src/core/corpus/corpusIndex';
import { indexArticleFile, indexCorpus, type IndexProgress } from '../../../src/core/corpus/corpusIndexer';
import { MemoryFileSystem, SyncMemoryFileSystem } from './memoryFileSystem';

const SIDECAR = 'version: 1\nannotations:\n  - id: a1\n    label: person\n    entity: Blinken\n  - id: a2\n    label: place\n';

const CORPUS: Record<string, string> = {
		'root/2024/001_0a1b2c3d4e5f6071.txt': ' date 2024-03 President Zelensky ontving in Kiev de Amerikaanse minister Blinken.\n\nMeer.',
		'root/2024/001_0a1b2c3d4e5f6071.ann.yaml': SIDECAR,
		'root/2024/deep/er/004_0000000000000004.txt': ' date 2024-11 Diep genest.',
		'root/002_1b2c3d4e5f607182.txt': ' date 2023-11 De Europese Unie neemt een nieuw sanctiepakket aan.',
		'root/003_badheader00000000.txt': ' date 2025-13 Deze kop heeft een onmogelijke maand.',
		'root/empty.txt': '',
		'root/notes.txt': 'Boodschappenlijst\n\nbrood, kaas, melk',
		'root/readme.md': '# not a txt',
		'root/.git/x.txt': ' date 2020-01 In een dot-map: overgeslagen.',
		'root/node_modules/y.txt': ' date 2020-01 Overgeslagen.',
};

function corpus(): MemoryFileSystem {
	return new MemoryFileSystem(CORPUS);
}

describe('indexCorpus', () => {
	it('indexes nested folders, skips non-articles, dot folders and node_modules', async () => {
		const entries = await indexCorpus(corpus(), 'root');
		const byPath = new Map(entries.map((e) => [e.path, e]));
		assert.deepStrictEqual([...byPath.keys()].sort(), [
			'002_1b2c3d4e5f607182.txt',
			'003_badheader00000000.txt',
			'2024/001_0a1b2c3d4e5f6071.txt',
			'2024/deep/er/004_0000000000000004.txt',
			'empty.txt',
		]);
		assert.strictEqual(byPath.get('003_badheader00000000.txt')!.problem, 'invalid month in "2025-13" (expected 01–12)');
		assert.strictEqual(byPath.get('empty.txt')!.problem, 'empty file');
		const annotated = byPath.get('2024/001_0a1b2c3d4e5f6071.txt')!;
		assert.strictEqual(annotated.annotationCount, 2);
		assert.deepStrictEqual(annotated.labels, ['person', 'place']);
		assert.deepStrictEqual(annotated.entities, ['Blinken']);
		assert.strictEqual(byPath.get('002_1b2c3d4e5f607182.txt')!.annotationCount, 0);
	});

	it('reads only the head of each article', async () => {
		const fs = new MemoryFileSystem({ 'big.txt': ` date 2024-01 Lang.\n\n${'x'.repeat(100_000)}` });
		let asked = 0;
		const readHead = fs.readHead.bind(fs);
		fs.readHead = (path, bytes) => {
			asked = Math.max(asked, bytes);
			return readHead(path, bytes);
		};
		await indexCorpus(fs, '');
		assert.ok(asked <= 4096, `asked for ${asked} bytes`);
	});

	it('reports batches and progress, and feeds an index', async () => {
		const index = new CorpusIndex();
		const phases = new Set<IndexProgress['phase']>();
		await indexCorpus(corpus(), 'root', {
			idFor: (p) => `mem:${p}`,
			rootKey: 'mem',
			onBatch: (batch) => batch.forEach((e) => index.set(e)),
			onSidecars: (batch) => batch.forEach((e) => index.set(e)),
			onProgress: (p) => phases.add(p.phase),
		});
		assert.ok(phases.has('headers') && phases.has('done'));
		assert.deepStrictEqual(
			index.yearGroups('oldestFirst').map((g) => [g.year, g.count]),
			[
				[2023, 1],
				[2024, 2],
			],
		);
		assert.strictEqual(index.undatedCount(), 2);
		assert.strictEqual(index.get('mem:2024/001_0a1b2c3d4e5f6071.txt')!.annotationCount, 2);
		assert.strictEqual(index.get('mem:2024/001_0a1b2c3d4e5f6071.txt')!.root, 'mem');
	});

	it('does not read unchanged files again, and picks up changed ones', async () => {
		const fs = corpus();
		const first = await indexCorpus(fs, 'root');
		const previous = new Map(first.map((e) => [e.id, e]));
		fs.reads.length = 0;
		fs.write('root/002_1b2c3d4e5f607182.txt', ' date 2022-02 Verplaatst naar februari 2022.');
		const second = await indexCorpus(fs, 'root', { previous: (id) => previous.get(id) });
		// Articles are cached by mtime and size; a non-article (notes.txt) is simply read again.
		const articleReads = fs.reads.filter((p) => p.endsWith('.txt') && p !== 'root/notes.txt');
		assert.deepStrictEqual(articleReads, ['root/002_1b2c3d4e5f607182.txt']);
		assert.deepStrictEqual(second.find((e) => e.path === '002_1b2c3d4e5f607182.txt')!.date, { year: 2022, month: 2 });
		assert.strictEqual(second.find((e) => e.path === 'empty.txt'), previous.get('empty.txt'), 'unchanged entries are reused');
	});

	it('indexes one file with its sidecar, and nothing for a non-article or a missing file', async () => {
		const fs = corpus();
		const entry = await indexArticleFile(fs, 'root', '2024/001_0a1b2c3d4e5f6071.txt');
		assert.strictEqual(entry?.annotationCount, 2);
		assert.strictEqual(await indexArticleFile(fs, 'root', 'notes.txt'), undefined);
		assert.strictEqual(await indexArticleFile(fs, 'root', 'missing.txt'), undefined);
	});

	it('yields to the host once per time slice, publishing a batch at each yield', async () => {
		const files: Record<string, string> = {};
		for (let i = 0; i < 3000; i++) {
			files[`d${i % 10}/${String(i).padStart(5, '0')}.txt`] = ` date 20${10 + (i % 15)}-0${1 + (i % 9)} Artikel ${i} over de NAVO.`;
		}
		const fs = new MemoryFileSystem(files);
		fs.callMs = 0.1;
		const yieldTimes: number[] = [];
		let batches = 0;
		const entries = await indexCorpus(fs, '', {
			clock: fs.clock.now,
			onBatch: () => batches++,
			yieldToHost: () => {
				yieldTimes.push(fs.clock.now());
				return Promise.resolve();
			},
		});
		assert.strictEqual(entries.length, 3000);
		// 3000 × (stat + readHead) × 0.1 ms = 600 ms of reads, in 20 ms slices.
		assert.ok(yieldTimes.length >= 28 && yieldTimes.length <= 32, `${yieldTimes.length} yields`);
		assert.ok(batches >= yieldTimes.length - 1, `${batches} batches for ${yieldTimes.length} yields`);
		// A slice may overrun by the reads already in flight (64 × 0.2 ms), never by more.
		const gaps = yieldTimes.map((t, i) => t - (yieldTimes[i - 1] ?? 0));
		assert.ok(Math.max(...gaps) <= 20 + 64 * 0.2, `longest slice ${Math.max(...gaps)} ms`);
	});
});

describe('indexCorpus with synchronous reads', () => {
	it('gives the same entries as the async path, reading each article and sidecar synchronously', async () => {
		const fs = new SyncMemoryFileSystem(CORPUS);
		const entries = await indexCorpus(fs, 'root', { clock: fs.clock.now });
		const expected = await indexCorpus(new MemoryFileSystem(CORPUS), 'root');
		const byPath = (list: typeof entries) => [...list].sort((a, b) => (a.path < b.path ? -1 : 1));
		assert.deepStrictEqual(byPath(entries), byPath(expected));
		assert.ok(fs.syncReads.includes('root/2024/001_0a1b2c3d4e5f6071.ann.yaml'));
		assert.strictEqual(fs.syncReads.length, fs.reads.length, 'no async reads');
	});

	it('does not read unchanged files again', async () => {
		const fs = new SyncMemoryFileSystem(CORPUS);
		const first = await indexCorpus(fs, 'root', { clock: fs.clock.now });
		const previous = new Map(first.map((e) => [e.id, e]));
		fs.reads.length = 0;
		fs.write('root/002_1b2c3d4e5f607182.txt', ' date 2022-02 Verplaatst.');
		const second = await indexCorpus(fs, 'root', { clock: fs.clock.now, previous: (id) => previous.get(id) });
		const articleReads = fs.reads.filter((p) => p.endsWith('.txt') && p !== 'root/notes.txt');
		assert.deepStrictEqual(articleReads, ['root/002_1b2c3d4e5f607182.txt']);
		assert.strictEqual(second.find((e) => e.path === 'empty.txt'), previous.get('empty.txt'));
	});

	it('indexes one file with its sidecar', async () => {
		const fs = new SyncMemoryFileSystem(CORPUS);
		assert.strictEqual((await indexArticleFile(fs, 'root', '2024/001_0a1b2c3d4e5f6071.txt'))?.annotationCount, 2);
		assert.strictEqual(await indexArticleFile(fs, 'root', 'missing.txt'), undefined);
		assert.strictEqual(fs.syncReads.length, fs.reads.length);
	});

	function articles(count: number): Record<string, string> {
		const files: Record<string, string> = {};
		for (let i = 0; i < count; i++) {
			files[`${String(i).padStart(4, '0')}.txt`] = ` date 2024-01 Artikel ${i}.`;
		}
		return files;
	}

	it('turns to async reads after three slices of mostly slow synchronous reads', async () => {
		const fs = new SyncMemoryFileSystem(articles(200));
		fs.syncCallMs = 2;
		const entries = await indexCorpus(fs, '', { clock: fs.clock.now });
		assert.strictEqual(entries.length, 200);
		// 20 ms slices of 2 ms reads: 10 reads a slice, three slices.
		assert.strictEqual(fs.syncReads.length, 30);
		assert.strictEqual(fs.reads.length, 200);
	});

	it('keeps synchronous reads when they are fast, or only an odd one is slow', async () => {
		const fs = new SyncMemoryFileSystem(articles(2000));
		fs.syncCallMs = 0.05;
		const readHeadAndStatSync = fs.readHeadAndStatSync.bind(fs);
		// Every 50th read stalls for 30 ms (a GC pause, the process descheduled).
		fs.readHeadAndStatSync = (path, bytes) => {
			fs.clock.advance(fs.syncReads.length % 50 === 49 ? 30 : 0);
			return readHeadAndStatSync(path, bytes);
		};
		let yields = 0;
		const entries = await indexCorpus(fs, '', {
			clock: fs.clock.now,
			yieldToHost: () => {
				yields++;
				return Promise.resolve();
			},
		});
		assert.strictEqual(entries.length, 2000);
		assert.strictEqual(fs.syncReads.length, 2000);
		assert.ok(yields > 20, `${yields} yields`);
	});

	it('reads a spread-out sample first, so the first batch shows every year', async () => {
		const files: Record<string, string> = {};
		for (let i = 0; i < 4000; i++) {
			files[`${2020 + Math.floor(i / 1000)}/${String(i).padStart(5, '0')}.txt`] = ` date ${2020 + Math.floor(i / 1000)}-01 Artikel ${i}.`;
		}
		const fs = new SyncMemoryFileSystem(files);
		fs.syncCallMs = 0.05;
		let first: { size: number; years: number[] } | undefined;
		await indexCorpus(fs, '', {
			clock: fs.clock.now,
			onBatch: (batch) => {
				first ??= { size: batch.length, years: [...new Set(batch.map((e) => e.date!.year))].sort() };
			},
		});
		// 20 ms slices of 0.05 ms reads: the first batch holds 400 articles, read from all four years.
		assert.deepStrictEqual(first, { size: 400, years: [2020, 2021, 2022, 2023] });
	});
});
