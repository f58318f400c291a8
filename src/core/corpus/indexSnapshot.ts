/**
 * The corpus index as kept between sessions (the extension's workspace storage): one binary
 * file per workspace folder, so reopening a large corpus shows the whole tree at once and then
 * reads only the files whose size or mtime changed.
 *
 * Columnar, so that restoring does not parse what the first tree levels do not need:
 * - a small JSON head: the folder table, the file names, and the few sparse fields (problems,
 *   titles that are not the lead's opening words, sidecar counts, labels and entities);
 * - fixed-width columns (size, mtime, date, folder, where each lead ends) copied into typed arrays;
 * - the leads, UTF-8, back to back. They are about nine tenths of the file and are never parsed
 *   on restore: a restored entry decodes its lead (and the title derived from it) when a label,
 *   tooltip or filter asks, and the bytes stay the only copy in memory (about half the size of a
 *   JavaScript string of Dutch text with one curly quote in it).
 *
 * Anything that does not decode exactly (an older version, another machine's byte order, a
 * truncated or edited file) is ignored as a whole: the index is then built from the files, as
 * on a first start.
 */
import type { ArticleDate } from '../article/articleParser';
import { articleTitle, internDate } from './articleSummary';
import type { CorpusEntry } from './corpusIndex';
import { EMPTY_SIDECAR_SUMMARY, type SidecarSummary } from './sidecarSummary';

/** Bump when the layout changes; snapshots of other versions are then ignored. */
export const INDEX_SNAPSHOT_VERSION = 2;

/** "CAIX": a file that does not start with it (version 1 was JSON text) is not a snapshot. */
const MAGIC = [0x43, 0x41, 0x49, 0x58];
/** Written in native byte order and read back little-endian: the columns are native typed arrays. */
const BYTE_ORDER_PROBE = 0x01020304;
/** magic, version, byte-order probe, count, head length, lead bytes: six 32-bit words. */
const PREAMBLE_BYTES = 24;

/** The sparse part of the head: [entry, value] pairs for the few entries that have the field. */
interface SnapshotHead {
	/** Key of the root the entries belong to (a workspace folder URI): a snapshot of another folder is ignored. */
	readonly root: string;
	/** Folder paths relative to the root ('' for the root itself); entries refer to them by index. */
	readonly folders: string[];
	readonly names: string[];
	readonly problems: [number, string][];
	/** Titles that are not `articleTitle(path, lead)`. */
	readonly titles: [number, string][];
	/** [entry, annotation count, labels, entities] for entries with a non-empty sidecar summary. */
	readonly sidecars: [number, number, string[], string[]][];
}

/**
 * One restored snapshot, shared by the entries that came from it: the columns and sparse fields
 * as decoded, and the leads as UTF-8 bytes. A lead is decoded on each read, never kept as a string.
 */
class SnapshotTable {
	private readonly decoder = new TextDecoder();

	constructor(
		readonly root: string,
		/** The leads back to back; `leadEnds[slot]` is where the slot's lead ends. */
		readonly leads: Uint8Array,
		private readonly leadEnds: Uint32Array,
		readonly sizes: Float64Array,
		readonly mtimes: Float64Array,
		readonly problems: ReadonlyMap<number, string>,
		readonly titles: ReadonlyMap<number, string>,
		readonly sidecars: ReadonlyMap<number, SidecarSummary>,
	) {}

	leadBytes(slot: number): Uint8Array {
		return this.leads.subarray(slot === 0 ? 0 : this.leadEnds[slot - 1], this.leadEnds[slot]);
	}

	lead(slot: number): string {
		// The last lead decoded is kept: a label or the filter reads the lead and then the title derived from it.
		if (slot !== this.lastSlot) {
			const bytes = this.leadBytes(slot);
			this.lastLead = bytes.length === 0 ? '' : this.decoder.decode(bytes);
			this.lastSlot = slot;
		}
		return this.lastLead;
	}

	private lastSlot = -1;
	private lastLead = '';
}

