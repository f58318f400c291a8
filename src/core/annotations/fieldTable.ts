/**
 * The one table of sidecar fields. Reading, validation, key order, the three-way merge and the
 * semantic diff all walk these tables; `schemas/sidecar.schema.json` is checked against them by
 * a unit test. Adding an annotation field: add it to {@link Annotation} (model.ts), here and in
 * the schema; then only the places that show it.
 */
import type { Annotation, Relation, SidecarData } from './model';

/**
 * What values a field takes:
 * - text: a string (`nonEmpty` forbids ""), checked against `pattern` when given;
 * - offset: a whole number ≥ 0 written as digits only (a code-point offset);
 * - version: the format version number;
 * - list: the annotations list.
 */
export type FieldKind = 'text' | 'offset' | 'version' | 'list';

/** How a three-way merge resolves a field both sides changed differently. */
export type MergePolicy =
	/** A conflict the analyst resolves. */
	| 'conflict'
	/**
	 * Part of the span (start, end, quote, prefix, suffix), merged as one unit: offsets from one
	 * side and a quote from the other would point at text nobody annotated. Both sides changed
	 * the span differently: a conflict.
	 */
	| 'span'
	/** The later value wins (ISO 8601 UTC times sort as text): it changes with every edit. */
	| 'later';

export interface FieldSpec {
	readonly kind: FieldKind;
	/** Must be present (and not null). */
	readonly required: boolean;
	/** Header fields that may be `null` (unknown). */
	readonly nullable?: boolean;
	/** Text fields that must not be the empty string. */
	readonly nonEmpty?: boolean;
	/** Text fields: the whole value must match. */
	readonly pattern?: RegExp;
	/** What a pattern mismatch tells the analyst. */
	readonly patternHint?: string;
	/** Annotation fields: follow-on data that a diff line does not list on its own (it changes with the others). */
	readonly quietInDiff?: boolean;
	readonly merge: MergePolicy;
	/** Also the schema's description of the field. */
	readonly description: string;
}

/**
 * ISO 8601 times as written (`2026-11-23T18:00:00Z`), also accepting a bare date, fractions and
 * offsets written by other tools; a value cut off mid-time does not match.
 */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
/** `algorithm:hex`, e.g. `sha256:` and 64 hex digits. */
const TEXT_HASH = /^[a-z0-9-]+:[0-9a-f]+$/;
const MONTH = /^\d{4}-(?:0[1-9]|1[0-2])$/;

/** An optional ISO 8601 time; the fields below add how merge treats it and what it means. */
const TIME = { kind: 'text', required: false, pattern: TIMESTAMP, patternHint: 'an ISO 8601 time such as 2026-01-31T12:00:00Z' } as const;
/** `created` and `modified`, the same for annotations and relations. */
const CREATED = { ...TIME, merge: 'conflict', description: 'ISO 8601 UTC creation time.' } as const;
const MODIFIED = { ...TIME, quietInDiff: true, merge: 'later', description: 'ISO 8601 UTC time of the last change by a person.' } as const;

/** Annotation fields in file key order; unknown keys follow them. */
export const ANNOTATION_FIELDS = {
	id: { kind: 'text', required: true, nonEmpty: true, merge: 'conflict', description: 'Short id, unique within this file; never reused.' },
	label: { kind: 'text', required: true, nonEmpty: true, merge: 'conflict', description: 'Label id from .corpus/labels.yaml (or the default labels).' },
	start: { kind: 'offset', required: true, merge: 'span', description: 'Start offset (code points, inclusive).' },
	end: { kind: 'offset', required: true, merge: 'span', description: 'End offset (code points, exclusive); after start.' },
	quote: { kind: 'text', required: true, nonEmpty: true, merge: 'span', description: 'The annotated text as it was when anchored.' },
	prefix: { kind: 'text', required: false, quietInDiff: true, merge: 'span', description: 'Up to 32 code points before the quote.' },
	suffix: { kind: 'text', required: false, quietInDiff: true, merge: 'span', description: 'Up to 32 code points after the quote.' },
	note: { kind: 'text', required: false, merge: 'conflict', description: 'Free-text note by the analyst.' },
	entity: { kind: 'text', required: false, merge: 'conflict', description: 'Canonical entity name.' },
	author: { kind: 'text', required: false, merge: 'conflict', description: 'Who made the annotation.' },
	created: CREATED,
	modified: MODIFIED,
	curated_by: { kind: 'text', required: false, nonEmpty: true, merge: 'conflict', description: 'Who settled this annotation when curating two analysts\' work.' },
	curated: { ...TIME, merge: 'later', description: 'ISO 8601 UTC time the curator settled it.' },
} as const satisfies { readonly [K in keyof Annotation]-?: FieldSpec };

