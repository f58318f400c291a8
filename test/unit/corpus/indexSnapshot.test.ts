import * as assert from 'assert';
import { CorpusIndex, withEntryFields, type CorpusEntry } from '../../../src/core/corpus/corpusIndex';
import { decodeIndexSnapshot, encodeIndexSnapshot, INDEX_SNAPSHOT_VERSION } from '../../../src/core/corpus/indexSnapshot';

const ROOT = 'file:///corpus';
const idFor = (path: string): string => `${ROOT}/${path}`;

function entry(path: string, extra: Partial<CorpusEntry> = {}): CorpusEntry {
	return {
		id: idFor(path), root: ROOT, path, mtime: 1_700_000_000_123.5, size: 2048,
		date: { year: 2024, month: 5 }, title: 'Lead met "aanhalingstekens" en 😀', leadExcerpt: 'Lead met "aanhalingstekens" en 😀',
		problem: null, annotationCount: 3, labels: ['claim', 'event'], entities: ['Kiev'], ...extra,
	};
}

/** Every field read into a plain object (restored entries compute the lead and title). */
const plain = (entries: readonly CorpusEntry[] | undefined): CorpusEntry[] | undefined => entries?.map((e) => withEntryFields(e, {}));

const sample = (): CorpusEntry[] => [
	entry('2024/a.txt'),
	entry('b.txt', { date: null, problem: 'empty file', labels: [], entities: [], annotationCount: 0, title: 'b', leadExcerpt: '' }),
	entry('2024/05/c.txt', { title: 'Een eigen titel', leadExcerpt: 'Een lead – met een gedachtestreepje', annotationCount: 0, labels: [], entities: [] }),
];

/** A copy of `bytes` with the 32-bit word at `offset` set (little-endian). */
function withWord(bytes: Uint8Array, offset: number, value: number): Uint8Array {
	const copy = bytes.slice();
	new DataView(copy.buffer).setUint32(offset, value, true);
	return copy;
}

