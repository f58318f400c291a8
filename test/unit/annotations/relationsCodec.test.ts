import * as assert from 'assert';
import {
	SidecarEditError, createSidecar, parseSidecar, serializeIfChanged, serializeIfChangedFullPrint, type SidecarDocument,
} from '../../../src/core/annotations/sidecarCodec';
import { createRelation } from '../../../src/core/annotations/factory';
import { readSidecarDataFast, readSidecarFast } from '../../../src/core/agreement/fastSidecarRead';
import type { Relation } from '../../../src/core/annotations/model';
import { ann, lineDiff } from './helpers';

const HEADER = { article: '000_3ffb0e8bd60704ce.txt', date: '2025-07', textHash: 'sha256:' + 'ab'.repeat(32) };

function parseOk(text: string): SidecarDocument {
	const r = parseSidecar(text);
	if (!r.ok) {
		assert.fail(`expected a valid sidecar: ${JSON.stringify(r.errors)}\n${text}`);
	}
	return r.doc;
}

function rel(id: string, from: string, to: string, extra: Partial<Relation> = {}): Relation {
	return { id, type: 'source-of', from, to, author: 'Jan Jansen', created: '2026-11-23T18:00:00Z', modified: '2026-11-23T18:00:00Z', ...extra };
}

/** A codec-written file with three annotations. */
function threeAnnotations(): string {
	const doc = createSidecar(HEADER);
	doc.add(ann('a1', 0, 5, 'Trump', { label: 'attribution' }));
	doc.add(ann('a2', 10, 20, 'twee uur'));
	doc.add(ann('a3', 30, 40, 'gesprek'));
	return doc.toString();
}

describe('sidecar relations: reading', () => {
	it('reads the relations list in file order, keeps unknown keys, and [] without one', () => {
		const base = threeAnnotations();
		assert.deepStrictEqual(parseOk(base).data.relations, []);
		assert.deepStrictEqual(parseOk(base + 'relations: []\n').data.relations, []);
		const text = base + [
			'relations:',
			'  - id: r2',
			'    type: contradicts',
			'    from: a2',
			'    to: a3',
			'    weight: 3 # unknown key, kept',
			'  - id: r1',
			'    type: source-of',
			'    from: a1',
			'    to: a2',
			'    note: "volgens de president"',
			'',
		].join('\n');
		const doc = parseOk(text);
		assert.deepStrictEqual(doc.relations, [
			{ id: 'r2', type: 'contradicts', from: 'a2', to: 'a3' },
			{ id: 'r1', type: 'source-of', from: 'a1', to: 'a2', note: 'volgens de president' },
		]);
		assert.strictEqual(doc.relations, doc.data.relations);
		assert.deepStrictEqual(doc.getRelation('r1')?.to, 'a2');
		assert.deepStrictEqual(doc.relationsOf('a2').map((r) => r.id), ['r2', 'r1']);
		assert.deepStrictEqual(doc.relationsOf('a3').map((r) => r.id), ['r2']);
		assert.deepStrictEqual(doc.relationsOf('zz'), []);
		// unknown keys survive an unrelated edit
		doc.update('a3', { label: 'event' });
		assert.ok(serializeIfChanged(text, doc)!.includes('    weight: 3 # unknown key, kept\n'));
	});

	it('reports bad relations with line and column, but not dangling endpoints', () => {
		const base = threeAnnotations();
		const baseLines = base.split('\n').length - 1;
		const text = base + [
			'relations:',
			'  - id: r1',
			'    type: source-of',
			'    from: a1',
			'    to: nergens', // dangling: not an error here
			'  - id: r1', // duplicate
			'    type: about',
			'    from: a1',
			'    to: a2',
			'  - id: r3', // missing to
			'    type: about',
			'    from: a1',
			'  - id: r4',
			'    type: ""', // empty type
			'    from: a1',
			'    to: a2',
			'  - id: r5',
			'    type: about',
			'    from: 12', // a number
			'    to: a2',
			'    created: gisteren',
			'  - gewoon tekst',
			'',
		].join('\n');
		const r = parseSidecar(text);
		assert.ok(!r.ok);
		assert.deepStrictEqual(r.errors.map((e) => [e.code, e.line - baseLines, e.column]), [
			['duplicate-id', 6, 9],
			['missing-field', 10, 5],
			['invalid-field', 14, 11],
			['invalid-field', 19, 11],
			['invalid-field', 21, 14],
			['invalid-field', 22, 5],
		]);
		assert.match(r.errors[0].message, /Duplicate relation id "r1" \(first used on line \d+\)/);
		const dangling = parseOk(base + 'relations:\n  - id: r1\n    type: about\n    from: x\n    to: y\n');
		assert.deepStrictEqual(dangling.relations.map((x) => [x.from, x.to]), [['x', 'y']]);
	});

	it('refuses a relations key without a list or with a scalar', () => {
		for (const tail of ['relations:\n', 'relations: nee\n', 'relations: {id: r1}\n']) {
			const r = parseSidecar(threeAnnotations() + tail);
			assert.ok(!r.ok, tail);
			assert.strictEqual(r.errors[0].line, threeAnnotations().split('\n').length, tail);
		}
	});

	it('the fast reader reads what the codec reads (or leaves the file to it)', () => {
		const doc = parseOk(threeAnnotations());
		doc.addRelation(rel('r1', 'a1', 'a2'));
		doc.addRelation(rel('r2', 'a2', 'a3', { type: 'contradicts', note: 'nee: "toch"' }));
		const text = doc.toString();
		const fast = readSidecarFast(text);
		if (fast !== undefined) {
			assert.deepStrictEqual(fast, parseOk(text).data);
		}
		const either = readSidecarDataFast(text);
		assert.ok(either.ok);
		assert.deepStrictEqual(either.data, parseOk(text).data);
		assert.strictEqual(readSidecarFast(text + '  - id: r1\n    type: about\n    from: a1\n    to: a2\n'), undefined, 'duplicate id: left to the codec');
	});
});

