import * as assert from 'assert';
import { parseCodeLensMode } from '../../../src/core/config';
import { headerLensTitle, paragraphLensTitle, readableParserMessage } from '../../../src/features/annotations/annotationText';
import { readableTimestamp, relativeTime } from '../../../src/features/annotations/timeText';
import { entityForms, findEntityForms, possessives } from '../../../src/features/entities/mentionSpellings';

describe('entity mention forms', () => {
	const text =
		' date 2025-01 Donald Trump won. Trump zei dat Trumps plan werkt. Ook Trump’s team en Rutte\'s kabinet. Trumpisme telt niet.\n';

	it('counts the surname alone and possessives of a person named in full', () => {
		const found = findEntityForms(text, entityForms(['Donald Trump'], true));
		assert.deepStrictEqual(
			found.map((f) => f.text),
			['Donald Trump', 'Trump', 'Trumps', 'Trump’s'],
		);
	});

	it('does not count the surname where the full name never occurs, nor for non-persons', () => {
		assert.deepStrictEqual(findEntityForms(' date 2025-01 Trump zei iets.\n', entityForms(['Donald Trump'], true)), []);
		assert.deepStrictEqual(entityForms(['Verenigde Naties'], false).surnames, []);
	});

	it('counts every alias and its possessive', () => {
		const found = findEntityForms(text, entityForms(['Mark Rutte', 'Rutte'], true));
		assert.deepStrictEqual(found.map((f) => f.text), ["Rutte's"]);
		assert.deepStrictEqual(possessives('Lars'), ["Lars'", 'Lars’']);
	});
});

describe('annotation texts for the editor', () => {
	it('reads the old boolean lens setting as the new modes', () => {
		assert.strictEqual(parseCodeLensMode(true), 'paragraphs');
		assert.strictEqual(parseCodeLensMode(false), 'headerOnly');
		assert.strictEqual(parseCodeLensMode('all'), 'all');
		assert.strictEqual(parseCodeLensMode(undefined), 'paragraphs');
		assert.strictEqual(parseCodeLensMode('nonsense'), 'paragraphs');
	});

	it('titles the header and paragraph lenses with counts', () => {
		assert.strictEqual(headerLensTitle(3, 0, 0), '3 annotations');
		assert.strictEqual(headerLensTitle(1, 1, 2), '1 annotation · $(warning) 1 orphaned · $(circle-filled) 2 changes pending save');
		assert.strictEqual(headerLensTitle(12, 0, 0, 3), '12 annotations · 3 relations');
		assert.strictEqual(headerLensTitle(2, 1, 0, 1), '2 annotations · 1 relation · $(warning) 1 orphaned');
		assert.strictEqual(paragraphLensTitle(['framing', 'claim', 'claim']), '$(tag) 3 annotations: claim 2 · framing');
	});

	it('gives the parser message once, without its own position and excerpt', () => {
		assert.strictEqual(readableParserMessage('Missing closing "quote at line 4, column 25:\n\n  quote: "abc\n         ^'), 'Missing closing "quote');
		assert.strictEqual(readableParserMessage('An annotations file must be a mapping.'), 'An annotations file must be a mapping');
	});

	it('shows timestamps as a local date and how long ago, from an injected clock', () => {
		const now = new Date('2026-12-05T09:00:00Z');
		assert.strictEqual(relativeTime(new Date('2026-12-02T07:27:46Z'), now), '3 days ago');
		assert.strictEqual(relativeTime(new Date('2026-12-04T08:00:00Z'), now), 'yesterday');
		assert.strictEqual(relativeTime(new Date('2026-12-05T08:59:50Z'), now), 'just now');
		assert.strictEqual(readableTimestamp('2026-12-02T07:27:46Z', now, 'en-GB', 'UTC'), '2 Dec 2026, 07:27 (3 days ago)');
		assert.strictEqual(readableTimestamp('not a date', now), 'not a date');
	});
});
