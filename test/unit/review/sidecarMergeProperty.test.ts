/**
 * Property tests of the three-way sidecar merge (issue 12): random edit sequences on both sides
 * of a random base, seeded. Merging x with a differently written copy of itself gives x;
 * swapping the sides only swaps the sides of each conflict; CRLF files merge like LF ones and
 * stay CRLF; adjacent conflicts stay separate blocks.
 */
import * as assert from 'assert';
import { makeSelector } from '../../../src/core/annotations/anchoring';
import { editorOffset } from '../../../src/core/annotations/offsets';
import type { Annotation, Relation, SidecarData } from '../../../src/core/annotations/model';
import { parseSidecar, type SidecarDocument } from '../../../src/core/annotations/sidecarCodec';
import { CONFLICT_MARKERS, mergeSidecars, type MergeResult } from '../../../src/core/review/sidecarMerge';
import { seededRandom } from '../../../src/core/util/seededRandom';
import { ARTICLE_TEXT, ann, edit, resolve, sidecarText } from './fixtures';

const LABELS = ['claim', 'event', 'attribution', 'framing'];
const NOTES = [undefined, 'Bron?', 'Controleren', 'Citaat: “letterlijk”'];

function randomAnnotation(r: () => number, id: string): Annotation {
	const start = Math.floor(r() * (ARTICLE_TEXT.length - 30));
	const end = start + 1 + Math.floor(r() * 25);
	const note = NOTES[Math.floor(r() * NOTES.length)];
	return {
		id, label: LABELS[Math.floor(r() * LABELS.length)], ...makeSelector(ARTICLE_TEXT, editorOffset(start), editorOffset(end)),
		...(note ? { note } : {}), author: 'T', created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z',
	};
}

/**
 * One side: a few random edits of `base`. Ids added by a side start with `side`, except a shared
 * `n0` (both-added). With `withRelations`, some steps edit relations (shared id `nr0`), and an
 * annotation is deleted with its relations, as the extension does.
 */
