import * as assert from 'assert';
import { makeSelector, prepareText } from '../../../src/core/annotations/anchoring';
import { hashArticleText } from '../../../src/core/annotations/textHash';
import type { Annotation } from '../../../src/core/annotations/model';
import { SidecarEditError, parseSidecar } from '../../../src/core/annotations/sidecarCodec';
import { openSidecarSession, validateSidecar, type SidecarSession } from '../../../src/core/annotations/sidecarSession';
import { decodeSidecarBytes } from '../../../src/core/annotations/sidecarValidator';
import { editorOffset, sidecarOffset } from '../../../src/core/annotations/offsets';

const NAME = '001_0a1b2c3d4e5f6071.txt';
const ARTICLE = ' date 2024-06 De NAVO 🇺🇦 sprak met president Zelensky.\r\n\r\nRutte bezocht later Kiev, waar hij de burgemeester sprak.';

function annotation(text: string, id: string, quote: string): Annotation {
	const at = text.indexOf(quote);
	assert.ok(at >= 0, quote);
	return { id, label: 'claim', ...makeSelector(text, editorOffset(at), editorOffset(at + quote.length)), author: 'T', created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z' };
}

function open(sidecarText: string | undefined, articleText = ARTICLE, previousArticleText?: string): SidecarSession {
	const r = openSidecarSession({ sidecarText, articleText, articleName: NAME, previousArticleText });
	if (!r.ok) {
		assert.fail(JSON.stringify(r.errors));
	}
	return r.session;
}

/** A sidecar of ARTICLE with annotations of these quotes, as the tools write it. */
function written(...quotes: string[]): string {
	const s = open(undefined);
	quotes.forEach((q, i) => s.doc.add(annotation(ARTICLE, `a${i}`, q)));
	return s.serialize()!;
}

describe('sidecar session', () => {
	it('creates a sidecar only once it holds an annotation, with the header from the article', () => {
		const s = open(undefined);
		assert.strictEqual(s.needsWrite(), false);
		assert.strictEqual(s.serialize(), undefined);
		s.doc.add(annotation(ARTICLE, 'a1', 'Zelensky'));
		const text = s.serialize()!;
		const data = parseSidecar(text);
		assert.ok(data.ok);
		assert.deepStrictEqual([data.doc.data.article, data.doc.data.date, data.doc.data.textHash], [NAME, '2024-06', hashArticleText(ARTICLE)]);
	});

	it('needs no write for the very text the offsets were made for', () => {
		const s = open(written('Zelensky', 'Kiev'));
		assert.strictEqual(s.needsWrite(), false);
		assert.deepStrictEqual([...s.anchors.values()].map((r) => r.status), ['anchored', 'anchored']);
		assert.deepStrictEqual(s.orphans, []);
	});

	it('moves found spans, keeps an orphan exactly as stored and updates only the text hash', () => {
		const before = written('Zelensky', 'Rutte bezocht later');
		const changed = ARTICLE.replace('De NAVO', 'De grote NAVO').replace('Rutte bezocht later', 'Hij ging');
		const s = open(before, changed);
		assert.deepStrictEqual(s.orphans, ['a1']);
		const text = s.serialize()!;
		const after = parseSidecar(text);
		assert.ok(after.ok);
		const [moved, orphan] = [after.doc.get('a0')!, after.doc.get('a1')!];
		assert.strictEqual(moved.start, s.asRead.annotations[0].start + 6);
		assert.deepStrictEqual(orphan, s.asRead.annotations[1], 'the orphan is byte-for-byte what was stored');
		const changedLines = text.split('\n').filter((l) => !before.split('\n').includes(l));
		assert.ok(changedLines.every((l) => /^(textHash|    start|    end|    prefix|    suffix):/.test(l)), changedLines.join('\n'));
		assert.ok(changedLines.some((l) => l.startsWith('textHash: ')));
	});

	it('refuses to write an orphan changed behind its back; an explicit re-anchor is allowed', () => {
		const changed = ARTICLE.replace('Rutte bezocht later', 'Hij ging');
		const s = open(written('Rutte bezocht later'), changed);
		s.doc.setOffsets('a0', sidecarOffset(1), sidecarOffset(5), 'date', '', ' 2024-06 De NAVO 🇺🇦 sprak met pre');
		assert.throws(() => s.serialize(), SidecarEditError);
		const target = changed.indexOf('Hij ging');
		assert.ok(s.reanchor('a0', makeSelector(changed, editorOffset(target), editorOffset(target + 'Hij ging'.length))));
		assert.deepStrictEqual(s.orphans, []);
		const after = parseSidecar(s.serialize()!);
		assert.ok(after.ok);
		assert.strictEqual(after.doc.get('a0')!.quote, 'Hij ging');
	});

	it('keeps the date line when only the text changed, and writes the date when the header changed', () => {
		const before = written('Zelensky');
		const s = open(before, ARTICLE.replace('Kiev', 'Kyiv'));
		assert.ok(s.serialize()!.includes('\ndate: 2024-06\n'));
		const redated = open(before, ARTICLE.replace('2024-06', '2024-07'));
		assert.ok(redated.serialize()!.includes('\ndate: 2024-07\n'));
	});

	it('refuses offsets past the end only when the file says they refer to this very text', () => {
		const length = prepareText(ARTICLE).canonIndex.codePointLength;
		const text = written('Zelensky').replace(/start: \d+\n {4}end: \d+/, `start: ${length + 1}\n    end: ${length + 9}`);
		const r = openSidecarSession({ sidecarText: text, articleText: ARTICLE, articleName: NAME });
		assert.ok(!r.ok);
		assert.deepStrictEqual(r.errors.map((e) => e.code), ['offset-past-text']);
		const edited = openSidecarSession({ sidecarText: text, articleText: ARTICLE + ' En meer.', articleName: NAME });
		assert.ok(edited.ok, 'after an outside edit the offsets are what re-anchoring starts from');
	});

	it('commit makes the written text the base: nothing more to write, the next edit is relative to it', () => {
		const s = open(written('Zelensky'), ARTICLE.replace('De NAVO', 'De grote NAVO'));
		const first = s.serialize()!;
		s.commit(first);
		assert.strictEqual(s.needsWrite(), false);
		assert.strictEqual(s.baseText, first);
		assert.strictEqual(s.doc.sourceText, first);
		s.doc.update('a0', { note: 'Bron?' });
		const second = s.serialize()!;
		const added = second.split('\n').filter((l) => !first.split('\n').includes(l));
		assert.deepStrictEqual(added, ['    note: Bron?']);
	});

	it('validateSidecar gives the same verdict without a session', () => {
		const length = prepareText(ARTICLE).canonIndex.codePointLength;
		const text = written('Zelensky').replace(/start: \d+\n {4}end: \d+/, `start: ${length + 1}\n    end: ${length + 9}`);
		assert.deepStrictEqual(validateSidecar(written('Zelensky'), ARTICLE), []);
		assert.deepStrictEqual(validateSidecar(text), [], 'without the article the offsets cannot be judged');
		assert.deepStrictEqual(validateSidecar(text, ARTICLE).map((e) => e.code), ['offset-past-text']);
		assert.deepStrictEqual(validateSidecar('version: 1\narticle: x\n').map((e) => e.code), ['missing-field']);
	});

	it('reports what the validator refuses, never a session', () => {
		for (const bad of ['', 'version: 1\narticle: x\n', 'version: 1\narticle: x\nannotations: []\n\0', 'version: 1\narticle: x.txt\nannotations:\n  - {id: a, label: c, start: 3, end: 3, quote: q}\n']) {
			const r = openSidecarSession({ sidecarText: bad, articleText: ARTICLE, articleName: NAME });
			assert.ok(!r.ok && r.errors.length > 0 && r.errors.every((e) => e.line >= 1 && e.column >= 1), JSON.stringify(bad));
		}
	});
});

describe('decodeSidecarBytes', () => {
	const bytes = (...parts: (string | number[])[]): Uint8Array =>
		new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));

	it('decodes valid UTF-8 and reports a BOM', () => {
		assert.deepStrictEqual(decodeSidecarBytes(bytes('a: ë 😀\n')), { ok: true, text: 'a: ë 😀\n', bom: false });
		assert.deepStrictEqual(decodeSidecarBytes(bytes([0xef, 0xbb, 0xbf], 'a\n')), { ok: true, text: 'a\n', bom: true });
	});

	it('positions the first bad sequence: line, and column in characters of the valid text before it', () => {
		const cases: [Uint8Array, number, number][] = [
			[bytes([0x80]), 1, 1],
			[bytes('ab', [0xff], 'c'), 1, 3],
			[bytes('één\n', 'x: ë', [0xc3, 0x28], '\n'), 2, 5],
			[bytes('a\nb\n😀 ', [0xed, 0xa0, 0x80]), 3, 4],
			[bytes('line\n', 'cut: ', [0xf0, 0x9f, 0x98]), 2, 6],
			[bytes('cut: ', [0xe2, 0x82], '\nnext\n'), 1, 6],
			[bytes([0xef, 0xbb, 0xbf], 'a', [0xc0, 0xaf]), 1, 2],
		];
		const got = cases.map(([b]) => {
			const r = decodeSidecarBytes(b);
			return r.ok ? 'ok' : `${r.errors[0].line}:${r.errors[0].column} ${r.errors[0].code}`;
		});
		assert.deepStrictEqual(got, cases.map(([, line, column]) => `${line}:${column} invalid-utf8`));
	});
});
