import * as assert from 'assert';
import { CorpusIndex, parseFilter, type CorpusEntry } from '../../../src/core/corpus/corpusIndex';

function entry(path: string, date: string | null, extra: Partial<CorpusEntry> = {}): CorpusEntry {
	const m = date ? /^(\d{4})-(\d{2})$/.exec(date) : null;
	return {
		id: path,
		root: '',
		path,
		mtime: 1,
		size: 1,
		date: m ? { year: Number(m[1]), month: Number(m[2]) } : null,
		title: `Titel van ${path}`,
		leadExcerpt: `Lead van ${path}`,
		problem: date ? null : 'empty file',
		annotationCount: 0,
		labels: [],
		entities: [],
		...extra,
	};
}

function build(...entries: CorpusEntry[]): CorpusIndex {
	const index = new CorpusIndex();
	for (const e of entries) {
		index.set(e);
	}
	return index;
}

describe('CorpusIndex', () => {
	const sample = (): CorpusIndex =>
		build(
			entry('b/002.txt', '2024-03'),
			entry('a/001.txt', '2024-03'),
			entry('003.txt', '2023-11'),
			entry('004.txt', '2024-12'),
			entry('bad.txt', null, { problem: 'invalid month in "2025-13" (expected 01–12)' }),
			entry('empty.txt', null),
		);

	it('groups by year and month with counts, oldest first', () => {
		const index = sample();
		assert.deepStrictEqual(index.yearGroups('oldestFirst'), [
			{ year: 2023, count: 1 },
			{ year: 2024, count: 3 },
		]);
		assert.deepStrictEqual(index.monthGroups(2024, 'oldestFirst'), [
			{ year: 2024, month: 3, count: 2 },
			{ year: 2024, month: 12, count: 1 },
		]);
		assert.deepStrictEqual(
			index.articles(2024, 3).map((e) => e.path),
			['a/001.txt', 'b/002.txt'],
		);
	});

	it('reverses years and months newest first, keeping file order within a month', () => {
		const index = sample();
		assert.deepStrictEqual(
			index.yearGroups('newestFirst').map((g) => g.year),
			[2024, 2023],
		);
		assert.deepStrictEqual(
			index.monthGroups(2024, 'newestFirst').map((g) => g.month),
			[12, 3],
		);
		assert.deepStrictEqual(
			index.articles(2024, 3).map((e) => e.path),
			['a/001.txt', 'b/002.txt'],
		);
	});

	it('keeps undated articles apart with their reasons, sorted last', () => {
		const index = sample();
		assert.strictEqual(index.undatedCount(), 2);
		assert.deepStrictEqual(
			index.undatedArticles().map((e) => [e.path, e.problem]),
			[
				['bad.txt', 'invalid month in "2025-13" (expected 01–12)'],
				['empty.txt', 'empty file'],
			],
		);
		assert.deepStrictEqual(
			index.sorted().map((e) => e.path),
			['003.txt', 'a/001.txt', 'b/002.txt', '004.txt', 'bad.txt', 'empty.txt'],
		);
	});

	it('reports the groups a change touches, and structural changes', () => {
		const index = sample();
		const moved = index.set(entry('004.txt', '2024-03'));
		assert.strictEqual(moved.structural, false);
		assert.deepStrictEqual([...moved.keys].sort(), ['article:004.txt', 'month:2024-03', 'month:2024-12', 'year:2024']);
		const newYear = index.set(entry('005.txt', '2025-01'));
		assert.strictEqual(newYear.structural, true);
		const gone = index.delete('003.txt');
		assert.strictEqual(gone.structural, true, 'the last article of 2023 went');
		assert.deepStrictEqual(
			index.yearGroups('oldestFirst').map((g) => g.year),
			[2024, 2025],
		);
		const fixed = index.set(entry('bad.txt', '2024-03'));
		assert.ok(fixed.keys.has('undated'));
		assert.strictEqual(fixed.structural, false, 'one undated article is left');
		assert.strictEqual(index.delete('empty.txt').structural, true, 'the undated group went');
		assert.strictEqual(index.delete('nope.txt').keys.size, 0);
	});

	it('filters by lead text, label and entity, with counts', () => {
		const index = build(
			entry('1.txt', '2024-01', { leadExcerpt: 'Zelensky ontving Blinken in Kiev.' }),
			entry('2.txt', '2024-02', { leadExcerpt: 'Poetin sprak.', labels: ['person'], entities: ['Vladimir Poetin'], annotationCount: 1 }),
			entry('3.txt', '2025-02', { leadExcerpt: 'Het Witte Huis zweeg.', labels: ['place'], entities: ['Witte Huis'], annotationCount: 2 }),
		);
		assert.strictEqual(index.setFilter(parseFilter('zelensky')), 1);
		assert.deepStrictEqual(
			index.yearGroups('oldestFirst'),
			[{ year: 2024, count: 1 }],
		);
		assert.strictEqual(index.monthCount(2024, 2), 0);
		assert.strictEqual(index.setFilter(parseFilter('label:PERSON')), 1);
		assert.strictEqual(index.setFilter(parseFilter('entity:"witte huis"')), 1);
		assert.ok(index.isVisible('3.txt'));
		assert.strictEqual(index.setFilter(parseFilter('entity:poetin label:place')), 0);
		index.setFilter(parseFilter('kiev'));
		index.set(entry('4.txt', '2025-03', { leadExcerpt: 'Ook in Kiev.' }));
		assert.strictEqual(index.visibleCount, 2, 'new entries are matched against the active filter');
		assert.strictEqual(index.setFilter(undefined), 4);
	});
});

