/** Shared sidecar fixtures for the review tests. */
import { createSidecar, parseSidecar, type SidecarDocument } from '../../../src/core/annotations/sidecarCodec';
import { CONFLICT_MARKERS } from '../../../src/core/review/sidecarMerge';
import type { Annotation, Relation } from '../../../src/core/annotations/model';
import { sidecarOffset } from '../../../src/core/annotations/offsets';

export const ARTICLE_NAME = '001_0a1b2c3d4e5f6071.txt';

/** A Dutch article in the corpus format. */
export const ARTICLE_TEXT = [
	' date 2024-03 President Zelensky ontving in Kiev de Amerikaanse minister Blinken voor overleg.',
	'',
	'Volgens Blinken is de steun van de Verenigde Staten onverminderd groot.',
	'',
	'De twee spraken ook over de wederopbouw van het land.',
].join('\n');

/** An annotation of `quote` (first occurrence) in {@link ARTICLE_TEXT}; code points equal UTF-16 here. */
export function ann(id: string, label: string, quote: string, extra: Partial<Annotation> = {}): Annotation {
	const start = ARTICLE_TEXT.indexOf(quote);
	if (start < 0) {
		throw new Error(`"${quote}" not in the article`);
	}
	return {
		id,
		label,
		start: sidecarOffset(start),
		end: sidecarOffset(start + quote.length),
		quote,
		prefix: ARTICLE_TEXT.slice(Math.max(0, start - 32), start),
		suffix: ARTICLE_TEXT.slice(start + quote.length, start + quote.length + 32),
		author: 'Test',
		created: '2026-01-01T00:00:00Z',
		modified: '2026-01-01T00:00:00Z',
		...extra,
	};
}

/** A sidecar text with these annotations. */
export function sidecarText(annotations: Annotation[], header: { textHash?: string | null; date?: string | null } = {}): string {
	const doc = createSidecar({ article: ARTICLE_NAME, date: header.date ?? '2024-03', textHash: header.textHash ?? null });
	for (const a of annotations) {
		doc.add(a);
	}
	return doc.toString();
}

/** Parses `text`, applies `edit`, returns the new text. */
export function edit(text: string, change: (doc: SidecarDocument) => void): string {
	const r = parseSidecar(text);
	if (!r.ok) {
		throw new Error(r.errors.map((e) => e.message).join('; '));
	}
	change(r.doc);
	return r.doc.toString();
}

export const ZELENSKY = ann('a1', 'attribution', 'President Zelensky');
export const KIEV = ann('a2', 'event', 'ontving in Kiev');
export const STEUN = ann('a3', 'claim', 'de steun van de Verenigde Staten onverminderd groot');

/** A relation between two fixture annotations (author and times filled in like {@link ann}). */
export function rel(id: string, type: string, from: string, to: string, extra: Partial<Relation> = {}): Relation {
	return { id, type, from, to, author: 'Test', created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z', ...extra };
}

/** A sidecar text with these annotations and relations. */
export function sidecarWithRelations(annotations: Annotation[], relations: Relation[]): string {
	return edit(sidecarText(annotations), (d) => relations.forEach((r) => d.addRelation(r)));
}

/** The text with every conflict resolved to one side (the marker lines and the other side dropped). */
export function resolve(text: string, side: 'ours' | 'theirs'): string {
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
