/** Pairing spans and comparing one article's two sides: placement, orphans, one-sided and unreadable sidecars. */
import * as assert from 'assert';
import { makeSelector } from '../../../src/core/annotations/anchoring';
import type { Annotation } from '../../../src/core/annotations/model';
import { createSidecar, serializeIfChanged } from '../../../src/core/annotations/sidecarCodec';
import { compareArticle, combinedMeasures } from '../../../src/core/agreement/compare';
import { matchSpans, type AgreementSpan } from '../../../src/core/agreement/matching';
import { AgreementAccumulator } from '../../../src/core/agreement/report';
import { seededRandom } from '../../../src/core/util/seededRandom';
import { editorOffset, sidecarOffset } from '../../../src/core/annotations/offsets';

const TEXT = ' date 2024-05 De minister van Defensie kondigde nieuwe steun aan Oekraïne aan.\n\nVolgens het kabinet gaat het om luchtverdediging.';

function s(label: string, start: number, end: number, id: string): AgreementSpan {
	return { id, label, start, end, quote: '' };
}

function ann(text: string, id: string, label: string, quote: string, author = 'ann'): Annotation {
	const start = text.indexOf(quote);
	assert.ok(start >= 0, quote);
	return { id, label, ...makeSelector(text, editorOffset(start), editorOffset(start + quote.length)), author };
}

function sidecar(text: string, annotations: Annotation[]): string {
	const doc = createSidecar({ article: 'a.txt', date: '2024-05', textHash: null });
	for (const a of annotations) {
		doc.add(a);
	}
	return serializeIfChanged('', doc)!;
}

describe('agreement: pairing spans', () => {
	it('pairs exact matches, then same-label overlaps, then relabelled overlaps; the rest is one-sided', () => {
		const a = [s('X', 0, 5, 'a1'), s('X', 10, 20, 'a2'), s('Y', 30, 35, 'a3'), s('X', 50, 55, 'a4')];
		const b = [s('X', 0, 5, 'b1'), s('X', 12, 22, 'b2'), s('Z', 30, 35, 'b3'), s('X', 70, 75, 'b4')];
		const m = matchSpans(a, b);
		const ids = (pairs: readonly { a: number; b: number }[]): string[] => pairs.map((p) => `${a[p.a].id}-${b[p.b].id}`);
		assert.deepStrictEqual(
			{ exact: ids(m.exact), boundary: ids(m.boundary), label: ids(m.label), onlyA: m.onlyA.map((i) => a[i].id), onlyB: m.onlyB.map((j) => b[j].id) },
			{ exact: ['a1-b1'], boundary: ['a2-b2'], label: ['a3-b3'], onlyA: ['a4'], onlyB: ['b4'] },
		);
	});

	it('takes the largest overlap first and pairs each span at most once', () => {
		// B's span overlaps A1 by 2 and A2 by 6: it goes with A2; A1 is left alone.
		const m = matchSpans([s('X', 0, 10, 'a1'), s('X', 10, 20, 'a2')], [s('X', 8, 16, 'b1')]);
		assert.deepStrictEqual(m.boundary, [{ a: 1, b: 0 }]);
		assert.deepStrictEqual(m.onlyA, [0]);
	});

	it('keeps the counts consistent on random spans (seeded): n = exact + boundary + label + only', () => {
		const random = seededRandom(7);
		const spans = (prefix: string): AgreementSpan[] => Array.from({ length: Math.floor(random() * 12) }, (_, i) => {
			const start = Math.floor(random() * 100);
			return s(['X', 'Y'][Math.floor(random() * 2)], start, start + 1 + Math.floor(random() * 10), `${prefix}${i}`);
		});
		let failures = 0;
		for (let trial = 0; trial < 300; trial++) {
			const a = spans('a');
			const b = spans('b');
			const m = matchSpans(a, b);
			const usedA = [...m.exact, ...m.boundary, ...m.label].map((p) => p.a).concat(m.onlyA);
			const usedB = [...m.exact, ...m.boundary, ...m.label].map((p) => p.b).concat(m.onlyB);
			const overlapping = [...m.boundary, ...m.label].every((p) => Math.min(a[p.a].end, b[p.b].end) > Math.max(a[p.a].start, b[p.b].start));
			if (new Set(usedA).size !== a.length || usedA.length !== a.length || new Set(usedB).size !== b.length || usedB.length !== b.length || !overlapping) {
				failures++;
			}
		}
		assert.strictEqual(failures, 0, `${failures} of 300 random cases inconsistent`);
	});
});

