/** The three-way merge of relations (issue 16): by relation id, never leaving one dangling or dropping it in silence. */
import * as assert from 'assert';
import type { Relation, SidecarData } from '../../../src/core/annotations/model';
import { parseSidecar } from '../../../src/core/annotations/sidecarCodec';
import { CONFLICT_MARKERS, describeConflict, mergeSidecars, type MergeResult } from '../../../src/core/review/sidecarMerge';
import { KIEV, STEUN, ZELENSKY, ann, edit, rel, resolve, sidecarWithRelations } from './fixtures';

function read(text: string): SidecarData {
	const r = parseSidecar(text);
	assert.ok(r.ok, r.ok ? '' : `${r.errors.map((e) => `${e.line}: ${e.message}`).join('\n')}\n${text}`);
	return r.doc.data;
}

function relationIds(text: string): string[] {
	return read(text).relations.map((r) => r.id);
}

const keys = (result: MergeResult): string[] => result.conflicts.map((c) => `${c.kind} ${c.relation ? 'relation ' : ''}${c.id ?? ''}${c.annotations ? ` [${c.annotations.join(',')}]` : ''}`);

/** Every relation of a readable text names annotations of that text. */
function assertNoDangling(text: string, what: string): void {
	const data = read(text);
	const ids = new Set(data.annotations.map((a) => a.id));
	for (const r of data.relations) {
		assert.ok(ids.has(r.from) && ids.has(r.to), `${what}: relation ${r.id} ${r.from} → ${r.to} dangles`);
	}
}

