/**
 * The measures against values worked out by hand (the arithmetic is in the comments), and
 * Krippendorff's α against a published worked example.
 */
import * as assert from 'assert';
import { prepareText } from '../../../src/core/annotations/anchoring';
import { comparePlaced, combinedMeasures, labelMeasures } from '../../../src/core/agreement/compare';
import type { AgreementSpan } from '../../../src/core/agreement/matching';
import {
	binaryTable, cohenKappa, krippendorffAlpha, nominalAlpha, tableCoincidences, unitCoincidences,
} from '../../../src/core/agreement/measures';
import type { Interval } from '../../../src/core/util/intervals';
import { UnitCounter } from '../../../src/core/agreement/units';
import { seededRandom } from '../../../src/core/util/seededRandom';

const TEN = 'abcdefghij';

function span(label: string, start: number, end: number, id = `${label}${start}`): AgreementSpan {
	return { id, label, start, end, quote: '' };
}

function near(actual: number | null, expected: number, what: string): void {
	assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${what}: ${String(actual)} ≠ ${expected}`);
}

function measures(text: string, a: AgreementSpan[], b: AgreementSpan[]): ReturnType<typeof combinedMeasures> {
	return combinedMeasures(comparePlaced('t.txt', prepareText(text), a, b).tallies);
}

describe('agreement measures, by hand', () => {
	it('perfect agreement: F1 1, κ 1, α 1', () => {
		const m = measures(TEN, [span('X', 0, 4)], [span('X', 0, 4)]);
		assert.deepStrictEqual(
			{ exact: m.exact_f1, overlap: m.overlap_f1, kappa: m.cohen_kappa, alpha: m.krippendorff_alpha, same: m.matched_exact, onlyA: m.only_a, onlyB: m.only_b },
			{ exact: 1, overlap: 1, kappa: 1, alpha: 1, same: 1, onlyA: 0, onlyB: 0 },
		);
	});

	it('overlapping boundaries: exact F1 0, overlap F1 1, κ 1/6, α 5/24', () => {
		// A: X [0,4), B: X [2,6) over 10 units: n11 2, n10 2, n01 2, n00 4.
		// κ: p_o = 0.6, p_e = 0.4·0.4 + 0.6·0.6 = 0.52, κ = 0.08 / 0.48 = 1/6.
		// α: o00 8, o01 4, o11 4; n0 12, n1 8, n 20; α = 1 − 19·4 / (12·8) = 20/96.
		const m = measures(TEN, [span('X', 0, 4)], [span('X', 2, 6)]);
		assert.strictEqual(m.exact_f1, 0);
		assert.strictEqual(m.overlap_f1, 1);
		assert.strictEqual(m.boundary_differs, 1);
		near(m.cohen_kappa, 1 / 6, 'κ');
		near(m.krippendorff_alpha, 20 / 96, 'α');
	});

	it('whitespace is not a unit: κ −1/2, α −3/8 on "ab cd ef"', () => {
		// A: X "ab cd" [0,5), B: X "cd ef" [3,8); units a b c d e f.
		// n11 2 (c d), n10 2 (a b), n01 2 (e f), n00 0. p_o = 1/3, p_e = (2/3)² + (1/3)² = 5/9, κ = (3/9 − 5/9) / (4/9) = −1/2.
		// α: o00 0, o01 4, o11 4; n0 4, n1 8, n 12; α = 1 − 11·4 / 32 = −3/8.
		const m = measures('ab cd ef', [span('X', 0, 5)], [span('X', 3, 8)]);
		near(m.cohen_kappa, -0.5, 'κ');
		near(m.krippendorff_alpha, -3 / 8, 'α');
	});

	it('no overlap: F1 0, κ −3/7, α −5/14, each span only on its side', () => {
		// A: X [0,3), B: X [5,8): n11 0, n10 3, n01 3, n00 4. p_o 0.4, p_e 0.09 + 0.49 = 0.58, κ = −0.18 / 0.42 = −3/7.
		// α: o00 8, o01 6, o11 0; n0 14, n1 6, n 20; α = 1 − 19·6 / 84 = −30/84.
		const m = measures(TEN, [span('X', 0, 3)], [span('X', 5, 8)]);
		assert.deepStrictEqual([m.exact_f1, m.overlap_f1, m.only_a, m.only_b, m.boundary_differs], [0, 0, 1, 1, 0]);
		near(m.cohen_kappa, -3 / 7, 'κ');
		near(m.krippendorff_alpha, -30 / 84, 'α');
	});

	it('one label used by one side only: κ 0, α −3/16, and the overall κ is the mean over labels', () => {
		// Label Y: A [0,4), B none: n10 4, n00 6; p_o 0.6, p_e 0·0.4 + 1·0.6 = 0.6, κ 0.
		// α: o00 12, o01 4, o11 0; n0 16, n1 4; α = 1 − 19·4 / 64 = −12/64.
		// Label X agreed exactly on [6,9): κ 1, α 1. Overall κ = (0 + 1) / 2, α = (−3/16 + 1) / 2.
		const tallies = comparePlaced('t.txt', prepareText(TEN), [span('Y', 0, 4), span('X', 6, 9)], [span('X', 6, 9)]).tallies;
		const y = labelMeasures(tallies.get('Y')!);
		near(y.cohen_kappa, 0, 'κ(Y)');
		near(y.krippendorff_alpha, -3 / 16, 'α(Y)');
		assert.deepStrictEqual([y.exact_f1, y.n_a, y.n_b, y.only_a], [0, 1, 0, 1]);
		const overall = combinedMeasures(tallies);
		near(overall.cohen_kappa, 0.5, 'overall κ');
		near(overall.krippendorff_alpha, (1 - 3 / 16) / 2, 'overall α');
		near(overall.exact_f1, 2 / 3, 'overall exact F1'); // 2·1 / (2 + 1)
	});

	it('a relabelled span counts as label_differs under both labels and once overall', () => {
		const tallies = comparePlaced('t.txt', prepareText(TEN), [span('X', 0, 4)], [span('Y', 0, 4)]).tallies;
		assert.strictEqual(labelMeasures(tallies.get('X')!).label_differs, 1);
		assert.strictEqual(labelMeasures(tallies.get('Y')!).label_differs, 1);
		const m = combinedMeasures(tallies);
		assert.deepStrictEqual([m.label_differs, m.only_a, m.only_b, m.matched_exact], [1, 0, 0, 0]);
	});

	it('undefined values are null: nothing to compare, or no variation', () => {
		assert.strictEqual(cohenKappa({ n11: 0, n10: 0, n01: 0, n00: 0 }), null);
		assert.strictEqual(cohenKappa({ n11: 5, n10: 0, n01: 0, n00: 0 }), null);
		assert.strictEqual(krippendorffAlpha({ o00: 10, o01: 0, o11: 0 }), null);
		assert.strictEqual(measures(TEN, [], []).exact_f1, null);
	});

	it('an author missing on an article is left out of α, not counted as "no label"', () => {
		// Article 1 (10 units): P and Q mark X [0,4); R did not annotate it. m = 2:
		//   o11 += 4·2·1/1 = 8, o00 += 6·2·1/1 = 12.
		// Article 2 (10 units): P marks X [0,5), R X [0,6); Q did not annotate it. m = 2:
		//   [0,5) both inside: o11 += 10; [5,6) one inside: o01 += 1; [6,10) none: o00 += 8.
		// Sums: o11 18, o01 1, o00 20; n0 21, n1 19, n 40; α = 1 − 39·1 / (21·19) = 360/399.
		const units = new UnitCounter(TEN);
		const c1 = unitCoincidences(units, [[{ start: 0, end: 4 }], [{ start: 0, end: 4 }]]);
		const c2 = unitCoincidences(units, [[{ start: 0, end: 5 }], [{ start: 0, end: 6 }]]);
		const sum = { o00: c1.o00 + c2.o00, o01: c1.o01 + c2.o01, o11: c1.o11 + c2.o11 };
		assert.deepStrictEqual(sum, { o00: 20, o01: 1, o11: 18 });
		near(krippendorffAlpha(sum), 360 / 399, 'α');
		// The same data as reliability data, a row per author, a column per unit (undefined = missing).
		const inside = (s: Interval | undefined) => (u: number): number | undefined => (s === undefined ? undefined : u >= s.start && u < s.end ? 1 : 0);
		const row = (first: Interval | undefined, second: Interval | undefined): (number | undefined)[] =>
			[...Array.from({ length: 10 }, (_, u) => inside(first)(u)), ...Array.from({ length: 10 }, (_, u) => inside(second)(u))];
		near(nominalAlpha([row({ start: 0, end: 4 }, { start: 0, end: 5 }), row({ start: 0, end: 4 }, undefined), row(undefined, { start: 0, end: 6 })]), 360 / 399, 'α from the data matrix');
	});

	it("Krippendorff's worked example: 4 observers, 12 units, missing values, nominal α = 0.743", () => {
		// Reliability data of the example in K. Krippendorff, "Computing Krippendorff's Alpha-Reliability"
		// (University of Pennsylvania, 2011), section on nominal data: observers A–D, units 1–12, "." = missing.
		// The published nominal α is 0.743 (to three decimals); our general form is computed from the data.
		const _ = undefined;
		const data = [
			[1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
			[1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
			[_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
			[1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
		];
		const alpha = nominalAlpha(data);
		assert.ok(alpha !== null && Math.abs(alpha - 0.743) < 0.0005, `α = ${String(alpha)}`);
	});

	it('the fast binary α equals the general nominal α on random data (seeded)', () => {
		const random = seededRandom(15);
		let failures = 0;
		for (let trial = 0; trial < 200; trial++) {
			const length = 5 + Math.floor(random() * 30);
			const coders = 2 + Math.floor(random() * 3);
			const spans: Interval[][] = Array.from({ length: coders }, () => {
				const list: Interval[] = [];
				for (let k = Math.floor(random() * 4); k > 0; k--) {
					const start = Math.floor(random() * length);
					list.push({ start, end: Math.min(length, start + 1 + Math.floor(random() * 6)) });
				}
				return list;
			});
			const text = 'x'.repeat(length);
			const fast = krippendorffAlpha(unitCoincidences(new UnitCounter(text), spans));
			const matrix = spans.map((list) => Array.from({ length }, (_, u) => (list.some((s) => u >= s.start && u < s.end) ? 1 : 0)));
			const general = nominalAlpha(matrix);
			const same = fast === null ? general === null : general !== null && Math.abs(fast - general) < 1e-9;
			if (coders === 2) {
				const table = binaryTable(new UnitCounter(text), spans[0], spans[1]);
				const viaTable = krippendorffAlpha(tableCoincidences(table));
				if (!(viaTable === fast || (viaTable !== null && fast !== null && Math.abs(viaTable - fast) < 1e-9))) {
					failures++;
				}
			}
			if (!same) {
				failures++;
			}
		}
		assert.strictEqual(failures, 0, `${failures} of 200 random cases differ`);
	});
});
