import type { ArticleDate } from '../article/articleParser';
import type { ArticleSummary } from './articleSummary';
import type { SidecarSummary } from './sidecarSummary';

/**
 * One article of the corpus as the index keeps it: a summary, never the full text.
 * An entry may compute some fields when read (one restored from a snapshot decodes its lead
 * then): copy it with {@link withEntryFields}, not with an object spread, which drops them.
 */
export interface CorpusEntry extends ArticleSummary, SidecarSummary {
	/** Unique key: the file's URI in the extension, its path in the command line. */
	readonly id: string;
	/** Key of the corpus root (workspace folder URI in the extension, '' in the command line). */
	readonly root: string;
	/** Path relative to the root, forward slashes. */
	readonly path: string;
	/** Cache key: the file's modification time and size when it was summarised. */
	readonly mtime: number;
	readonly size: number;
}

/** A plain copy of `entry` with `fields` replaced (every field read, computed ones included). */
export function withEntryFields(entry: CorpusEntry, fields: Partial<CorpusEntry>): CorpusEntry {
	return {
		id: entry.id, root: entry.root, path: entry.path, mtime: entry.mtime, size: entry.size,
		date: entry.date, title: entry.title, leadExcerpt: entry.leadExcerpt, problem: entry.problem,
		annotationCount: entry.annotationCount, labels: entry.labels, entities: entry.entities,
		...fields,
	};
}

export type SortOrder = 'oldestFirst' | 'newestFirst';

export interface YearGroup {
	readonly year: number;
	/** Articles in the year (matching the filter, when one is set). */
	readonly count: number;
}

export interface MonthGroup {
	readonly year: number;
	readonly month: number;
	readonly count: number;
}

/**
 * Keys of the groups a change touched, so a view can refresh just those:
 * `year:2024`, `month:2024-07`, `undated`, `article:<id>`. `structural` is true when the set of
 * top-level groups changed (a year or the undated group appeared or disappeared).
 */
export interface IndexChange {
	structural: boolean;
	readonly keys: Set<string>;
}

export function emptyChange(): IndexChange {
	return { structural: false, keys: new Set() };
}

export function mergeChange(into: IndexChange, from: IndexChange): IndexChange {
	into.structural ||= from.structural;
	for (const key of from.keys) {
		into.keys.add(key);
	}
	return into;
}

export function yearKey(year: number): string {
	return `year:${year}`;
}

export function monthKey(year: number, month: number): string {
	return `month:${year}-${String(month).padStart(2, '0')}`;
}

export const UNDATED_KEY = 'undated';

export function articleKey(id: string): string {
	return `article:${id}`;
}

/** A parsed filter: every term must match (AND). */
export interface CorpusFilter {
	/** The text the analyst typed, for display. */
	readonly source: string;
	/** Lower-cased phrases searched in the title and lead excerpt. */
	readonly text: readonly string[];
	/** Annotation label ids (`label:<id>`), compared without case. */
	readonly labels: readonly string[];
	/** Entity names (`entity:<name>`), matched as a case-insensitive substring. */
	readonly entities: readonly string[];
}

/**
 * Parses filter text: `label:<id>` and `entity:<name>` terms (values may be quoted:
 * `entity:"Witte Huis"`), everything else is one phrase searched in the lead.
 * Returns undefined for blank input (no filter).
 */
export function parseFilter(source: string): CorpusFilter | undefined {
	const labels: string[] = [];
	const entities: string[] = [];
	const words: string[] = [];
	const term = /(label|entity):(?:"([^"]*)"|'([^']*)'|(\S*))|("([^"]*)"|\S+)/gi;
	for (let m = term.exec(source); m; m = term.exec(source)) {
		if (m[1]) {
			const value = (m[2] ?? m[3] ?? m[4] ?? '').trim().toLowerCase();
			if (value.length > 0) {
				(m[1].toLowerCase() === 'label' ? labels : entities).push(value);
			}
		} else {
			words.push(m[6] ?? m[5]);
		}
	}
	const phrase = words.join(' ').trim().toLowerCase();
	const text = phrase.length > 0 ? [phrase] : [];
	if (text.length === 0 && labels.length === 0 && entities.length === 0) {
		return undefined;
	}
	return { source: source.trim(), text, labels, entities };
}

/** True when `entry` passes every term of `filter`. */
export function matchesFilter(entry: CorpusEntry, filter: CorpusFilter): boolean {
	for (const phrase of filter.text) {
		if (!entry.leadExcerpt.toLowerCase().includes(phrase) && !entry.title.toLowerCase().includes(phrase)) {
			return false;
		}
	}
	for (const label of filter.labels) {
		if (!entry.labels.some((l) => l.toLowerCase() === label)) {
			return false;
		}
	}
	for (const entity of filter.entities) {
		if (!entry.entities.some((e) => e.toLowerCase().includes(entity))) {
			return false;
		}
	}
	return true;
}

