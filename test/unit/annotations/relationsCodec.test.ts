import * as assert from 'assert';
import {
	SidecarEditError, createSidecar, parseSidecar, serializeIfChanged, serializeIfChangedFullPrint, type SidecarDocument,
} from '../../../src/core/annotations/sidecarCodec';
import { createRelation } from '../../../src/core/annotations/factory';
import { readSidecarDataFast, readSidecarFast } from '../../../src/core/agreement/fastSidecarRead';
import type { Relation } from '../../../src/core/annotations/model';
import { ann, lineDiff } from './helpers';
import { seededRandom } from '../../../src/core/util/seededRandom';
import { makeSelector } from '../../../src/core/annotations/anchoring';
import { editorOffset } from '../../../src/core/annotations/offsets';
import { openSidecarSession } from '../../../src/core/annotations/sidecarSession';

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
		assert.deepStrictEqual(readSidecarFast(text), parseOk(text).data);
		assert.deepStrictEqual(readSidecarFast(text.replace(/relations:\n[^]*$/, 'relations: []\n')), parseOk(threeAnnotations()).data);
		const either = readSidecarDataFast(text);
		assert.ok(either.ok);
		assert.deepStrictEqual(either.data, parseOk(text).data);
		assert.strictEqual(readSidecarFast(text + '  - id: r1\n    type: about\n    from: a1\n    to: a2\n'), undefined, 'duplicate id: left to the codec');
	});
});

/** Values that stress YAML quoting in relation fields. */
const TRICKY = ['source-of', 'yes', '0123', 'null', 'a: b', 'x #y', '"q"', "it's", '- d', '[x]', 'Oekraïne 😀', 'twee\nregels', '~', '12'];

