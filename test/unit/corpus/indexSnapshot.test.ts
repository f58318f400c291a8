import * as assert from 'assert';
import type { CorpusEntry } from '../../../src/core/corpus/corpusIndex';
import { decodeIndexSnapshot, encodeIndexSnapshot } from '../../../src/core/corpus/indexSnapshot';

const ROOT = 'file:///corpus';
const idFor = (path: string): string => `${ROOT}/${path}`;

function entry(path: string, extra: Partial<CorpusEntry> = {}): CorpusEntry {
	return {
		id: idFor(path), root: ROOT, path, mtime: 1_700_000_000_123.5, size: 2048,
		date: { year: 2024, month: 5 }, title: `Titel van ${path}`, leadExcerpt: 'Lead met "aanhalingstekens" en 😀',
		problem: null, annotationCount: 3, labels: ['claim', 'event'], entities: ['Kiev'], ...extra,
	};
}

describe('index snapshot', () => {
	it('gives back the same entries, undated and problem entries included', () => {
		const entries = [entry('2024/a.txt'), entry('b.txt', { date: null, problem: 'empty file', labels: [], entities: [], annotationCount: 0 })];
		const text = encodeIndexSnapshot(ROOT, entries);
		assert.deepStrictEqual(decodeIndexSnapshot(text, ROOT, idFor), entries);
	});

	it('keeps only the entries of its root', () => {
		const other = { ...entry('x.txt'), root: 'file:///other', id: 'file:///other/x.txt' };
		const text = encodeIndexSnapshot(ROOT, [entry('a.txt'), other]);
		assert.deepStrictEqual(decodeIndexSnapshot(text, ROOT, idFor)?.map((e) => e.path), ['a.txt']);
	});

	it('ignores, as a whole, a snapshot of another root, another version, or with any bad entry', () => {
		const text = encodeIndexSnapshot(ROOT, [entry('a.txt'), entry('b.txt')]);
		assert.strictEqual(decodeIndexSnapshot(text, 'file:///elsewhere', idFor), undefined);
		assert.strictEqual(decodeIndexSnapshot(text.replace('"version":1', '"version":2'), ROOT, idFor), undefined);
		assert.strictEqual(decodeIndexSnapshot(text.slice(0, text.length - 5), ROOT, idFor), undefined, 'truncated');
		assert.strictEqual(decodeIndexSnapshot(text.replace('2048', '-1'), ROOT, idFor), undefined, 'negative size');
		assert.strictEqual(decodeIndexSnapshot(text.replace(',5,', ',13,'), ROOT, idFor), undefined, 'month 13');
		assert.strictEqual(decodeIndexSnapshot('', ROOT, idFor), undefined);
		assert.strictEqual(decodeIndexSnapshot('null', ROOT, idFor), undefined);
	});

	it('survives every cut of the text without throwing, returning either nothing or everything', () => {
		const entries = [entry('a.txt'), entry('b.txt')];
		const text = encodeIndexSnapshot(ROOT, entries);
		let partial = 0;
		for (let cut = 0; cut < text.length; cut++) {
			const decoded = decodeIndexSnapshot(text.slice(0, cut), ROOT, idFor);
			if (decoded !== undefined && decoded.length !== entries.length) {
				partial++;
			}
		}
		assert.strictEqual(partial, 0);
	});
});
