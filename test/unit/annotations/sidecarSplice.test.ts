import * as assert from 'assert';
import { parseDocument } from 'yaml';
import {
	SIDECAR_STRINGIFY_OPTIONS,
	createSidecar,
	parseSidecar,
	serializeIfChanged,
	serializeIfChangedFullPrint,
	SidecarDocument,
} from '../../../src/core/annotations/sidecarCodec';
import type { Annotation, Relation } from '../../../src/core/annotations/model';
import { ann, lineDiff } from './helpers';
import { seededRandom } from '../../../src/core/util/seededRandom';
import { sidecarOffset } from '../../../src/core/annotations/offsets';

function parseOk(text: string): SidecarDocument {
	const r = parseSidecar(text);
	if (!r.ok) {
		assert.fail(`expected a valid sidecar: ${JSON.stringify(r.errors)}\n${text}`);
	}
	return r.doc;
}

const HEADER = { article: '000_3ffb0e8bd60704ce.txt', date: '2025-07', textHash: 'sha256:' + 'ab'.repeat(32) };
const QUOTES = ['Trump zei', 'quote: with # hash', 'eerste alinea\n\ntweede', '0123', 'yes', '"quoted"', ' lead', 'Oekraïne „geen”', '- dash', 'x'];

function randomAnn(r: () => number, id: string): Annotation {
	const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
	const start = Math.floor(r() * 400);
	const extra: Partial<Annotation> = { label: pick(['claim', 'event', 'yes', 'framing']), prefix: pick(QUOTES), suffix: pick(QUOTES) };
	if (r() < 0.3) {
		extra.note = pick(QUOTES);
	}
	if (r() < 0.3) {
		extra.entity = pick(['Donald Trump', 'Poetin', '2025-07']);
	}
	const a = ann(id, start, start + 1 + Math.floor(r() * 29), pick(QUOTES), extra);
	if (r() < 0.2) {
		delete a.author;
		delete a.created;
		delete a.modified;
	}
	return a;
}

const RELATION_TYPES = ['source-of', 'about', 'contradicts', 'yes'];

function randomRelation(r: () => number, id: string, anns: readonly Annotation[]): Relation {
	const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
	const rel: Relation = { id, type: pick(RELATION_TYPES), from: pick(anns).id, to: pick(anns).id };
	if (r() < 0.3) {
		rel.note = pick(QUOTES);
	}
	if (r() < 0.7) {
		Object.assign(rel, { author: 'Jan Jansen', created: '2026-11-23T18:00:00Z', modified: '2026-11-23T18:00:00Z' });
	}
	return rel;
}

/** A file the codec wrote itself, with `n` annotations (and, sometimes, relations between them). */
function ourFile(r: () => number, n: number): string {
	const doc = createSidecar(HEADER);
	for (let i = 0; i < n; i++) {
		doc.add(randomAnn(r, 'o' + i));
	}
	if (n > 0 && r() < 0.4) {
		for (let i = 0, m = 1 + Math.floor(r() * 4); i < m; i++) {
			doc.addRelation(randomRelation(r, 'q' + i, doc.data.annotations));
		}
	}
	return doc.toString();
}

/** A file the printer wrote, decorated with comments, blank lines and unknown keys through the yaml API. */
function commentedFile(r: () => number, n: number): string {
	const doc = parseDocument(ourFile(r, n), { version: '1.2' });
	const root = doc.contents as unknown as { get(k: string, keep: true): unknown; set(k: string, v: unknown): void; items: { key: { commentBefore?: string; spaceBefore?: boolean }; value: unknown }[] };
	const seq = root.get('annotations', true) as { items: Record<string, unknown>[]; commentBefore?: string; comment?: string };
	if (r() < 0.5) {
		seq.commentBefore = ' de eerste is twijfelachtig';
	}
	for (const item of seq.items) {
		const map = item as unknown as { set(k: string, v: unknown): void; items: { key: { commentBefore?: string; spaceBefore?: boolean }; value: { comment?: string } }[]; commentBefore?: string; spaceBefore?: boolean; comment?: string };
		const x = r();
		if (x < 0.15 && item !== seq.items[0]) {
			map.commentBefore = ' before ' + String(map.items[0].value);
		} else if (x < 0.3 && item !== seq.items[0]) {
			map.spaceBefore = true;
		} else if (x < 0.4) {
			map.comment = ' trailing comment';
		}
		if (r() < 0.2) {
			map.set('confidence', 'low');
		}
		if (r() < 0.15) {
			map.items[1].value.comment = ' on the label';
		}
		if (r() < 0.1) {
			map.items[3].key.commentBefore = ' before end';
		}
	}
	if (r() < 0.4) {
		root.set('reviewer', 'Marie');
	}
	if (r() < 0.3) {
		doc.comment = ' einde';
	}
	return doc.toString(SIDECAR_STRINGIFY_OPTIONS);
}

