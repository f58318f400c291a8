import * as assert from 'assert';
import { approxSearch, editDistance } from '../../../src/core/annotations/fuzzyMatch';
import { backCodePoints, canonicalText, canonicalUtf16Offset, codePointLength, editorOffset, forwardCodePoints, isSurrogatePairAt, sidecarOffset, TextIndex, type EditorOffset, type SidecarOffset } from '../../../src/core/annotations/offsets';
import { hashArticleText } from '../../../src/core/annotations/textHash';
import { seededRandom } from '../../../src/core/util/seededRandom';

function randomString(rng: () => number, len: number, alphabet: string): string {
	const chars = [...alphabet];
	let s = '';
	for (let i = 0; i < len; i++) {
		s += chars[Math.floor(rng() * chars.length)];
	}
	return s;
}

/** Best edit distance of `p` against any substring of `t` ending at each position (oracle). */
function bestEndScores(t: string, p: string): number[] {
	let prev = new Array<number>(p.length + 1);
	for (let i = 0; i <= p.length; i++) {
		prev[i] = i;
	}
	const out: number[] = [];
	for (let j = 1; j <= t.length; j++) {
		const cur = new Array<number>(p.length + 1);
		cur[0] = 0;
		for (let i = 1; i <= p.length; i++) {
			cur[i] = Math.min(prev[i] + 1, cur[i - 1] + 1, prev[i - 1] + (p[i - 1] === t[j - 1] ? 0 : 1));
		}
		out.push(cur[p.length]);
		prev = cur;
	}
	return out;
}

describe('fuzzyMatch', () => {
	it('agrees with a plain DP on random inputs, short and multi-word patterns', () => {
		const rng = seededRandom(42);
		for (let round = 0; round < 60; round++) {
			const m = round < 30 ? 1 + Math.floor(rng() * 32) : 33 + Math.floor(rng() * 100);
			const t = randomString(rng, 200 + Math.floor(rng() * 200), 'abcd');
			const p = rng() < 0.5 ? randomString(rng, m, 'abcd') : t.substr(Math.floor(rng() * 100), m).replace(/a/, 'x');
			const k = Math.floor(m / 4);
			const oracle = bestEndScores(t, p);
			const found = approxSearch(t, p, k, 0, t.length, 10_000);
			for (const f of found) {
				assert.strictEqual(f.errors, oracle[f.end - 1], `round ${round} end ${f.end}`);
				assert.strictEqual(editDistance(p, t.slice(f.start, f.end)), f.errors, `round ${round} start`);
			}
			// Every qualifying run is represented by one match.
			const best = Math.min(...oracle);
			if (best <= k) {
				assert.ok(found.some((f) => f.errors === best), `round ${round}: best ${best} missing`);
			} else {
				assert.strictEqual(found.length, 0);
			}
		}
	});

	it('searches only the given window', () => {
		const t = 'abcdef xyz abcdef';
		assert.deepStrictEqual(approxSearch(t, 'abcdef', 0, 5).map((m) => m.start), [11]);
	});

	it('computes edit distance', () => {
		assert.strictEqual(editDistance('Poetin', 'Putin'), 2);
		assert.strictEqual(editDistance('', 'abc'), 3);
		assert.strictEqual(editDistance('kitten', 'sitting'), 3);
	});
});

