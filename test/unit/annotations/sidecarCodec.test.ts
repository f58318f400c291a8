import * as assert from 'assert';
import {
	createSidecar,
	parseSidecar,
	serializeIfChanged,
	SidecarDocument,
	SidecarEditError,
} from '../../../src/core/annotations/sidecarCodec';
import { ann, lineDiff } from './helpers';
import { sidecarOffset } from '../../../src/core/annotations/offsets';

function parseOk(text: string): SidecarDocument {
	const r = parseSidecar(text);
	if (!r.ok) {
		assert.fail(`expected a valid sidecar: ${JSON.stringify(r.errors)}`);
	}
	return r.doc;
}

function errorsOf(text: string) {
	const r = parseSidecar(text);
	assert.strictEqual(r.ok, false, 'expected errors');
	return r.ok ? [] : r.errors;
}

const HEADER = { article: '000_3ffb0e8bd60704ce.txt', date: '2025-07', textHash: 'sha256:' + 'ab'.repeat(32) };

/** A sidecar written by us with three annotations. */
function ourFile(): string {
	const doc = createSidecar(HEADER);
	doc.add(ann('b2', 50, 60, 'Trump zei', { prefix: ' leading space', suffix: 'trailing ', note: '2025-07' }));
	doc.add(ann('a1', 10, 20, 'quote: with # hash', { entity: 'Donald Trump', label: 'yes' }));
	doc.add(ann('c3', 70, 90, 'eerste alinea\n\ntweede', { prefix: '"quoted"', suffix: '0123' }));
	return doc.toString();
}