const HAND = [
	'# Annotaties van Piet — niet weggooien',
	'version: 1',
	'article: 001_9269669edc11b07e.txt',
	'date: 2025-06',
	'textHash: null',
	'reviewer: Marie   # unknown top-level key',
	'annotations:',
	'  # de eerste is twijfelachtig',
	'  - id: x1',
	'    label: claim',
	'    start: 10',
	'    end: 20',
	'    quote: "twee uur"',
	'    confidence: low    # analyst-only key',
	'',
	'  - {id: x2, label: event, start: 30, end: 40, quote: gesprek}',
	'  - id: x3',
	'    label:   event',
	'    start: 50',
	'    end: 60',
	"    quote: 'Kiev'",
	'    prefix: ""',
	'    suffix: ""',
	'',
	'',
	'  # over x4',
	'  - id: x4',
	'    label: claim',
	'    start: 70',
	'    end: 80',
	'    quote: x',
	'    note: |',
	'      een blok',
	'      van twee regels',
	'  - id: x5',
	'    label: claim # why',
	'    start: 90',
	'    end: 99',
	'    quote: y',
	'# einde',
	'',
].join('\n');

/** The hand file with a hand-written relations list. */
const HAND_RELATIONS = HAND.replace('# einde\n', [
	'relations:',
	'  - id: r1',
	'    type: source-of   # de bron',
	'    from: x1',
	'    to: x3',
	'    weight: 2',
	'',
	'  # tegenspraak',
	'  - id: r2',
	'    type: contradicts',
	'    from: x4',
	'    to: x5',
	'    note: "zie: alinea 2"',
	'# einde',
	'',
].join('\n'));

type Op = (doc: SidecarDocument) => string | undefined;

/** A random edit of the relations; returns `rel:<id>` of the relation it touched. */
function randomRelationOp(r: () => number, fresh: () => string): Op {
	const x = r();
	const some = (doc: SidecarDocument): Relation | undefined => {
		const all = doc.relations;
		return all.length === 0 ? undefined : all[Math.floor(r() * all.length)];
	};
	if (x < 0.45) {
		return (doc) => {
			const anns = doc.data.annotations;
			if (anns.length === 0) {
				return undefined;
			}
			const rel = randomRelation(r, fresh(), anns);
			doc.addRelation(rel);
			return 'rel:' + rel.id;
		};
	}
	if (x < 0.75) {
		return (doc) => {
			const rel = some(doc);
			if (!rel) {
				return undefined;
			}
			const y = r();
			const anns = doc.data.annotations;
			const patch = y < 0.25 ? { type: RELATION_TYPES[Math.floor(r() * RELATION_TYPES.length)] }
				: y < 0.5 ? { note: r() < 0.5 ? undefined : QUOTES[Math.floor(r() * QUOTES.length)] }
					: y < 0.75 && anns.length > 0 ? { to: anns[Math.floor(r() * anns.length)].id, modified: '2026-12-02T10:00:00Z' }
						: { author: r() < 0.5 ? undefined : 'Piet' };
			doc.updateRelation(rel.id, patch);
			return 'rel:' + rel.id;
		};
	}
	return (doc) => {
		const rel = some(doc);
		if (rel) {
			doc.removeRelation(rel.id);
		}
		return rel && 'rel:' + rel.id;
	};
}

