import * as assert from 'assert';
import {
	makeSelector,
	prepareText,
	reanchor,
	reanchorAll,
	toEditorRange,
} from '../../../src/core/annotations/anchoring';
import type { AnchorTarget } from '../../../src/core/annotations/anchoring';
import { editorOffset } from '../../../src/core/annotations/offsets';
import { ARTICLE, selectOccurrence } from './helpers';
import { seededRandom } from '../../../src/core/util/seededRandom';

const select = selectOccurrence;

/** Code-point offset of a UTF-16 offset (test oracle). */
function cp(text: string, utf16: number): number {
	return [...text.slice(0, utf16)].length;
}

describe('anchoring', () => {
	describe('makeSelector', () => {
		it('stores code points, the quote and 32 code points of context', () => {
			const q = 'Witte Huis';
			const at = ARTICLE.indexOf(q);
			const sel = makeSelector(ARTICLE, editorOffset(at), editorOffset(at + q.length));
			assert.strictEqual(sel.quote, q);
			assert.strictEqual(sel.start, cp(ARTICLE, at));
			assert.strictEqual(sel.end - sel.start, q.length);
			assert.strictEqual([...sel.prefix].length, 32);
			assert.strictEqual([...sel.suffix].length, 32);
			assert.ok(ARTICLE.includes(sel.prefix + sel.quote + sel.suffix));
		});

		it('counts an emoji before the span as one code point', () => {
			const text = '😀🇳🇱 date 2025-07 Trump 👍 sprak met Zelensky.';
			const at = text.indexOf('Zelensky');
			const sel = makeSelector(text, editorOffset(at), editorOffset(at + 8));
			assert.strictEqual(sel.start, at - 4, 'three astral code points = 6 units, 3 fewer code points... ');
			assert.strictEqual(sel.start, cp(text, at));
			assert.deepStrictEqual(toEditorRange(text, sel.start, sel.end), { start: at, end: at + 8 });
			// The prefix is cut on code points, never inside a surrogate pair.
			const long = '👍'.repeat(40) + 'Zelensky';
			const s2 = makeSelector(long, editorOffset(80), editorOffset(88));
			assert.strictEqual(s2.prefix, '👍'.repeat(32));
			assert.strictEqual(s2.start, 40);
		});

		it('uses the same offsets for CRLF and BOM texts as for the canonical text', () => {
			const crlf = '\uFEFF' + ARTICLE.replace(/\n/g, '\r\n');
			const q = 'Patriot-raketten';
			const lf = select(ARTICLE, q);
			const at = crlf.indexOf(q);
			const sel = makeSelector(crlf, editorOffset(at), editorOffset(at + q.length));
			assert.deepStrictEqual(sel, lf);
			assert.deepStrictEqual(toEditorRange(crlf, sel.start, sel.end), { start: at, end: at + q.length });
		});
	});

	describe('reanchor', () => {
		it('anchors in place when the text is unchanged (also with CRLF)', () => {
			const a = select(ARTICLE, 'Patriot-raketten nodig heeft');
			assert.deepStrictEqual(reanchor(ARTICLE, a), { status: 'anchored', start: a.start, end: a.end, score: 1 });
			assert.strictEqual(reanchor(ARTICLE.replace(/\n/g, '\r\n'), a).status, 'anchored');
		});

		it('moves with text inserted before', () => {
			const a = select(ARTICLE, 'verklaarde dat Oekraïne');
			const edited = ARTICLE.replace('Maandag', 'Op maandag 7 juli');
			const r = reanchor(edited, a);
			assert.strictEqual(r.status, 'moved');
			assert.strictEqual(r.start, a.start + 10);
			assert.strictEqual(r.end, a.end + 10);
			assert.strictEqual(r.selector!.quote, a.quote);
		});

		it('finds an edited quote fuzzily and reports the new text', () => {
			const a = select(ARTICLE, 'Trump aan verslaggevers dat Oekraïne Patriot-raketten nodig heeft');
			const edited = ARTICLE.replace('aan verslaggevers', 'aan enkele verslaggevers');
			const r = reanchor(edited, a);
			assert.strictEqual(r.status, 'fuzzy');
			assert.strictEqual(r.selector!.quote, 'Trump aan enkele verslaggevers dat Oekraïne Patriot-raketten nodig heeft');
			assert.strictEqual(r.start, a.start);
			assert.strictEqual(r.end, a.end + 7);
		});

		it('follows a moved paragraph as "moved", not "fuzzy"', () => {
			const paras = ARTICLE.split('\n\n');
			const a = select(ARTICLE, 'Oekraïne zwaar wordt getroffen');
			const moved = [paras[0], paras[2], paras[3], paras[1], paras[4]].join('\n\n');
			const r = reanchor(moved, a);
			assert.strictEqual(r.status, 'moved');
			const range = toEditorRange(moved, r.start!, r.end!);
			assert.strictEqual(moved.slice(range.start, range.end), a.quote);
		});

		it('orphans an annotation whose passage was deleted', () => {
			const a = select(ARTICLE, 'Afgelopen vrijdag vertelde Trump aan verslaggevers');
			const paras = ARTICLE.split('\n\n');
			const r = reanchor([paras[0], paras[1], paras[3], paras[4]].join('\n\n'), a);
			assert.strictEqual(r.status, 'orphaned');
			assert.strictEqual(r.start, undefined);
		});

		it('orphans an ambiguous short quote instead of guessing', () => {
			const a = select(ARTICLE, 'Trump', 1); // "Maandag sprak Trump met …"
			// The sentence around it is rewritten; "Trump" still occurs twice elsewhere.
			const edited = ARTICLE.replace('Maandag sprak Trump met journalisten in het', 'Journalisten spraken maandag in het');
			const r = reanchor(edited, a);
			assert.strictEqual(r.status, 'orphaned');
		});

		it('finds a short quote elsewhere when its context matches', () => {
			const a = select(ARTICLE, 'Poetin', 0);
			const edited = 'Nieuw begin van het artikel.\n\n' + ARTICLE;
			const r = reanchor(edited, a);
			assert.strictEqual(r.status, 'moved');
			assert.strictEqual(r.start, a.start + 30);
		});

		it('orphans two identical passages rather than picking one', () => {
			// The quote has the same 32 characters of context in both copies.
			const para = 'De NAVO-top in Den Haag eindigde zonder gezamenlijke verklaring over de steun aan Oekraïne, meldden diplomaten.';
			const text = `Intro.\n\n${para}\n\n${para}\n\nSlot.`;
			const a = select(text, 'zonder gezamenlijke verklaring', 0);
			const edited = text.replace('Intro.', 'Een veel langere inleiding die alles verschuift.');
			assert.strictEqual(reanchor(edited, a).status, 'orphaned');
		});

		it('does not re-attach a changed name to a similar word elsewhere', () => {
			const a = select(ARTICLE, 'Poetin', 1); // "dat Poetin „geen commentaar”"
			const edited = ARTICLE.replace('dat Poetin „geen', 'dat Putin „geen');
			const r = reanchor(edited, a);
			assert.notStrictEqual(r.start, select(edited, 'Poetin', 0).start, 'never the other Poetin');
			assert.ok(r.status === 'orphaned' || (r.status === 'fuzzy' && r.selector!.quote.includes('Putin')), JSON.stringify(r));
		});

		it('handles emoji inserted before the annotation (code points vs UTF-16)', () => {
			const a = select(ARTICLE, 'Witte Huis');
			const edited = ARTICLE.replace('Maandag', 'Maandag 🇺🇸🇺🇦');
			const r = reanchor(edited, a);
			assert.strictEqual(r.status, 'moved');
			assert.strictEqual(r.start, a.start + 5, 'space + 4 regional-indicator code points');
			const range = toEditorRange(edited, r.start!, r.end!);
			assert.strictEqual(edited.slice(range.start, range.end), 'Witte Huis');
		});

		it('works on CRLF text after an edit', () => {
			const a = select(ARTICLE, 'verklaarde dat Oekraïne');
			const edited = ARTICLE.replace('Maandag', 'Op maandag 7 juli').replace(/\n/g, '\r\n');
			const r = reanchor(edited, a);
			assert.strictEqual(r.status, 'moved');
			assert.strictEqual(r.start, a.start + 10, 'offsets ignore CR');
			const range = toEditorRange(edited, r.start!, r.end!);
			assert.strictEqual(edited.slice(range.start, range.end), a.quote);
		});
	});

	describe('reanchorAll', function () {
		this.timeout(60_000);

		it('re-anchors 1,000 annotations on a 50 KB article quickly and correctly', () => {
			const rng = seededRandom(7);
			const words = ARTICLE.split(/\s+/);
			const parts: string[] = [];
			let size = 0;
			while (size < 50_000) {
				const w = words[Math.floor(rng() * words.length)] + (rng() < 0.05 ? '\n\n' : ' ');
				parts.push(w);
				size += w.length;
			}
			const text = parts.join('');
			const prepared = prepareText(text);
			const anns: AnchorTarget[] = [];
			for (let i = 0; i < 1000; i++) {
				const s = Math.floor((i / 1000) * (text.length - 100)) + 10;
				anns.push(makeSelector(prepared, editorOffset(s), editorOffset(s + 20 + Math.floor(rng() * 40))));
			}
			const edited = 'Een nieuwe eerste zin. ' + text;
			const t0 = Date.now();
			const results = reanchorAll(edited, anns);
			const ms = Date.now() - t0;
			const moved = results.filter((r) => r.status === 'moved').length;
			const wrong = results.filter((r, i) => r.status === 'moved' && r.start !== anns[i].start + 23).length;
			assert.strictEqual(wrong, 0);
			assert.ok(moved >= 990, `moved ${moved}`);
			assert.ok(ms < 20_000, `${ms} ms`);
		});
	});
});
