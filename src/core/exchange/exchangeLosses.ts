/**
 * Counting what an export cannot carry, per kind, so that nothing is dropped in silence
 * ("brat: 40 authors and 3 notes not carried"). A format names the optional fields it carries;
 * every other field that is set on an annotation or relation is counted under its loss name.
 */
import type { Annotation, Relation } from '../annotations/model';
import type { ExchangeLoss } from './exchangeFormat';

/** The fields of an annotation besides label and offsets (quote, prefix and suffix follow from the text). */
export type AnnotationLossField = 'id' | 'note' | 'entity' | 'author' | 'created' | 'modified' | 'curated_by' | 'curated';
/** The fields of a relation besides type and endpoints. */
export type RelationLossField = 'id' | 'note' | 'author' | 'created' | 'modified';

const ANNOTATION_LOSS_NAMES: Record<AnnotationLossField, string> = {
	id: 'annotation ids',
	note: 'notes',
	entity: 'entity names',
	author: 'authors',
	created: 'creation times',
	modified: 'modification times',
	curated_by: 'curators',
	curated: 'curation times',
};

const RELATION_LOSS_NAMES: Record<RelationLossField, string> = {
	id: 'relation ids',
	note: 'relation notes',
	author: 'relation authors',
	created: 'relation creation times',
	modified: 'relation modification times',
};

/** Counts per kind, listed in the order the kinds were first met. */
export class LossTally {
	private readonly counts = new Map<string, number>();

	add(what: string, count = 1): void {
		if (count > 0) {
			this.counts.set(what, (this.counts.get(what) ?? 0) + count);
		}
	}

	/** Adds losses counted elsewhere (e.g. by `exportChecks`). */
	addAll(losses: readonly ExchangeLoss[]): void {
		for (const l of losses) {
			this.add(l.what, l.count);
		}
	}

	list(): ExchangeLoss[] {
		return [...this.counts].map(([what, count]) => ({ what, count }));
	}
}

/**
 * Counts the set fields of `annotations` and `relations` a format does not carry. `carried`:
 * the fields the format writes; `relations: false` when it carries no relations at all (each
 * relation then counts once, under "relations", and its fields not separately).
 */
export function countUncarried(
	tally: LossTally,
	annotations: readonly Annotation[],
	relations: readonly Relation[],
	carried: { readonly annotation: readonly AnnotationLossField[]; readonly relation: readonly RelationLossField[] | false },
): void {
	for (const field of Object.keys(ANNOTATION_LOSS_NAMES) as AnnotationLossField[]) {
		if (!carried.annotation.includes(field)) {
			tally.add(ANNOTATION_LOSS_NAMES[field], annotations.filter((a) => a[field] !== undefined).length);
		}
	}
	if (carried.relation === false) {
		tally.add('relations', relations.length);
		return;
	}
	for (const field of Object.keys(RELATION_LOSS_NAMES) as RelationLossField[]) {
		if (!carried.relation.includes(field)) {
			tally.add(RELATION_LOSS_NAMES[field], relations.filter((r) => r[field] !== undefined).length);
		}
	}
}