/** A random edit; returns the id it touched (undefined for header edits and no-ops; `rel:<id>` for a relation). */
function randomOp(r: () => number, fresh: () => string): Op {
	if (r() < 0.3) {
		return randomRelationOp(r, fresh);
	}
	const x = r();
	const some = (doc: SidecarDocument): Annotation | undefined => {
		const all = doc.data.annotations;
		return all.length === 0 ? undefined : all[Math.floor(r() * all.length)];
	};
	if (x < 0.3) {
		return (doc) => {
			const a = randomAnn(r, fresh());
			doc.add(a);
			return a.id;
		};
	}
	if (x < 0.5) {
		return (doc) => {
			const a = some(doc);
			if (!a) {
				return undefined;
			}
			const y = r();
			const patch = y < 0.3 ? { label: 'framing' } : y < 0.5 ? { note: r() < 0.5 ? undefined : QUOTES[Math.floor(r() * QUOTES.length)] }
				: y < 0.7 ? { entity: 'Poetin', modified: '2026-12-01T10:00:00Z' } : y < 0.85 ? { quote: 'nieuw: #1', author: undefined } : { start: sidecarOffset(a.start + 1), end: sidecarOffset(a.end + 1) };
			doc.update(a.id, patch);
			return a.id;
		};
	}
	if (x < 0.7) {
		return (doc) => {
			const a = some(doc);
			if (!a) {
				return undefined;
			}
			const shift = r() < 0.7 ? 3 : Math.floor(r() * 300) - 150;
			const start = Math.max(0, a.start + shift);
			doc.setOffsets(a.id, sidecarOffset(start), sidecarOffset(start + (a.end - a.start)), r() < 0.5 ? a.quote : 'verplaatst', r() < 0.5 ? undefined : 'p', undefined);
			return a.id;
		};
	}
	if (x < 0.9) {
		return (doc) => {
			const a = some(doc);
			if (a) {
				doc.remove(a.id);
			}
			return a?.id;
		};
	}
	return (doc) => {
		const y = r();
		doc.setHeader(y < 0.5 ? { textHash: 'sha256:' + 'cd'.repeat(32) } : y < 0.8 ? { date: r() < 0.5 ? null : '2024-01' } : { article: 'ander: artikel.txt' });
		return undefined;
	};
}

/** Source lines of the annotation (or relation) `id` (its `- ` line through its last value). */
function itemLines(text: string, id: string, list: 'annotations' | 'relations' = 'annotations'): string | undefined {
	const doc = parseDocument(text);
	const seq = (doc.contents as unknown as { get(k: string, keep: true): { items: { get(k: string): unknown; range?: number[] }[] } }).get(list, true);
	const item = seq?.items?.find((m) => typeof m.get === 'function' && m.get('id') === id);
	if (!item?.range) {
		return undefined;
	}
	const from = text.lastIndexOf('\n', item.range[0] - 1) + 1;
	return text.slice(from, item.range[1]);
}

interface Stats { fast: number; total: number; relationEdits: number; withRelations: number }

function check(text: string, r: () => number, stats: Stats, label: string): void {
	const canonical = parseOk(text).printFull() === text;
	let counter = 0;
	const fresh = () => `n${counter++}`;
	const doc = parseOk(text);
	const touched = new Set<string>();
	const steps = 1 + Math.floor(r() * 6);
	for (let i = 0; i < steps; i++) {
		const id = randomOp(r, fresh)(doc);
		if (id !== undefined) {
			touched.add(id);
		}
	}
	stats.total++;
	stats.relationEdits += [...touched].filter((id) => id.startsWith('rel:')).length;
	if (doc.relations.length > 0) {
		stats.withRelations++;
	}
	const usedFast = doc.splicedText() !== undefined;
	if (usedFast) {
		stats.fast++;
	}
	const fast = serializeIfChanged(text, doc);
	const full = serializeIfChangedFullPrint(text, doc);
	const where = `${label} (${steps} edits)`;
	if (canonical) {
		if (full?.includes('annotations:\n  []') && text.includes('annotations: []')) {
			// Everything added to an empty list was removed again: the full printer writes the
			// list as `annotations:\n  []`, splicing keeps `annotations: []`.
			const kept = full.replace('annotations:\n  []', 'annotations: []');
			assert.strictEqual(fast, kept === text ? undefined : kept, where);
		} else {
			assert.strictEqual(fast, full, where);
		}
	}
	const out = fast ?? text;
	const again = parseOk(out);
	assert.deepStrictEqual(again.data, doc.data, `${where}: same data`);
	assert.strictEqual(serializeIfChanged(out, again), undefined, `${where}: a second write is a no-op`);
	assert.strictEqual(doc.toString(), doc.splicedText() ?? doc.printFull(), where);
	if (!usedFast) {
		return; // the full print + line merge, covered by sidecarCodec.test.ts
	}
	for (const a of parseOk(text).data.annotations) {
		if (touched.has(a.id)) {
			continue;
		}
		const lines = itemLines(text, a.id);
		if (lines !== undefined && !lines.trimStart().startsWith('- {')) {
			assert.ok(out.includes(lines), `${where}: untouched ${a.id} kept byte-identical:\n${out}`);
		}
	}
	for (const rel of parseOk(text).data.relations) {
		const lines = touched.has('rel:' + rel.id) ? undefined : itemLines(text, rel.id, 'relations');
		if (lines !== undefined) {
			assert.ok(out.includes(lines), `${where}: untouched relation ${rel.id} kept byte-identical:\n${out}`);
		}
	}
}

