import * as assert from 'assert';
import { parseSidecar } from '../../../src/core/annotations/sidecarCodec';
import { CONFLICT_MARKERS, mergeSidecars } from '../../../src/core/review/sidecarMerge';
import { KIEV, STEUN, ZELENSKY, ann, edit, sidecarText } from './fixtures';

function ids(text: string): string[] {
	const r = parseSidecar(text);
	assert.ok(r.ok, r.ok ? '' : r.errors.map((e) => `${e.line}: ${e.message}`).join('\n'));
	return r.doc.data.annotations.map((a) => a.id);
}

function data(text: string) {
	const r = parseSidecar(text);
	assert.ok(r.ok);
	return r.doc.data;
}

describe('sidecar three-way merge', () => {
	const base = sidecarText([ZELENSKY, STEUN]);

	it('keeps additions from both sides, in document order', () => {
		const ours = edit(base, (d) => d.add(KIEV));
		const wederopbouw = ann('t1', 'event', 'wederopbouw');
		const theirs = edit(base, (d) => d.add(wederopbouw));
		const result = mergeSidecars(base, ours, theirs);
		assert.deepStrictEqual(result.conflicts, []);
		assert.deepStrictEqual(ids(result.text), ['a1', 'a2', 'a3', 't1']);
		assert.deepStrictEqual(data(result.text).annotations.find((a) => a.id === 't1'), wederopbouw);
	});

	it('merges two files created independently (no base) when the ids differ', () => {
		const result = mergeSidecars('', sidecarText([ZELENSKY]), sidecarText([STEUN]));
		assert.deepStrictEqual(result.conflicts, []);
		assert.deepStrictEqual(ids(result.text), ['a1', 'a3']);
	});

	it('applies deletions of neighbouring annotations (no skipped items while the list shrinks)', () => {
		const three = sidecarText([ZELENSKY, KIEV, STEUN]);
		const ours = edit(three, (d) => d.update('a3', { note: 'ours' }));
		const theirs = edit(three, (d) => {
			d.remove(ZELENSKY.id);
			d.remove(KIEV.id);
		});
		const result = mergeSidecars(three, ours, theirs);
		assert.deepStrictEqual(result.conflicts, []);
		assert.deepStrictEqual(ids(result.text), [STEUN.id]);
	});

	it('applies a deletion when the other side left the annotation alone', () => {
		const ours = edit(base, (d) => d.remove('a1'));
		const theirs = edit(base, (d) => d.add(KIEV));
		assert.deepStrictEqual(ids(mergeSidecars(base, ours, theirs).text), ['a2', 'a3']);
		assert.deepStrictEqual(ids(mergeSidecars(base, theirs, ours).text), ['a2', 'a3']);
	});

	it('takes the same change made on both sides once', () => {
		const change = (t: string): string => edit(t, (d) => d.update('a3', { label: 'fact-check', note: 'Bron?' }));
		const ours = edit(change(base), (d) => d.add(KIEV));
		const theirs = change(base);
		const result = mergeSidecars(base, ours, theirs);
		assert.deepStrictEqual(result.conflicts, []);
		assert.deepStrictEqual(ids(result.text), ['a1', 'a2', 'a3']);
		const a3 = data(result.text).annotations.find((a) => a.id === 'a3');
		assert.deepStrictEqual([a3?.label, a3?.note], ['fact-check', 'Bron?']);
		assert.strictEqual(result.text.match(/id: a3/g)?.length, 1);
	});

	it('merges changes to different fields of one annotation field by field (later modified wins)', () => {
		const ours = edit(base, (d) => d.update('a3', { label: 'fact-check', modified: '2026-02-01T10:00:00Z' }));
		const theirs = edit(base, (d) => d.update('a3', { note: 'Bron?', modified: '2026-02-02T10:00:00Z' }));
		const result = mergeSidecars(base, ours, theirs);
		assert.deepStrictEqual(result.conflicts, []);
		const a3 = data(result.text).annotations.find((a) => a.id === 'a3');
		assert.deepStrictEqual([a3?.label, a3?.note, a3?.modified], ['fact-check', 'Bron?', '2026-02-02T10:00:00Z']);
	});

	it('marks a true conflict with both versions inside the list, and parseSidecar reports it with lines', () => {
		const ours = edit(base, (d) => d.update('a3', { label: 'fact-check' }));
		const theirs = edit(base, (d) => {
			d.update('a3', { label: 'framing' });
			d.add(KIEV);
		});
		const result = mergeSidecars(base, ours, theirs);
		assert.deepStrictEqual(result.conflicts, [{ kind: 'both-changed', id: 'a3', fields: ['label'] }]);
		const lines = result.text.split('\n');
		const start = lines.indexOf(CONFLICT_MARKERS.ours);
		const mid = lines.indexOf(CONFLICT_MARKERS.separator);
		const end = lines.indexOf(CONFLICT_MARKERS.theirs);
		assert.ok(start > 0 && start < mid && mid < end, result.text);
		assert.deepStrictEqual(lines.slice(start + 1, start + 3), ['  - id: a3', '    label: fact-check']);
		assert.deepStrictEqual(lines.slice(mid + 1, mid + 3), ['  - id: a3', '    label: framing']);
		// Non-conflicting change from theirs still merged in.
		assert.ok(result.text.includes('id: a2'));
		const parsed = parseSidecar(result.text);
		assert.ok(!parsed.ok);
		assert.deepStrictEqual(parsed.errors.map((e) => [e.code, e.line]), [
			['merge-conflict', start + 1], ['merge-conflict', mid + 1], ['merge-conflict', end + 1],
		]);
		// Resolving by keeping ours gives a valid sidecar.
		const resolved = [...lines.slice(0, start), ...lines.slice(start + 1, mid), ...lines.slice(end + 1)].join('\n');
		assert.deepStrictEqual(ids(resolved), ['a1', 'a2', 'a3']);
	});

	it('treats delete-versus-modify as a conflict with an empty side', () => {
		const ours = edit(base, (d) => d.remove('a3'));
		const theirs = edit(base, (d) => d.update('a3', { note: 'Belangrijk' }));
		const result = mergeSidecars(base, ours, theirs);
		assert.deepStrictEqual(result.conflicts, [{ kind: 'deleted-by-ours', id: 'a3' }]);
		const lines = result.text.split('\n');
		const start = lines.indexOf(CONFLICT_MARKERS.ours);
		assert.strictEqual(lines[start + 1], CONFLICT_MARKERS.separator);
		assert.strictEqual(lines[start + 2], '  - id: a3');
		const reverse = mergeSidecars(base, theirs, ours);
		assert.deepStrictEqual(reverse.conflicts, [{ kind: 'deleted-by-theirs', id: 'a3' }]);
		const rl = reverse.text.split('\n');
		const mid = rl.indexOf(CONFLICT_MARKERS.separator);
		assert.strictEqual(rl[mid + 1], CONFLICT_MARKERS.theirs);
	});

	it('keeps comments and hand formatting of ours on untouched lines', () => {
		const commented = base
			.replace('annotations:\n', 'annotations:\n  # Eerste ronde, door Anna\n')
			.replace('    label: claim\n', '    label: claim # twijfel\n');
		const theirs = edit(base, (d) => d.add(KIEV));
		const result = mergeSidecars(base, commented, theirs);
		assert.deepStrictEqual(result.conflicts, []);
		assert.ok(result.text.includes('  # Eerste ronde, door Anna\n'), result.text);
		assert.ok(result.text.includes('    label: claim # twijfel\n'), result.text);
		assert.ok(result.text.startsWith('# Annotations for'), result.text);
		assert.deepStrictEqual(ids(result.text), ['a1', 'a2', 'a3']);
	});

	it('takes a header change from the side that made it; keeps ours when both changed textHash', () => {
		const theirs = edit(base, (d) => d.setHeader({ textHash: 'sha256:aa' }));
		const ours = edit(base, (d) => d.add(KIEV));
		assert.strictEqual(data(mergeSidecars(base, ours, theirs).text).textHash, 'sha256:aa');
		const ours2 = edit(ours, (d) => d.setHeader({ textHash: 'sha256:bb' }));
		const result = mergeSidecars(base, ours2, theirs);
		assert.deepStrictEqual(result.conflicts, []);
		assert.strictEqual(data(result.text).textHash, 'sha256:bb');
		assert.match(result.notes.join('\n'), /textHash/);
	});

	it('leaves an unreadable ours byte-identical and reports it (unreadable means untouchable)', () => {
		const broken = 'version: 1\nannotations: [\n';
		const result = mergeSidecars(base, broken, edit(base, (d) => d.add(KIEV)));
		assert.deepStrictEqual(result.conflicts.map((c) => [c.kind, c.side]), [['unreadable', 'ours']]);
		assert.strictEqual(result.text, broken);
	});

	it('an unreadable theirs is a whole-file conflict around both versions', () => {
		const result = mergeSidecars(base, edit(base, (d) => d.add(KIEV)), 'version: 1\nannotations: [\n');
		assert.deepStrictEqual(result.conflicts.map((c) => [c.kind, c.side]), [['unreadable', 'theirs']]);
		assert.ok(result.text.startsWith(`${CONFLICT_MARKERS.ours}\n`));
		assert.ok(result.text.endsWith(`${CONFLICT_MARKERS.theirs}\n`));
	});
});