/**
 * An entry restored from a snapshot: its id, path and date as fields, everything else read from
 * the shared {@link SnapshotTable} when asked for (fewer objects to make on restore, and the lead
 * is never a string in memory). Being getters, those fields are not own properties: copy an entry
 * with `withEntryFields` (corpusIndex.ts), never with an object spread.
 */
class RestoredEntry implements CorpusEntry {
	constructor(
		readonly id: string,
		readonly path: string,
		readonly date: ArticleDate | null,
		readonly table: SnapshotTable,
		readonly slot: number,
	) {}

	get root(): string {
		return this.table.root;
	}

	get size(): number {
		return this.table.sizes[this.slot];
	}

	get mtime(): number {
		return this.table.mtimes[this.slot];
	}

	get problem(): string | null {
		return this.table.problems.get(this.slot) ?? null;
	}

	get leadExcerpt(): string {
		return this.table.lead(this.slot);
	}

	get title(): string {
		return this.table.titles.get(this.slot) ?? articleTitle(this.path, this.leadExcerpt);
	}

	/** The title kept in the snapshot because the lead does not give it, if any. */
	get storedTitle(): string | undefined {
		return this.table.titles.get(this.slot);
	}

	get annotationCount(): number {
		return (this.table.sidecars.get(this.slot) ?? EMPTY_SIDECAR_SUMMARY).annotationCount;
	}

	get labels(): readonly string[] {
		return (this.table.sidecars.get(this.slot) ?? EMPTY_SIDECAR_SUMMARY).labels;
	}

	get entities(): readonly string[] {
		return (this.table.sidecars.get(this.slot) ?? EMPTY_SIDECAR_SUMMARY).entities;
	}
}

/** The snapshot of the entries of one root (entries of other roots are left out). */
export function encodeIndexSnapshot(root: string, entries: Iterable<CorpusEntry>): Uint8Array {
	const head: SnapshotHead = { root, folders: [], names: [], problems: [], titles: [], sidecars: [] };
	const folderIndex = new Map<string, number>();
	const sizes: number[] = [];
	const mtimes: number[] = [];
	const dates: number[] = [];
	const folders: number[] = [];
	const leadEnds: number[] = [];
	/** Each lead as bytes: copied from the snapshot a restored entry came from, else encoded. */
	const leads: Uint8Array[] = [];
	const encoder = new TextEncoder();
	let leadBytes = 0;
	for (const e of entries) {
		if (e.root !== root) {
			continue;
		}
		const slot = head.names.length;
		const cut = e.path.lastIndexOf('/');
		const folder = cut === -1 ? '' : e.path.slice(0, cut);
		let f = folderIndex.get(folder);
		if (f === undefined) {
			f = head.folders.length;
			folderIndex.set(folder, f);
			head.folders.push(folder);
		}
		folders.push(f);
		head.names.push(e.path.slice(cut + 1));
		sizes.push(e.size);
		mtimes.push(e.mtime);
		dates.push(e.date ? e.date.year * 100 + e.date.month : 0);
		if (e.problem !== null) {
			head.problems.push([slot, e.problem]);
		}
		if (e.annotationCount > 0 || e.labels.length > 0 || e.entities.length > 0) {
			head.sidecars.push([slot, e.annotationCount, [...e.labels], [...e.entities]]);
		}
		let lead: Uint8Array;
		let storedTitle: string | undefined;
		if (e instanceof RestoredEntry) {
			// Bytes copied as they are: re-saving a restored index decodes no lead.
			lead = e.table.leadBytes(e.slot);
			storedTitle = e.storedTitle;
		} else {
			lead = encoder.encode(e.leadExcerpt);
			storedTitle = e.title === articleTitle(e.path, e.leadExcerpt) ? undefined : e.title;
		}
		if (storedTitle !== undefined) {
			head.titles.push([slot, storedTitle]);
		}
		leads.push(lead);
		leadBytes += lead.length;
		leadEnds.push(leadBytes);
	}
	const count = head.names.length;
	const headBytes = encoder.encode(JSON.stringify(head));
	const layout = layoutOf(count, headBytes.length, leadBytes);
	const out = new Uint8Array(layout.total);
	out.set(MAGIC, 0);
	const view = new DataView(out.buffer);
	view.setUint32(4, INDEX_SNAPSHOT_VERSION, true);
	out.set(new Uint8Array(new Uint32Array([BYTE_ORDER_PROBE]).buffer), 8);
	view.setUint32(12, count, true);
	view.setUint32(16, headBytes.length, true);
	view.setUint32(20, leadBytes, true);
	out.set(headBytes, PREAMBLE_BYTES);
	out.set(new Uint8Array(Float64Array.from(sizes).buffer), layout.sizes);
	out.set(new Uint8Array(Float64Array.from(mtimes).buffer), layout.mtimes);
	out.set(new Uint8Array(Uint32Array.from(dates).buffer), layout.dates);
	out.set(new Uint8Array(Uint32Array.from(folders).buffer), layout.folders);
	out.set(new Uint8Array(Uint32Array.from(leadEnds).buffer), layout.leadEnds);
	let at = layout.leads;
	for (const lead of leads) {
		out.set(lead, at);
		at += lead.length;
	}
	return out;
}