describe('index snapshot', () => {
	it('gives back the same entries, undated, problem and own-title entries included', () => {
		const entries = sample();
		const decoded = decodeIndexSnapshot(encodeIndexSnapshot(ROOT, entries), ROOT, idFor);
		assert.deepStrictEqual(plain(decoded), entries);
	});

	it('re-encodes a restored index to the same bytes (leads copied, not decoded)', () => {
		const bytes = encodeIndexSnapshot(ROOT, sample());
		const restored = decodeIndexSnapshot(bytes, ROOT, idFor)!;
		assert.deepStrictEqual(encodeIndexSnapshot(ROOT, restored), bytes);
		const edited = restored.map((e) => (e.path === 'b.txt' ? withEntryFields(e, { annotationCount: 1, labels: ['claim'] }) : e));
		const again = decodeIndexSnapshot(encodeIndexSnapshot(ROOT, edited), ROOT, idFor);
		assert.deepStrictEqual(plain(again), plain(edited));
	});

	it('decodes from a Node Buffer that is a view into a larger, unaligned buffer (what a file read may give)', () => {
		const bytes = encodeIndexSnapshot(ROOT, sample());
		const pooled = Buffer.alloc(bytes.length + 11);
		pooled.set(bytes, 3);
		assert.deepStrictEqual(plain(decodeIndexSnapshot(pooled.subarray(3, 3 + bytes.length), ROOT, idFor)), sample());
	});

	it('keeps only the entries of its root', () => {
		const other = { ...entry('x.txt'), root: 'file:///other', id: 'file:///other/x.txt' };
		const bytes = encodeIndexSnapshot(ROOT, [entry('a.txt'), other]);
		assert.deepStrictEqual(decodeIndexSnapshot(bytes, ROOT, idFor)?.map((e) => e.path), ['a.txt']);
	});

	it('restores into an index whose groups, filter and copies read the lazily decoded leads', () => {
		const index = new CorpusIndex();
		index.setMany(decodeIndexSnapshot(encodeIndexSnapshot(ROOT, sample()), ROOT, idFor)!);
		assert.deepStrictEqual(index.yearGroups('oldestFirst'), [{ year: 2024, count: 2 }]);
		assert.deepStrictEqual(index.articles(2024, 5).map((e) => e.title), ['Een eigen titel', 'Lead met "aanhalingstekens" en 😀']);
		assert.strictEqual(index.setFilter({ source: 'x', text: ['gedachtestreepje'], labels: [], entities: [] }), 1);
		const copy = withEntryFields(index.get(idFor('2024/a.txt'))!, { annotationCount: 9 });
		assert.strictEqual(copy.leadExcerpt, 'Lead met "aanhalingstekens" en 😀');
		assert.strictEqual(copy.annotationCount, 9);
	});

	it('ignores, as a whole, a snapshot of another root, another version or byte order, or with anything out of place', () => {
		const bytes = encodeIndexSnapshot(ROOT, sample());
		const decode = (b: Uint8Array): CorpusEntry[] | undefined => decodeIndexSnapshot(b, ROOT, idFor);
		assert.ok(decode(bytes));
		assert.strictEqual(decodeIndexSnapshot(bytes, 'file:///elsewhere', idFor), undefined);
		assert.strictEqual(decode(withWord(bytes, 4, INDEX_SNAPSHOT_VERSION + 1)), undefined, 'a newer version');
		assert.strictEqual(decode(withWord(bytes, 8, 0x04030201)), undefined, 'the other byte order');
		assert.strictEqual(decode(withWord(bytes, 12, 4)), undefined, 'a count that does not match');
		assert.strictEqual(decode(withWord(bytes, 20, 0)), undefined, 'lead bytes that do not match');
		assert.strictEqual(decode(bytes.subarray(0, bytes.length - 1)), undefined, 'truncated');
		assert.strictEqual(decode(new Uint8Array([...bytes, 0])), undefined, 'a byte too many');
		assert.strictEqual(decode(new Uint8Array()), undefined);
		assert.strictEqual(decode(new Uint8Array(64)), undefined);
	});

	it('ignores a version-1 snapshot (JSON text) so that the index is built again', () => {
		const version1 = JSON.stringify({
			version: 1, root: ROOT,
			entries: [['2024/a.txt', 2048, 1_700_000_000_123.5, 2024, 5, 0, 'Lead', null, 0, [], []]],
		});
		assert.strictEqual(decodeIndexSnapshot(new TextEncoder().encode(version1), ROOT, idFor), undefined);
	});

	it('never throws on a cut or a changed byte, and never returns part of the index', () => {
		const entries = sample();
		const bytes = encodeIndexSnapshot(ROOT, entries);
		for (let cut = 0; cut < bytes.length; cut++) {
			assert.strictEqual(decodeIndexSnapshot(bytes.subarray(0, cut), ROOT, idFor), undefined, `cut at ${cut}`);
		}
		// Every byte of the preamble, head and columns changed in turn: the result is nothing or every entry.
		for (let at = 0; at < bytes.length; at++) {
			for (const value of [0x00, 0xff, bytes[at] ^ 0x01]) {
				const changed = bytes.slice();
				changed[at] = value;
				const decoded = decodeIndexSnapshot(changed, ROOT, idFor);
				assert.ok(decoded === undefined || decoded.length === entries.length, `byte ${at} set to ${value}`);
				for (const e of decoded ?? []) {
					assert.strictEqual(typeof e.title, 'string');
					assert.strictEqual(typeof e.leadExcerpt, 'string');
				}
			}
		}
	});

	it('rejects impossible values in the columns', () => {
		// A month of 13 and a year-0 date, written through an entry the encoder does not check.
		for (const date of [{ year: 2024, month: 13 }, { year: 0, month: 5 }]) {
			const bytes = encodeIndexSnapshot(ROOT, [entry('a.txt', { date })]);
			assert.strictEqual(decodeIndexSnapshot(bytes, ROOT, idFor), undefined, `${date.year}-${date.month}`);
		}
		assert.strictEqual(decodeIndexSnapshot(encodeIndexSnapshot(ROOT, [entry('a.txt', { size: -1 })]), ROOT, idFor), undefined, 'negative size');
		assert.strictEqual(decodeIndexSnapshot(encodeIndexSnapshot(ROOT, [entry('a.txt', { mtime: Number.NaN })]), ROOT, idFor), undefined, 'no mtime');
	});
});
