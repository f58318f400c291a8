/**
 * The labels and relation types a corpus without `.corpus/labels.yaml` uses. Apart from the
 * schema parser (labelSchema.ts) so that what only needs the defaults does not load `yaml`.
 */
import type { LabelDef, RelationTypeDef } from './model';

/**
 * Default labels for news analysis. Colours are the Okabe–Ito palette (distinguishable
 * with the common colour-vision deficiencies); keys are mnemonic.
 */
export const DEFAULT_LABELS: readonly LabelDef[] = Object.freeze([
	{ id: 'claim', description: 'A factual claim made in the article or by a quoted person', color: '#E69F00', key: 'c' },
	{ id: 'attribution', description: 'Who says it: the source a quote or claim is attributed to', color: '#56B4E9', key: 'a' },
	{ id: 'event', description: 'Something that happened (meeting, attack, decision)', color: '#009E73', key: 'e' },
	{ id: 'framing', description: 'Word choice or framing that steers the reader', color: '#CC79A7', key: 'f' },
	{ id: 'sentiment-positive', description: 'Positive evaluation', color: '#0072B2', key: 'p' },
	{ id: 'sentiment-negative', description: 'Negative evaluation', color: '#D55E00', key: 'n' },
	{ id: 'fact-check', description: 'Needs verification against other sources', color: '#F0E442', key: 'v' },
].map((l) => Object.freeze(l)));

/**
 * Default relation types, used when `.corpus/labels.yaml` defines none. Colours again from the
 * Okabe–Ito palette: a source's arrow in the attribution colour, a contradiction in vermillion.
 */
export const DEFAULT_RELATION_TYPES: readonly RelationTypeDef[] = Object.freeze([
	{ id: 'source-of', description: 'The attribution is the source of the claim, event or framing', color: '#56B4E9', from: ['attribution'], to: ['claim', 'event', 'framing'] },
	{ id: 'about', description: 'One annotation is about the other (an evaluation of a claim, a framing of an event)', color: '#999999' },
	{ id: 'contradicts', description: 'The claim contradicts the other claim', color: '#D55E00', from: ['claim'], to: ['claim'] },
].map((t) => Object.freeze({ ...t, ...(t.from ? { from: Object.freeze(t.from) as string[] } : {}), ...(t.to ? { to: Object.freeze(t.to) as string[] } : {}) })));
