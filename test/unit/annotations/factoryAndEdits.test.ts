import * as assert from 'assert';
import { createAnnotation, isoTimestamp, makeIdGenerator } from '../../../src/core/annotations/factory';
import { makeSelector, prepareText, reanchorAll } from '../../../src/core/annotations/anchoring';
import { createSidecar, parseSidecar, serializeIfChanged } from '../../../src/core/annotations/sidecarCodec';
import type { SidecarDocument } from '../../../src/core/annotations/sidecarCodec';
import { ARTICLE, ann, lineDiff } from './helpers';
import { seededRandom } from '../../../src/core/util/seededRandom';
import { editorOffset, sidecarOffset } from '../../../src/core/annotations/offsets';

function reparse(doc: SidecarDocument): SidecarDocument {
	const r = parseSidecar(doc.toString());
	assert.ok(r.ok, 'our output must parse');
	return r.ok ? r.doc : doc;
}

describe('factory', () => {
	it('generates deterministic, unique ids that start with a letter', () => {
		const taken = new Set<string>();
		const gen = makeIdGenerator(seededRandom(1), (id) => taken.has(id));
		for (let i = 0; i < 2000; i++) {
			const id = gen();
			assert.match(id, /^[a-z][0-9a-z]{5,}$/);
			assert.ok(!taken.has(id));
			taken.add(id);
		}
		const again = makeIdGenerator(seededRandom(1), () => false);
		assert.strictEqual(again(), [...taken][0]);
	});

	it('grows ids instead of looping when every short id is taken', () => {
		const gen = makeIdGenerator(() => 0, (id) => id.length < 8, 6);
		assert.strictEqual(gen().length, 8);
	});

	it('creates an annotation with injected clock and author', () => {
		const at = ARTICLE.indexOf('Witte Huis');
		const a = createAnnotation(ARTICLE, editorOffset(at), editorOffset(at + 10), 'event', {
			now: () => new Date(Date.UTC(2026, 10, 23, 18, 0, 0, 123)),
			author: 'Jan Jansen',
			newId: () => 'a7k2m9',
		}, { entity: 'Witte Huis' });
		assert.deepStrictEqual(Object.keys(a), ['id', 'label', 'start', 'end', 'quote', 'prefix', 'suffix', 'entity', 'author', 'created', 'modified']);
		assert.strictEqual(a.quote, 'Witte Huis');
		assert.strictEqual(a.created, '2026-11-23T18:00:00Z');
		assert.strictEqual(isoTimestamp(new Date(0)), '1970-01-01T00:00:00Z');
	});
});

describe('SidecarDocument edits at scale', function () {
	// Generous: shared CI machines are slow; these guard against quadratic blow-ups.
	this.timeout(60_000);

	it('keeps the typed view in step with the file through random edits', () => {
		const rng = seededRandom(11);
		const doc = createSidecar({ article: 'a.txt', date: null, textHash: null });
		const ids: string[] = [];
		for (let step = 0; step < 150; step++) {
			const op = rng();
			if (op < 0.45 || ids.length === 0) {
				const id = 'x' + step;
				const s = Math.floor(rng() * 500);
				doc.add(ann(id, s, s + 1 + Math.floor(rng() * 19), 'q' + step));
				ids.push(id);
			} else if (op < 0.65) {
				const id = ids.splice(Math.floor(rng() * ids.length), 1)[0];
				doc.remove(id);
			} else if (op < 0.85) {
				const s = Math.floor(rng() * 500);
				doc.setOffsets(ids[Math.floor(rng() * ids.length)], sidecarOffset(s), sidecarOffset(s + 3), 'new');
			} else {
				doc.update(ids[Math.floor(rng() * ids.length)], { label: 'l' + step, note: rng() < 0.5 ? undefined : 'n' });
			}
			assert.deepStrictEqual(reparse(doc).data, doc.data, `step ${step}`);
		}
		const starts = doc.data.annotations.map((a) => a.start);
		assert.deepStrictEqual(starts, [...starts].sort((a, b) => a - b), 'document order kept');
	});

	it('applies 1,000 re-anchor results quickly, changing only offset lines', () => {
		let text = '';
		while (text.length < 50_000) {
			text += ARTICLE + '\n\n';
		}
		const prepared = prepareText(text);
		const doc = createSidecar({ article: 'a.txt', date: '2025-07', textHash: null });
		for (let i = 0; i < 1000; i++) {
			const s = 10 + i * 47;
			doc.add({ ...ann('a' + String(i).padStart(4, '0'), 0, 0, ''), ...makeSelector(prepared, editorOffset(s), editorOffset(s + 30)) });
		}
		const before = doc.toString();
		const parsed = parseSidecar(before);
		assert.ok(parsed.ok);
		const d = parsed.ok ? parsed.doc : doc;
		const edited = 'Nieuw. ' + text;
		const t0 = Date.now();
		const results = reanchorAll(edited, d.data.annotations);
		const anns = [...d.data.annotations];
		results.forEach((r, i) => {
			if (r.selector) {
				d.setOffsets(anns[i].id, r.selector.start, r.selector.end, r.selector.quote, r.selector.prefix, r.selector.suffix);
			}
		});
		const out = serializeIfChanged(before, d)!;
		const ms = Date.now() - t0;
		assert.ok(ms < 20_000, `${ms} ms`);
		const diff = lineDiff(before.split('\n').slice(0, 3000).join('\n'), out.split('\n').slice(0, 3000).join('\n'));
		assert.ok(diff.added.length > 0);
		assert.ok(diff.added.every((l) => /^ {4}(start|end|prefix|suffix): /.test(l)), diff.added.find((l) => !/^ {4}(start|end|prefix|suffix): /.test(l)));
	});
});