describe('sidecar relations: editing', () => {
	it('adds the first relation after annotations:, only its lines, and removing the last restores the file', () => {
		const before = threeAnnotations();
		const doc = parseOk(before);
		doc.addRelation(rel('r1', 'a1', 'a2', { note: 'zegt' }));
		const after = serializeIfChanged(before, doc)!;
		assert.strictEqual(after, serializeIfChangedFullPrint(before, doc));
		assert.ok(after.startsWith(before), 'untouched lines byte-identical');
		assert.strictEqual(after.slice(before.length), [
			'relations:',
			'  - id: r1',
			'    type: source-of',
			'    from: a1',
			'    to: a2',
			'    note: zegt',
			'    author: Jan Jansen',
			'    created: 2026-11-23T18:00:00Z',
			'    modified: 2026-11-23T18:00:00Z',
			'',
		].join('\n'));
		assert.deepStrictEqual(parseOk(after).data, doc.data);
		doc.commit(after);
		doc.addRelation(rel('r2', 'a3', 'a2', { type: 'about' }));
		const third = serializeIfChanged(after, doc)!;
		assert.ok(third.startsWith(after));
		assert.deepStrictEqual(lineDiff(after, third).removed, []);
		doc.commit(third);
		assert.ok(doc.removeRelation('r1'));
		assert.ok(!doc.removeRelation('r1'));
		const fourth = serializeIfChanged(third, doc)!;
		assert.deepStrictEqual(lineDiff(third, fourth).added, []);
		doc.commit(fourth);
		doc.removeRelation('r2');
		assert.strictEqual(serializeIfChanged(fourth, doc), before);
		assert.deepStrictEqual(doc.relations, []);
	});

	it('refuses duplicate ids, invalid fields and endpoints that are not annotations', () => {
		const doc = parseOk(threeAnnotations());
		doc.addRelation(rel('r1', 'a1', 'a2'));
		assert.throws(() => doc.addRelation(rel('r1', 'a2', 'a3')), SidecarEditError);
		assert.throws(() => doc.addRelation(rel('r2', 'a1', 'zz')), /"to" names no annotation/);
		assert.throws(() => doc.addRelation(rel('r2', 'zz', 'a1')), /"from" names no annotation/);
		assert.throws(() => doc.addRelation(rel('r2', 'a1', 'a2', { type: '' })), /"type" must not be empty/);
		assert.throws(() => doc.addRelation(rel('r2', 'a1', 'a2', { created: 'gisteren' })), SidecarEditError);
		assert.throws(() => doc.updateRelation('r1', { type: undefined }), /required/);
		assert.deepStrictEqual(doc.relations.map((r) => r.id), ['r1']);
	});

	it('updates one line per field, removes optional fields, keeps comments and CRLF', () => {
		const base = threeAnnotations() + [
			'relations:',
			'  # de bron',
			'  - id: r1',
			'    type: source-of # waarom',
			'    from: a1',
			'    to: a2',
			'    note: oud',
			'',
		].join('\n');
		for (const eol of ['\n', '\r\n']) {
			const before = base.replace(/\n/g, eol);
			const doc = parseOk(before);
			assert.ok(doc.updateRelation('r1', { to: 'a3', note: undefined, modified: '2026-12-02T10:00:00Z' }));
			assert.ok(!doc.updateRelation('nope', { to: 'a3' }));
			const after = serializeIfChanged(before, doc)!;
			const diff = lineDiff(before.replace(/\r\n/g, '\n'), after.replace(/\r\n/g, '\n'));
			assert.deepStrictEqual(diff.removed, ['    to: a2', '    note: oud']);
			assert.deepStrictEqual(diff.added, ['    to: a3', '    modified: 2026-12-02T10:00:00Z']);
			assert.ok(eol === '\n' ? !after.includes('\r') : !/[^\r]\n/.test(after));
			assert.deepStrictEqual(parseOk(after).data, doc.data);
			assert.deepStrictEqual(doc.getRelation('r1'), { id: 'r1', type: 'source-of', from: 'a1', to: 'a3', modified: '2026-12-02T10:00:00Z' });
		}
	});

	it('removing an annotation does not remove its relations', () => {
		const doc = parseOk(threeAnnotations());
		doc.addRelation(rel('r1', 'a1', 'a2'));
		doc.remove('a2');
		assert.deepStrictEqual(doc.relationsOf('a2').map((r) => r.id), ['r1']);
		const text = doc.toString();
		assert.deepStrictEqual(parseOk(text).data.relations, doc.relations);
	});

	it('createRelation takes id, author and times from the context', () => {
		let n = 0;
		const ctx = { now: () => new Date('2026-12-02T09:30:00.123Z'), author: 'Piet', newId: () => `r${++n}` };
		assert.deepStrictEqual(createRelation('about', 'a1', 'a2', ctx), {
			id: 'r1', type: 'about', from: 'a1', to: 'a2', author: 'Piet', created: '2026-12-02T09:30:00Z', modified: '2026-12-02T09:30:00Z',
		});
		assert.strictEqual(createRelation('about', 'a1', 'a2', ctx, { note: 'n' }).note, 'n');
	});
});