describe('offsets', () => {
	it('canonicalises BOM and CRLF only', () => {
		assert.strictEqual(canonicalText('\uFEFFa\r\nb\rc\n'), 'a\nb\rc\n');
		assert.strictEqual(codePointLength('a😀b'), 3);
	});

	it('TextIndex matches a brute-force mapping on random texts', () => {
		const rng = seededRandom(3);
		for (let round = 0; round < 50; round++) {
			const raw = (rng() < 0.5 ? '\uFEFF' : '') + randomString(rng, 80, 'ab\r\n😀é');
			const canon = canonicalText(raw);
			const idx = TextIndex.forRaw(raw);
			assert.strictEqual(idx.codePointLength, [...canon].length);
			// Every code-point boundary of the canonical text maps to a raw offset with the same prefix.
			for (let c = 0; c <= idx.codePointLength; c++) {
				const u = idx.toUtf16(sidecarOffset(c));
				assert.strictEqual(canonicalText(raw.slice(0, u)), [...canon].slice(0, c).join(''), `round ${round} cp ${c}`);
				assert.strictEqual(idx.toCodePoint(u), c);
			}
			const cIdx = TextIndex.forCanonical(canon);
			for (let c = 0; c <= cIdx.codePointLength; c++) {
				assert.strictEqual(cIdx.toUtf16(sidecarOffset(c)), [...canon].slice(0, c).join('').length);
			}
		}
	});
});

describe('offset kinds and surrogate pairs', () => {
	// Code points: a, 😀, b, 👍, 🏽, c; UTF-16 units 1, 2, 1, 2, 2, 1.
	const s = 'a😀b👍🏽c';

	it('recognises a surrogate pair only where a high half is followed by a low half', () => {
		assert.deepStrictEqual([...Array(s.length + 1).keys()].filter((i) => isSurrogatePairAt(s, i)), [1, 4, 6]);
		assert.strictEqual(isSurrogatePairAt('\ud83d', 0), false, 'a lone high surrogate');
		assert.strictEqual(isSurrogatePairAt('\ude00\ud83d', 0), false, 'halves in the wrong order');
		assert.strictEqual(isSurrogatePairAt(s, -1), false);
	});

	it('steps whole code points forward and back', () => {
		assert.deepStrictEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => forwardCodePoints(s, 0, n)), [0, 1, 3, 4, 6, 8, 9, 9]);
		assert.deepStrictEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => backCodePoints(s, s.length, n)), [9, 8, 6, 4, 3, 1, 0, 0]);
	});

	it('converts sidecar offsets to UTF-16 and back, clamped to the text', () => {
		const index = TextIndex.forCanonical(s);
		assert.deepStrictEqual([0, 1, 2, 3, 4, 5, 6, 7, -1].map((c) => index.toUtf16(sidecarOffset(c))), [0, 1, 3, 4, 6, 8, 9, 9, 0]);
		assert.strictEqual(index.toCodePoint(index.toUtf16(sidecarOffset(4))), 4);
		assert.strictEqual(index.toCodePoint(canonicalUtf16Offset(2)), 2, 'inside a pair rounds up to the next code point');
	});

	it('keeps editor and sidecar offsets apart at compile time', () => {
		const fromEditor: EditorOffset = editorOffset(3);
		// @ts-expect-error an editor offset is not a sidecar offset
		const wrong: SidecarOffset = fromEditor;
		const asNumber: number = fromEditor;
		assert.strictEqual(wrong, asNumber, 'the brand exists only for the type checker');
	});
});

describe('hash', () => {
	it('computes SHA-256 test vectors over the UTF-8 of the text', () => {
		assert.strictEqual(hashArticleText(''), 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
		assert.strictEqual(hashArticleText('abc'), 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
		assert.strictEqual(
			hashArticleText('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
			'sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
		);
		assert.strictEqual(hashArticleText('a'.repeat(1000)), 'sha256:41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3');
		// Multi-byte UTF-8: the digest `printf 'Oekraïne 😀' | sha256sum` prints.
		assert.strictEqual(hashArticleText('Oekraïne 😀'), 'sha256:0d3fdadbf4654cdea7962e9a45b0c55da9e522dbc316150e59daf10e8b0d48dc');
	});

	it('hashes the canonical text, so CRLF and BOM do not change it', () => {
		const h = hashArticleText('a\nb');
		assert.match(h, /^sha256:[0-9a-f]{64}$/);
		assert.strictEqual(hashArticleText('\uFEFFa\r\nb'), h);
		assert.notStrictEqual(hashArticleText('a\nc'), h);
	});
});
