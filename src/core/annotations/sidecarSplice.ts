/**
 * Fast write path of the sidecar codec: builds the edited file by splicing the parsed
 * source text instead of re-printing the whole Document (which costs ~0.1 ms per
 * annotation). Only the edited parts are printed, with the codec's own printer options
 * and in the same context, so for a file the printer wrote itself the result equals the
 * full print byte for byte; in a hand-formatted file every untouched line is kept as is.
 *
 * Source layout this relies on (checked; anything else returns undefined and the caller
 * falls back to the full print + line merge):
 * - the root is a block map; `annotations:` starts a line and holds a block list whose
 *   items start with `  - ` (or is `annotations: []` alone on its line);
 * - item i spans [B(i), B(i+1)): its leading blank/comment lines (spaceBefore /
 *   commentBefore), its `  - ` line and its lines up to where the next item's leading
 *   lines begin (trailing comments included), exactly as the printer emits one item;
 * - an edited pair is one line (`key: value # comment`), and pairs inserted or removed
 *   have no comment or blank line before them;
 * - no keep-chomping block scalars (`|+`), whose trailing blank lines change how the
 *   printer emits the next item.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { ToStringOptions } from 'yaml';

/** Original state of one map edited in place (an annotation, or the root for header fields). */
export interface MapEditRecord {
	/** Pairs as parsed, in order. */
	readonly pairs: readonly Pair[];
	/** Their value nodes as parsed (an edit may replace a pair's value node). */
	readonly values: readonly unknown[];
	/** Keys whose value changed. */
	readonly dirty: Set<string>;
}

/** Everything the fast path needs to know about the edits since parse. */
export interface SpliceState {
	readonly source: string;
	readonly eol: '\n' | '\r\n';
	readonly options: Readonly<ToStringOptions>;
	readonly root: YAMLMap;
	/** The `annotations` key node as parsed. */
	readonly annotationsKey: Scalar;
	/** The annotations list as parsed (the same node object stays in the tree). */
	readonly seq: YAMLSeq;
	/** Was the list `annotations: []` (empty flow list) when parsed? */
	readonly seqWasEmptyFlow: boolean;
	/** Items as parsed. */
	readonly items: readonly unknown[];
	/** The `relations:` list as parsed; undefined when the file had none (a first relation adds it after the annotations). */
	readonly relations?: ParsedList;
	/** Items whose position changed (re-sorted by new offsets). */
	readonly moved: ReadonlySet<unknown>;
	/** Annotation maps and the root map edited in place. */
	readonly maps: ReadonlyMap<YAMLMap, MapEditRecord>;
}

/** A top-level list as parsed: its key, the list node (which stays in the tree while it exists) and its items. */
export interface ParsedList {
	readonly key: Scalar;
	readonly seq: YAMLSeq;
	/** Was it `key: []` (an empty flow list)? */
	readonly wasEmptyFlow: boolean;
	readonly items: readonly unknown[];
}

/** A list the splicer walks, with the item boundaries it found. */
interface ListCtx extends ParsedList {
	readonly name: 'annotations' | 'relations';
	readonly bounds: Int32Array;
}

function findRootPair(root: YAMLMap, key: string): Pair | undefined {
	return (root.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === key);
}

function valueOfRoot(root: YAMLMap, key: string): unknown {
	return findRootPair(root, key)?.value;
}

/** Signals "layout not understood": the caller uses the full printer. */
class NotSpliceable extends Error {}

function fail(): never {
	throw new NotSpliceable();
}

const KEEP_CHOMP = /[|>][0-9]?\+/;
const BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?\r?$/;

/**
 * Cheap checks on the parsed file, done once before the first edit: false if the fast
 * path can never apply to it.
 */
export function spliceable(source: string, eol: '\n' | '\r\n', root: unknown, seq: unknown, annotationsKey: unknown): boolean {
	if (!isMap(root) || root.flow || !isSeq(seq) || !isScalar(annotationsKey) || !annotationsKey.range) {
		return false;
	}
	if (KEEP_CHOMP.test(source)) {
		return false;
	}
	// Uniform line ends only.
	if (eol === '\n' ? source.includes('\r') : /(?:^|[^\r])\n/.test(source) || /\r(?!\n)/.test(source)) {
		return false;
	}
	return listSpliceable(source, seq, annotationsKey);
}

