/**
 * The corpus index as kept between sessions (the extension's workspace storage): one compact
 * JSON text per workspace folder, so reopening a large corpus shows the whole tree at once and
 * then reads only the files whose size or mtime changed.
 *
 * Entries are stored as arrays (no repeated keys) and without their id and root, which the host
 * derives from the path again: a 100,000-article snapshot stays a few tens of MB and decodes in
 * one `JSON.parse`. A snapshot that does not decode exactly (another version, truncated, edited)
 * is ignored as a whole: the index is then built from the files, as on a first start.
 */
import type { ArticleDate } from '../article/articleParser';
import { articleTitle, internDate } from './articleSummary';
import type { CorpusEntry } from './corpusIndex';

/** Bump when the entry layout changes; older snapshots are then ignored. */
export const INDEX_SNAPSHOT_VERSION = 1;

/**
 * path, size, mtime, year (0: undated), month, title (0 when it is the one derived from the lead,
 * as it nearly always is), lead excerpt, problem, annotation count, labels, entities.
 */
type StoredEntry = [string, number, number, number, number, string | 0, string, string | null, number, string[], string[]];

interface StoredSnapshot {
	readonly version: number;
	/** Key of the root the entries belong to (a workspace folder URI): a snapshot of another folder is ignored. */
	readonly root: string;
	readonly entries: StoredEntry[];
}

/** The snapshot text for the entries of one root (entries of other roots are left out). */
export function encodeIndexSnapshot(root: string, entries: Iterable<CorpusEntry>): string {
	const stored: StoredEntry[] = [];
	for (const e of entries) {
		if (e.root !== root) {
			continue;
		}
		stored.push([
			e.path, e.size, e.mtime, e.date?.year ?? 0, e.date?.month ?? 0,
			e.title === articleTitle(e.path, e.leadExcerpt) ? 0 : e.title, e.leadExcerpt, e.problem,
			e.annotationCount, [...e.labels], [...e.entities],
		]);
	}
	const snapshot: StoredSnapshot = { version: INDEX_SNAPSHOT_VERSION, root, entries: stored };
	return JSON.stringify(snapshot);
}

/**
 * The entries of a snapshot, with ids from `idFor(path)`; undefined when the text is not a
 * snapshot of this version for this root, or any entry is malformed (never a partial index).
 */
export function decodeIndexSnapshot(text: string, root: string, idFor: (path: string) => string): CorpusEntry[] | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return undefined;
	}
	if (!isSnapshot(parsed) || parsed.version !== INDEX_SNAPSHOT_VERSION || parsed.root !== root) {
		return undefined;
	}
	const entries: CorpusEntry[] = [];
	for (const item of parsed.entries) {
		const entry = decodeEntry(item, root, idFor);
		if (!entry) {
			return undefined;
		}
		entries.push(entry);
	}
	return entries;
}

function isSnapshot(value: unknown): value is StoredSnapshot {
	if (typeof value !== 'object' || value === null) {
		return false;
	}
	const v = value as Partial<StoredSnapshot>;
	return typeof v.version === 'number' && typeof v.root === 'string' && Array.isArray(v.entries);
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
const isStringList = (l: unknown): l is string[] => Array.isArray(l) && l.every((s) => typeof s === 'string');

function decodeEntry(item: unknown, root: string, idFor: (path: string) => string): CorpusEntry | undefined {
	if (!Array.isArray(item) || item.length !== 11) {
		return undefined;
	}
	const [path, size, mtime, year, month, title, leadExcerpt, problem, annotationCount, labels, entities] = item as unknown[];
	if (
		typeof path !== 'string' || path.length === 0 || !isCount(size) || typeof mtime !== 'number' || !Number.isFinite(mtime) ||
		!isCount(year) || !isCount(month) || month > 12 || (year === 0) !== (month === 0) ||
		(title !== 0 && typeof title !== 'string') || typeof leadExcerpt !== 'string' || (problem !== null && typeof problem !== 'string') ||
		!isCount(annotationCount) || !isStringList(labels) || !isStringList(entities)
	) {
		return undefined;
	}
	const date: ArticleDate | null = year === 0 ? null : internDate({ year, month });
	return {
		id: idFor(path), root, path, size, mtime, date, title: title === 0 ? articleTitle(path, leadExcerpt) : title,
		leadExcerpt, problem, annotationCount, labels, entities,
	};
}