/** Byte offsets of the parts; the columns start on 8-byte boundaries. */
function layoutOf(count: number, headLength: number, leadLength: number) {
	const align = (n: number): number => Math.ceil(n / 8) * 8;
	const sizes = align(PREAMBLE_BYTES + headLength);
	const mtimes = sizes + 8 * count;
	const dates = mtimes + 8 * count;
	const folders = dates + 4 * count;
	const leadEnds = folders + 4 * count;
	const leads = leadEnds + 4 * count;
	return { sizes, mtimes, dates, folders, leadEnds, leads, total: leads + leadLength };
}

/**
 * The entries of a snapshot, with ids from `idFor(path)`; undefined when the bytes are not a
 * snapshot of this version for this root, or anything in them is out of place (never a partial index).
 */
export function decodeIndexSnapshot(bytes: Uint8Array, root: string, idFor: (path: string) => string): CorpusEntry[] | undefined {
	try {
		return decode(bytes, root, idFor);
	} catch {
		return undefined; // not JSON, not UTF-8, a column cut short: not a snapshot
	}
}

function decode(bytes: Uint8Array, root: string, idFor: (path: string) => string): CorpusEntry[] | undefined {
	if (bytes.length < PREAMBLE_BYTES || MAGIC.some((b, i) => bytes[i] !== b)) {
		return undefined;
	}
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (view.getUint32(4, true) !== INDEX_SNAPSHOT_VERSION || new Uint32Array(copyOf(bytes, 8, 12).buffer)[0] !== BYTE_ORDER_PROBE) {
		return undefined;
	}
	const count = view.getUint32(12, true);
	const headLength = view.getUint32(16, true);
	const leadLength = view.getUint32(20, true);
	const layout = layoutOf(count, headLength, leadLength);
	if (layout.total !== bytes.length) {
		return undefined;
	}
	const head: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headLength)));
	if (!isHead(head, count) || head.root !== root) {
		return undefined;
	}
	const columnBytes = (start: number, width: number): { buffer: ArrayBufferLike; offset: number } => {
		const at = bytes.byteOffset + start;
		// A view when the bytes are aligned for the column (a file read of its own), else a copy.
		return at % width === 0 ? { buffer: bytes.buffer, offset: at } : { buffer: copyOf(bytes, start, start + width * count).buffer, offset: 0 };
	};
	const float64s = (start: number): Float64Array => {
		const { buffer, offset } = columnBytes(start, 8);
		return new Float64Array(buffer, offset, count);
	};
	const uint32s = (start: number): Uint32Array => {
		const { buffer, offset } = columnBytes(start, 4);
		return new Uint32Array(buffer, offset, count);
	};
	const sizes = float64s(layout.sizes);
	const mtimes = float64s(layout.mtimes);
	const dates = uint32s(layout.dates);
	const folders = uint32s(layout.folders);
	const leadEnds = uint32s(layout.leadEnds);

	const problems = sparse(head.problems, count, (p) => typeof p === 'string');
	const titles = sparse(head.titles, count, (t) => typeof t === 'string');
	const sidecars = new Map<number, SidecarSummary>();
	for (const item of head.sidecars) {
		if (!Array.isArray(item) || item.length !== 4 || !isSlot(item[0], count) || sidecars.has(item[0]) || !isCount(item[1]) || !isStringList(item[2]) || !isStringList(item[3])) {
			return undefined;
		}
		sidecars.set(item[0], { annotationCount: item[1], labels: item[2], entities: item[3] });
	}
	if (!problems || !titles) {
		return undefined;
	}
	// The leads stay a view into the bytes read: copying them out would cost more than the head and columns weigh.
	const table = new SnapshotTable(root, bytes.subarray(layout.leads), leadEnds, sizes, mtimes, problems, titles, sidecars);
	const folderPrefixes = head.folders.map((f) => (f.length === 0 ? '' : `${f}/`));
	/** One date object per year and month (interned), looked up without making a new one per entry. */
	const dateOf = new Map<number, ArticleDate>();
	const entries: CorpusEntry[] = new Array(count);
	let previousEnd = 0;
	for (let i = 0; i < count; i++) {
		const yearMonth = dates[i];
		const folder = folders[i];
		const name = head.names[i];
		if (
			!isCount(sizes[i]) || !Number.isFinite(mtimes[i]) || folder >= folderPrefixes.length ||
			typeof name !== 'string' || name.length === 0 || name.includes('/') || leadEnds[i] < previousEnd
		) {
			return undefined;
		}
		previousEnd = leadEnds[i];
		let date = dateOf.get(yearMonth) ?? null;
		if (date === null && yearMonth !== 0) {
			const month = yearMonth % 100;
			if (yearMonth < 100 || month < 1 || month > 12) {
				return undefined;
			}
			date = internDate({ year: Math.floor(yearMonth / 100), month });
			dateOf.set(yearMonth, date);
		}
		const path = folderPrefixes[folder] + name;
		entries[i] = new RestoredEntry(idFor(path), path, date, table, i);
	}
	return previousEnd === leadLength ? entries : undefined;
}