/** Whether a top-level list's layout is one the fast path handles: the key starts a line; a flow list only as `key: []`. */
export function listSpliceable(source: string, seq: unknown, key: unknown): boolean {
	if (!isSeq(seq) || !isScalar(key) || !key.range) {
		return false;
	}
	const keyStart = key.range[0];
	if (keyStart !== 0 && source[keyStart - 1] !== '\n') {
		return false;
	}
	if (seq.flow) {
		return seq.items.length === 0 && !seq.comment && !seq.commentBefore && !!seq.range;
	}
	return true;
}

interface Replacement {
	from: number;
	to: number;
	text: string;
	/** What the text prints: whole list items (in order), or pair lines of one map (in order). */
	items?: readonly unknown[];
	pairs?: Pair[];
	/** The map whose pairs these are. */
	map?: YAMLMap;
	/** The text starts with the list's key line (an empty flow list became a block list, or a relations list was added). */
	withKey?: boolean;
	/** With `withKey`: the key and list nodes the text prints. */
	list?: { readonly key: Scalar; readonly seq: YAMLSeq };
}

/** One replaced range of the source: `[from, to)` became `text` (line ends as written). */
export interface SpliceEdit {
	readonly from: number;
	readonly to: number;
	readonly text: string;
	readonly items?: readonly unknown[];
	readonly pairs?: readonly Pair[];
	readonly map?: YAMLMap;
	readonly withKey?: boolean;
	readonly list?: { readonly key: Scalar; readonly seq: YAMLSeq };
}

/** The spliced text and the edits that made it (for {@link rebaseRanges}). */
export interface SpliceResult {
	readonly text: string;
	readonly edits: readonly SpliceEdit[];
}

/** The spliced file text and its edits, or undefined when the layout is not one this path handles. */
export function spliceSidecar(state: SpliceState): SpliceResult | undefined {
	try {
		return new Splicer(state).run();
	} catch (e) {
		if (e instanceof NotSpliceable) {
			return undefined;
		}
		throw e;
	}
}

class Splicer {
	private readonly s: string;
	private readonly out: Replacement[] = [];
	/** Pair lines to print, filled in after the walk (one print for all). */
	private readonly pairJobs: { pair: Pair; replacement: Replacement; indent: string; insert: boolean }[] = [];
	private readonly annotations: ListCtx;
	private readonly relations: ListCtx | undefined;

	constructor(private readonly st: SpliceState) {
		this.s = st.source;
		const ctx = (name: ListCtx['name'], list: ParsedList): ListCtx => ({ name, ...list, bounds: new Int32Array(list.items.length + 1).fill(-1) });
		this.annotations = ctx('annotations', { key: st.annotationsKey, seq: st.seq, wasEmptyFlow: st.seqWasEmptyFlow, items: st.items });
		this.relations = st.relations && ctx('relations', st.relations);
	}

	run(): SpliceResult {
		const { st } = this;
		for (const [map, rec] of st.maps) {
			if (map === st.root) {
				this.spliceMap(map, rec, '', '');
			}
		}
		this.spliceItems(this.annotations, st.seq.items);
		this.spliceRelations();
		this.renderPairs();
		this.out.sort((a, b) => a.from - b.from || a.to - b.to);
		const parts: string[] = [];
		const edits: SpliceEdit[] = [];
		let at = 0;
		for (const r of this.out) {
			if (r.from < at) {
				fail();
			}
			const text = st.eol === '\n' ? r.text : r.text.replace(/\n/g, '\r\n');
			parts.push(this.s.slice(at, r.from), text);
			edits.push({ from: r.from, to: r.to, text, items: r.items, pairs: r.pairs, map: r.map, withKey: r.withKey, list: r.list });
			at = r.to;
		}
		parts.push(this.s.slice(at));
		return { text: parts.join(''), edits };
	}

	// ---- line helpers -------------------------------------------------------------------------

