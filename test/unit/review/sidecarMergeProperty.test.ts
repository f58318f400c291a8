/**
 * Property tests of the three-way sidecar merge (issue 12): random edit sequences on both sides
 * of a random base, seeded. Merging x with a differently written copy of itself gives x;
 * swapping the sides only swaps the sides of each conflict; CRLF files merge like LF ones and
 * stay CRLF; adjacent conflicts stay separate blocks.
 */
import * as assert from 'assert';
import { makeSelector } from '../../../src/core/annotations/anchoring';
import type { Annotation } from '../../../src/core/annotations/model';
import { parseSidecar } from '../../../src/core/annotations/sidecarCodec';
import { CONFLICT_MARKERS, mergeSidecars, type MergeResult } from '../../../src/core/review/sidecarMerge';
import { seededRandom } from '../../../src/core/util/seededRandom';
import { ARTICLE_TEXT, ann, edit, sidecarText } from './fixtures';

const LABELS = ['claim', 'event', 'attribution', 'framing'];
const NOTES = [undefined, 'Bron?', 'Controleren', 'Citaat: “letterlijk”'];

function randomAnnotation(r: () => number, id: string): Annotation {
	const start = Math.floor(r() * (ARTICLE_TEXT.length - 30));
	const end = start + 1 + Math.floor(r() * 25);
	const note = NOTES[Math.floor(r() * NOTES.length)];
	return {
		id, label: LABELS[Math.floor(r() * LABELS.length)], ...makeSelector(ARTICLE_TEXT, start, end),
		...(note ? { note } : {}), author: 'T', created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z',
	};
}

/** One side: a few random edits of `base`. Ids added by a side start with `side`, except a shared `n0` (both-added). */
function randomSide(r: () => number, base: string, side: string, day: number): string {
	return edit(base, (d) => {
		const steps = 1 + Math.floor(r() * 5);
		for (let i = 0; i < steps; i++) {
			const ids = d.data.annotations.map((a) => a.id);
			const target = ids[Math.floor(r() * ids.length)];
			const op = r();
			const modified = `2026-02-${String(day).padStart(2, '0')}T10:0${i}:00Z`;
			if (op < 0.2 || !target) {
				const id = r() < 0.15 ? 'n0' : `${side}${i}`;
				if (!d.get(id)) {
					d.add(randomAnnotation(r, id));
				}
			} else if (op < 0.35) {
				d.remove(target);
			} else if (op < 0.55) {
				d.update(target, { label: LABELS[Math.floor(r() * LABELS.length)], modified });
			} else if (op < 0.7) {
				d.update(target, { note: NOTES[Math.floor(r() * NOTES.length)], modified });
			} else if (op < 0.8) {
				d.update(target, { entity: r() < 0.5 ? 'Zelensky' : undefined, modified });
			} else {
				const moved = randomAnnotation(r, target);
				d.setOffsets(target, moved.start, moved.end, moved.quote, moved.prefix, moved.suffix);
			}
		}
	});
}

/** The text with every conflict resolved to one side (the marker lines and the other side dropped). */
function resolve(text: string, side: 'ours' | 'theirs'): string {
	const out: string[] = [];
	let section: 'none' | 'ours' | 'theirs' = 'none';
	for (const line of text.split(/(?<=\n)/)) {
		const bare = line.replace(/\r?\n$/, '');
		if (bare === CONFLICT_MARKERS.ours) {
			section = 'ours';
		} else if (bare === CONFLICT_MARKERS.separator && section === 'ours') {
			section = 'theirs';
		} else if (bare === CONFLICT_MARKERS.theirs && section === 'theirs') {
			section = 'none';
		} else if (section === 'none' || section === side) {
			out.push(line);
		}
	}
	return out.join('');
}

/** Annotations by id, for comparing merges that may differ in layout. */
function annotationsOf(text: string, what: string): Record<string, Annotation> {
	const r = parseSidecar(text);
	if (!r.ok) {
		assert.fail(`${what} does not read back: ${r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('; ')}\n${text}`);
	}
	return Object.fromEntries([...r.doc.data.annotations].sort((a, b) => (a.id < b.id ? -1 : 1)).map((a) => [a.id, a]));
}

function conflictKeys(result: MergeResult, swap: boolean): string[] {
	const flip: Record<string, string> = { 'deleted-by-ours': 'deleted-by-theirs', 'deleted-by-theirs': 'deleted-by-ours' };
	return result.conflicts.map((c) => `${swap ? flip[c.kind] ?? c.kind : c.kind} ${c.id ?? ''}`).sort();
}

const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