describe('relation three-way merge', () => {
	const SOURCE = rel('r1', 'source-of', 'a1', 'a3');
	const base = sidecarWithRelations([ZELENSKY, KIEV, STEUN], [SOURCE]);

	it('keeps relations added on both sides (and the same one added on both once), after the annotations they need', () => {
		const wederopbouw = ann('t1', 'event', 'wederopbouw');
		const ours = edit(base, (d) => d.addRelation(rel('o1', 'about', 'a3', 'a2')));
		const theirs = edit(base, (d) => {
			d.add(wederopbouw);
			d.addRelation(rel('t1r', 'about', 't1', 'a2'));
			d.addRelation(rel('o1', 'about', 'a3', 'a2'));
		});
		for (const [x, y] of [[ours, theirs], [theirs, ours]]) {
			const result = mergeSidecars(base, x, y);
			assert.deepStrictEqual(result.conflicts, []);
			assert.deepStrictEqual(relationIds(result.text).sort(), ['o1', 'r1', 't1r']);
			assertNoDangling(result.text, 'merge');
		}
	});

	it('merges field by field; `modified` takes the later time; the same field changed differently is a conflict in the relations list', () => {
		const ours = edit(base, (d) => d.updateRelation('r1', { note: 'Ours', modified: '2026-02-01T00:00:00Z' }));
		const theirs = edit(base, (d) => d.updateRelation('r1', { type: 'about', modified: '2026-02-02T00:00:00Z' }));
		const clean = mergeSidecars(base, ours, theirs);
		assert.deepStrictEqual(clean.conflicts, []);
		const merged = read(clean.text).relations[0];
		assert.deepStrictEqual([merged.type, merged.note, merged.modified], ['about', 'Ours', '2026-02-02T00:00:00Z']);

		const theirsToo = edit(base, (d) => d.updateRelation('r1', { type: 'contradicts' }));
		const oursType = edit(base, (d) => d.updateRelation('r1', { type: 'about' }));
		const result = mergeSidecars(base, oursType, theirsToo);
		assert.deepStrictEqual(keys(result), ['both-changed relation r1']);
		assert.deepStrictEqual(result.conflicts[0].fields, ['type']);
		assert.strictEqual(describeConflict(result.conflicts[0]), 'relation r1: both sides changed type');
		const lines = result.text.split('\n');
		const marker = lines.indexOf(CONFLICT_MARKERS.ours);
		assert.ok(marker > lines.indexOf('relations:'), 'the markers are inside the relations list');
		assert.deepStrictEqual(parseSidecar(result.text).ok, false, 'the markers make the file unreadable until resolved');
		assert.strictEqual(read(resolve(result.text, 'ours')).relations[0].type, 'about');
		assert.strictEqual(read(resolve(result.text, 'theirs')).relations[0].type, 'contradicts');
	});

	it('applies a relation deletion the other side left alone; deleted against changed is a conflict', () => {
		const deleted = edit(base, (d) => d.removeRelation('r1'));
		const touched = edit(base, (d) => d.add(ann('x1', 'framing', 'wederopbouw')));
		for (const [x, y] of [[deleted, touched], [touched, deleted]]) {
			const result = mergeSidecars(base, x, y);
			assert.deepStrictEqual(result.conflicts, []);
			assert.deepStrictEqual(relationIds(result.text), []);
			assert.ok(!/^relations:/m.test(result.text), 'the last relation gone, its key goes too');
		}
		const changed = edit(base, (d) => d.updateRelation('r1', { note: 'Bron?' }));
		const result = mergeSidecars(base, deleted, changed);
		assert.deepStrictEqual(keys(result), ['deleted-by-ours relation r1']);
		assert.deepStrictEqual(relationIds(resolve(result.text, 'ours')), []);
		assert.strictEqual(read(resolve(result.text, 'theirs')).relations[0].note, 'Bron?');
		assert.deepStrictEqual(keys(mergeSidecars(base, changed, deleted)), ['deleted-by-theirs relation r1']);
	});

	it('reports a relation added on one side whose annotation the other side deleted, keeping both between markers', () => {
		// Theirs links a2 (new relation), ours deleted a2.
		const ours = edit(base, (d) => d.remove('a2'));
		const theirs = edit(base, (d) => d.addRelation(rel('t9', 'about', 'a3', 'a2')));
		const result = mergeSidecars(base, ours, theirs);
		assert.deepStrictEqual(keys(result), ['endpoint-deleted-by-ours relation t9 [a2]']);
		assert.strictEqual(describeConflict(result.conflicts[0]), 'relation t9: links annotation a2, which our side deleted (kept between markers with it; keep both or neither)');
		assert.ok(result.text.includes('- id: t9'), 'the relation is in the text, not dropped');
		const asOurs = read(resolve(result.text, 'ours'));
		assert.deepStrictEqual([asOurs.annotations.map((a) => a.id), asOurs.relations.map((r) => r.id)], [['a1', 'a3'], ['r1']]);
		const asTheirs = read(resolve(result.text, 'theirs'));
		assert.deepStrictEqual([asTheirs.annotations.map((a) => a.id), asTheirs.relations.map((r) => r.id)], [['a1', 'a2', 'a3'], ['r1', 't9']]);
		assertNoDangling(resolve(result.text, 'ours'), 'as ours');
		assertNoDangling(resolve(result.text, 'theirs'), 'as theirs');

		const swapped = mergeSidecars(base, theirs, ours);
		assert.deepStrictEqual(keys(swapped), ['endpoint-deleted-by-theirs relation t9 [a2]']);
		assert.deepStrictEqual(read(resolve(swapped.text, 'theirs')).relations.map((r) => r.id), ['r1']);
		assert.deepStrictEqual(read(resolve(swapped.text, 'ours')).relations.map((r) => r.id), ['r1', 't9']);
	});

	it('deleting an annotation with its relation merges cleanly when the other side left the relation alone', () => {
		const ours = edit(base, (d) => {
			d.removeRelation('r1');
			d.remove('a3');
		});
		const theirs = edit(base, (d) => d.update('a2', { note: 'elsewhere' }));
		const result = mergeSidecars(base, ours, theirs);
		assert.deepStrictEqual(result.conflicts, []);
		const merged = read(result.text);
		assert.deepStrictEqual([merged.annotations.map((a) => a.id), merged.relations], [['a1', 'a2'], []]);
	});

	it('reports an old relation the other side changed after one side deleted its annotation (and the relation)', () => {
		const ours = edit(base, (d) => {
			d.removeRelation('r1');
			d.remove('a3');
		});
		const theirs = edit(base, (d) => d.updateRelation('r1', { note: 'Zeker?' }));
		const result = mergeSidecars(base, ours, theirs);
		assert.deepStrictEqual(keys(result).sort(), ['deleted-by-ours relation r1', 'endpoint-deleted-by-ours relation r1 [a3]']);
		assert.deepStrictEqual(read(resolve(result.text, 'ours')).annotations.map((a) => a.id), ['a1', 'a2']);
		assert.deepStrictEqual(read(resolve(result.text, 'ours')).relations, []);
		const asTheirs = read(resolve(result.text, 'theirs'));
		assert.deepStrictEqual([asTheirs.annotations.map((a) => a.id), asTheirs.relations.map((r) => r.note)], [['a1', 'a2', 'a3'], ['Zeker?']]);
	});

	it('reports a relation whose annotation one side deleted and the other changed (both already between markers)', () => {
		const ours = edit(base, (d) => d.remove('a3'));
		const theirs = edit(base, (d) => d.update('a3', { note: 'Bron?' }));
		const result = mergeSidecars(base, ours, theirs);
		assert.deepStrictEqual(keys(result).sort(), ['deleted-by-ours a3', 'endpoint-deleted-by-ours relation r1 [a3]']);
		const asOurs = read(resolve(result.text, 'ours'));
		assert.deepStrictEqual([asOurs.annotations.map((a) => a.id), asOurs.relations], [['a1', 'a2'], []]);
		const asTheirs = read(resolve(result.text, 'theirs'));
		assert.deepStrictEqual([asTheirs.annotations.map((a) => a.id), asTheirs.relations.map((r) => r.id)], [['a1', 'a2', 'a3'], ['r1']]);
	});

	it('carries a relation a side holds dangling as it is (check reports it), and merges into a file that had no relations', () => {
		const noRelations = sidecarWithRelations([ZELENSKY, KIEV], []);
		const dangling: Relation = rel('d1', 'about', 'a1', 'gone');
		const theirs = edit(noRelations, (d) => {
			d.addRelation(rel('d1', 'about', 'a1', 'a2'));
			d.updateRelation('d1', { to: 'gone' });
		});
		const ours = edit(noRelations, (d) => d.add(STEUN));
		const result = mergeSidecars(noRelations, ours, theirs);
		assert.deepStrictEqual(result.conflicts, []);
		assert.deepStrictEqual(read(result.text).relations, [dangling]);
		assert.deepStrictEqual(read(result.text).annotations.map((a) => a.id), ['a1', 'a2', 'a3']);
	});

	it('keeps CRLF line ends in relation conflicts', () => {
		const crlf = (t: string): string => t.replace(/\r?\n/g, '\r\n');
		const ours = crlf(edit(base, (d) => d.remove('a2')));
		const theirs = crlf(edit(base, (d) => d.addRelation(rel('t9', 'about', 'a3', 'a2'))));
		const result = mergeSidecars(crlf(base), ours, theirs);
		assert.deepStrictEqual(keys(result), ['endpoint-deleted-by-ours relation t9 [a2]']);
		assert.ok(!/(?:^|[^\r])\n/.test(result.text), 'CRLF throughout');
		assert.deepStrictEqual(read(resolve(result.text, 'theirs')).relations.map((r) => r.id), ['r1', 't9']);
	});
});