function randomSide(r: () => number, base: string, side: string, day: number, withRelations = false): string {
	return edit(base, (d) => {
		const steps = 1 + Math.floor(r() * 5);
		for (let i = 0; i < steps; i++) {
			const modified = `2026-02-${String(day).padStart(2, '0')}T10:0${i}:00Z`;
			if (withRelations && r() < 0.4) {
				relationStep(r, d, side, i, modified);
				continue;
			}
			const ids = d.data.annotations.map((a) => a.id);
			const target = ids[Math.floor(r() * ids.length)];
			const op = r();
			if (op < 0.2 || !target) {
				const id = r() < 0.15 ? 'n0' : `${side}${i}`;
				if (!d.get(id)) {
					d.add(randomAnnotation(r, id));
				}
			} else if (op < 0.35) {
				d.relationsOf(target).forEach((x) => d.removeRelation(x.id));
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

const TYPES = ['source-of', 'about', 'contradicts'];

function pick<T>(r: () => number, xs: readonly T[]): T {
	return xs[Math.floor(r() * xs.length)];
}

/** A relation between two different annotations of `ids` (at least two). */
function randomRelation(r: () => number, id: string, ids: readonly string[], modified = '2026-01-01T00:00:00Z'): Relation {
	const from = pick(r, ids);
	const to = pick(r, ids.filter((x) => x !== from));
	const note = pick(r, NOTES);
	return { id, type: pick(r, TYPES), from, to, ...(note ? { note } : {}), author: 'T', created: '2026-01-01T00:00:00Z', modified };
}

/** One random relation edit: add (ids `<side>r<i>`, or the shared `nr0`), remove, retype, re-note or re-point. */
function relationStep(r: () => number, d: SidecarDocument, side: string, i: number, modified: string): void {
	const anns = d.data.annotations.map((a) => a.id);
	const rels = d.data.relations.map((x) => x.id);
	const op = r();
	if (op < 0.45 || rels.length === 0) {
		const id = r() < 0.15 ? 'nr0' : `${side}r${i}`;
		if (anns.length >= 2 && !d.getRelation(id)) {
			d.addRelation(randomRelation(r, id, anns, modified));
		}
	} else if (op < 0.6) {
		d.removeRelation(pick(r, rels));
	} else if (op < 0.8) {
		d.updateRelation(pick(r, rels), { type: pick(r, TYPES), modified });
	} else if (op < 0.9) {
		d.updateRelation(pick(r, rels), { note: pick(r, NOTES), modified });
	} else {
		const id = pick(r, rels);
		const from = d.getRelation(id)!.from;
		d.updateRelation(id, { to: pick(r, anns.filter((x) => x !== from)), modified });
	}
}

/** A random base: 2–7 annotations and, with relations, 0–4 relations between them. */
function randomBase(r: () => number, withRelations: boolean): string {
	const annotations = Array.from({ length: 2 + Math.floor(r() * 6) }, (_, i) => randomAnnotation(r, `b${i}`));
	const text = sidecarText(annotations);
	if (!withRelations) {
		return text;
	}
	const count = Math.floor(r() * 5);
	return edit(text, (d) => {
		for (let i = 0; i < count; i++) {
			d.addRelation(randomRelation(r, `br${i}`, annotations.map((a) => a.id)));
		}
	});
}

/** Annotations by id, for comparing merges that may differ in layout. */
function annotationsOf(text: string, what: string): Record<string, Annotation> {
	return Object.fromEntries([...readData(text, what).annotations].sort((a, b) => (a.id < b.id ? -1 : 1)).map((a) => [a.id, a]));
}

function conflictKeys(result: MergeResult, swap: boolean): string[] {
	const flip: Record<string, string> = {
		'deleted-by-ours': 'deleted-by-theirs', 'deleted-by-theirs': 'deleted-by-ours',
		'endpoint-deleted-by-ours': 'endpoint-deleted-by-theirs', 'endpoint-deleted-by-theirs': 'endpoint-deleted-by-ours',
	};
	return result.conflicts
		.map((c) => `${swap ? flip[c.kind] ?? c.kind : c.kind} ${c.relation ? 'relation ' : ''}${c.id ?? ''}${c.annotations ? ` [${c.annotations.join(',')}]` : ''}`)
		.sort();
}

/** Annotations and relations by id, for comparing merges that may differ in layout. */
function contentOf(text: string, what: string): { annotations: Record<string, Annotation>; relations: Record<string, Relation> } {
	return { annotations: annotationsOf(text, what), relations: relationsOf(readData(text, what)) };
}

function readData(text: string, what: string): SidecarData {
	const r = parseSidecar(text);
	if (!r.ok) {
		assert.fail(`${what} does not read back: ${r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('; ')}\n${text}`);
	}
	return r.doc.data;
}

function relationsOf(data: SidecarData): Record<string, Relation> {
	return Object.fromEntries([...data.relations].sort((a, b) => (a.id < b.id ? -1 : 1)).map((x) => [x.id, x]));
}

/** Relations of `text` whose `from` or `to` is no annotation of it. */
function danglingRelations(text: string, what: string): string[] {
	const data = readData(text, what);
	const ids = new Set(data.annotations.map((a) => a.id));
	return data.relations.filter((x) => !ids.has(x.from) || !ids.has(x.to)).map((x) => x.id);
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

describe('sidecar merge properties with relations', function () {
	this.timeout(120000);
	const ROUNDS = 300;

	it(`merging x with a differently written copy of x gives x, relations included (${ROUNDS} random sides)`, () => {
		const r = seededRandom(51);
		let failures = 0;
		let relations = 0;
		for (let round = 0; round < ROUNDS; round++) {
			const base = randomBase(r, true);
			const x = randomSide(r, base, 'x', 1 + (round % 28), true);
			relations += readData(x, 'x').relations.length;
			const copy = round % 2 === 0 ? crlf(x) : x.replace('\nannotations:', '\n# gelezen\nannotations:');
			for (const [ours, theirs] of [[x, copy], [copy, x]]) {
				const result = mergeSidecars(base, ours, theirs);
				if (result.conflicts.length > 0 || JSON.stringify(contentOf(result.text, 'merge')) !== JSON.stringify(contentOf(x, 'x'))) {
					failures++;
				}
			}
		}
		console.log(`      self-merges: ${2 * ROUNDS} (${relations} relations in x), not equal to x: ${failures}`);
		assert.ok(relations > ROUNDS, 'the generator makes relations');
		assert.strictEqual(failures, 0);
	});

	it(`swapping the sides only swaps the conflicts; both sides' additions are kept; no resolution leaves a relation dangling (${ROUNDS} random pairs, LF and CRLF)`, () => {
		const r = seededRandom(52);
		const kinds = new Map<string, number>();
		let failures = 0;
		let added = 0;
		let cleanMerges = 0;
		for (let round = 0; round < ROUNDS; round++) {
			const lf = randomBase(r, true);
			const x0 = randomSide(r, lf, 'x', 1 + (round % 28), true);
			const y0 = randomSide(r, lf, 'y', 1 + ((round + 7) % 28), true);
			const asCrlf = round % 3 === 0;
			const [base, x, y] = asCrlf ? [crlf(lf), crlf(x0), crlf(y0)] : [lf, x0, y0];
			const xy = mergeSidecars(base, x, y);
			const yx = mergeSidecars(base, y, x);
			for (const c of xy.conflicts) {
				const key = c.relation ? `relation ${c.kind}` : c.kind;
				kinds.set(key, (kinds.get(key) ?? 0) + 1);
			}
			const problems: string[] = [];
			if (JSON.stringify(conflictKeys(xy, false)) !== JSON.stringify(conflictKeys(yx, true))) {
				problems.push(`conflicts ${conflictKeys(xy, false).join(',')} vs swapped ${conflictKeys(yx, true).join(',')}`);
			}
			for (const [a, b] of [['ours', 'theirs'], ['theirs', 'ours']] as const) {
				const left = resolve(xy.text, a);
				if (JSON.stringify(contentOf(left, `x|y as ${a}`)) !== JSON.stringify(contentOf(resolve(yx.text, b), `y|x as ${b}`))) {
					problems.push(`x|y as ${a} differs from y|x as ${b}`);
				}
				const dangling = danglingRelations(left, `x|y as ${a}`);
				if (dangling.length > 0) {
					problems.push(`x|y as ${a} leaves ${dangling.join(', ')} dangling`);
				}
			}
			// Every relation a side added is in the merge resolved to that side, as that side wrote it.
			const baseIds = new Set(readData(base, 'base').relations.map((x) => x.id));
			for (const [sideText, side] of [[x, 'ours'], [y, 'theirs']] as const) {
				const resolved = relationsOf(readData(resolve(xy.text, side), `x|y as ${side}`));
				for (const relation of readData(sideText, side).relations.filter((x) => !baseIds.has(x.id))) {
					added++;
					if (JSON.stringify(resolved[relation.id]) !== JSON.stringify(relation)) {
						problems.push(`${side}'s new relation ${relation.id} is not in the merge resolved to ${side}`);
					}
				}
			}
			if (xy.conflicts.length === 0) {
				cleanMerges++;
				const merged = relationsOf(readData(xy.text, 'clean merge'));
				const missing = [...readData(x, 'x').relations, ...readData(y, 'y').relations].filter((x) => !baseIds.has(x.id) && !merged[x.id]);
				if (missing.length > 0) {
					problems.push(`a clean merge lost ${missing.map((m) => m.id).join(', ')}`);
				}
			}
			if (asCrlf && /(?:^|[^\r])\n/.test(xy.text)) {
				problems.push('a CRLF merge has LF-only lines');
			}
			if (asCrlf) {
				const plain = mergeSidecars(lf, x0, y0);
				if (JSON.stringify(contentOf(resolve(plain.text, 'ours'), 'LF merge')) !== JSON.stringify(contentOf(resolve(xy.text, 'ours'), 'CRLF merge'))) {
					problems.push('CRLF merge differs from the LF merge');
				}
			}
			if (problems.length > 0) {
				failures++;
				if (failures <= 3) {
					console.log(`      round ${round}: ${problems.join('; ')}`);
					if (process.env.MERGE_DEBUG) {
						console.log(['BASE', base, 'X', x, 'Y', y, 'XY', xy.text, JSON.stringify(xy.conflicts)].join('\n'));
					}
				}
			}
		}
		console.log(`      pairs: ${ROUNDS} (${cleanMerges} clean), relations added on a side: ${added}; conflicts by kind: ${[...kinds].sort().map(([k, n]) => `${k} ${n}`).join(', ')}; failing pairs: ${failures}`);
		for (const kind of ['relation both-changed', 'relation both-added', 'relation endpoint-deleted-by-ours', 'relation endpoint-deleted-by-theirs']) {
			assert.ok((kinds.get(kind) ?? 0) > 0, `the generator makes ${kind} conflicts`);
		}
		assert.strictEqual(failures, 0);
	});
});