function report(name: string, stats: Stats): void {
	console.log(`      ${name}: ${stats.total} sequences, ${stats.fast} spliced, ${stats.relationEdits} relation edits, ${stats.withRelations} ending with relations`);
}

describe('sidecar fast write path (splicing)', function () {
	this.timeout(60_000); // a few hundred random edit sequences each (slow on a loaded machine)

	it('equals the full print on random edits of files the codec wrote', () => {
		const r = seededRandom(7);
		const stats: Stats = { fast: 0, total: 0, relationEdits: 0, withRelations: 0 };
		for (let k = 0; k < 150; k++) {
			const text = ourFile(r, k % 15 === 0 ? 60 : Math.floor(r() * 8));
			check(text, r, stats, `our file #${k}`);
		}
		report('our files', stats);
		assert.ok(stats.fast > stats.total * 0.8, `fast path used ${stats.fast}/${stats.total}`);
	});

	it('equals the full print (or keeps untouched lines) with comments, blank lines and unknown keys', () => {
		const r = seededRandom(11);
		const stats: Stats = { fast: 0, total: 0, relationEdits: 0, withRelations: 0 };
		for (let k = 0; k < 200; k++) {
			const text = commentedFile(r, 1 + Math.floor(r() * 7));
			check(text, r, stats, `commented file #${k}:\n${text}\n`);
		}
		report('commented files', stats);
		assert.ok(stats.fast > stats.total * 0.5, `fast path used ${stats.fast}/${stats.total}`);
	});

	it('keeps untouched lines of hand-formatted and CRLF files and their data', () => {
		const r = seededRandom(23);
		const stats: Stats = { fast: 0, total: 0, relationEdits: 0, withRelations: 0 };
		for (let k = 0; k < 150; k++) {
			const hand = k % 2 === 1 ? HAND_RELATIONS : HAND;
			check(k % 3 === 2 ? hand.replace(/\n/g, '\r\n') : hand, r, stats, `hand file #${k}`);
		}
		report('hand files', stats);
		assert.ok(stats.fast > stats.total * 0.3, `fast path used ${stats.fast}/${stats.total}`);
	});

	it('adds, updates and removes by splicing in a CRLF file the codec wrote', () => {
		const r = seededRandom(5);
		const text = ourFile(r, 4).replace(/\n/g, '\r\n');
		const doc = parseOk(text);
		doc.add(ann('zz', 1, 2, 'nieuw'));
		doc.update(doc.data.annotations[2].id, { label: 'framing' });
		doc.remove(doc.data.annotations[3].id);
		const fast = doc.splicedText();
		assert.ok(fast !== undefined, 'spliced');
		assert.strictEqual(fast, serializeIfChangedFullPrint(text, doc));
		assert.ok(!/[^\r]\n/.test(fast));
	});

	it('replaces `annotations: []` and changes one line per label edit', () => {
		const before = createSidecar(HEADER).toString();
		const doc = parseOk(before);
		doc.add(ann('a1', 0, 4, 'date'));
		assert.ok(doc.splicedText() !== undefined);
		const after = serializeIfChanged(before, doc)!;
		assert.deepStrictEqual(lineDiff(before, after).removed, ['annotations: []']);
		const doc2 = parseOk(after);
		doc2.update('a1', { label: 'event' });
		assert.ok(doc2.splicedText() !== undefined);
		const diff = lineDiff(after, serializeIfChanged(after, doc2)!);
		assert.deepStrictEqual([diff.removed, diff.added], [['    label: claim'], ['    label: event']]);
	});
});