/** Orders articles by date, then path, then root; undated ones after every dated one. */
export function compareEntries(a: CorpusEntry, b: CorpusEntry): number {
	const da = a.date ? a.date.year * 100 + a.date.month : Number.MAX_SAFE_INTEGER;
	const db = b.date ? b.date.year * 100 + b.date.month : Number.MAX_SAFE_INTEGER;
	if (da !== db) {
		return da - db;
	}
	if (a.path !== b.path) {
		return a.path < b.path ? -1 : 1;
	}
	return a.root < b.root ? -1 : a.root > b.root ? 1 : 0;
}

class Bucket {
	readonly ids = new Set<string>();
	/** `undated` or the bucket's `month:` key, as {@link IndexChange} keys. */
	constructor(readonly date: ArticleDate | null) {}

	private _sorted: CorpusEntry[] | undefined;

	invalidate(): void {
		this._sorted = undefined;
	}

	sorted(entries: ReadonlyMap<string, CorpusEntry>): readonly CorpusEntry[] {
		if (!this._sorted) {
			this._sorted = [];
			for (const id of this.ids) {
				this._sorted.push(entries.get(id)!);
			}
			this._sorted.sort(compareEntries);
		}
		return this._sorted;
	}
}

/**
 * In-memory index of a corpus: entries grouped by year and month (plus an "Undated" group),
 * with counts, sorting and a filter. Every mutation returns the groups it touched so a view can
 * refresh only those. Pure data: no I/O, no VS Code.
 *
 * Within a month articles keep file-name order in both sort orders: dates have month precision,
 * so there is no finer chronology to reverse.
 */
export class CorpusIndex {
	private readonly entries = new Map<string, CorpusEntry>();
	/** year → month number (1–12) → bucket. */
	private readonly years = new Map<number, Map<number, Bucket>>();
	private readonly undated = new Bucket(null);
	private _filter: CorpusFilter | undefined;
	/** Ids matching the filter (only while a filter is set). */
	private matches: Set<string> | undefined;

	get size(): number {
		return this.entries.size;
	}

	get filter(): CorpusFilter | undefined {
		return this._filter;
	}

	/** Entries shown under the current filter. */
	get visibleCount(): number {
		return this.matches ? this.matches.size : this.entries.size;
	}

	get(id: string): CorpusEntry | undefined {
		return this.entries.get(id);
	}

	values(): IterableIterator<CorpusEntry> {
		return this.entries.values();
	}

	/** Adds or replaces an entry. */
	set(entry: CorpusEntry): IndexChange {
		const change = emptyChange();
		const previous = this.entries.get(entry.id);
		if (previous) {
			this.detach(previous, change);
		}
		this.entries.set(entry.id, entry);
		this.attach(entry, change);
		change.keys.add(articleKey(entry.id));
		return change;
	}

	/**
	 * Adds or replaces many entries (a batch from the indexer) and returns one change for all.
	 * Cheaper than {@link set} per entry: the year and month keys are added once per touched
	 * month, and an article key only for a replaced entry (a new one has no node to refresh yet).
	 */
	setMany(entries: Iterable<CorpusEntry>): IndexChange {
		const change = emptyChange();
		const touched = new Set<Bucket>();
		// Into an empty index without a filter (a restored snapshot, the first batch) every group
		// is new: buckets are filled without the per-entry bookkeeping of attach.
		const filling = this.entries.size === 0 && !this.matches;
		for (const entry of entries) {
			const previous = this.entries.get(entry.id);
			if (previous) {
				this.detach(previous, change, touched);
				change.keys.add(articleKey(entry.id));
			}
			this.entries.set(entry.id, entry);
			if (filling) {
				const bucket = this.bucketOf(entry.date, true)!;
				bucket.ids.add(entry.id);
				touched.add(bucket);
			} else {
				this.attach(entry, change, touched);
			}
		}
		for (const bucket of touched) {
			bucket.invalidate();
			this.touch(bucket.date, change);
		}
		change.structural ||= filling && this.entries.size > 0;
		return change;
	}

	delete(id: string): IndexChange {
		const change = emptyChange();
		const previous = this.entries.get(id);
		if (previous) {
			this.entries.delete(id);
			this.detach(previous, change);
			change.keys.add(articleKey(id));
		}
		return change;
	}

	/** Removes every entry whose id satisfies `predicate` (a removed workspace folder, a deleted directory). */
	deleteWhere(predicate: (entry: CorpusEntry) => boolean): IndexChange {
		const change = emptyChange();
		for (const entry of [...this.entries.values()]) {
			if (predicate(entry)) {
				mergeChange(change, this.delete(entry.id));
			}
		}
		return change;
	}

	/** Sets or clears the filter; returns the number of entries that match. */
	setFilter(filter: CorpusFilter | undefined): number {
		this._filter = filter;
		if (!filter) {
			this.matches = undefined;
			return this.entries.size;
		}
		this.matches = new Set();
		for (const entry of this.entries.values()) {
			if (matchesFilter(entry, filter)) {
				this.matches.add(entry.id);
			}
		}
		return this.matches.size;
	}