describe('sidecar merge properties', function () {
	this.timeout(120000);
	const ROUNDS = 300;

	it(`merging x with a differently written copy of x gives x (${ROUNDS} random sides)`, () => {
		const r = seededRandom(41);
		let failures = 0;
		for (let round = 0; round < ROUNDS; round++) {
			const base = sidecarText(Array.from({ length: 2 + Math.floor(r() * 6) }, (_, i) => randomAnnotation(r, `b${i}`)));
			const x = randomSide(r, base, 'x', 1 + (round % 28));
			// Same data, other bytes: CRLF line ends, or a comment the analyst added.
			const copy = round % 2 === 0 ? crlf(x) : x.replace('\nannotations:', '\n# gelezen\nannotations:');
			for (const [ours, theirs] of [[x, copy], [copy, x]]) {
				const result = mergeSidecars(base, ours, theirs);
				const same = result.conflicts.length === 0 && JSON.stringify(annotationsOf(result.text, 'merge')) === JSON.stringify(annotationsOf(x, 'x'));
				if (!same) {
					failures++;
				}
			}
		}
		console.log(`      self-merges: ${2 * ROUNDS}, not equal to x: ${failures}`);
		assert.strictEqual(failures, 0);
	});

	it(`swapping the sides only swaps the sides of each conflict (${ROUNDS} random pairs, LF and CRLF)`, () => {
		const r = seededRandom(42);
		const kinds = new Map<string, number>();
		let failures = 0;
		for (let round = 0; round < ROUNDS; round++) {
			const lf = sidecarText(Array.from({ length: 2 + Math.floor(r() * 6) }, (_, i) => randomAnnotation(r, `b${i}`)));
			const x0 = randomSide(r, lf, 'x', 1 + (round % 28));
			const y0 = randomSide(r, lf, 'y', 1 + ((round + 7) % 28));
			const asCrlf = round % 3 === 0;
			const [base, x, y] = asCrlf ? [crlf(lf), crlf(x0), crlf(y0)] : [lf, x0, y0];
			const xy = mergeSidecars(base, x, y);
			const yx = mergeSidecars(base, y, x);
			for (const c of xy.conflicts) {
				kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
			}
			const problems: string[] = [];
			if (JSON.stringify(conflictKeys(xy, false)) !== JSON.stringify(conflictKeys(yx, true))) {
				problems.push(`conflicts ${conflictKeys(xy, false).join(',')} vs swapped ${conflictKeys(yx, true).join(',')}`);
			}
			for (const [a, b] of [['ours', 'theirs'], ['theirs', 'ours']] as const) {
				const left = annotationsOf(resolve(xy.text, a), `x|y resolved to ${a}`);
				const right = annotationsOf(resolve(yx.text, b), `y|x resolved to ${b}`);
				if (JSON.stringify(left) !== JSON.stringify(right)) {
					problems.push(`x|y as ${a} differs from y|x as ${b}`);
				}
			}
			if (asCrlf && /(?:^|[^\r])\n/.test(xy.text)) {
				problems.push('a CRLF merge has LF-only lines');
			}
			if (asCrlf) {
				// The same merge on LF files resolves to the same annotations.
				const plain = mergeSidecars(lf, x0, y0);
				if (JSON.stringify(annotationsOf(resolve(plain.text, 'ours'), 'LF merge')) !== JSON.stringify(annotationsOf(resolve(xy.text, 'ours'), 'CRLF merge'))) {
					problems.push('CRLF merge differs from the LF merge');
				}
			}
			if (problems.length > 0) {
				failures++;
				if (failures <= 3) {
					console.log(`      round ${round}: ${problems.join('; ')}`);
				}
			}
		}
		console.log(`      pairs: ${ROUNDS}, conflicts by kind: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}; asymmetric merges: ${failures}`);
		assert.ok((kinds.get('both-changed') ?? 0) > 10 && (kinds.get('both-added') ?? 0) > 0, 'the generator makes conflicts of several kinds');
		assert.strictEqual(failures, 0);
	});

	it('keeps adjacent conflicts in separate blocks, in LF and CRLF files', () => {
		const three = sidecarText([ann('a1', 'claim', 'President Zelensky'), ann('a2', 'claim', 'ontving in Kiev'), ann('a3', 'claim', 'minister Blinken')]);
		for (const eol of ['\n', '\r\n']) {
			const base = eol === '\n' ? three : crlf(three);
			const ours = edit(base, (d) => {
				d.update('a1', { label: 'event' });
				d.update('a2', { label: 'event' });
				d.update('a3', { note: 'ours' });
			});
			const theirs = edit(base, (d) => {
				d.update('a1', { label: 'framing' });
				d.update('a2', { label: 'framing' });
				d.remove('a3');
			});
			const result = mergeSidecars(base, ours, theirs);
			assert.deepStrictEqual(result.conflicts.map((c) => `${c.kind} ${c.id}`), ['both-changed a1', 'both-changed a2', 'deleted-by-theirs a3']);
			const lines = result.text.split(eol);
			assert.strictEqual(lines.filter((l) => l === CONFLICT_MARKERS.ours).length, 3);
			assert.strictEqual(lines.filter((l) => l === CONFLICT_MARKERS.theirs).length, 3);
			// Every block holds one annotation per side (none for the deleting side).
			const blocks = result.text.split(CONFLICT_MARKERS.ours + eol).slice(1).map((b) => b.slice(0, b.indexOf(CONFLICT_MARKERS.theirs)));
			assert.deepStrictEqual(blocks.map((b) => b.split(CONFLICT_MARKERS.separator).map((side) => (side.match(/- id: /g) ?? []).length)), [[1, 1], [1, 1], [1, 0]]);
			const asOurs = annotationsOf(resolve(result.text, 'ours'), 'ours');
			const asTheirs = annotationsOf(resolve(result.text, 'theirs'), 'theirs');
			assert.deepStrictEqual([asOurs.a1.label, asOurs.a2.label, asOurs.a3?.note], ['event', 'event', 'ours']);
			assert.deepStrictEqual([asTheirs.a1.label, asTheirs.a2.label, asTheirs.a3], ['framing', 'framing', undefined]);
			if (eol === '\r\n') {
				assert.ok(!/(?:^|[^\r])\n/.test(result.text), 'CRLF throughout');
			}
		}
	});
});
