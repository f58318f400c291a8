import { ENTITY_TYPES, type EntityMention } from './entityTypes';

/** Thresholds of the corpus vote. */
export interface CorpusVoteOptions {
	/** A mention votes when it is at least this confident. */
	voteConfidence: number;
	/** A tagger mention below this confidence may be re-typed by the vote. */
	retypeBelow: number;
	/** The winning type needs at least this share of the votes… */
	minShare: number;
	/** …from confident mentions in at least this many other articles. */
	minArticles: number;
}

export const DEFAULT_CORPUS_VOTE_OPTIONS: CorpusVoteOptions = { voteConfidence: 0.8, retypeBelow: 0.75, minShare: 0.7, minArticles: 2 };

interface NameVotes {
	/** Summed confidence per entity type. */
	votes: Float64Array;
	/** Articles with at least one vote per type (a vote counts once per article and type). */
	articles: Int32Array;
}

/**
 * Types settled across the corpus: every article's confident mentions vote for their name's type;
 * an unsure mention takes the type the other articles agree on. Articles are added, replaced and
 * removed one at a time, so the totals stay current as files change (no full recount).
 */
export class CorpusVotes {
	private readonly byArticle = new Map<string, Map<string, Float64Array>>();
	private readonly totals = new Map<string, NameVotes>();

	constructor(readonly options: CorpusVoteOptions = DEFAULT_CORPUS_VOTE_OPTIONS) {}

	get articleCount(): number {
		return this.byArticle.size;
	}

	/** Sets (or replaces) the votes of one article from its mentions. */
	setArticle(article: string, mentions: readonly EntityMention[]): void {
		this.removeArticle(article);
		const own = new Map<string, Float64Array>();
		for (const m of mentions) {
			if (m.confidence < this.options.voteConfidence || m.source === 'corpus') {
				continue;
			}
			let v = own.get(m.text);
			if (!v) {
				v = new Float64Array(ENTITY_TYPES.length);
				own.set(m.text, v);
			}
			v[ENTITY_TYPES.indexOf(m.type)] += m.confidence;
		}
		this.byArticle.set(article, own);
		this.addAll(own, 1);
	}

	removeArticle(article: string): void {
		const own = this.byArticle.get(article);
		if (own) {
			this.addAll(own, -1);
			this.byArticle.delete(article);
		}
	}

	private addAll(own: Map<string, Float64Array>, sign: 1 | -1): void {
		for (const [name, v] of own) {
			let t = this.totals.get(name);
			if (!t) {
				t = { votes: new Float64Array(ENTITY_TYPES.length), articles: new Int32Array(ENTITY_TYPES.length) };
				this.totals.set(name, t);
			}
			for (let k = 0; k < v.length; k++) {
				if (v[k] > 0) {
					t.votes[k] += sign * v[k];
					t.articles[k] += sign;
				}
			}
			if (t.articles.every((a) => a === 0)) {
				this.totals.delete(name);
			}
		}
	}

	/** The type the articles other than `except` settle on for a name, with its share of their votes. */
	vote(name: string, except?: string): { type: EntityMention['type']; share: number; articles: number } | undefined {
		const t = this.totals.get(name);
		if (!t) {
			return undefined;
		}
		const own = except === undefined ? undefined : this.byArticle.get(except)?.get(name);
		let best = -1;
		let total = 0;
		const votes = t.votes.map((v, k) => v - (own?.[k] ?? 0));
		votes.forEach((v, k) => {
			total += v;
			if (best < 0 || v > votes[best]) {
				best = k;
			}
		});
		const articles = t.articles[best] - (own && own[best] > 0 ? 1 : 0);
		return total > 0 ? { type: ENTITY_TYPES[best], share: votes[best] / total, articles } : undefined;
	}

	/** An article's mentions with the unsure ones re-typed where the other articles agree. */
	apply(article: string, mentions: readonly EntityMention[]): EntityMention[] {
		const o = this.options;
		return mentions.map((m) => {
			if (m.source !== 'tagger' || m.confidence >= o.retypeBelow) {
				return m;
			}
			const v = this.vote(m.text, article);
			if (!v || v.type === m.type || v.share < o.minShare || v.articles < o.minArticles) {
				return m;
			}
			return { ...m, type: v.type, source: 'corpus', confidence: v.share };
		});
	}
}
