import * as assert from 'assert';
import { makeSelector, reanchor, reanchorAll, toEditorRange } from '../../../src/core/annotations/anchoring';
import { editorOffset } from '../../../src/core/annotations/offsets';
import type { AnchorResult, AnchorTarget } from '../../../src/core/annotations/anchoring';
import { findAllOccurrences } from '../../../src/core/annotations/quoteIndex';
import { diffTexts } from '../../../src/core/annotations/textDiff';
import { seededRandom } from '../../../src/core/util/seededRandom';
import { ARTICLE, selectOccurrence } from './helpers';

const select = selectOccurrence;

/** The text a result points at. */
function textAt(text: string, r: AnchorResult): string {
	assert.ok(r.start !== undefined && r.end !== undefined, JSON.stringify(r));
	const range = toEditorRange(text, r.start, r.end);
	return text.slice(range.start, range.end);
}

/** Twelve distinct paragraphs, then the first six again: a long article with repeated passages. */
function repetitiveArticle(): string {
	const rng = seededRandom(11);
	const words = ARTICLE.replace(/\n/g, ' ').split(/\s+/).filter((w) => w.length > 0);
	const paragraphs: string[] = [];
	for (let p = 0; p < 12; p++) {
		const ws: string[] = [];
		for (let i = 0; i < 40; i++) {
			ws.push(words[Math.floor(rng() * words.length)]);
		}
		paragraphs.push(ws.join(' ') + '.');
	}
	return ' date 2025-07 ' + [...paragraphs, ...paragraphs.slice(0, 6)].join('\n\n') + '\n';
}

/** Annotations on every 5th word pair of `text`. */
function spread(text: string): AnchorTarget[] {
	const words = [...text.matchAll(/\p{L}+/gu)].filter((m) => m.index! > 14);
	const out: AnchorTarget[] = [];
	for (let i = 0; i + 1 < words.length; i += 5) {
		out.push(makeSelector(text, editorOffset(words[i].index!), editorOffset(words[i + 1].index! + words[i + 1][0].length)));
	}
	return out;
}