	private lineStart(p: number): number {
		return this.s.lastIndexOf('\n', p - 1) + 1;
	}

	/** End of the line holding `p`, before its line break. */
	private lineEndNoBreak(p: number): number {
		const i = this.s.indexOf('\n', p);
		if (i < 0) {
			return this.s.length;
		}
		return i > p && this.s[i - 1] === '\r' ? i - 1 : i;
	}

	/** Start of the line after the one holding `p`; fails at a last line without a line break. */
	private nextLineStart(p: number): number {
		const i = this.s.indexOf('\n', p);
		return i < 0 ? fail() : i + 1;
	}

	private allBlankOrComment(from: number, to: number): boolean {
		if (from >= to) {
			return true;
		}
		const lines = this.s.slice(from, to).split('\n');
		lines.pop(); // text after the last break (empty: `to` is a line start)
		return lines.every((l) => BLANK_OR_COMMENT.test(l));
	}

	// ---- the annotations list ----------------------------------------------------------------

	private item(list: ListCtx, i: number): YAMLMap {
		const node = list.items[i];
		if (!isMap(node) || !node.range) {
			fail();
		}
		return node;
	}

	/** Start of the `  - ` line of item i. */
	private dashLine(list: ListCtx, i: number): number {
		const node = this.item(list, i);
		const ls = this.lineStart(node.range![0]);
		if (this.s.slice(ls, node.range![0]) !== '  - ') {
			fail();
		}
		return ls;
	}

	/** Boundary before item i (i = n: end of the list). */
	private bound(list: ListCtx, i: number): number {
		const cached = list.bounds[i];
		if (cached >= 0) {
			return cached;
		}
		const n = list.items.length;
		let b: number;
		if (i === 0) {
			const first = this.item(list, 0);
			if (first.spaceBefore || first.commentBefore) {
				fail();
			}
			b = this.dashLine(list, 0);
		} else {
			const prev = this.item(list, i - 1);
			const end = prev.range![2];
			b = this.lineStart(end);
			if (!/^[ \t]*$/.test(this.s.slice(b, end)) || b <= this.dashLine(list, i - 1)) {
				fail();
			}
			if (i < n) {
				const next = this.item(list, i);
				const dash = this.dashLine(list, i);
				if (b > dash || !this.allBlankOrComment(b, dash)) {
					fail();
				}
				// The lines in between must be the next item's own leading lines.
				if ((b < dash) !== !!(next.spaceBefore || next.commentBefore)) {
					fail();
				}
			}
		}
		list.bounds[i] = b;
		return b;
	}

	/** End of a list as parsed: the line after its last item, or after `key: []`. */
	private listEnd(list: ListCtx): number {
		if (list.items.length > 0) {
			return this.bound(list, list.items.length);
		}
		if (!list.wasEmptyFlow) {
			fail();
		}
		const key = list.key.range![0];
		const seqEnd = list.seq.range![1];
		if (this.s.slice(key, seqEnd) !== `${list.name}: []` || this.lineEndNoBreak(seqEnd) !== seqEnd) {
			fail();
		}
		return this.nextLineStart(seqEnd);
	}

	/** The whole `key:` block printed for `seq` (with `withKey`), replacing [from, to). */
	private keyBlock(name: ListCtx['name'], seq: YAMLSeq, from: number, to: number): void {
		const pair = findRootPair(this.st.root, name);
		if (!pair || pair.value !== seq || !isScalar(pair.key) || pair.key.commentBefore || pair.key.spaceBefore || seq.commentBefore || seq.comment || seq.flow) {
			fail();
		}
		this.out.push({ from, to, text: `${name}:\n` + this.renderItems(seq.items), items: seq.items.slice(), withKey: true, list: { key: pair.key, seq } });
	}

