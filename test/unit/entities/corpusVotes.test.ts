import * as assert from 'node:assert/strict';
import { CorpusVotes } from '../../../src/core/entities/corpusVotes';
import type { EntityMention, EntityType } from '../../../src/core/entities/entityTypes';

const mention = (text: string, type: EntityType, confidence: number): EntityMention => ({ start: 0, end: text.length, text, type, confidence, source: 'tagger' });

describe('corpus vote', () => {
	it('re-types an unsure mention by the confident mentions of other articles, never by its own', () => {
		const votes = new CorpusVotes();
		votes.setArticle('a', [mention('Vooruit', 'ORG', 0.95)]);
		votes.setArticle('b', [mention('Vooruit', 'ORG', 0.9), mention('Vooruit', 'LOC', 0.5)]);
		const unsure = [mention('Vooruit', 'LOC', 0.55)];
		assert.deepEqual(votes.apply('c', unsure).map((m) => [m.type, m.source, m.confidence]), [['ORG', 'corpus', 1]]);
		// Article b alone (its own vote excluded) is only one other article: not enough.
		assert.deepEqual(votes.apply('a', unsure).map((m) => m.type), ['LOC']);
		// Confident mentions and listed ones are left alone.
		assert.deepEqual(votes.apply('c', [mention('Vooruit', 'LOC', 0.8), { ...mention('Vooruit', 'LOC', 0.2), source: 'list' }]).map((m) => m.type), ['LOC', 'LOC']);
	});

	it('updates incrementally: replacing and removing an article changes the totals', () => {
		const votes = new CorpusVotes();
		votes.setArticle('a', [mention('Thialf', 'LOC', 0.9)]);
		votes.setArticle('b', [mention('Thialf', 'LOC', 0.9)]);
		assert.equal(votes.vote('Thialf')?.articles, 2);
		votes.setArticle('b', [mention('Thialf', 'ORG', 0.9)]);
		assert.deepEqual(votes.vote('Thialf'), { type: 'LOC', share: 0.5, articles: 1 });
		votes.removeArticle('a');
		votes.removeArticle('b');
		assert.equal(votes.vote('Thialf'), undefined);
		assert.equal(votes.articleCount, 0);
	});
});