describe('reanchorAll', () => {
	describe('without the previous text', () => {
		it('keeps every annotation of a long article with repeated passages after a sentence at the top', () => {
			const text = repetitiveArticle();
			const anns = spread(text);
			const sentence = 'Een nieuwe eerste zin. ';
			const edited = text.replace(' date 2025-07 ', ' date 2025-07 ' + sentence);
			const results = reanchorAll(edited, anns);
			const wrong = results.filter((r, i) => r.start !== anns[i].start + sentence.length).length;
			assert.strictEqual(wrong, 0, `${wrong} of ${anns.length} not shifted`);
			assert.ok(results.every((r) => r.status === 'moved'));
		});

		it('does not stay on the wrong letter when text is inserted before a short quote (Tennis → xTennis)', () => {
			const text = 'Tennis is een sport die veel mensen graag spelen in de zomer.';
			const a = makeSelector(text, editorOffset(3), editorOffset(4)); // the second "n"
			const edited = 'x' + text;
			const r = reanchor(edited, a);
			assert.ok(r.status === 'orphaned' || r.start === 4, JSON.stringify(r));
			assert.notStrictEqual(r.status, 'anchored');
		});

		it('orphans a deleted span whose words occur elsewhere with other context', () => {
			const text = [
				' date 2025-07 De minister heeft gisteren met de Oekraïense ambassadeur gesproken over de levering.',
				'',
				'Later werd er in de Tweede Kamer lang gesproken over de gevolgen voor de begroting van defensie.',
			].join('\n');
			const a = select(text, 'ambassadeur gesproken over de levering');
			const edited = text.replace('De minister heeft gisteren met de Oekraïense ambassadeur gesproken over de levering.', 'De minister zweeg.');
			const r = reanchor(edited, a);
			assert.strictEqual(r.status, 'orphaned', JSON.stringify(r));
			const b = select(text, 'gesproken', 0);
			assert.strictEqual(reanchor(edited, b).status, 'orphaned');
			assert.strictEqual(reanchorAll(edited, [a, b], { previousText: text }).filter((x) => x.status !== 'orphaned').length, 0);
		});

		it('never moves an edited span onto an identical phrase elsewhere', () => {
			const text = ARTICLE + '\n\nOok later zei hij dat Oekraïne zwaar wordt getroffen, volgens persbureau ANP.';
			const a = select(text, 'dat Oekraïne zwaar wordt getroffen', 0);
			const edited = text.replace('dat Oekraïne zwaar wordt getroffen door', 'dat Oekraïne ernstig wordt getroffen door');
			for (const r of [reanchor(edited, a), reanchorAll(edited, [a], { previousText: text })[0]]) {
				assert.ok(r.status === 'orphaned' || (r.status === 'fuzzy' && textAt(edited, r).includes('ernstig')), JSON.stringify(r));
			}
		});

		it('orphans as not-searched once the approximate-search budget is spent', () => {
			const a = select(ARTICLE, 'Trump aan verslaggevers dat Oekraïne Patriot-raketten nodig heeft');
			const edited = ARTICLE.replace('aan verslaggevers', 'aan enkele verslaggevers');
			assert.strictEqual(reanchorAll(edited, [a], { totalBudget: 0 })[0].reason, 'not-searched');
			assert.strictEqual(reanchorAll(edited, [a])[0].status, 'fuzzy');
		});
	});

	describe('with the previous text', () => {
		it('maps untouched spans exactly, also where the quote repeats with the same context', () => {
			const text = repetitiveArticle();
			const anns = spread(text);
			const paragraph = 'Een nieuwe alinea bovenaan het stuk.\n\n';
			const edited = text.replace(/\n\n/, '\n\n' + paragraph);
			const results = reanchorAll(edited, anns, { previousText: text });
			const shifted = anns.map((a) => (a.start > text.indexOf('\n\n') ? a.start + paragraph.length : a.start));
			assert.deepStrictEqual(results.map((r) => r.start), shifted);
			assert.ok(results.every((r) => r.status === 'anchored' || r.status === 'moved'));
		});

		it('finds a span of a moved paragraph in the inserted text, and orphans a deleted one as deleted', () => {
			const paras = ARTICLE.split('\n\n');
			const moved = select(ARTICLE, 'Oekraïne zwaar wordt getroffen');
			const gone = select(ARTICLE, 'Afgelopen vrijdag vertelde Trump');
			const edited = [paras[0], paras[3], paras[4], paras[1]].join('\n\n');
			const [m, g] = reanchorAll(edited, [moved, gone], { previousText: ARTICLE });
			assert.strictEqual(m.status, 'moved');
			assert.strictEqual(textAt(edited, m), moved.quote);
			assert.strictEqual(g.status, 'orphaned');
			assert.strictEqual(g.reason, 'deleted');
		});

		it('follows a short heading moved elsewhere although the text around it changed on both sides', () => {
			const text = ARTICLE.replace('Maandag sprak', '‘Lang en inhoudelijk’ blijft het motto.\n\nMaandag sprak');
			const paras = text.split('\n\n');
			const a = select(text, 'inhoudelijk’ blijft');
			const edited = [paras[0], paras[2], paras[3], paras[1], paras[4], paras[5]].join('\n\n');
			const r = reanchorAll(edited, [a], { previousText: text })[0];
			assert.strictEqual(r.status, 'moved', JSON.stringify(r));
			assert.strictEqual(textAt(edited, r), a.quote);
			assert.strictEqual(r.start, [...edited.slice(0, edited.indexOf(a.quote))].length);
		});

		it('finds an edited quote near its mapped place', () => {
			const a = select(ARTICLE, 'Trump aan verslaggevers dat Oekraïne Patriot-raketten nodig heeft');
			const edited = 'Nieuw begin.\n\n' + ARTICLE.replace('aan verslaggevers', 'aan enkele verslaggevers');
			const r = reanchorAll(edited, [a], { previousText: ARTICLE })[0];
			assert.strictEqual(r.status, 'fuzzy');
			assert.strictEqual(textAt(edited, r), 'Trump aan enkele verslaggevers dat Oekraïne Patriot-raketten nodig heeft');
		});

		it('accepts CRLF and BOM texts on either side and falls back to searching when the offsets do not fit it', () => {
			const a = select(ARTICLE, 'Witte Huis');
			const edited = '\uFEFF' + ('Eerst dit.\n\n' + ARTICLE).replace(/\n/g, '\r\n');
			const r = reanchorAll(edited, [a], { previousText: '\uFEFF' + ARTICLE.replace(/\n/g, '\r\n') })[0];
			assert.strictEqual(r.status, 'moved');
			assert.strictEqual(textAt(edited, r), 'Witte Huis');
			const stale = reanchorAll(edited, [a], { previousText: 'een heel andere tekst' })[0];
			assert.strictEqual(stale.status, 'moved');
			assert.strictEqual(stale.start, r.start);
		});
	});
});