	/**
	 * The relations list: spliced like the annotations when it stays; added after the annotations
	 * (where the printer puts it) when it is new; its lines removed when it went.
	 */
	private spliceRelations(): void {
		const { root } = this.st;
		const now = valueOfRoot(root, 'relations');
		const parsed = this.relations;
		if (parsed && now === parsed.seq) {
			this.spliceItems(parsed, parsed.seq.items);
			return;
		}
		if (now !== undefined && (!isSeq(now) || now.items.length === 0)) {
			fail();
		}
		if (parsed) {
			// The list went (its last relation removed), or a new one replaced it.
			const from = parsed.key.range![0];
			const to = this.listEnd(parsed);
			if (now === undefined) {
				this.out.push({ from, to, text: '' });
			} else {
				this.keyBlock('relations', now, from, to);
			}
			return;
		}
		if (now === undefined) {
			return;
		}
		// A new list: the printer writes it right after the annotations list, if it is next in the map.
		const keys = root.items.map((p) => (isScalar(p.key) ? p.key.value : undefined));
		if (keys.indexOf('relations') !== keys.indexOf('annotations') + 1) {
			fail();
		}
		const at = this.listEnd(this.annotations);
		this.keyBlock('relations', now, at, at);
	}

	private spliceItems(list: ListCtx, current: readonly unknown[]): void {
		const { st } = this;
		const n = list.items.length;
		if (n === 0) {
			if (current.length === 0) {
				return;
			}
			// `key: []` → `key:` + the new items.
			const key = list.key.range![0];
			this.out.push({
				from: key, to: this.listEnd(list), text: `${list.name}:\n` + this.renderItems(current), items: current.slice(), withKey: true,
				list: { key: list.key, seq: list.seq },
			});
			return;
		}
		if (current.length === 0) {
			fail(); // the printer writes `annotations:\n  []`; rare enough to leave to it
		}
		const first = current[0] as { spaceBefore?: boolean } | null;
		if (first?.spaceBefore) {
			fail(); // the printer indents the blank line before a first item; leave that to it
		}
		const index = new Map<unknown, number>();
		list.items.forEach((node, i) => index.set(node, i));
		let prev = -1;
		let pending: unknown[] = [];
		for (const node of current) {
			const j = index.get(node);
			if (j === undefined || st.moved.has(node)) {
				pending.push(node);
				continue;
			}
			if (j <= prev) {
				fail();
			}
			if (j > prev + 1 || pending.length > 0) {
				this.out.push({ from: this.bound(list, prev + 1), to: this.bound(list, j), text: this.renderItems(pending), items: pending });
				pending = [];
			}
			const rec = st.maps.get(node as YAMLMap);
			if (rec) {
				this.item(list, j);
				this.dashLine(list, j);
				this.spliceMap(node as YAMLMap, rec, '    ', '  - ');
			}
			prev = j;
		}
		if (prev + 1 < n || pending.length > 0) {
			this.out.push({ from: this.bound(list, prev + 1), to: this.bound(list, n), text: this.renderItems(pending), items: pending });
		}
	}

	/** Items as the printer writes them inside `annotations:` (each block ends with a line break). */
	private renderItems(items: readonly unknown[]): string {
		if (items.length === 0) {
			return '';
		}
		// A dummy first item, so every real one is printed as a non-first item (a first item's
		// blank line before it would carry the indentation).
		const seq = new YAMLSeq();
		seq.items = [new Scalar('x'), ...items];
		const root = new YAMLMap();
		root.items = [new Pair(new Scalar('annotations'), seq)];
		const doc = new Document(null, { version: '1.2' });
		doc.contents = root;
		const text = doc.toString(this.st.options);
		const head = 'annotations:\n  - x\n';
		if (!text.startsWith(head)) {
			fail();
		}
		return text.slice(head.length);
	}

	// ---- pairs of one map --------------------------------------------------------------------

