/** Settling disagreements into a working-tree sidecar: what each decision writes, and when it still holds. */
import * as assert from 'assert';
import { makeSelector, prepareText } from '../../../src/core/annotations/anchoring';
import { editorOffset } from '../../../src/core/annotations/offsets';
import type { Annotation } from '../../../src/core/annotations/model';
import { createSidecar, parseSidecar, serializeIfChanged, type SidecarDocument } from '../../../src/core/annotations/sidecarCodec';
import { comparePlaced } from '../../../src/core/agreement/compare';
import { applyDecision, decisionHolds, disagreementsOf, type Decision, type Disagreement } from '../../../src/core/agreement/curation';
import { placeAnnotations } from '../../../src/core/agreement/placement';

const TEXT = ' date 2024-05 De minister van Defensie kondigde nieuwe steun aan Oekraïne aan.\n\nVolgens het kabinet gaat het om luchtverdediging.';
const prepared = prepareText(TEXT);

function ann(id: string, label: string, quote: string, author: string): Annotation {
	const start = TEXT.indexOf(quote);
	return { id, label, ...makeSelector(TEXT, editorOffset(start), editorOffset(start + quote.length)), author, created: '2026-01-01T00:00:00Z' };
}

const A = [ann('a1', 'event', 'De minister van Defensie', 'alice'), ann('a2', 'claim', 'steun aan Oekraïne', 'alice'), ann('a3', 'claim', 'luchtverdediging', 'alice')];
const B = [ann('b1', 'event', 'De minister van Defensie', 'bob'), ann('b2', 'claim', 'nieuwe steun aan Oekraïne', 'bob'), ann('b3', 'attribution', 'het kabinet', 'bob')];

function disagreements(): Disagreement[] {
	const placedA = placeAnnotations(A, prepared, prepared).spans;
	const placedB = placeAnnotations(B, prepared, prepared).spans;
	return disagreementsOf(comparePlaced('a.txt', prepared, placedA, placedB));
}

/** A working-tree sidecar holding both analysts' annotations (after a merge of their branches). */
function merged(): SidecarDocument {
	const doc = createSidecar({ article: 'a.txt', date: '2024-05', textHash: null });
	for (const a of [...A, ...B]) {
		doc.add(a);
	}
	const parsed = parseSidecar(serializeIfChanged('', doc)!);
	assert.ok(parsed.ok);
	return parsed.doc;
}

const ctx = { curator: 'cas', now: '2026-02-01T09:00:00Z', newId: ((n) => () => `n${++n}`)(0) };

function spansOf(doc: SidecarDocument): { label: string; start: number; end: number }[] {
	return doc.data.annotations.map((a) => ({ label: a.label, start: a.start, end: a.end }));
}

describe('agreement: curating disagreements', () => {
	it('lists each disagreement once, in document order', () => {
		assert.deepStrictEqual(disagreements().map((d) => [d.kind, d.a?.id, d.b?.id]), [
			['boundary-differs', 'a2', 'b2'], ['only-b', undefined, 'b3'], ['only-a', 'a3', undefined],
		]);
	});

	const cases: [Decision, string[]][] = [
		['accept-a', ['a2']],
		['accept-b', ['b2']],
		['keep-both', ['a2', 'b2']],
		['reject-both', []],
	];
	for (const [decision, kept] of cases) {
		it(`${decision}: keeps ${kept.join(' and ') || 'neither'}, marked curated, and holds until undone`, () => {
			const doc = merged();
			const d = disagreements()[0];
			const record = applyDecision(doc, prepared, d, decision, ctx);
			const ids = doc.data.annotations.map((a) => a.id);
			assert.deepStrictEqual(ids.filter((id) => id === 'a2' || id === 'b2').sort(), kept);
			for (const id of kept) {
				const a = doc.get(id)!;
				assert.deepStrictEqual([a.curated_by, a.curated, a.modified, a.author], ['cas', ctx.now, ctx.now, id.startsWith('a') ? 'alice' : 'bob']);
			}
			assert.ok(decisionHolds(record, spansOf(doc)));
			assert.ok(!decisionHolds(record, spansOf(merged())) || decision === 'keep-both', 'the merged file before the decision does not show it');
			// The result reads back.
			assert.ok(parseSidecar(serializeIfChanged(doc.sourceText, doc)!).ok);
		});
	}

	it('accept: copies the side\'s annotation into a working tree that does not have it (curating on main)', () => {
		const doc = createSidecar({ article: 'a.txt', date: '2024-05', textHash: null });
		const d = disagreements()[2]; // only alice: luchtverdediging
		const record = applyDecision(doc, prepared, d, 'accept-a', ctx);
		assert.deepStrictEqual(doc.data.annotations.map((a) => [a.id, a.label, a.quote, a.author, a.curated_by]), [['a3', 'claim', 'luchtverdediging', 'alice', 'cas']]);
		assert.ok(decisionHolds(record, spansOf(doc)));
	});

	it('edit: replaces both with the curator\'s span and label', () => {
		const doc = merged();
		const d = disagreements()[0];
		const start = TEXT.indexOf('steun aan');
		const record = applyDecision(doc, prepared, d, 'edit', ctx, { label: 'framing', start, end: start + 'steun aan'.length });
		const made = doc.data.annotations.filter((a) => a.curated_by === 'cas');
		assert.deepStrictEqual(made.map((a) => [a.label, a.quote, a.author, a.created]), [['framing', 'steun aan', 'cas', ctx.now]]);
		assert.ok(!doc.get('a2') && !doc.get('b2'));
		assert.ok(decisionHolds(record, spansOf(doc)));
	});
});
