/**
 * Creating annotations with injected clock, author and randomness, so tests are
 * deterministic and the core needs no Node or browser globals.
 */
import type { Annotation, Relation } from './model';
import { makeSelector } from './anchoring';
import type { PreparedText } from './anchoring';
import type { EditorOffset } from './offsets';

/** Returns a float in [0, 1), like Math.random. */
export type Rng = () => number;

/** What creating an annotation needs from its environment. */
export interface AnnotationContext {
	/** Current time. */
	now: () => Date;
	author: string;
	/** New unique id; see {@link makeIdGenerator}. */
	newId: () => string;
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Id generator: `length` base-36 characters from `rng`, starting with a letter (so an
 * id never reads as a number in YAML), retried until not in `isTaken`.
 */
export function makeIdGenerator(rng: Rng, isTaken: (id: string) => boolean, length = 6): () => string {
	return () => {
		for (let attempt = 0; ; attempt++) {
			// After many collisions (a huge sidecar), grow the id instead of looping forever.
			const len = length + Math.floor(attempt / 16);
			let id = BASE36[10 + Math.floor(rng() * 26) % 26];
			for (let i = 1; i < len; i++) {
				id += BASE36[Math.floor(rng() * 36) % 36];
			}
			if (!isTaken(id)) {
				return id;
			}
		}
	};
}

/** ISO 8601 UTC timestamp without milliseconds (`2026-11-23T18:00:00Z`). */
export function isoTimestamp(d: Date): string {
	return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Optional fields of a new annotation. */
export interface NewAnnotationFields {
	note?: string;
	entity?: string;
}

/** A new annotation for a span of the editor's text. */
export function createAnnotation(
	text: string | PreparedText, start: EditorOffset, end: EditorOffset, label: string,
	ctx: AnnotationContext, fields: NewAnnotationFields = {},
): Annotation {
	const sel = makeSelector(text, start, end);
	const ann: Annotation = { id: ctx.newId(), label, ...sel };
	if (fields.note !== undefined) {
		ann.note = fields.note;
	}
	if (fields.entity !== undefined) {
		ann.entity = fields.entity;
	}
	return stamped(ann, ctx);
}

/** `item` with the author and the creation and modification times from `ctx` set. */
function stamped<T extends { author?: string; created?: string; modified?: string }>(item: T, ctx: AnnotationContext): T {
	const now = isoTimestamp(ctx.now());
	item.author = ctx.author;
	item.created = now;
	item.modified = now;
	return item;
}

/** Optional fields of a new relation. */
export interface NewRelationFields {
	note?: string;
}

/**
 * A new relation of `type` from annotation `from` to annotation `to` (ids), with id, author and
 * times from `ctx` (the same ids as annotations: use a generator that knows the relation ids too).
 * Shared by the extension's Link Annotation command and the importers.
 */
export function createRelation(type: string, from: string, to: string, ctx: AnnotationContext, fields: NewRelationFields = {}): Relation {
	const rel: Relation = { id: ctx.newId(), type, from, to };
	if (fields.note !== undefined) {
		rel.note = fields.note;
	}
	return stamped(rel, ctx);
}