	/**
	 * Splices the changed, inserted and removed pairs of `map` (an annotation whose `  - `
	 * line was checked, or the root). `indent` is the key column, `firstPrefix` what precedes
	 * the first key on its line.
	 */
	private spliceMap(map: YAMLMap, rec: MapEditRecord, indent: string, firstPrefix: string): void {
		if (map.flow) {
			fail();
		}
		// The root's `relations` pair comes and goes with its list (spliceRelations).
		const kept = (p: Pair): boolean => map !== this.st.root || !isScalar(p.key) || p.key.value !== 'relations';
		const p0 = rec.pairs.filter(kept);
		const values = rec.values.filter((_v, i) => kept(rec.pairs[i]));
		const n = p0.length;
		const index = new Map<Pair, number>();
		p0.forEach((p, i) => index.set(p, i));
		const keyNode = (i: number): Scalar => {
			const k = p0[i].key;
			if (!isScalar(k) || !k.range) {
				fail();
			}
			const ls = this.lineStart(k.range[0]);
			if (this.s.slice(ls, k.range[0]) !== (i === 0 ? firstPrefix : indent)) {
				fail();
			}
			return k;
		};
		/** End of pair i's value when it is a one-line scalar. */
		const oneLineValueEnd = (i: number): number => {
			const orig = values[i];
			if (!isScalar(orig) || !orig.range || orig.commentBefore) {
				fail();
			}
			const k = keyNode(i);
			if (this.s.slice(k.range![0], orig.range[1]).includes('\n')) {
				fail();
			}
			const end = orig.range[1];
			if (!BLANK_OR_COMMENT.test(this.s.slice(end, this.lineEndNoBreak(end)))) {
				fail();
			}
			return end;
		};
		/** Start of pair i's line (i ≥ 1), which must have no comment or blank line before it. */
		const start = (i: number): number => {
			if (i === 0) {
				fail();
			}
			if (i === n) {
				return this.nextLineStart(oneLineValueEnd(n - 1));
			}
			const k = keyNode(i);
			if (k.commentBefore || k.spaceBefore) {
				fail();
			}
			const ls = this.lineStart(k.range![0]);
			const prevValue = values[i - 1] as { range?: [number, number, number] } | null;
			const prevEnd = prevValue?.range?.[1] ?? fail();
			const between = this.s.slice(prevEnd, ls);
			if (prevEnd > ls || between.split('\n').length > 2) {
				fail();
			}
			return ls;
		};
		let prev = -1;
		let pending: Pair[] = [];
		const flush = (from: number, to: number): void => {
			const r: Replacement = { from, to, text: '', pairs: [], map };
			this.out.push(r);
			for (const pair of pending) {
				r.pairs!.push(pair);
				this.pairJobs.push({ pair, replacement: r, indent, insert: true });
			}
			pending = [];
		};
		for (const pair of (map.items as Pair[]).filter(kept)) {
			const j = index.get(pair);
			if (j === undefined) {
				pending.push(pair);
				continue;
			}
			if (j <= prev) {
				fail();
			}
			if (j > prev + 1 || pending.length > 0) {
				flush(start(prev + 1), start(j));
			}
			const key = pair.key;
			if (rec.dirty.has(String(isScalar(key) ? key.value : key))) {
				const k = keyNode(j);
				const end = oneLineValueEnd(j);
				const r: Replacement = { from: k.range![0], to: this.lineEndNoBreak(end), text: '', pairs: [pair], map };
				this.out.push(r);
				this.pairJobs.push({ pair, replacement: r, indent, insert: false });
			}
			prev = j;
		}
		if (prev + 1 < n || pending.length > 0) {
			flush(start(prev + 1), start(n));
		}
	}

	/** Prints every pending pair line in one go (each must come out as exactly one line). */
	private renderPairs(): void {
		const jobs = this.pairJobs;
		if (jobs.length === 0) {
			return;
		}
		const root = new YAMLMap();
		for (const { pair } of jobs) {
			const v = pair.value;
			if (isScalar(v) && (v.commentBefore || v.spaceBefore)) {
				fail();
			}
			const key = isScalar(pair.key) ? (pair.key.clone() as Scalar) : fail();
			key.commentBefore = undefined;
			key.comment = undefined;
			key.spaceBefore = false;
			root.items.push(new Pair(key, v));
		}
		const doc = new Document(null, { version: '1.2' });
		doc.contents = root;
		const lines = doc.toString(this.st.options).split('\n');
		if (lines.pop() !== '' || lines.length !== jobs.length) {
			fail();
		}
		jobs.forEach((job, i) => {
			job.replacement.text += job.insert ? job.indent + lines[i] + '\n' : lines[i];
		});
	}
}

