/**
 * `npm run test:property`: seeded, bounded property test of re-anchoring against random
 * outside edits, with ground truth tracked through every edit.
 *
 * Each sequence takes a sample-corpus article (LF, CRLF, BOM, and with emoji), annotates
 * word spans, applies 1–4 random edits (insert, delete, replace, move / duplicate / delete a
 * paragraph, case change) while tracking where every original character goes, then re-anchors
 * with and without the previous text. Per annotation:
 * - untouched: all its characters survive, unchanged, together, and are not a pasted copy. It
 *   must land exactly on them (or on an indistinguishable placement in periodic text, or on a
 *   pasted copy of itself) or be orphaned; orphans count against the "still anchored" rate.
 * - edited/deleted: it must be orphaned or overlap its footprint (its surviving characters plus
 *   the replacement text of every edit that touched it).
 * Anything else is "attached to wrong text". "Lost": no result, a malformed result, or an
 * orphaned untouched annotation whose quote and full context are intact and unique.
 *
 * Environment: PROPERTY_SEQUENCES (default 10000), PROPERTY_SEED (default 1), PROPERTY_DUMP=n
 * (write sequence n's texts and annotations to $TMPDIR/anchoring-sequence-n.json to debug it).
 */
import * as fs from 'fs';
import * as path from 'path';
import { makeSelector, reanchorAll, toEditorRange } from '../../src/core/annotations/anchoring';
import { sidecarOffset } from '../../src/core/annotations/offsets';
import type { AnchorResult, AnchorTarget } from '../../src/core/annotations/anchoring';
import { CONTEXT_LENGTH } from '../../src/core/annotations/model';
import { seededRandom } from '../../src/core/util/seededRandom';

const SEQUENCES = Number(process.env.PROPERTY_SEQUENCES ?? 10_000);
const SEED = Number(process.env.PROPERTY_SEED ?? 1);
const ANNOTATIONS_PER_ARTICLE = 24;
const EMOJI = ['😀', '👍', '🇳🇱', '🇺🇦', '🎾', '❤️'];

/** One code point of the current text and where it came from. */
interface Cell {
	ch: string;
	/** Index of the original code point it is (or copies), or -1 for inserted text. */
	origin: number;
	/** A pasted duplicate of an original character. */
	copy: boolean;
	/** Its letter case was changed. */
	modified: boolean;
	/** Annotations whose footprint it belongs to. */
	marks: number[] | undefined;
	/** For a pasted duplicate: the marks of the character it copies. */
	copyOf?: number[];
}

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