describe('sidecar relations: the fast reader (seeded)', () => {
	it('reads what the codec reads, or declines; never accepts what the codec refuses', () => {
		const random = seededRandom(41);
		const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
		let read = 0, declined = 0, refused = 0;
		for (let k = 0; k < 300; k++) {
			const doc = parseOk(threeAnnotations());
			for (let i = 0, n = Math.floor(random() * 5); i < n; i++) {
				const r: Relation = { id: pick(['r', 'yes', '0x1', 'r-']) + i, type: pick(TRICKY), from: pick(['a1', 'a2', 'a3']), to: pick(['a1', 'a2', 'a3']) };
				if (random() < 0.4) {
					r.note = pick(TRICKY);
				}
				if (random() < 0.5) {
					r.author = pick(TRICKY);
				}
				doc.addRelation(r);
			}
			let text = doc.toString();
			if (random() < 0.5) {
				// One line damaged or hand-edited.
				const lines = text.split('\n');
				const i = Math.floor(random() * lines.length);
				const insert = pick(['#', ' ', ':', '"', '- ', '  ', '[', 'x', '0', '&a ', '!!str ']);
				const at = Math.floor(random() * (lines[i].length + 1));
				lines[i] = random() < 0.5 ? lines[i].slice(0, at) + insert + lines[i].slice(at) : lines[i].slice(0, at) + lines[i].slice(at + 1);
				text = lines.join('\n');
			}
			const codec = parseSidecar(text);
			const fast = readSidecarFast(text);
			if (!codec.ok) {
				refused++;
				assert.strictEqual(fast, undefined, `accepted what the codec refuses:\n${text}`);
			} else if (fast === undefined) {
				declined++;
			} else {
				read++;
				assert.deepStrictEqual(fast, codec.doc.data, text);
			}
		}
		console.log(`      fast read: ${read} read, ${declined} left to the codec, ${refused} refused by both`);
		assert.ok(read > 100, `read ${read}`);
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

	it('edits relations in hand-made layouts: before the annotations, `relations: []`, flow lists, comments on the key', () => {
		const base = threeAnnotations();
		const head = base.slice(0, base.indexOf('annotations:'));
		const anns = base.slice(base.indexOf('annotations:'));
		const layouts = [
			head + 'relations:\n  - id: r0\n    type: about\n    from: a1\n    to: a2\n' + anns,
			base + 'relations: []\n',
			base + 'relations: [{id: r0, type: about, from: a1, to: a2}]\n',
			base + 'relations: # de links\n  - id: r0\n    type: about\n    from: a1\n    to: a2\n# einde\n',
			base + 'reviewer: Marie\n',
			(base + 'relations:\n  - id: r0\n    type: about\n    from: a1\n    to: a2\n').replace(/\n/g, '\r\n'),
		];
		let spliced = 0;
		for (const text of layouts) {
			for (const ops of [
				(d: SidecarDocument) => d.addRelation(rel('r9', 'a3', 'a1')),
				(d: SidecarDocument) => { d.addRelation(rel('r9', 'a3', 'a1')); d.updateRelation('r0', { note: 'n' }); },
				(d: SidecarDocument) => { d.removeRelation('r0'); },
				(d: SidecarDocument) => { d.removeRelation('r0'); d.addRelation(rel('r9', 'a3', 'a1')); d.setHeader({ date: '2024-01' }); },
				(d: SidecarDocument) => { d.remove('a2'); d.add(ann('a4', 50, 55, 'vijf')); d.addRelation(rel('r8', 'a4', 'a1')); },
			]) {
				const doc = parseOk(text);
				ops(doc);
				if (doc.splicedText() !== undefined) {
					spliced++;
				}
				const out = serializeIfChanged(text, doc) ?? text;
				const again = parseOk(out);
				assert.deepStrictEqual(again.data, doc.data, `${text}\n→\n${out}`);
				assert.strictEqual(serializeIfChanged(out, again), undefined);
				assert.ok(text.includes('\r\n') === out.includes('\r\n'), 'line ends kept');
				if (/# (de links|einde)/.test(text) && doc.relations.length > 0) {
					assert.ok(out.includes('# einde'), out);
				}
			}
		}
		console.log(`      hand layouts: ${spliced} of ${layouts.length * 5} edit sequences spliced, the rest printed in full`);
		assert.ok(spliced > 10, `spliced ${spliced} of ${layouts.length * 5}`);
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
		// Unlike addRelation, updateRelation does not check the ends (as reading): the merge driver
		// carries a side's dangling relation this way.
		assert.ok(doc.updateRelation('r1', { to: 'zz' }));
		assert.strictEqual(parseOk(doc.toString()).getRelation('r1')?.to, 'zz');
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

describe('sidecar relations: the session', () => {
	const ARTICLE = ' date 2024-06 De NAVO sprak met president Zelensky.\r\n\r\nRutte bezocht later Kiev, waar hij de burgemeester sprak.';
	const at = (text: string, id: string, quote: string, label = 'claim') => {
		const i = text.indexOf(quote);
		return { id, label, ...makeSelector(text, editorOffset(i), editorOffset(i + quote.length)), author: 'T', created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z' };
	};

	it('opening, re-anchoring and writing a file with relations keeps the relation lines byte-identical', () => {
		const created = openSidecarSession({ sidecarText: undefined, articleText: ARTICLE, articleName: 'a.txt' });
		assert.ok(created.ok);
		const s = created.session;
		s.doc.add(at(ARTICLE, 'a1', 'Rutte', 'attribution'));
		s.doc.add(at(ARTICLE, 'a2', 'Kiev'));
		s.doc.addRelation(rel('r1', 'a1', 'a2', { note: 'bezoek: "Kiev"' }));
		const text = s.serialize()!;
		const relLines = text.slice(text.indexOf('relations:'));
		assert.ok(relLines.includes('  - id: r1\n'));
		// The article changed: both annotations move, the header hash changes.
		const edited = ARTICLE.replace('De NAVO sprak', 'Gisteren sprak de NAVO uitvoerig');
		const reopened = openSidecarSession({ sidecarText: text, articleText: edited, articleName: 'a.txt', previousArticleText: ARTICLE });
		assert.ok(reopened.ok);
		const s2 = reopened.session;
		assert.deepStrictEqual(s2.asRead.relations, s2.doc.relations);
		assert.notStrictEqual(s2.asRead.relations, s2.doc.relations, 'as read: a copy');
		const out = s2.serialize()!;
		assert.notStrictEqual(out, text, 're-anchored');
		assert.ok(out.endsWith(relLines), 'relation lines byte-identical');
		s2.commit(out);
		s2.doc.removeRelation('r1');
		assert.deepStrictEqual(s2.asRead.relations.map((r) => r.id), ['r1']);
		const without = s2.serialize()!;
		assert.ok(!without.includes('relations:'));
		assert.deepStrictEqual(parseOk(without).data.annotations, s2.doc.data.annotations);
	});
});