describe('agreement: one article', () => {
	const A = [ann(TEXT, 'a1', 'event', 'De minister van Defensie'), ann(TEXT, 'a2', 'claim', 'Oekraïne')];
	const B = [ann(TEXT, 'b1', 'event', 'De minister van Defensie'), ann(TEXT, 'b2', 'claim', 'steun aan Oekraïne')];

	it('compares two sidecars of the same text', () => {
		const c = compareArticle({ article: 'a.txt', sidecar: 'a.ann.yaml', a: { sidecar: sidecar(TEXT, A), article: TEXT }, b: { sidecar: sidecar(TEXT, B), article: TEXT } });
		assert.strictEqual(c.status, 'compared');
		const m = combinedMeasures(c.tallies);
		assert.deepStrictEqual([m.matched_exact, m.boundary_differs, m.only_a, m.only_b], [1, 1, 0, 0]);
	});

	it("places each side in its own text, then carries both over to the working tree's text", () => {
		// B's branch inserted a sentence before everything: its offsets are for its own text.
		const inserted = TEXT.slice(0, 14) + 'Een nieuwe zin vooraf. ' + TEXT.slice(14);
		const current = TEXT.replace('Volgens', 'Volgens de woordvoerder van');
		const bOwn = [ann(inserted, 'b1', 'event', 'De minister van Defensie'), ann(inserted, 'b2', 'claim', 'Oekraïne')];
		const c = compareArticle({
			article: 'a.txt', sidecar: 'a.ann.yaml', current,
			a: { sidecar: sidecar(TEXT, A), article: TEXT }, b: { sidecar: sidecar(inserted, bOwn), article: inserted },
		});
		assert.strictEqual(c.status, 'compared');
		assert.strictEqual(c.text?.canonical, current);
		assert.deepStrictEqual(c.b.map((x) => [x.start, x.quote]), [[14, 'De minister van Defensie'], [current.indexOf('Oekraïne'), 'Oekraïne']]);
		assert.strictEqual(combinedMeasures(c.tallies).matched_exact, 2);
	});

	it('reports an annotation that cannot be placed as an orphan, never as agreement or disagreement', () => {
		const gone = { ...ann(TEXT, 'a3', 'claim', 'luchtverdediging'), start: sidecarOffset(5), end: sidecarOffset(9), quote: 'raketschild', prefix: 'zomaar iets', suffix: 'anders' };
		const c = compareArticle({ article: 'a.txt', sidecar: 'a.ann.yaml', a: { sidecar: sidecar(TEXT, [...A, gone]), article: TEXT }, b: { sidecar: sidecar(TEXT, A), article: TEXT } });
		assert.deepStrictEqual(c.orphans.map((o) => [o.side, o.id, o.reason]), [['a', 'a3', 'not-found']]);
		const m = combinedMeasures(c.tallies);
		assert.deepStrictEqual([m.n_a, m.n_b, m.matched_exact, m.only_a], [2, 2, 2, 0]);
	});

	it('lists an article annotated on one side only, and an unreadable sidecar with its side and position', () => {
		const acc = new AgreementAccumulator('alice', 'bob');
		acc.add(compareArticle({ article: 'one.txt', sidecar: 'one.ann.yaml', a: { sidecar: sidecar(TEXT, A), article: TEXT }, b: { article: TEXT } }, { sideNames: { a: 'alice', b: 'bob' } }));
		acc.add(compareArticle({ article: 'bad.txt', sidecar: 'bad.ann.yaml', a: { sidecar: sidecar(TEXT, A), article: TEXT }, b: { sidecar: 'version: 1\narticle: [\n', article: TEXT } }, { sideNames: { a: 'alice', b: 'bob' } }));
		acc.add(compareArticle({ article: 'ok.txt', sidecar: 'ok.ann.yaml', a: { sidecar: sidecar(TEXT, A), article: TEXT }, b: { sidecar: sidecar(TEXT, B), article: TEXT } }));
		const r = acc.finish(new Set(['event']));
		assert.deepStrictEqual(r.articles.map((x) => [x.article, x.status]), [['bad.txt', 'unreadable'], ['ok.txt', 'compared'], ['one.txt', 'only-in-a']]);
		assert.strictEqual(r.problems.length, 1);
		const p = r.problems[0];
		assert.deepStrictEqual([p.side, p.file, p.kind, p.line > 0, p.column > 0], ['bob', 'bad.ann.yaml', 'unreadable', true, true]);
		// Only the compared article counts; claim is not in the given schema and is flagged.
		assert.deepStrictEqual([r.overall.n_a, r.overall.n_b], [2, 2]);
		assert.strictEqual(r.labels.claim.in_schema, false);
		assert.deepStrictEqual(r.labels_not_in_schema, ['claim']);
	});

	it('compares only the labels asked for', () => {
		const c = compareArticle({ article: 'a.txt', sidecar: 'a.ann.yaml', a: { sidecar: sidecar(TEXT, A), article: TEXT }, b: { sidecar: sidecar(TEXT, B), article: TEXT } }, { labels: new Set(['event']) });
		assert.deepStrictEqual([...c.tallies.keys()], ['event']);
	});
});
