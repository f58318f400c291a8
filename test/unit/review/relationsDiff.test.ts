/** The semantic diff of relations (issue 16): by relation id, printed with the quotes of their ends. */
import * as assert from 'assert';
import { diffSidecars, formatDiffLines, isEmptyDiff } from '../../../src/core/review/annotationDiff';
import { formatDiffText } from '../../../src/cli/commands/diffCommand';
import { KIEV, STEUN, ZELENSKY, edit, rel, sidecarText, sidecarWithRelations } from './fixtures';

describe('relation diff', () => {
	const SOURCE = rel('r1', 'source-of', 'a1', 'a3');
	const ABOUT = rel('r2', 'about', 'a3', 'a2');
	const base = sidecarWithRelations([ZELENSKY, KIEV, STEUN], [SOURCE, ABOUT]);

	it('reports nothing for identical versions and an empty relations diff for a file without relations', () => {
		assert.ok(isEmptyDiff(diffSidecars(base, base)));
		const plain = sidecarText([ZELENSKY]);
		const diff = diffSidecars(plain, plain);
		assert.deepStrictEqual(diff.relations, { added: [], removed: [], changed: [] });
		assert.strictEqual(diff.endpoints.size, 0);
	});

	it('lists added and removed relations with the quotes of both ends', () => {
		const added = rel('r3', 'contradicts', 'a2', 'a1');
		const after = edit(base, (d) => {
			d.removeRelation('r2');
			d.addRelation(added);
		});
		const diff = diffSidecars(base, after);
		assert.ok(!isEmptyDiff(diff));
		assert.deepStrictEqual([diff.added, diff.removed, diff.changed], [[], [], []], 'no annotation changed');
		assert.deepStrictEqual(diff.relations.added, [added]);
		assert.deepStrictEqual(diff.relations.removed, [ABOUT]);
		assert.deepStrictEqual(formatDiffLines(diff), [
			'+ relation [contradicts] “ontving in Kiev” → “President Zelensky” (r3)',
			'- relation [about] “de steun van de Verenigde Staten onverm…” → “ontving in Kiev” (r2)',
		]);
	});

	it('shows a removed relation\'s ends from the old version when the annotation went with it', () => {
		const after = edit(base, (d) => {
			d.removeRelation('r2');
			d.removeRelation('r1');
			d.remove('a3');
		});
		const diff = diffSidecars(base, after);
		assert.deepStrictEqual(diff.removed.map((a) => a.id), ['a3']);
		assert.deepStrictEqual(diff.relations.removed.map((r) => r.id), ['r1', 'r2']);
		assert.strictEqual(diff.endpoints.get('a3')?.quote, STEUN.quote);
		assert.ok(formatDiffLines(diff).includes('- relation [source-of] “President Zelensky” → “de steun van de Verenigde Staten onverm…” (r1)'));
	});

	it('names an end that neither version has by its id', () => {
		const diff = diffSidecars(
			{ version: 1, article: 'x.txt', date: null, textHash: null, annotations: [ZELENSKY], relations: [] },
			{ version: 1, article: 'x.txt', date: null, textHash: null, annotations: [ZELENSKY], relations: [rel('r9', 'about', 'a1', 'zz')] },
		);
		assert.deepStrictEqual(formatDiffLines(diff), ['+ relation [about] “President Zelensky” → zz (missing) (r9)']);
	});

	it('describes type, end and note changes; `modified` alone is listed, along others it is quiet', () => {
		const after = edit(base, (d) => {
			d.updateRelation('r1', { type: 'about', modified: '2026-03-01T00:00:00Z' });
			d.updateRelation('r2', { to: 'a1', note: 'Bron?', modified: '2026-03-01T00:00:00Z' });
		});
		const diff = diffSidecars(base, after);
		assert.deepStrictEqual(diff.relations.changed.map((c) => [c.id, c.fields]), [['r1', ['type', 'modified']], ['r2', ['to', 'note', 'modified']]]);
		assert.deepStrictEqual(formatDiffLines(diff), [
			'~ r1: relation type source-of → about (“President Zelensky” → “de steun van de Verenigde Staten onverm…”)',
			'↔ r2: relation [about] now “de steun van de Verenigde Staten onverm…” → “President Zelensky” (was “de steun van de Verenigde Staten onverm…” → “ontving in Kiev”)',
			'✎ r2: relation note added “Bron?”',
		]);
		const touched = diffSidecars(base, edit(base, (d) => d.updateRelation('r1', { modified: '2026-03-01T00:00:00Z' })));
		assert.deepStrictEqual(formatDiffLines(touched), ['~ r1: relation changed modified']);
		const byAuthor = diffSidecars(base, edit(base, (d) => d.updateRelation('r1', { author: 'B', modified: '2026-03-01T00:00:00Z' })));
		assert.deepStrictEqual(formatDiffLines(byAuthor), ['~ r1: relation changed author']);
	});

	it('counts relation changes in the diff text totals', () => {
		const after = edit(base, (d) => d.addRelation(rel('r3', 'contradicts', 'a2', 'a1')));
		const text = formatDiffText([{ sidecar: 'corpus/001_0a1b2c3d4e5f6071.ann.yaml', diff: diffSidecars(base, after) }], 'HEAD', undefined);
		assert.match(text, /\n\+ relation \[contradicts\] “ontving in Kiev” → “President Zelensky” \(r3\)\n/);
		assert.match(text, /1 article\(s\): 0 added, 0 removed, 0 changed; relations: 1 added, 0 removed, 0 changed\n$/);
	});
});