describe('textDiff', () => {
	it('maps offsets around an insertion, a deletion and a replacement', () => {
		const before = 'aaa bbbbbb ccc ddd\neee fff\nggg';
		const after = 'aaa XX bbbbbb ddd\neee fYf\nggg';
		const d = diffTexts(before, after);
		assert.strictEqual(d.map(4, 'right'), 7, 'bbbbbb after the inserted "XX "');
		assert.strictEqual(d.touches(4, 10), false);
		assert.strictEqual(d.touches(11, 14), true, 'ccc deleted');
		assert.strictEqual(d.map(15, 'right'), 14, 'ddd');
		assert.strictEqual(d.touches(19, 22), false, 'eee');
		assert.strictEqual(d.touches(23, 26), true, 'fff edited');
		assert.strictEqual(d.isInserted(4, 6), true);
		assert.strictEqual(d.isInserted(7, 13), false);
	});

	it('treats a span as touched when an insertion next to repeated text could be on either side of it', () => {
		const before = 'van de regering';
		const after = 'van de de regering';
		const d = diffTexts(before, after);
		assert.strictEqual(d.touches(4, 6), true, '"de" could be the first or the second');
		assert.strictEqual(d.touches(7, 15), false, 'regering');
		assert.strictEqual(d.map(7, 'right'), 10);
	});

	it('agrees with the edits on random texts: untouched spans map onto equal text', () => {
		const rng = seededRandom(5);
		let failures = 0;
		for (let round = 0; round < 300; round++) {
			let text = '';
			for (let i = 0; i < 200; i++) {
				text += 'ab \n'[Math.floor(rng() * 4)];
			}
			let edited = text;
			for (let k = 0; k < 3; k++) {
				const at = Math.floor(rng() * edited.length);
				edited = edited.slice(0, at) + 'ba\n'.slice(0, Math.floor(rng() * 3)) + edited.slice(at + Math.floor(rng() * 4));
			}
			const d = diffTexts(text, edited);
			for (let s = 0; s + 3 <= text.length; s += 3) {
				if (!d.touches(s, s + 3)) {
					const n = d.map(s, 'right');
					if (edited.slice(n, n + 3) !== text.slice(s, s + 3)) {
						failures++;
					}
				}
			}
		}
		assert.strictEqual(failures, 0);
	});
});

describe('findAllOccurrences', () => {
	it('finds every occurrence of many patterns, short and long, and caps frequent ones', () => {
		const text = 'de kat en de hond en de kat';
		const [de, kat, hond, none, empty] = findAllOccurrences(text, ['de', 'de kat', 'hond en de kat', 'muis', ''], 10);
		assert.deepStrictEqual(de.starts, [0, 10, 21]);
		assert.deepStrictEqual(kat.starts, [0, 21]);
		assert.deepStrictEqual(hond.starts, [13]);
		assert.deepStrictEqual(none.starts, []);
		assert.deepStrictEqual(empty.starts, []);
		const [capped] = findAllOccurrences('aaaaaa', ['aa'], 3);
		assert.deepStrictEqual(capped, { starts: [0, 1, 2], complete: false });
	});
});
