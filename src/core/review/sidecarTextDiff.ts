/**
 * The diff of two sidecar texts without reading what both sides share. A review compares
 * sidecars of which usually a few annotations changed: an item whose text is byte-identical on
 * both sides is the same annotation on both and not in the diff. Such items are only checked
 * (each must be a valid item exactly as the printer writes it, {@link printedAnnotationAt}: one
 * native regular-expression match, no objects), then both sides are read without them. The
 * items before the first change and after the last are compared in step; those in between are
 * paired by their first line (the id), so moved items are skipped too. Gives exactly the diff of {@link diffSidecars} on
 * {@link readSidecarVersion} of each side (a property test checks it), and takes that path for a
 * text not in the printer's layout.
 */
import { printedAnnotationAt, readSidecarFast } from '../agreement/fastSidecarRead';
import type { SidecarData } from '../annotations/model';
import { SIDECAR_MAX_CHARS } from '../annotations/sidecarValidator';
import { diffSidecars, type SidecarDiff, type SidecarVersion } from './annotationDiff';

/** A side for {@link diffSidecars}: the printer's layout read without the YAML library, anything else left to the codec (which reports problems with their place). */
export function readSidecarVersion(text: string | undefined): SidecarVersion {
	return text === undefined ? undefined : (readSidecarFast(text) ?? text);
}

/** What {@link diffSidecarTexts} did, for tests and benchmarks. */
export interface TextDiffStats {
	/** Annotations neither side read (identical on both sides). */
	unread: number;
	/** Pairs read in full (a side missing, a text not in the printer's layout, or an unread block in doubt). */
	fullReads: number;
}

/**
 * `diffSidecars(readSidecarVersion(before), readSidecarVersion(after))`, without reading the
 * annotations whose items both sides have byte for byte.
 */
export function diffSidecarTexts(before: string | undefined, after: string | undefined, stats?: TextDiffStats): SidecarDiff {
	let fast: SidecarDiff | Set<string> | undefined;
	if (before !== undefined && after !== undefined) {
		fast = diffSkippingShared(before, after, new Set(), stats);
		// A changed relation names annotations the diff shows with it: read those too.
		if (fast instanceof Set) {
			fast = diffSkippingShared(before, after, fast, stats);
		}
	}
	if (fast instanceof Set || fast === undefined) {
		if (stats) {
			stats.fullReads++;
		}
		return diffSidecars(readSidecarVersion(before), readSidecarVersion(after));
	}
	return fast;
}

/**
 * The diff, undefined when the texts must be read in full, or the ids of unread annotations that
 * changed relations name (call again with them in `read`).
 */
function diffSkippingShared(before: string, after: string, read: ReadonlySet<string>, stats: TextDiffStats | undefined): SidecarDiff | Set<string> | undefined {
	// Checked on the whole texts: each side is read without some of its items.
	if (before.length > SIDECAR_MAX_CHARS || after.length > SIDECAR_MAX_CHARS) {
		return undefined;
	}
	const b = listOf(before);
	const a = listOf(after);
	if (!b || !a) {
		return undefined;
	}
	const skipped = new Set<string>();
	const head = sharedHead(b, a, read, skipped);
	const tail = sharedTail(b, a, head, read, skipped);
	const middle = sharedMiddle(b, a, head, tail, read, skipped);
	if (skipped.size === 0) {
		return undefined;
	}
	const beforeData = readSidecarFast(b.text.slice(0, b.first) + middle.before + b.text.slice(b.last));
	const afterData = readSidecarFast(a.text.slice(0, a.first) + middle.after + a.text.slice(a.last));
	// Ids stay unique on each side across what was read and what was not, as in a full read.
	if (!beforeData || !afterData || namesAny(beforeData, skipped) || namesAny(afterData, skipped)) {
		return undefined;
	}
	// The unread annotations are on both sides, unchanged: the diff of the rest is the diff.
	const diff = diffSidecars(beforeData, afterData);
	const named = new Set<string>();
	for (const r of [...diff.relations.added, ...diff.relations.removed, ...diff.relations.changed.flatMap((c) => [c.before, c.after])]) {
		for (const id of [r.from, r.to]) {
			if (skipped.has(id)) {
				named.add(id);
			}
		}
	}
	if (named.size > 0) {
		return named;
	}
	if (stats) {
		stats.unread += skipped.size;
	}
	return diff;
}