describe('SidecarDocument.commit (the document learns what it wrote)', function () {
	this.timeout(120000);

	/**
	 * One document edited and committed round after round, against a fresh parse of each written
	 * text given the same edits: every write must be identical, so the rebased node ranges are
	 * as good as parsed ones.
	 */
	function rounds(start: string, r: () => number, count: number): { mismatches: string[]; rebased: number; parsed: number } {
		const mismatches: string[] = [];
		const kept = parseOk(start);
		let text = start;
		for (let round = 0; round < count && mismatches.length === 0; round++) {
			const fresh = parseOk(text);
			const seed = Math.floor(r() * 2 ** 31);
			const steps = 1 + Math.floor(r() * 4);
			for (const doc of [kept, fresh]) {
				const rr = seededRandom(seed);
				let counter = 0;
				const newId = (): string => `c${round}x${counter++}`;
				for (let i = 0; i < steps; i++) {
					randomOp(rr, newId)(doc);
				}
			}
			const a = serializeIfChanged(text, kept);
			const b = serializeIfChanged(text, fresh);
			if (a !== b) {
				const [la, lb] = [(a ?? '').split('\n'), (b ?? '').split('\n')];
				const at = la.findIndex((l, i) => l !== lb[i]);
				mismatches.push(`round ${round} (spliced: kept ${kept.splicedText() !== undefined}, fresh ${fresh.splicedText() !== undefined}; before:\n${JSON.stringify(text)}), line ${at + 1}: committed document wrote\n${la.slice(Math.max(0, at - 3), at + 4).join('\n')}\nfresh parse wrote\n${lb.slice(Math.max(0, at - 3), at + 4).join('\n')}`);
				break;
			}
			if (a !== undefined) {
				kept.commit(a);
				text = a;
			} else {
				// Edits that cancel out (an add, then its removal) leave node flags a fresh parse
				// would not have; start the next round from the file, as a caller re-reading it would.
				kept.commit(text);
			}
			if (JSON.stringify(kept.data) !== JSON.stringify(parseOk(text).data)) {
				mismatches.push(`round ${round}: typed view differs from the file`);
			}
		}
		return { mismatches, ...kept.commits };
	}

	it('writes what a fresh parse of its own output writes, round after round, mostly without parsing', () => {
		const r = seededRandom(99);
		const totals = { rebased: 0, parsed: 0 };
		const byStart: Record<string, { rebased: number; parsed: number }> = {};
		const failures: string[] = [];
		const starts: [string, () => string][] = [
			['codec file', () => ourFile(r, Math.floor(r() * 10))],
			['empty list', () => ourFile(r, 0)],
			['commented file', () => commentedFile(r, 1 + Math.floor(r() * 6))],
			['CRLF file', () => ourFile(r, 1 + Math.floor(r() * 6)).replace(/\n/g, '\r\n')],
			['hand file', () => HAND],
			['hand file with relations', () => HAND_RELATIONS],
		];
		for (let k = 0; k < Number(process.env.COMMIT_ROUNDS ?? 60); k++) {
			const [name, make] = starts[k % starts.length];
			const result = rounds(make(), r, 12);
			totals.rebased += result.rebased;
			totals.parsed += result.parsed;
			const mine = (byStart[name] ??= { rebased: 0, parsed: 0 });
			mine.rebased += result.rebased;
			mine.parsed += result.parsed;
			failures.push(...result.mismatches.map((m) => `${name} #${k}: ${m}`));
		}
		console.log(`      commits: ${totals.rebased} rebased, ${totals.parsed} parsed again; mismatches ${failures.length}`);
		console.log(`      by start: ${Object.entries(byStart).map(([k, v]) => `${k} ${v.rebased}/${v.parsed}`).join(', ')}`);
		assert.deepStrictEqual(failures.slice(0, 1), []);
		// Files with comments after `annotations:` are parsed again by design (see commit()).
		const plain = Object.entries(byStart).filter(([k]) => !/hand|commented/.test(k)).map(([, v]) => v);
		const rebased = plain.reduce((n, v) => n + v.rebased, 0);
		const parsed = plain.reduce((n, v) => n + v.parsed, 0);
		assert.ok(rebased > 3 * parsed, `files without comments: rebased ${rebased}, parsed ${parsed}`);
	});
});