function loadArticles(): string[] {
	const dir = path.resolve(__dirname, '..', '..', '..', '..', 'sample-corpus');
	const out: string[] = [];
	const walk = (d: string): void => {
		for (const e of fs.readdirSync(d, { withFileTypes: true })) {
			const p = path.join(d, e.name);
			if (e.isDirectory() && !e.name.startsWith('.')) {
				walk(p);
			} else if (e.name.endsWith('.txt')) {
				const text = fs.readFileSync(p, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
				if (/^\s*date \d{4}-\d{2} /.test(text)) {
					out.push(text);
				}
			}
		}
	};
	walk(dir);
	if (out.length === 0) {
		throw new Error(`no articles in ${dir}`);
	}
	return out.sort();
}

function cellsOf(text: string): Cell[] {
	return [...text].map((ch, i) => ({ ch, origin: i, copy: false, modified: false, marks: undefined }));
}

function textOf(cells: readonly Cell[]): string {
	return cells.map((c) => c.ch).join('');
}

function freshCells(s: string): Cell[] {
	return [...s].map((ch) => ({ ch, origin: -1, copy: false, modified: false, marks: undefined }));
}

/** Random words from the article (sometimes an emoji), as inserted text. */
function words(rng: Rng, vocabulary: readonly string[], n: number): string {
	const ws: string[] = [];
	for (let i = 0; i < n; i++) {
		ws.push(rng() < 0.05 ? pick(rng, EMOJI) : pick(rng, vocabulary));
	}
	return ws.join(' ');
}

/** Marks shared by both neighbours of an insertion point: it lands inside those footprints. */
function insideMarks(cells: readonly Cell[], at: number): number[] | undefined {
	const l = cells[at - 1]?.marks, r = cells[at]?.marks;
	if (!l || !r) {
		return undefined;
	}
	const both = l.filter((m) => r.includes(m));
	return both.length > 0 ? both : undefined;
}

function insertCells(cells: Cell[], at: number, inserted: Cell[]): void {
	const marks = insideMarks(cells, at);
	for (const c of inserted) {
		c.marks = marks && !c.copy ? [...marks] : undefined;
	}
	cells.splice(at, 0, ...inserted);
}

/** Replaces cells[a, b) by `s`, keeping the characters the two share at either end (a minimal edit). */
function replaceCells(cells: Cell[], a: number, b: number, s: string): void {
	const next = [...s];
	while (a < b && next.length > 0 && cells[a].ch === next[0]) {
		a++;
		next.shift();
	}
	while (a < b && next.length > 0 && cells[b - 1].ch === next[next.length - 1]) {
		b--;
		next.pop();
	}
	if (a === b) {
		insertCells(cells, a, freshCells(next.join('')));
		return;
	}
	const marks = new Set<number>();
	for (let i = a; i < b; i++) {
		for (const m of cells[i].marks ?? []) {
			marks.add(m);
		}
	}
	for (const m of insideMarks(cells, a) ?? []) {
		marks.add(m);
	}
	const added = freshCells(next.join(''));
	for (const c of added) {
		c.marks = marks.size > 0 ? [...marks] : undefined;
	}
	cells.splice(a, b - a, ...added);
}

/** Paragraphs as [start, end) cell ranges (separators excluded), header paragraph included. */
function paragraphs(cells: readonly Cell[]): [number, number][] {
	const out: [number, number][] = [];
	let start = 0;
	for (let i = 0; i + 1 < cells.length; i++) {
		if (cells[i].ch === '\n' && cells[i + 1].ch === '\n') {
			if (i > start) {
				out.push([start, i]);
			}
			while (i < cells.length && cells[i].ch === '\n') {
				i++;
			}
			start = i;
			i--;
		}
	}
	if (start < cells.length) {
		out.push([start, cells.length]);
	}
	return out;
}

type EditKind = 'insert' | 'delete' | 'replace' | 'move' | 'duplicate' | 'delete-paragraph' | 'case';
const KINDS: EditKind[] = ['insert', 'insert', 'delete', 'delete', 'replace', 'replace', 'move', 'duplicate', 'delete-paragraph', 'case'];

function applyEdit(rng: Rng, cells: Cell[], vocabulary: readonly string[]): EditKind {
	const kind = pick(rng, KINDS);
	const n = cells.length;
	const at = int(rng, 0, n);
	switch (kind) {
		case 'insert': {
			const s = rng() < 0.2 ? words(rng, vocabulary, int(rng, 4, 20)) + '.\n\n' : (rng() < 0.5 ? ' ' : '') + words(rng, vocabulary, int(rng, 1, 4)) + ' ';
			insertCells(cells, at, freshCells(s));
			break;
		}
		case 'delete':
			replaceCells(cells, at, Math.min(n, at + int(rng, 1, 60)), '');
			break;
		case 'replace':
			replaceCells(cells, at, Math.min(n, at + int(rng, 1, 40)), words(rng, vocabulary, int(rng, 1, 5)));
			break;
		case 'case': {
			const end = Math.min(n, at + int(rng, 1, 30));
			const mode = int(rng, 0, 2);
			for (let i = at; i < end; i++) {
				const c = cells[i];
				const changed = mode === 0 ? c.ch.toUpperCase() : mode === 1 ? c.ch.toLowerCase() : i === at ? c.ch.toUpperCase() : c.ch;
				if (changed !== c.ch && [...changed].length === 1) {
					c.ch = changed;
					c.modified = true;
				}
			}
			break;
		}
		default: {
			const paras = paragraphs(cells).slice(1); // keep the header paragraph first
			if (paras.length < 2) {
				return applyEdit(rng, cells, vocabulary);
			}
			const [a, b] = pick(rng, paras);
			if (kind === 'delete-paragraph') {
				replaceCells(cells, a, Math.min(cells.length, b + 2), '');
				break;
			}
			const block = cells.slice(a, b).map((c) => (kind === 'duplicate' ? { ...c, copy: c.origin >= 0 || c.copy, marks: undefined, copyOf: c.marks ?? c.copyOf } : c));
			const sep = freshCells('\n\n');
			if (kind === 'move') {
				cells.splice(a, Math.min(cells.length, b + 2) - a);
			}
			const targets = paragraphs(cells).slice(1).map((p) => p[0]);
			const to = targets.length > 0 ? pick(rng, targets) : cells.length;
			cells.splice(to, 0, ...block, ...sep);
			break;
		}
	}
	return kind;
}

/** Word spans (1–4 words inside one paragraph), as code-point ranges of the canonical text. */
function chooseSpans(rng: Rng, text: string): [number, number][] {
	const cps = [...text];
	const canon = cps.join('');
	const wordRe = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;
	const cpAt = new Int32Array(canon.length + 1);
	for (let i = 0, cp = 0; i <= canon.length; i++) {
		cpAt[i] = cp;
		const c = canon.charCodeAt(i);
		if (!(c >= 0xd800 && c <= 0xdbff)) {
			cp++;
		}
	}
	const ws = [...canon.matchAll(wordRe)]
		.map((m) => ({ s: cpAt[m.index], e: cpAt[m.index + m[0].length] }))
		.filter((w) => w.s > 14);
	const spans: [number, number][] = [];
	for (let k = 0; k < ANNOTATIONS_PER_ARTICLE && ws.length > 0; k++) {
		const i = int(rng, 0, ws.length - 1);
		let j = Math.min(ws.length - 1, i + int(rng, 0, 3));
		while (j > i && cps.slice(ws[i].s, ws[j].e).join('').includes('\n')) {
			j--;
		}
		spans.push([ws[i].s, ws[j].e]);
	}
	return spans;
}

/** The text as a file may hold it. */
function rawForm(canonical: string, crlf: boolean, bom: boolean): string {
	return (bom ? '\uFEFF' : '') + (crlf ? canonical.replace(/\n/g, '\r\n') : canonical);
}

interface Tally {
	annotations: number;
	untouched: number;
	/** Untouched, but a paragraph holding them was duplicated: not counted in `untouched`. */
	untouchedPasted: number;
	untouchedExact: number;
	untouchedOrphaned: number;
	edited: number;
	editedOrphaned: number;
	editedFound: number;
	onCopy: number;
	/** Edited/deleted, found on text indistinguishable from the span surviving (see indistinguishable()). */
	slid: number;
	periodic: number;
	wrong: number;
	lost: number;
	runsClean: number;
	runsFailed: number;
	examples: string[];
}

const newTally = (): Tally => ({
	annotations: 0, untouched: 0, untouchedPasted: 0, untouchedExact: 0, untouchedOrphaned: 0, edited: 0, editedOrphaned: 0,
	editedFound: 0, onCopy: 0, slid: 0, periodic: 0, wrong: 0, lost: 0, runsClean: 0, runsFailed: 0, examples: [],
});

/** The stored context is exactly around [s, e) (code points) and occurs nowhere else with the quote. */
function contextIntactAndUnique(cps: readonly string[], canon: string, s: number, e: number, a: AnchorTarget): boolean {
	const prefix = cps.slice(Math.max(0, s - CONTEXT_LENGTH), s).join('');
	const suffix = cps.slice(e, e + CONTEXT_LENGTH).join('');
	if (prefix !== a.prefix || suffix !== a.suffix) {
		return false;
	}
	const needle = a.prefix + a.quote + a.suffix;
	return canon.indexOf(needle) === canon.lastIndexOf(needle);
}

function judge(
	tally: Tally, results: readonly AnchorResult[], anns: readonly AnchorTarget[], spans: readonly [number, number][],
	cells: readonly Cell[], label: string,
): boolean {
	const cps = cells.map((c) => c.ch);
	const canon = cps.join('');
	// Where each original character is now (not counting copies), and which were pasted again.
	const now = new Map<number, number>();
	const pastedOrigins = new Set<number>();
	cells.forEach((c, j) => {
		if (c.origin >= 0) {
			if (c.copy) {
				pastedOrigins.add(c.origin);
			} else {
				now.set(c.origin, j);
			}
		}
	});
	let clean = results.length === anns.length;
	if (!clean) {
		tally.lost += Math.abs(anns.length - results.length);
	}
	anns.forEach((a, k) => {
		tally.annotations++;
		const r = results[k];
		const [s, e] = spans[k];
		const where: number[] = [];
		let intact = true, pasted = false;
		for (let o = s; o < e; o++) {
			const j = now.get(o);
			if (j !== undefined) {
				where.push(j);
				intact &&= !cells[j].modified;
			}
			pasted ||= pastedOrigins.has(o);
		}
		const untouched = intact && where.length === e - s && where.every((j, i) => j === where[0] + i);
		const ok = r !== undefined && (r.status === 'orphaned' ? r.start === undefined :
			r.start !== undefined && r.end !== undefined && r.start < r.end && r.end <= cells.length);
		const report = (what: string): void => {
			clean = false;
			if (tally.examples.length < 12) {
				tally.examples.push(`${label} ${what}: quote ${JSON.stringify(a.quote)} → ${JSON.stringify(r)}` +
					(r?.start !== undefined ? ` on ${JSON.stringify(cps.slice(r.start, r.end).join(''))}` : ''));
			}
		};
		if (!ok) {
			tally.lost++;
			report('lost (malformed result)');
			return;
		}
		// A pasted duplicate of the span (or of what an edit made of it).
		const onCopy = r.start !== undefined && cells.slice(r.start, r.end!).some((c) => c.copyOf?.includes(k)) &&
			cells.slice(r.start, r.end!).every((c) => c.copyOf !== undefined || c.copy);
		if (untouched && pasted) {
			// Its text now occurs twice with the same context: either place (or an orphan) is right.
			tally.untouchedPasted++;
			const ts = where[0], te = ts + (e - s);
			if (r.status !== 'orphaned' && !(r.start === ts && r.end === te) && !onCopy) {
				tally.wrong++;
				report(`wrong (untouched and pasted, truly at ${ts}-${te})`);
			}
			return;
		}
		if (untouched) {
			tally.untouched++;
			const ts = where[0], te = ts + (e - s);
			if (r.status === 'orphaned') {
				tally.untouchedOrphaned++;
				if (process.env.PROPERTY_VERBOSE) {
					console.log(`${label} untouched orphaned (${r.reason}): ${JSON.stringify(a.quote)} at ${ts}`);
				}
				if (contextIntactAndUnique(cps, canon, ts, te, a)) {
					tally.lost++;
					report('lost (context intact and unique, but orphaned)');
				}
			} else if (r.start === ts && r.end === te) {
				tally.untouchedExact++;
			} else if (onCopy) {
				tally.onCopy++;
			} else if (isPeriodicShift(cps, r.start!, r.end!, ts, te)) {
				tally.periodic++;
			} else {
				tally.wrong++;
				report(`wrong (untouched, truly at ${ts}-${te})`);
			}
			return;
		}
		tally.edited++;
		if (r.status === 'orphaned') {
			tally.editedOrphaned++;
			return;
		}
		const overlaps = cells.slice(r.start, r.end).some((c) => c.marks?.includes(k));
		if (overlaps) {
			tally.editedFound++;
		} else if (onCopy) {
			tally.onCopy++;
		} else if (indistinguishable(cps, r.start!, r.end!, a)) {
			tally.slid++;
		} else {
			tally.wrong++;
			const fp = cells.map((c, j) => (c.marks?.includes(k) ? j : -1)).filter((j) => j >= 0);
			report(`wrong (edited; footprint ${fp.length ? `${fp[0]}-${fp[fp.length - 1] + 1} ${JSON.stringify(cps.slice(fp[0], fp[fp.length - 1] + 1).join(''))}` : 'empty'})`);
		}
	});
	if (clean) {
		tally.runsClean++;
	} else {
		tally.runsFailed++;
	}
	return clean;
}

/**
 * The landing holds the quote with one full side of its stored context, and that string occurs
 * nowhere else: the texts cannot tell this from the span having survived there. It happens when an
 * edit's ends slide over repeated text (deleting "Zelenski werd …\n\n" before "Zelenski droeg"
 * gives the same text as deleting "werd …\n\nZelenski ").
 */
function indistinguishable(cps: readonly string[], rs: number, re: number, a: AnchorTarget): boolean {
	const text = cps.join('');
	const before = cps.slice(Math.max(0, rs - CONTEXT_LENGTH), rs).join('');
	const after = cps.slice(re, re + CONTEXT_LENGTH).join('');
	const unique = (needle: string): boolean => text.indexOf(needle) === text.lastIndexOf(needle);
	return cps.slice(rs, re).join('') === a.quote && (
		(before === a.prefix && [...a.prefix].length === CONTEXT_LENGTH && unique(a.prefix + a.quote)) ||
		(after === a.suffix && [...a.suffix].length === CONTEXT_LENGTH && unique(a.quote + a.suffix)));
}

/** The two placements hold the same text and everything between repeats with their distance. */
function isPeriodicShift(cps: readonly string[], rs: number, re: number, ts: number, te: number): boolean {
	const d = Math.abs(rs - ts);
	if (re - rs !== te - ts || d === 0) {
		return false;
	}
	const lo = Math.min(rs, ts), hi = Math.max(re, te);
	for (let i = lo; i + d < hi; i++) {
		if (cps[i] !== cps[i + d]) {
			return false;
		}
	}
	return true;
}

function main(): void {
	const t0 = Date.now();
	const articles = loadArticles();
	const rng = seededRandom(SEED);
	const withPrev = newTally(), withoutPrev = newTally();
	const kinds = new Map<EditKind, number>();
	for (let seq = 0; seq < SEQUENCES; seq++) {
		let base = articles[seq % articles.length];
		if (seq % 3 === 1) {
			// Emoji variant: a few emoji after random spaces (surrogate pairs before many annotations).
			base = base.replace(/ /g, (m) => (rng() < 0.02 ? ` ${pick(rng, EMOJI)} ` : m));
		}
		const crlf = seq % 4 >= 2, bom = seq % 5 === 0;
		const cells = cellsOf(base);
		const spans = chooseSpans(rng, base);
		const rawBefore = rawForm(base, crlf, bom);
		const canonCps = [...base];
		const anns = spans.map(([s, e]) => {
			const r = toEditorRange(rawBefore, sidecarOffset(s), sidecarOffset(e));
			return makeSelector(rawBefore, r.start, r.end);
		});
		spans.forEach(([s, e], k) => {
			for (let i = s; i < e; i++) {
				(cells[i].marks ??= []).push(k);
			}
			if (anns[k].quote !== canonCps.slice(s, e).join('')) {
				throw new Error(`selector mismatch in sequence ${seq}`);
			}
		});
		const vocabulary = base.split(/\s+/).filter((w) => w.length > 0);
		const edits = int(rng, 1, 4);
		for (let i = 0; i < edits; i++) {
			const kind = applyEdit(rng, cells, vocabulary);
			kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
		}
		const rawAfter = rawForm(textOf(cells), crlf, bom);
		if (process.env.PROPERTY_DUMP === String(seq)) {
			const file = path.join(process.env.TMPDIR ?? '/tmp', `anchoring-sequence-${seq}.json`);
			fs.writeFileSync(file, JSON.stringify({ rawBefore, rawAfter, anns, spans }, null, 1));
			console.log(`sequence ${seq} written to ${file}`);
		}
		judge(withPrev, reanchorAll(rawAfter, anns, { previousText: rawBefore }), anns, spans, cells, `#${seq} with previous text`);
		judge(withoutPrev, reanchorAll(rawAfter, anns), anns, spans, cells, `#${seq} without previous text`);
	}

	const pct = (n: number, d: number): string => (d === 0 ? '–' : `${((100 * n) / d).toFixed(3)}%`);
	console.log(`anchoring property test: ${SEQUENCES.toLocaleString('en')} edit sequences (seed ${SEED}) over ${articles.length} sample-corpus articles; edits: ` +
		[...kinds].map(([k, v]) => `${k} ${v}`).join(', '));
	let failedTargets = 0, passedTargets = 0;
	const target = (pass: boolean, text: string): void => {
		console.log(`  ${pass ? 'ok  ' : 'FAIL'} ${text}`);
		if (pass) { passedTargets++; } else { failedTargets++; }
	};
	for (const [name, t, rate] of [['with previous text', withPrev, 0.999], ['without previous text', withoutPrev, 0.99]] as const) {
		console.log(`${name}: ${t.annotations.toLocaleString('en')} annotations: ${t.untouched.toLocaleString('en')} untouched, ${t.untouchedPasted.toLocaleString('en')} untouched but pasted again elsewhere (either place is right), ${t.edited.toLocaleString('en')} edited or deleted`);
		console.log(`  untouched: ${t.untouchedExact} exactly anchored (${pct(t.untouchedExact, t.untouched)}), ${t.untouchedOrphaned} orphaned, ${t.periodic} on an equivalent place in repeated text`);
		console.log(`  edited/deleted: ${t.editedOrphaned} orphaned, ${t.editedFound} found overlapping their tracked place, ${t.onCopy} on a pasted copy of their text, ${t.slid} on text indistinguishable from them surviving (an edit boundary that slides over repeated text)`);
		target(t.wrong === 0, `attached to wrong text: ${t.wrong} (target 0)`);
		target(t.lost === 0, `lost: ${t.lost} (target 0)`);
		target(t.untouchedExact >= rate * t.untouched, `untouched still exactly anchored: ${pct(t.untouchedExact, t.untouched)} (target ≥ ${rate * 100}%)`);
		for (const ex of t.examples) {
			console.log(`    e.g. ${ex}`);
		}
	}
	const runs = withPrev.runsClean + withoutPrev.runsClean, failedRuns = withPrev.runsFailed + withoutPrev.runsFailed;
	console.log(`${runs} of ${runs + failedRuns} re-anchoring runs without a wrong or lost annotation; ${passedTargets} of ${passedTargets + failedTargets} targets met; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	console.log(`${runs + passedTargets} passed, ${failedRuns + failedTargets} failed`);
	process.exitCode = failedRuns + failedTargets > 0 ? 1 : 0;
}

main();