// ---- after a write: the nodes' ranges in the written text ------------------------------------

/**
 * Makes the document's node ranges refer to the text a splice wrote, so the next edit can splice
 * that text without parsing it again (parsing costs about 0.1 ms per annotation). Untouched nodes
 * are shifted past the edits; the nodes an edit printed get their ranges from parsing just that
 * edit's text. Returns false, changing nothing the caller relies on, when any node cannot be
 * placed: the caller then parses the written text.
 */
export function rebaseRanges(written: string, root: YAMLMap, annotationsKey: Scalar, seq: YAMLSeq, edits: readonly SpliceEdit[]): boolean {
	try {
		new Rebaser(written, edits).run(root, annotationsKey, seq);
		return true;
	} catch (e) {
		if (e instanceof NotSpliceable) {
			return false;
		}
		throw e;
	}
}

type Ranged = { range?: [number, number, number] | null };

class Rebaser {
	/** Where each edit's text starts in the written text. */
	private readonly newFrom: number[] = [];

	constructor(private readonly written: string, private readonly edits: readonly SpliceEdit[]) {
		let delta = 0;
		for (const e of edits) {
			this.newFrom.push(e.from + delta);
			delta += e.text.length - (e.to - e.from);
		}
	}

	run(root: YAMLMap, annotationsKey: Scalar, seq: YAMLSeq): void {
		const stale = new Set<Ranged>();
		/** Where each map ended, in the written text (its trailing comments included). */
		const oldEnd = new Map<Ranged, number>();
		this.walk(root, (node) => {
			const r = node.range;
			const mapped = r ? [this.map(r[0], true), this.map(r[1], false), this.map(r[2], false)] : undefined;
			if (mapped && !Number.isNaN(mapped[2])) {
				oldEnd.set(node, mapped[2]);
			}
			if (!mapped || mapped.some(Number.isNaN)) {
				stale.add(node);
			} else {
				node.range = mapped as [number, number, number];
			}
		});
		this.edits.forEach((e, i) => {
			if (e.items && e.items.length > 0) {
				const eol = e.text.includes('\r\n') ? '\r\n' : '\n';
				const head = e.withKey ? '' : `list:${eol}`;
				const parsed = parseFragment(head + e.text);
				const pair = parsed.items[0];
				const parsedSeq = pair?.value;
				if (!isSeq(parsedSeq) || parsedSeq.items.length !== e.items.length) {
					fail();
				}
				const offset = this.newFrom[i] - head.length;
				e.items.forEach((item, k) => copyRanges(item, parsedSeq.items[k], offset, stale));
				if (e.withKey) {
					const list = e.list ?? fail();
					copyRanges(list.key, pair.key, offset, stale);
					(list.seq as Ranged).range = shift(parsedSeq.range, offset);
					stale.delete(list.seq);
				}
			} else if (e.pairs && e.pairs.length > 0) {
				// A pair edited in place is parsed with the rest of its line (comment, line break),
				// so its value's range ends where a parse of the whole file puts it.
				const from = this.newFrom[i];
				let end = from + e.text.length;
				if (!e.text.endsWith('\n')) {
					const nl = this.written.indexOf('\n', end);
					end = nl < 0 ? this.written.length : nl + 1;
				}
				const parsed = parseFragment(this.written.slice(from, end));
				if (parsed.items.length !== e.pairs.length) {
					fail();
				}
				e.pairs.forEach((p, k) => {
					copyRanges(p.key, parsed.items[k].key, from, stale);
					copyRanges(p.value, parsed.items[k].value, from, stale);
				});
			}
		});
		// A map whose pairs were edited ends where its last pair ends now (an insertion at its end
		// is inside it, a removal at its end shortens it), as parsing has it for a block map.
		for (const e of this.edits) {
			const map = e.map;
			if (map && map !== root && map.items.length > 0) {
				const last = map.items[map.items.length - 1] as Pair;
				const lastEnd = ((last.value ?? last.key) as Ranged | null)?.range?.[2];
				const first = ((map.items[0] as Pair).key as Ranged | null)?.range?.[0];
				if (lastEnd === undefined || first === undefined) {
					fail();
				}
				const end = Math.max(lastEnd, oldEnd.get(map as Ranged) ?? 0);
				(map as Ranged).range = [first, end, end];
				stale.delete(map as Ranged);
			}
		}
		const relations = findRootPair(root, 'relations')?.value;
		for (const list of isSeq(relations) ? [seq, relations] : [seq]) {
			// As parsing sets it: a splice leaves an empty list only as the source's `key: []`,
			// and a parsed block list has no flow flag (an edit may have set it to false).
			(list as { flow?: boolean }).flow = list.items.length === 0 ? true : undefined;
			// A block list's own range only has to exist (the flow `[]` case is rewritten above).
			if (stale.delete(list) && list.items.length > 0) {
				const first = (list.items[0] as Ranged).range;
				const last = (list.items[list.items.length - 1] as Ranged).range;
				if (!first || !last) {
					fail();
				}
				(list as Ranged).range = [first[0], last[1], last[2]];
			}
		}
		if (stale.size > 0) {
			fail();
		}
	}

