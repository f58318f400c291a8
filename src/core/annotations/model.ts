/**
 * Data model of annotation sidecars (`<article>.ann.yaml`, format version 1).
 *
 * Offsets are Unicode code points into the article's *canonical text*: the file
 * text with a leading BOM removed and every CRLF turned into LF (see `offsets.ts`).
 * Code points, because UTF-16 offsets break on emoji in other tools (W3C
 * TextPositionSelector uses code points); canonical text, because git's autocrlf
 * would otherwise shift every offset on a Windows checkout.
 */

import type { SidecarOffset } from './offsets';

/** The only sidecar format version this code reads and writes. */
export const SIDECAR_VERSION = 1;

/** Characters of context stored before and after a quote (code points). */
export const CONTEXT_LENGTH = 32;

/** One labelled span of an article. */
export interface Annotation {
	/** Short id, unique within its sidecar; never reused for another span. */
	id: string;
	/** Label id (see `LabelDef.id`). */
	label: string;
	/** Start offset, code points into the canonical text, inclusive. */
	start: SidecarOffset;
	/** End offset, code points into the canonical text, exclusive. */
	end: SidecarOffset;
	/** The annotated text, exactly as it was when anchored. */
	quote: string;
	/** Up to {@link CONTEXT_LENGTH} code points before the quote. */
	prefix: string;
	/** Up to {@link CONTEXT_LENGTH} code points after the quote. */
	suffix: string;
	/** Free-text note by the analyst. */
	note?: string;
	/** Canonical entity name (one entity, many spellings). */
	entity?: string;
	/** Who made the annotation (needed for agreement between analysts). */
	author?: string;
	/** ISO 8601 UTC creation time. */
	created?: string;
	/** ISO 8601 UTC time of the last change made by a person. */
	modified?: string;
	/** Who settled this annotation when curating two analysts' work (the Disagreements view). */
	curated_by?: string;
	/** ISO 8601 UTC time the curator settled it. */
	curated?: string;
}

/** Typed view of a whole sidecar file. */
export interface SidecarData {
	version: number;
	/** File name of the article (not a path), e.g. `000_3ffb0e8bd60704ce.txt`. */
	article: string;
	/** Article month `YYYY-MM`, or null when unknown. */
	date: string | null;
	/** `sha256:<hex>` of the canonical article text the offsets refer to, or null. */
	textHash: string | null;
	/** In document order: (start, end, id). */
	annotations: Annotation[];
	/** Links between annotations of this sidecar, in file order; [] when the file has no `relations:` list. */
	relations: Relation[];
}

/** A typed link from one annotation to another of the same sidecar ("this attribution is the source of that claim"). */
export interface Relation {
	/** Short id, unique among this sidecar's relations; never reused. */
	id: string;
	/** Relation type id (see `RelationTypeDef.id`). */
	type: string;
	/** Annotation id the relation starts at. */
	from: string;
	/** Annotation id the relation points to. */
	to: string;
	/** Free-text note by the analyst. */
	note?: string;
	/** Who made the relation. */
	author?: string;
	/** ISO 8601 UTC creation time. */
	created?: string;
	/** ISO 8601 UTC time of the last change made by a person. */
	modified?: string;
}

/** Header fields of a sidecar (everything but the annotations). */
export interface SidecarHeader {
	article: string;
	date: string | null;
	textHash: string | null;
}

/** A label a span can carry, as defined in `.corpus/labels.yaml`. */
export interface LabelDef {
	/** Stable id written to sidecars. */
	id: string;
	description?: string;
	/** `#rrggbb`. */
	color?: string;
	/** Single-character keyboard shortcut. */
	key?: string;
}

/** A relation type, as defined in `.corpus/labels.yaml` (`relations:`). */
export interface RelationTypeDef {
	/** Stable id written to sidecars. */
	id: string;
	description?: string;
	/** `#rrggbb`. */
	color?: string;
	/** Labels allowed at the `from` end; absent: any. */
	from?: string[];
	/** Labels allowed at the `to` end; absent: any. */
	to?: string[];
}

/** Key orders of the file, from the field table. */
export { ANNOTATION_KEY_ORDER, HEADER_KEY_ORDER } from './fieldTable';

/** Document order of annotations: start, then end, then id. */
export function compareAnnotations(
	a: Pick<Annotation, 'start' | 'end' | 'id'>,
	b: Pick<Annotation, 'start' | 'end' | 'id'>,
): number {
	if (a.start !== b.start) {
		return a.start - b.start;
	}
	if (a.end !== b.end) {
		return a.end - b.end;
	}
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