describe('sidecarCodec', () => {
	describe('writing and round trips', () => {
		it('creates a new file with the header comment, LF and one trailing newline', () => {
			const text = createSidecar(HEADER).toString();
			assert.ok(text.startsWith('# Annotations for 000_3ffb0e8bd60704ce.txt — written by Corpus Annotator.'));
			assert.ok(text.includes('\nversion: 1\narticle: 000_3ffb0e8bd60704ce.txt\ndate: 2025-07\ntextHash: sha256:'));
			assert.ok(text.endsWith('annotations: []\n'));
			assert.ok(!text.includes('\r'));
		});

		it('a new document counts as changed and is written once', () => {
			const doc = createSidecar(HEADER);
			const text = serializeIfChanged('', doc);
			assert.strictEqual(typeof text, 'string');
			assert.strictEqual(serializeIfChanged(text!, parseOk(text!)), undefined);
		});

		it('round-trips our own output byte-identically with the typed view intact', () => {
			const text = ourFile();
			const doc = parseOk(text);
			assert.strictEqual(doc.toString(), text);
			const d = doc.data;
			assert.deepStrictEqual(d.annotations.map((a) => a.id), ['a1', 'b2', 'c3'], 'document order by start');
			assert.strictEqual(d.date, '2025-07');
			assert.strictEqual(d.annotations[0].label, 'yes', 'yes stays a string');
			assert.strictEqual(d.annotations[1].note, '2025-07');
			assert.strictEqual(d.annotations[1].prefix, ' leading space');
			assert.strictEqual(d.annotations[1].suffix, 'trailing ');
			assert.strictEqual(d.annotations[2].quote, 'eerste alinea\n\ntweede');
			assert.strictEqual(d.annotations[2].suffix, '0123');
			assert.ok(text.includes('    quote: "eerste alinea\\n\\ntweede"\n'), 'line breaks stay on one double-quoted line');
			assert.ok(text.includes('    suffix: "0123"\n'), 'number-like strings are quoted');
		});

		it('writes keys in the fixed order', () => {
			const lines = ourFile().split('\n');
			const keys = lines.slice(lines.indexOf('  - id: b2'), lines.indexOf('  - id: c3')).map((l) => l.trim().replace(/^- /, '').split(':')[0]);
			assert.deepStrictEqual(keys, ['id', 'label', 'start', 'end', 'quote', 'prefix', 'suffix', 'note', 'author', 'created', 'modified']);
		});

		it('skips no-op writes', () => {
			const text = ourFile();
			const doc = parseOk(text);
			assert.strictEqual(serializeIfChanged(text, doc), undefined, 'untouched');
			assert.strictEqual(doc.update('a1', { label: 'yes' }), true);
			assert.strictEqual(doc.changed, false, 'same value is not a change');
			assert.strictEqual(serializeIfChanged(text, doc), undefined);
			doc.setHeader({ date: '2025-07' });
			assert.strictEqual(serializeIfChanged(text, doc), undefined);
		});

		it('is idempotent after an edit', () => {
			const doc = parseOk(ourFile());
			doc.update('b2', { label: 'event' });
			const once = doc.toString();
			assert.strictEqual(parseOk(once).toString(), once);
		});
	});

	describe('minimal diffs', () => {
		it('adding one annotation adds only its own lines', () => {
			const before = ourFile();
			const doc = parseOk(before);
			doc.add(ann('d4', 55, 58, 'Trump', { label: 'attribution' }));
			const after = serializeIfChanged(before, doc)!;
			const diff = lineDiff(before, after);
			assert.deepStrictEqual(diff.removed, []);
			assert.deepStrictEqual(diff.added, [
				'  - id: d4',
				'    label: attribution',
				'    start: 55',
				'    end: 58',
				'    quote: Trump',
				'    prefix: ""',
				'    suffix: ""',
				'    author: Jan Jansen',
				'    created: 2026-11-23T18:00:00Z',
				'    modified: 2026-11-23T18:00:00Z',
			]);
			// Contiguous, and between b2 (start 50) and c3 (start 70).
			assert.strictEqual(diff.addedAt[diff.addedAt.length - 1] - diff.addedAt[0], diff.added.length - 1);
			const lines = after.split('\n');
			assert.ok(lines.indexOf('  - id: b2') < lines.indexOf('  - id: d4'));
			assert.ok(lines.indexOf('  - id: d4') < lines.indexOf('  - id: c3'));
		});

		it('adding to an empty file changes only the "annotations: []" line', () => {
			const before = createSidecar(HEADER).toString();
			const doc = parseOk(before);
			doc.add(ann('a1', 0, 4, 'date'));
			const diff = lineDiff(before, serializeIfChanged(before, doc)!);
			assert.deepStrictEqual(diff.removed, ['annotations: []']);
			assert.strictEqual(diff.added[0], 'annotations:');
			assert.strictEqual(diff.added[1], '  - id: a1');
		});

		it('changing a label changes exactly one line', () => {
			const before = ourFile();
			const doc = parseOk(before);
			doc.update('b2', { label: 'framing', modified: '2026-11-23T18:00:00Z' });
			const diff = lineDiff(before, serializeIfChanged(before, doc)!);
			assert.deepStrictEqual(diff.removed, ['    label: claim']);
			assert.deepStrictEqual(diff.added, ['    label: framing']);
		});

		it('deleting removes only its lines', () => {
			const before = ourFile();
			const doc = parseOk(before);
			assert.strictEqual(doc.remove('b2'), true);
			assert.strictEqual(doc.remove('nope'), false);
			const diff = lineDiff(before, serializeIfChanged(before, doc)!);
			assert.deepStrictEqual(diff.added, []);
			assert.strictEqual(diff.removed[0], '  - id: b2');
			assert.strictEqual(diff.removed.length, 11);
		});

		it('updating the text hash changes one line', () => {
			const before = ourFile();
			const doc = parseOk(before);
			doc.setHeader({ textHash: 'sha256:' + 'cd'.repeat(32) });
			const diff = lineDiff(before, serializeIfChanged(before, doc)!);
			assert.strictEqual(diff.removed.length, 1);
			assert.strictEqual(diff.added.length, 1);
			assert.ok(diff.added[0].startsWith('textHash: sha256:cdcd'));
		});

		it('setOffsets keeps order: an annotation moved past others is relocated', () => {
			const doc = parseOk(ourFile());
			doc.setOffsets('a1', sidecarOffset(100), sidecarOffset(110), 'verplaatst', 'p', 's');
			assert.deepStrictEqual(doc.data.annotations.map((a) => a.id), ['b2', 'c3', 'a1']);
			const a1 = doc.get('a1')!;
			assert.deepStrictEqual([a1.start, a1.end, a1.quote, a1.prefix, a1.suffix], [100, 110, 'verplaatst', 'p', 's']);
			assert.strictEqual(a1.modified, '2026-11-23T18:00:00Z', 're-anchoring does not touch modified');
			const again = parseOk(doc.toString());
			assert.deepStrictEqual(again.data, doc.data);
		});

		it('removes an optional field set to undefined and refuses to remove a required one', () => {
			const doc = parseOk(ourFile());
			doc.update('b2', { note: undefined });
			assert.strictEqual(doc.get('b2')!.note, undefined);
			assert.ok(!doc.toString().includes('note: 2025-07'));
			assert.throws(() => doc.update('b2', { label: undefined }), SidecarEditError);
			assert.throws(() => doc.add(ann('a1', 0, 1, 'x')), /Duplicate/);
			assert.throws(() => doc.add(ann('zz', 5, 1, 'x')), SidecarEditError);
		});
	});

	describe('hand-edited files', () => {
		const HAND = [
			'# Annotaties van Piet — niet weggooien',
			'version: 1',
			'article: 001_9269669edc11b07e.txt',
			'date: 2025-06',
			'textHash: null',
			'reviewer: Marie   # unknown top-level key',
			'annotations:',
			'  # de eerste is twijfelachtig',
			'  - id: x1',
			'    label: claim',
			'    start: 10',
			'    end: 20',
			'    quote: "twee uur"',
			'    confidence: low    # analyst-only key',
			'',
			'  - {id: x2, label: event, start: 30, end: 40, quote: gesprek}',
			'# einde',
			'',
		].join('\n');

		it('keeps comments, blank lines and unknown keys when editing', () => {
			const doc = parseOk(HAND);
			doc.update('x1', { label: 'framing', note: 'zie bron' });
			const out = serializeIfChanged(HAND, doc)!;
			const diff = lineDiff(HAND, out);
			assert.deepStrictEqual(diff.removed, ['    label: claim']);
			assert.deepStrictEqual(diff.added, ['    label: framing', '    note: zie bron']);
			const lines = out.split('\n');
			assert.ok(lines.indexOf('    note: zie bron') < lines.indexOf('    confidence: low    # analyst-only key'), 'known keys before unknown ones');
			assert.strictEqual(parseOk(out).data.annotations[0].note, 'zie bron');
		});

		it('keeps odd formatting on untouched lines (flow maps, comment spacing)', () => {
			const doc = parseOk(HAND);
			doc.add(ann('x3', 50, 55, 'Kiev'));
			const out = serializeIfChanged(HAND, doc)!;
			const diff = lineDiff(HAND, out);
			assert.deepStrictEqual(diff.removed, []);
			assert.strictEqual(diff.added[0], '  - id: x3');
			assert.ok(out.includes('\n  - {id: x2, label: event, start: 30, end: 40, quote: gesprek}\n  - id: x3\n'));
			assert.ok(out.endsWith('    modified: 2026-11-23T18:00:00Z\n# einde\n'), 'no blank line forced before the final comment');
			assert.ok(out.includes('reviewer: Marie   # unknown top-level key\n'), 'comment spacing kept');
			assert.deepStrictEqual(parseOk(out).data.annotations.map((a) => a.id), ['x1', 'x2', 'x3']);
		});

		it('edits inside a flow map still produce a valid, equivalent file', () => {
			const doc = parseOk(HAND);
			doc.update('x2', { label: 'claim' });
			const out = serializeIfChanged(HAND, doc)!;
			const re = parseOk(out);
			assert.strictEqual(re.get('x2')!.label, 'claim');
			assert.ok(out.includes('# Annotaties van Piet'));
			assert.ok(out.includes('# de eerste is twijfelachtig'));
		});

		it('keeps CRLF line ends of a CRLF file', () => {
			const crlf = HAND.replace(/\n/g, '\r\n');
			const doc = parseOk(crlf);
			doc.update('x1', { label: 'event' });
			const out = serializeIfChanged(crlf, doc)!;
			assert.ok(!/[^\r]\n/.test(out), 'every LF is part of a CRLF');
			const diff = lineDiff(crlf, out);
			assert.deepStrictEqual(diff.removed, ['    label: claim\r']);
		});

		it('reads missing optional header fields as null; an empty list must be written as []', () => {
			// Without `annotations:` the file may be cut off (issue 11): refused, never written to.
			assert.deepStrictEqual(errorsOf('version: 1\narticle: a.txt\n').map((e) => e.code), ['missing-field']);
			assert.deepStrictEqual(errorsOf('version: 1\narticle: a.txt\nannotations:\n').map((e) => e.code), ['missing-field']);
			const doc = parseOk('version: 1\narticle: a.txt\nannotations: []\n');
			assert.deepStrictEqual(doc.data, { version: 1, article: 'a.txt', date: null, textHash: null, annotations: [], relations: [] });
			doc.add(ann('a1', 0, 1, 'a'));
			assert.ok(doc.toString().includes('annotations:\n  - id: a1\n'));
		});
	});

	describe('errors', () => {
		it('reports YAML syntax errors with line and column', () => {
			const errs = errorsOf('version: 1\narticle: a.txt\nannotations:\n  - id: a1\n    label: [claim\n    start: 1\n');
			assert.ok(errs.length > 0);
			assert.strictEqual(errs[0].code, 'yaml-syntax');
			assert.ok(errs[0].line >= 5, `line ${errs[0].line}`);
			assert.ok(errs[0].column >= 1);
		});

		it('detects merge-conflict markers with their lines', () => {
			const text = [
				'version: 1',
				'article: a.txt',
				'annotations:',
				'<<<<<<< HEAD',
				'  - id: a1',
				'=======',
				'  - id: b1',
				'>>>>>>> feature',
				'',
			].join('\n');
			const errs = errorsOf(text);
			assert.deepStrictEqual(errs.map((e) => [e.code, e.line]), [['merge-conflict', 4], ['merge-conflict', 6], ['merge-conflict', 8]]);
		});

		it('detects duplicate ids at the second occurrence', () => {
			const doc = createSidecar(HEADER);
			doc.add(ann('a1', 0, 4, 'date'));
			doc.add(ann('b1', 5, 9, 'date'));
			const text = doc.toString().replace('id: b1', 'id: a1');
			const errs = errorsOf(text);
			assert.strictEqual(errs.length, 1);
			assert.strictEqual(errs[0].code, 'duplicate-id');
			assert.strictEqual(errs[0].line, text.split('\n').indexOf('  - id: a1', 8) + 1);
			assert.strictEqual(errs[0].column, 9);
			assert.match(errs[0].message, /first used on line \d+/);
		});

		it('reports schema errors', () => {
			const base = 'version: 1\narticle: a.txt\nannotations:\n';
			const codes = (t: string) => errorsOf(t).map((e) => e.code);
			assert.deepStrictEqual(codes(base + '  - {id: a, label: x, start: 9, end: 3, quote: q}\n'), ['invalid-range']);
			assert.deepStrictEqual(codes(base + '  - {id: a, label: x, start: 1, end: 3}\n'), ['missing-field']);
			assert.deepStrictEqual(codes(base + '  - {id: 12, label: x, start: 1, end: 3, quote: q}\n'), ['invalid-field']);
			assert.deepStrictEqual(codes(base + '  - {id: a, label: x, start: -1, end: 3, quote: q}\n'), ['invalid-field']);
			assert.deepStrictEqual(codes(base + '  - just text\n'), ['invalid-field']);
			assert.deepStrictEqual(codes('version: 2\narticle: a.txt\nannotations: []\n'), ['unknown-version']);
			assert.deepStrictEqual(codes('article: a.txt\nannotations: []\n'), ['missing-field']);
			assert.deepStrictEqual(codes('version: 1\narticle: a.txt\ndate: 2025-13\nannotations: []\n'), ['invalid-field']);
			assert.deepStrictEqual(codes('- a\n- b\n'), ['not-a-map']);
			assert.deepStrictEqual(codes(''), ['empty']);
			assert.deepStrictEqual(codes('version: 1\narticle: a.txt\nx: &a 1\ny: *a\n'), ['unsupported-yaml']);
			assert.deepStrictEqual(codes('version: 1\nversion: 1\narticle: a.txt\n'), ['yaml-syntax']);
		});

		it('positions schema errors at the offending value', () => {
			const errs = errorsOf('version: 1\narticle: a.txt\nannotations:\n  - id: a\n    label: x\n    start: 9\n    end: 3\n    quote: q\n');
			assert.deepStrictEqual([errs[0].line, errs[0].column], [6, 12]);
		});

		it('never throws on garbage', () => {
			for (const t of ['\u0000\u0001', ':', '---\n---\n', '[', '"', 'a: b: c', '\t- x', '? [a]\n: b\n']) {
				const r = parseSidecar(t);
				assert.strictEqual(r.ok, false, JSON.stringify(t));
			}
		});
	});
});
