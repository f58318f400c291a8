/** The four CoNLL entity types the tagger and the entity lists use. */
export const ENTITY_TYPES = ['PER', 'LOC', 'ORG', 'MISC'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const ENTITY_TYPE_NAMES: Readonly<Record<EntityType, string>> = {
	PER: 'Person',
	LOC: 'Place',
	ORG: 'Organisation',
	MISC: 'Other',
};

export function isEntityType(value: unknown): value is EntityType {
	return (ENTITY_TYPES as readonly unknown[]).includes(value);
}

export type MentionSource = 'tagger' | 'list' | 'correction' | 'corpus';

/** How the hover names a mention's source. */
export const MENTION_SOURCE_NAMES: Readonly<Record<MentionSource, string>> = {
	tagger: 'tagger',
	list: 'entity list',
	correction: 'analyst correction',
	corpus: 'corpus vote',
};

/** One entity mention in a text, UTF-16 offsets, end exclusive. */
export interface EntityMention {
	readonly start: number;
	readonly end: number;
	readonly type: EntityType;
	readonly text: string;
	/** Canonical name when the mention matches an analyst entity list entry. */
	readonly canonical?: string;
	/**
	 * Where the mention came from: the statistical tagger, the analysts' list, an analyst's
	 * correction in this article, or the corpus vote (the type most confident mentions of the name
	 * have across the corpus).
	 */
	readonly source: MentionSource;
	/**
	 * How sure we are of the mention, in [0, 1]: the tagger's calibrated marginal probability of
	 * this span and type; 1 for a listed spelling or a correction (the analysts decided it); for
	 * a corpus vote, the winning type's share of the votes.
	 */
	readonly confidence: number;
}
