/** The four CoNLL entity types the tagger and the entity lists use. */
export type EntityType = 'PER' | 'LOC' | 'ORG' | 'MISC';

export const ENTITY_TYPES: readonly EntityType[] = ['PER', 'LOC', 'ORG', 'MISC'];

export const ENTITY_TYPE_NAMES: Readonly<Record<EntityType, string>> = {
	PER: 'Person',
	LOC: 'Place',
	ORG: 'Organisation',
	MISC: 'Other',
};

export function isEntityType(value: unknown): value is EntityType {
	return value === 'PER' || value === 'LOC' || value === 'ORG' || value === 'MISC';
}

/** One entity mention in a text, UTF-16 offsets, end exclusive. */
export interface EntityMention {
	readonly start: number;
	readonly end: number;
	readonly type: EntityType;
	readonly text: string;
	/** Canonical name when the mention matches an analyst entity list entry. */
	readonly canonical?: string;
	/** Where the mention came from: the statistical tagger or the analysts' list. */
	readonly source: 'tagger' | 'list';
	/**
	 * How sure we are of the mention, in [0, 1]: the tagger's calibrated marginal probability of
	 * this span and type; 1 for a mention of a listed spelling (the analysts decided it).
	 */
	readonly confidence: number;
}