/** Top-level fields in file key order; unknown keys follow them. */
export const HEADER_FIELDS = {
	version: { kind: 'version', required: true, merge: 'conflict', description: 'Format version; this schema describes version 1.' },
	article: { kind: 'text', required: true, nonEmpty: true, merge: 'conflict', description: 'File name of the article (not a path), e.g. 000_3ffb0e8bd60704ce.txt.' },
	date: {
		kind: 'text', required: false, nullable: true, pattern: MONTH, patternHint: 'a month "YYYY-MM" or null',
		merge: 'conflict', description: 'Article month YYYY-MM, or null when unknown.',
	},
	textHash: {
		kind: 'text', required: false, nullable: true, pattern: TEXT_HASH, patternHint: 'like "sha256:<hex>", or null',
		merge: 'conflict', description: 'sha256:<hex> of the article text the offsets refer to, or null.',
	},
	annotations: { kind: 'list', required: true, merge: 'conflict', description: 'In document order (start, end, id); [] when there are none.' },
	relations: { kind: 'list', required: false, merge: 'conflict', description: 'Links between this file\'s annotations, in file order; absent when there are none.' },
} as const satisfies { readonly [K in keyof SidecarData]-?: FieldSpec };

/** Relation fields in file key order; unknown keys follow them. */
export const RELATION_FIELDS = {
	id: { kind: 'text', required: true, nonEmpty: true, merge: 'conflict', description: 'Short id, unique among this file\'s relations; never reused.' },
	type: { kind: 'text', required: true, nonEmpty: true, merge: 'conflict', description: 'Relation type id from .corpus/labels.yaml (relations:) or the default relation types.' },
	from: { kind: 'text', required: true, nonEmpty: true, merge: 'conflict', description: 'Id of the annotation the relation starts at.' },
	to: { kind: 'text', required: true, nonEmpty: true, merge: 'conflict', description: 'Id of the annotation the relation points to.' },
	note: { kind: 'text', required: false, merge: 'conflict', description: 'Free-text note by the analyst.' },
	author: { kind: 'text', required: false, merge: 'conflict', description: 'Who made the relation.' },
	created: CREATED,
	modified: MODIFIED,
} as const satisfies { readonly [K in keyof Relation]-?: FieldSpec };

/** A managed relation field. */
export type RelationField = keyof typeof RELATION_FIELDS;
export const RELATION_KEY_ORDER = Object.keys(RELATION_FIELDS) as readonly RelationField[];

/** A managed annotation field. */
export type AnnotationField = keyof typeof ANNOTATION_FIELDS;
/** A managed top-level field. */
export type HeaderField = keyof typeof HEADER_FIELDS;
/** The header fields a writer sets from the article (everything but the version and the list). */
export type ArticleHeaderField = 'article' | 'date' | 'textHash';

export const ANNOTATION_KEY_ORDER = Object.keys(ANNOTATION_FIELDS) as readonly AnnotationField[];
export const HEADER_KEY_ORDER = Object.keys(HEADER_FIELDS) as readonly HeaderField[];
export const ARTICLE_HEADER_FIELDS: readonly ArticleHeaderField[] = ['article', 'date', 'textHash'];

/** Annotation fields a change may remove. */
export const OPTIONAL_ANNOTATION_FIELDS: ReadonlySet<string> = new Set(ANNOTATION_KEY_ORDER.filter((k) => !ANNOTATION_FIELDS[k].required));

export function annotationField(key: AnnotationField): FieldSpec {
	return ANNOTATION_FIELDS[key];
}

export function headerField(key: HeaderField): FieldSpec {
	return HEADER_FIELDS[key];
}