function namesAny(data: SidecarData, ids: ReadonlySet<string>): boolean {
	return data.annotations.some((x) => ids.has(x.id));
}

/**
 * Where a text's annotations list is, as the fast reader sees it: items start at a line `  - ` +
 * non-space below the line `annotations:`, and the list ends at the next top-level line (neither
 * blank nor a comment) or the end of the text.
 */
interface ListLayout {
	readonly text: string;
	/** Start of the first item. */
	readonly first: number;
	/** Start of the last item: it is always read, so neither side's list is ever empty. */
	readonly last: number;
	/** Where the list ends. */
	readonly end: number;
}

const SPACE = 0x20, CR = 0x0d;
/** A line at depth 0 that is neither blank nor a comment: it ends a list for the reader. */
const TOP_LEVEL_LINE = /\n[^ #\r\n]/g;
const ITEM_START = '\n  - ';
const OPENER = 'annotations:';

function listOf(text: string): ListLayout | undefined {
	const at = text.startsWith(OPENER) ? 0 : text.indexOf(`\n${OPENER}`) + 1;
	const nl = at > 0 || text.startsWith(OPENER) ? text.indexOf('\n', at) : -1;
	// `annotations:` (or `annotations: `) opens the list; `annotations: []` and the like are the reader's business.
	const lineEnd = nl > 0 && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
	if (nl < 0 || (lineEnd !== at + OPENER.length && !(lineEnd === at + OPENER.length + 1 && text.charCodeAt(lineEnd - 1) === SPACE))) {
		return undefined;
	}
	TOP_LEVEL_LINE.lastIndex = nl;
	const top = TOP_LEVEL_LINE.exec(text);
	const end = top ? top.index + 1 : text.length;
	const first = nextItem(text, nl, end);
	const last = previousItem(text, end, nl);
	return first < 0 || last < 0 ? undefined : { text, first, last, end };
}

/** The first item start in (from, end), or -1 (`  -  x` starts none). */
function nextItem(text: string, from: number, end: number): number {
	for (let p = text.indexOf(ITEM_START, from); p >= 0 && p + 1 < end; p = text.indexOf(ITEM_START, p + 1)) {
		if (text.charCodeAt(p + ITEM_START.length) !== SPACE) {
			return p + 1;
		}
	}
	return -1;
}

/** The last item start in (after, before), or -1. */
function previousItem(text: string, before: number, after: number): number {
	for (let p = text.lastIndexOf(ITEM_START, before - 2); p >= after; p = p > 0 ? text.lastIndexOf(ITEM_START, p - 1) : -1) {
		if (text.charCodeAt(p + ITEM_START.length) !== SPACE) {
			return p + 1;
		}
	}
	return -1;
}

/** Whether an item that ends at `at` is a whole item for the reader: the next line starts an item or the list ends there. */
function itemEndsAt(list: ListLayout, at: number): boolean {
	return at === list.end || (list.text.startsWith('  - ', at) && list.text.charCodeAt(at + 4) !== SPACE);
}

/**
 * Walks both lists from their first item while the items are identical, printed and valid, and
 * not in `read` (the last item excluded); adds their ids to `skipped`. Returns where the walk
 * stopped on each side.
 */
function sharedHead(b: ListLayout, a: ListLayout, read: ReadonlySet<string>, skipped: Set<string>): { before: number; after: number } {
	let pb = b.first;
	let pa = a.first;
	while (pb < b.last && pa < a.last) {
		const item = printedAnnotationAt(b.text, pb);
		if (!item || read.has(item.id) || skipped.has(item.id) || !itemEndsAt(b, item.end)) {
			break;
		}
		const length = item.end - pb;
		if (pa + length > a.last || !a.text.startsWith(b.text.slice(pb, item.end), pa) || !itemEndsAt(a, pa + length)) {
			break;
		}
		skipped.add(item.id);
		pb = item.end;
		pa += length;
	}
	return { before: pb, after: pa };
}

/**
 * Walks both lists backwards from the item before the last, the same way, down to the head's
 * stop. Returns where the skipped tail starts on each side (each side's last item when none).
 */
function sharedTail(b: ListLayout, a: ListLayout, head: { before: number; after: number }, read: ReadonlySet<string>, skipped: Set<string>): { before: number; after: number } {
	let eb = b.last;
	let ea = a.last;
	for (;;) {
		const qb = previousItem(b.text, eb, head.before - 1);
		const qa = previousItem(a.text, ea, head.after - 1);
		if (qb < 0 || qa < 0 || eb - qb !== ea - qa) {
			break;
		}
		const item = printedAnnotationAt(b.text, qb);
		if (!item || item.end !== eb || read.has(item.id) || skipped.has(item.id) || !a.text.startsWith(b.text.slice(qb, eb), qa)) {
			break;
		}
		skipped.add(item.id);
		eb = qb;
		ea = qa;
	}
	return { before: eb, after: ea };
}

/**
 * Between the shared head and tail: pairs the items of both sides by first line (the id, as the
 * printer writes it) and skips those identical, printed and valid. Returns the text of that part
 * of each side without the skipped items.
 */
function sharedMiddle(
	b: ListLayout, a: ListLayout, head: { before: number; after: number }, tail: { before: number; after: number }, read: ReadonlySet<string>, skipped: Set<string>,
): { before: string; after: string } {
	const beforeItems = itemsBetween(b.text, head.before, tail.before);
	const afterItems = itemsBetween(a.text, head.after, tail.after);
	const byFirstLine = new Map<string, number>();
	for (let i = 0; i + 1 < beforeItems.length; i++) {
		const key = firstLine(b.text, beforeItems[i]);
		// Two items with one first line: the reader decides (ids are unique in a valid file).
		byFirstLine.set(key, byFirstLine.has(key) ? -1 : i);
	}
	const cutBefore = new Set<number>();
	const cutAfter = new Set<number>();
	for (let j = 0; j + 1 < afterItems.length && byFirstLine.size > 0; j++) {
		const i = byFirstLine.get(firstLine(a.text, afterItems[j])) ?? -1;
		if (i < 0) {
			continue;
		}
		const start = beforeItems[i];
		const end = beforeItems[i + 1];
		const item = printedAnnotationAt(b.text, start);
		if (item && item.end === end && afterItems[j + 1] - afterItems[j] === end - start && !read.has(item.id) && !skipped.has(item.id) &&
			a.text.startsWith(b.text.slice(start, end), afterItems[j])) {
			skipped.add(item.id);
			cutBefore.add(i);
			cutAfter.add(j);
		}
	}
	return { before: keptText(b.text, beforeItems, cutBefore), after: keptText(a.text, afterItems, cutAfter) };
}

/** Item starts in [from, to), then `to` (each item runs to the next). */
function itemsBetween(text: string, from: number, to: number): number[] {
	const starts: number[] = [];
	for (let p = from; p >= 0 && p < to; p = nextItem(text, p, to)) {
		starts.push(p);
	}
	starts.push(to);
	return starts;
}

function firstLine(text: string, start: number): string {
	return text.slice(start, text.indexOf('\n', start));
}

/** The text from the first item start to the last, without the items in `cut`. */
function keptText(text: string, starts: readonly number[], cut: ReadonlySet<number>): string {
	if (cut.size === 0) {
		return text.slice(starts[0], starts[starts.length - 1]);
	}
	let out = '';
	let from = starts[0];
	for (const i of [...cut].sort((x, y) => x - y)) {
		out += text.slice(from, starts[i]);
		from = starts[i + 1];
	}
	return out + text.slice(from, starts[starts.length - 1]);
}
