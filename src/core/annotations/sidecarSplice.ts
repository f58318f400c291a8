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
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, isMap, isScalar, isSeq } from 'yaml';
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
	/** Items whose position changed (re-sorted by new offsets). */
	readonly moved: ReadonlySet<unknown>;
	/** Annotation maps and the root map edited in place. */
	readonly maps: ReadonlyMap<YAMLMap, MapEditRecord>;
}

/** Signals "layout not understood": the caller uses the full printer. */
class NotSpliceable extends Error {}

function fail(): never {
	throw new NotSpliceable();
}

const KEEP_CHOMP = /[|>][0-9]?\+/;
const BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?\r?$/;
const LINE_REST = /^[ \t]*(?:#.*)?\r?$/;

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
	const keyStart = annotationsKey.range[0];
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
}

/** The spliced file text, or undefined when the layout is not one this path handles. */
export function spliceSidecar(state: SpliceState): string | undefined {
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
	private readonly bounds: Int32Array;

	constructor(private readonly st: SpliceState) {
		this.s = st.source;
		this.bounds = new Int32Array(st.items.length + 1).fill(-1);
	}

	run(): string {
		const { st } = this;
		for (const [map, rec] of st.maps) {
			if (map === st.root) {
				this.spliceMap(map, rec, '', '');
			}
		}
		this.spliceItems();
		this.renderPairs();
		this.out.sort((a, b) => a.from - b.from || a.to - b.to);
		const parts: string[] = [];
		let at = 0;
		for (const r of this.out) {
			if (r.from < at) {
				fail();
			}
			parts.push(this.s.slice(at, r.from), st.eol === '\n' ? r.text : r.text.replace(/\n/g, '\r\n'));
			at = r.to;
		}
		parts.push(this.s.slice(at));
		return parts.join('');
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

	private item(i: number): YAMLMap {
		const node = this.st.items[i];
		if (!isMap(node) || !node.range) {
			fail();
		}
		return node;
	}

	/** Start of the `  - ` line of item i. */
	private dashLine(i: number): number {
		const node = this.item(i);
		const ls = this.lineStart(node.range![0]);
		if (this.s.slice(ls, node.range![0]) !== '  - ') {
			fail();
		}
		return ls;
	}

	/** Boundary before item i (i = n: end of the list). */
	private bound(i: number): number {
		const cached = this.bounds[i];
		if (cached >= 0) {
			return cached;
		}
		const n = this.st.items.length;
		let b: number;
		if (i === 0) {
			const first = this.item(0);
			if (first.spaceBefore || first.commentBefore) {
				fail();
			}
			b = this.dashLine(0);
		} else {
			const prev = this.item(i - 1);
			const end = prev.range![2];
			b = this.lineStart(end);
			if (!/^[ \t]*$/.test(this.s.slice(b, end)) || b <= this.dashLine(i - 1)) {
				fail();
			}
			if (i < n) {
				const next = this.item(i);
				const dash = this.dashLine(i);
				if (b > dash || !this.allBlankOrComment(b, dash)) {
					fail();
				}
				// The lines in between must be the next item's own leading lines.
				if ((b < dash) !== !!(next.spaceBefore || next.commentBefore)) {
					fail();
				}
			}
		}
		this.bounds[i] = b;
		return b;
	}

	private spliceItems(): void {
		const { st } = this;
		const n = st.items.length;
		const current = st.seq.items;
		if (n === 0) {
			if (current.length === 0) {
				return;
			}
			if (!st.seqWasEmptyFlow) {
				fail();
			}
			// `annotations: []` → `annotations:` + the new items.
			const key = st.annotationsKey.range![0];
			const seqEnd = st.seq.range![1];
			if (this.s.slice(key, seqEnd) !== 'annotations: []' || this.lineEndNoBreak(seqEnd) !== seqEnd) {
				fail();
			}
			this.out.push({ from: key, to: this.nextLineStart(seqEnd), text: 'annotations:\n' + this.renderItems(current) });
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
		st.items.forEach((node, i) => index.set(node, i));
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
				this.out.push({ from: this.bound(prev + 1), to: this.bound(j), text: this.renderItems(pending) });
				pending = [];
			}
			const rec = st.maps.get(node as YAMLMap);
			if (rec) {
				this.item(j);
				this.dashLine(j);
				this.spliceMap(node as YAMLMap, rec, '    ', '  - ');
			}
			prev = j;
		}
		if (prev + 1 < n || pending.length > 0) {
			this.out.push({ from: this.bound(prev + 1), to: this.bound(n), text: this.renderItems(pending) });
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
		const p0 = rec.pairs;
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
			const orig = rec.values[i];
			if (!isScalar(orig) || !orig.range || orig.commentBefore) {
				fail();
			}
			const k = keyNode(i);
			if (this.s.slice(k.range![0], orig.range[1]).includes('\n')) {
				fail();
			}
			const end = orig.range[1];
			if (!LINE_REST.test(this.s.slice(end, this.lineEndNoBreak(end)))) {
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
			const prevValue = rec.values[i - 1] as { range?: [number, number, number] } | null;
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
			const r: Replacement = { from, to, text: '' };
			this.out.push(r);
			for (const pair of pending) {
				this.pairJobs.push({ pair, replacement: r, indent, insert: true });
			}
			pending = [];
		};
		for (const pair of map.items as Pair[]) {
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
				const r: Replacement = { from: k.range![0], to: this.lineEndNoBreak(end), text: '' };
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