describe('parseFilter', () => {
	it('splits label: and entity: terms from the text phrase', () => {
		assert.deepStrictEqual(parseFilter('  Witte   Huis label:Person entity:"Donald Trump" '), {
			source: 'Witte   Huis label:Person entity:"Donald Trump"',
			text: ['witte huis'],
			labels: ['person'],
			entities: ['donald trump'],
		});
		assert.deepStrictEqual(parseFilter("entity:'Kiev'")?.entities, ['kiev']);
		assert.deepStrictEqual(parseFilter('"Witte Huis"')?.text, ['witte huis']);
	});

	it('returns undefined for blank input', () => {
		assert.strictEqual(parseFilter(''), undefined);
		assert.strictEqual(parseFilter('   '), undefined);
		assert.strictEqual(parseFilter('label:'), undefined);
	});

	it('setMany adds and replaces like set, with one change for the batch', () => {
		const one = build(entry('x/001.txt', '2024-03'), entry('undated.txt', null));
		const many = new CorpusIndex();
		many.setMany([entry('x/001.txt', '2024-03'), entry('undated.txt', null)]);
		assert.deepStrictEqual(many.yearGroups('oldestFirst'), one.yearGroups('oldestFirst'));
		assert.strictEqual(many.undatedCount(), 1);

		const change = many.setMany([entry('x/001.txt', '2023-01'), entry('x/002.txt', '2023-01'), entry('y.txt', '2023-02')]);
		assert.strictEqual(change.structural, true, '2024 disappeared, 2023 appeared');
		assert.deepStrictEqual(
			[...change.keys].sort(),
			['article:x/001.txt', 'month:2023-01', 'month:2023-02', 'month:2024-03', 'year:2023', 'year:2024'],
			'month and year keys once each; an article key only for the replaced entry',
		);
		assert.deepStrictEqual(
			many.yearGroups('oldestFirst').map((g) => [g.year, g.count]),
			[[2023, 3]],
		);
		assert.deepStrictEqual(
			many.articles(2023, 1).map((e) => e.path),
			['x/001.txt', 'x/002.txt'],
		);
		assert.strictEqual(many.setMany([]).keys.size, 0);
	});

	it('setMany into an empty index keeps the later of two entries with one id, and reports each group', () => {
		const index = new CorpusIndex();
		const change = index.setMany([entry('a.txt', '2024-03'), entry('b.txt', '2024-03'), entry('a.txt', '2023-07'), entry('c.txt', null)]);
		assert.strictEqual(change.structural, true);
		assert.deepStrictEqual([...change.keys].sort(), ['article:a.txt', 'month:2023-07', 'month:2024-03', 'undated', 'year:2023', 'year:2024']);
		assert.strictEqual(index.size, 3);
		assert.deepStrictEqual(index.yearGroups('oldestFirst').map((g) => [g.year, g.count]), [[2023, 1], [2024, 1]]);
		assert.deepStrictEqual(index.articles(2024, 3).map((e) => e.path), ['b.txt']);
		assert.deepStrictEqual(index.articles(2023, 7).map((e) => e.path), ['a.txt']);
		assert.strictEqual(index.setMany([]).structural, false);
	});
});