/**
 * A copy of `bytes[start, end)` in a buffer of its own. Not `slice`: on a Node `Buffer` (what a
 * file read returns) `slice` is a view into the same memory, not a copy.
 */
function copyOf(bytes: Uint8Array, start: number, end: number): Uint8Array {
	return new Uint8Array(bytes.subarray(start, end));
}

function isHead(value: unknown, count: number): value is SnapshotHead {
	if (typeof value !== 'object' || value === null) {
		return false;
	}
	const v = value as Partial<SnapshotHead>;
	return (
		typeof v.root === 'string' && isStringList(v.folders) && Array.isArray(v.names) && v.names.length === count &&
		Array.isArray(v.problems) && Array.isArray(v.titles) && Array.isArray(v.sidecars)
	);
}

/** [slot, value] pairs as a map; undefined when a pair is malformed or a slot repeats. */
function sparse(pairs: unknown[], count: number, isValue: (v: unknown) => boolean): Map<number, string> | undefined {
	const map = new Map<number, string>();
	for (const pair of pairs) {
		if (!Array.isArray(pair) || pair.length !== 2 || !isSlot(pair[0], count) || map.has(pair[0]) || !isValue(pair[1])) {
			return undefined;
		}
		map.set(pair[0], pair[1] as string);
	}
	return map;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
const isSlot = (n: unknown, count: number): n is number => isCount(n) && n < count;
const isStringList = (l: unknown): l is string[] => Array.isArray(l) && l.every((s) => typeof s === 'string');