	/** True when the entry exists and passes the filter. */
	isVisible(id: string): boolean {
		return this.matches ? this.matches.has(id) : this.entries.has(id);
	}

	/** Years that have (matching) articles, in `order`. */
	yearGroups(order: SortOrder): YearGroup[] {
		const groups: YearGroup[] = [];
		for (const [year, months] of this.years) {
			let count = 0;
			for (const bucket of months.values()) {
				count += this.count(bucket);
			}
			if (count > 0) {
				groups.push({ year, count });
			}
		}
		groups.sort((a, b) => (order === 'oldestFirst' ? a.year - b.year : b.year - a.year));
		return groups;
	}

	monthGroups(year: number, order: SortOrder): MonthGroup[] {
		const groups: MonthGroup[] = [];
		for (const [month, bucket] of this.years.get(year) ?? []) {
			const count = this.count(bucket);
			if (count > 0) {
				groups.push({ year, month, count });
			}
		}
		groups.sort((a, b) => (order === 'oldestFirst' ? a.month - b.month : b.month - a.month));
		return groups;
	}

	/** Count of (matching) articles in a year, or 0. */
	yearCount(year: number): number {
		let count = 0;
		for (const bucket of this.years.get(year)?.values() ?? []) {
			count += this.count(bucket);
		}
		return count;
	}

	monthCount(year: number, month: number): number {
		const bucket = this.years.get(year)?.get(month);
		return bucket ? this.count(bucket) : 0;
	}

	undatedCount(): number {
		return this.count(this.undated);
	}

	/** (Matching) articles of one month, in file-name order. */
	articles(year: number, month: number): CorpusEntry[] {
		const bucket = this.years.get(year)?.get(month);
		return bucket ? this.visible(bucket) : [];
	}

	undatedArticles(): CorpusEntry[] {
		return this.visible(this.undated);
	}

	/** Every (matching) entry sorted by date then path, undated last. */
	sorted(): CorpusEntry[] {
		const all = this.matches ? [...this.matches].map((id) => this.entries.get(id)!) : [...this.entries.values()];
		return all.sort(compareEntries);
	}

	private count(bucket: Bucket): number {
		if (!this.matches) {
			return bucket.ids.size;
		}
		let n = 0;
		for (const id of bucket.ids) {
			if (this.matches.has(id)) {
				n++;
			}
		}
		return n;
	}

	private visible(bucket: Bucket): CorpusEntry[] {
		const sorted = bucket.sorted(this.entries);
		const matches = this.matches;
		return matches ? sorted.filter((e) => matches.has(e.id)) : [...sorted];
	}

	private bucketOf(date: ArticleDate | null, create: boolean): Bucket | undefined {
		if (!date) {
			return this.undated;
		}
		let months = this.years.get(date.year);
		if (!months) {
			if (!create) {
				return undefined;
			}
			months = new Map();
			this.years.set(date.year, months);
		}
		let bucket = months.get(date.month);
		if (!bucket && create) {
			bucket = new Bucket(date);
			months.set(date.month, bucket);
		}
		return bucket;
	}

	/** With `touched`, the bucket is collected there instead of its keys being added to `change`. */
	private attach(entry: CorpusEntry, change: IndexChange, touched?: Set<Bucket>): void {
		const bucket = this.bucketOf(entry.date, true)!;
		const yearWasEmpty = entry.date ? this.years.get(entry.date.year)!.size === 1 && bucket.ids.size === 0 : false;
		if (bucket === this.undated ? bucket.ids.size === 0 : yearWasEmpty) {
			change.structural = true;
		}
		bucket.ids.add(entry.id);
		bucket.invalidate();
		if (this.matches) {
			if (this._filter && matchesFilter(entry, this._filter)) {
				this.matches.add(entry.id);
			} else {
				this.matches.delete(entry.id);
			}
		}
		if (touched) {
			touched.add(bucket);
		} else {
			this.touch(entry.date, change);
		}
	}

	private detach(entry: CorpusEntry, change: IndexChange, touched?: Set<Bucket>): void {
		const bucket = this.bucketOf(entry.date, false);
		if (!bucket) {
			return;
		}
		bucket.ids.delete(entry.id);
		bucket.invalidate();
		this.matches?.delete(entry.id);
		if (bucket === this.undated) {
			if (bucket.ids.size === 0) {
				change.structural = true;
			}
		} else if (bucket.ids.size === 0) {
			const months = this.years.get(entry.date!.year)!;
			months.delete(entry.date!.month);
			if (months.size === 0) {
				this.years.delete(entry.date!.year);
				change.structural = true;
			}
		}
		if (touched) {
			touched.add(bucket);
		} else {
			this.touch(entry.date, change);
		}
	}

	private touch(date: ArticleDate | null, change: IndexChange): void {
		if (date) {
			change.keys.add(yearKey(date.year));
			change.keys.add(monthKey(date.year, date.month));
		} else {
			change.keys.add(UNDATED_KEY);
		}
	}
}