	/**
	 * A position of the old text in the written one; NaN inside replaced text. At an edit's
	 * boundary a start goes after inserted text, an end before it.
	 */
	private map(p: number, isStart: boolean): number {
		let delta = 0;
		for (let i = 0; i < this.edits.length; i++) {
			const e = this.edits[i];
			if (p < e.from) {
				return p + delta;
			}
			if (e.from === e.to && p === e.from) {
				return isStart ? this.newFrom[i] + e.text.length : this.newFrom[i];
			}
			if (p === e.from) {
				return this.newFrom[i];
			}
			if (p < e.to) {
				return NaN;
			}
			if (p === e.to) {
				return this.newFrom[i] + e.text.length;
			}
			delta += e.text.length - (e.to - e.from);
		}
		return p + delta;
	}

	private walk(node: unknown, visit: (node: Ranged) => void): void {
		if (isMap(node)) {
			visit(node as Ranged);
			for (const pair of node.items as Pair[]) {
				this.walk(pair.key, visit);
				this.walk(pair.value, visit);
			}
		} else if (isSeq(node)) {
			visit(node as Ranged);
			for (const item of node.items) {
				this.walk(item, visit);
			}
		} else if (isScalar(node)) {
			visit(node as Ranged);
		} else if (node !== null && node !== undefined) {
			fail(); // aliases and the like: not in a valid sidecar
		}
	}
}

function parseFragment(text: string): YAMLMap {
	const doc = parseDocument(text, { version: '1.2' });
	if (doc.errors.length > 0 || !isMap(doc.contents)) {
		fail();
	}
	return doc.contents;
}

function shift(range: [number, number, number] | null | undefined, offset: number): [number, number, number] {
	return range ? [range[0] + offset, range[1] + offset, range[2] + offset] : fail();
}

/** Gives `target` and its children the ranges of `source` (the same structure, parsed from its print). */
function copyRanges(target: unknown, source: unknown, offset: number, stale: Set<Ranged>): void {
	if (isScalar(target) && isScalar(source)) {
		(target as Ranged).range = shift(source.range, offset);
		// What parsing records about how the value was written (quoted, number format), which
		// later prints of a changed value follow.
		target.type = source.type;
		target.format = source.format;
		target.source = source.source;
	} else if (isMap(target) && isMap(source) && target.items.length === source.items.length) {
		(target as Ranged).range = shift(source.range, offset);
		target.items.forEach((pair, k) => {
			copyRanges(pair.key, source.items[k].key, offset, stale);
			copyRanges(pair.value, source.items[k].value, offset, stale);
		});
	} else if (isSeq(target) && isSeq(source) && target.items.length === source.items.length) {
		(target as Ranged).range = shift(source.range, offset);
		target.items.forEach((item, k) => copyRanges(item, source.items[k], offset, stale));
	} else if ((target === null || target === undefined) && (source === null || source === undefined)) {
		return;
	} else {
		fail();
	}
	stale.delete(target as Ranged);
}
