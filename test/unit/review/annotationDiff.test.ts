import * as assert from 'assert';
import {
	classifyChange, diffSidecars, formatDiffLines, isEmptyDiff, isMoved, isNoteChanged, isRelabelled, isRequoted,
} from '../../../src/core/review/annotationDiff';
import { parseSidecar } from '../../../src/core/annotations/sidecarCodec';
import { KIEV, STEUN, ZELENSKY, ann, edit, sidecarText } from './fixtures';
import { sidecarOffset } from '../../../src/core/annotations/offsets';

describe('annotation diff', () => {
	const base = sidecarText([ZELENSKY, KIEV, STEUN]);

	it('reports nothing for identical versions, whether given as text or data', () => {
		const parsed = parseSidecar(base);
		assert.ok(parsed.ok);
		assert.ok(isEmptyDiff(diffSidecars(base, base)));
		assert.ok(isEmptyDiff(diffSidecars(base, parsed.doc.data)));
	});

	it('treats an absent side as empty: everything added or removed', () => {
		const created = diffSidecars(undefined, base);
		assert.deepStrictEqual(created.added.map((a) => a.id), ['a1', 'a2', 'a3']);
		assert.deepStrictEqual([created.removed.length, created.changed.length, created.header.length], [0, 0, 0]);
		const deleted = diffSidecars(base, null);
		assert.deepStrictEqual(deleted.removed.map((a) => a.id), ['a1', 'a2', 'a3']);
		assert.deepStrictEqual(created.errors, undefined);
	});

	it('finds added and removed annotations by id', () => {
		const extra = ann('b1', 'framing', 'wederopbouw');
		const after = edit(base, (d) => {
			d.remove('a2');
			d.add(extra);
		});
		const diff = diffSidecars(base, after);
		assert.deepStrictEqual(diff.added, [extra]);
		assert.deepStrictEqual(diff.removed, [KIEV]);
		assert.deepStrictEqual(diff.changed, []);
		assert.deepStrictEqual(formatDiffLines(diff), ['+ [framing] “wederopbouw” (b1)', '- [event] “ontving in Kiev” (a2)']);
	});

	it('classifies a relabel, a move, a re-quote and a note change', () => {
		const after = edit(base, (d) => {
			d.update('a1', { label: 'claim', modified: '2026-02-01T00:00:00Z' });
			d.setOffsets('a2', sidecarOffset(KIEV.start + 10), sidecarOffset(KIEV.end + 10));
			d.update('a3', { quote: 'de steun', end: sidecarOffset(STEUN.start + 8), note: 'Te sterk?' });
		});
		const diff = diffSidecars(base, after);
		assert.deepStrictEqual(diff.changed.map((c) => [c.id, c.fields]), [
			['a1', ['label', 'modified']],
			['a2', ['start', 'end']],
			['a3', ['end', 'quote', 'note']],
		]);
		const [relabel, moved, requoted] = diff.changed;
		assert.deepStrictEqual([isRelabelled(relabel), isMoved(relabel), isRequoted(relabel), isNoteChanged(relabel)], [true, false, false, false]);
		assert.deepStrictEqual([isRelabelled(moved), isMoved(moved), isRequoted(moved)], [false, true, false]);
		assert.deepStrictEqual([isMoved(requoted), isRequoted(requoted), isNoteChanged(requoted)], [false, true, true]);
		assert.deepStrictEqual(diff.changed.map(classifyChange), [['relabelled'], ['moved'], ['requoted', 'note']]);
		assert.deepStrictEqual(formatDiffLines(diff), [
			'~ a1: label attribution → claim “President Zelensky”',
			`↔ a2: moved ${KIEV.start}–${KIEV.end} → ${KIEV.start + 10}–${KIEV.end + 10} “ontving in Kiev”`,
			`~ a3: quote “de steun van de Verenigde Staten onverminderd groot” → “de steun” (${STEUN.start}–${STEUN.start + 8})`,
			'✎ a3: note added “Te sterk?”',
		]);
	});

	it('classifies changes that touch no reviewed field as other, and reports header changes', () => {
		const after = edit(base, (d) => {
			d.update('a1', { author: 'Someone else' });
			d.setHeader({ textHash: 'sha256:abcd' });
		});
		const diff = diffSidecars(base, after);
		assert.deepStrictEqual(diff.changed.map(classifyChange), [['other']]);
		assert.deepStrictEqual(diff.header, [{ field: 'textHash', before: null, after: 'sha256:abcd' }]);
		assert.deepStrictEqual(formatDiffLines(diff), ['~ textHash: null → sha256:abcd', '~ a1: changed author']);
	});

	it('reports an unreadable side instead of throwing', () => {
		const conflicted = `<<<<<<< ours\n${base}=======\n${base}>>>>>>> theirs\n`;
		const diff = diffSidecars(base, conflicted);
		assert.strictEqual(diff.errors?.side, 'after');
		assert.strictEqual(diff.errors?.errors[0].code, 'merge-conflict');
		assert.strictEqual(diff.removed.length, 3);
	});
});
