/**
 * The fast sidecar read must agree with the codec: on everything the printer writes it returns
 * the codec's data, and on any other text it either returns the codec's data too or declines
 * (undefined), never accepting what the codec refuses.
 */
import * as assert from 'assert';
import { makeSelector } from '../../../src/core/annotations/anchoring';
import { editorOffset } from '../../../src/core/annotations/offsets';
import type { Annotation } from '../../../src/core/annotations/model';
import { createSidecar, parseSidecar, serializeIfChanged } from '../../../src/core/annotations/sidecarCodec';
import { readSidecarDataFast, readSidecarFast } from '../../../src/core/agreement/fastSidecarRead';
import { seededRandom } from '../../../src/core/util/seededRandom';

/** Pieces that stress YAML quoting: indicators, comments, colons, quotes, numbers, booleans, escapes, emoji. */
const PIECES = [
	'De', 'minister', ' ', '  ', ': ', ':', ' #', '#', '"', "'", '\\', '- ', '-', '?', '[x]', '{y}', '&a', '*b', '!t', '|', '>', '%',
	'@', '`', 'yes', 'no', 'null', '~', 'true', 'False', '0123', '12', '1e3', '0x1F', '.5', '.inf', 'Oekraïne', '😀', '—', '\n', '\n\n', ',', '.',
];

function randomText(random: () => number): string {
	let s = ' date 2024-05 ';
	while (s.length < 400) {
		s += PIECES[Math.floor(random() * PIECES.length)];
	}
	return s;
}

function randomSidecar(random: () => number): string {
	const text = randomText(random);
	const doc = createSidecar({ article: random() < 0.5 ? 'a.txt' : '001_0a1b.txt', date: random() < 0.8 ? '2024-05' : null, textHash: random() < 0.8 ? 'sha256:ab12' : null });
	const n = Math.floor(random() * 8);
	for (let i = 0; i < n; i++) {
		const start = Math.floor(random() * (text.length - 20));
		const selector = makeSelector(text, editorOffset(start), editorOffset(start + 2 + Math.floor(random() * 15)));
		if (selector.quote === '' || doc.data.annotations.some((x) => x.start === selector.start)) {
			continue; // inside one emoji
		}
		const a: Annotation = { id: `a${i}`, label: random() < 0.9 ? 'claim' : 'yes', ...selector };
		if (random() < 0.3) {
			a.note = randomText(random).slice(14, 40);
		}
		if (random() < 0.3) {
			a.entity = PIECES[Math.floor(random() * PIECES.length)].trim() || 'x';
		}
		if (random() < 0.5) {
			a.author = 'Ann de Vries';
			a.created = '2026-01-01T10:00:00Z';
		}
		if (random() < 0.2) {
			a.curated_by = 'Cas';
			a.curated = '2026-02-01T10:00:00Z';
		}
		doc.add(a);
	}
	return serializeIfChanged('', doc) ?? doc.toString();
}

/** One random edit of a line: the kinds of damage and hand edits a sidecar sees. */
function mutate(text: string, random: () => number): string {
	const lines = text.split('\n');
	const i = Math.floor(random() * lines.length);
	const line = lines[i];
	const at = Math.floor(random() * (line.length + 1));
	const insert = ['#', ' ', '\t', ':', '"', "'", '- ', '  ', '[', '\\', 'x', '0', '\r', '&a ', '*a', '!!str '][Math.floor(random() * 16)];
	switch (Math.floor(random() * 5)) {
		case 0: lines[i] = line.slice(0, at) + insert + line.slice(at); break;
		case 1: lines[i] = line.slice(0, at) + line.slice(at + 1); break;
		case 2: lines.splice(i, 0, line); break;
		case 3: lines.splice(i, 1); break;
		default: lines[i] = (random() < 0.5 ? ' ' : '') + line.replace(/^ /, '');
	}
	return lines.join('\n');
}

describe('agreement: fast sidecar read', () => {
	it('reads what the printer writes exactly as the codec does (seeded, 300 files)', () => {
		const random = seededRandom(15);
		let declined = 0;
		let differ = 0;
		for (let i = 0; i < 300; i++) {
			const text = randomSidecar(random);
			const full = parseSidecar(text);
			assert.ok(full.ok, text);
			const fast = readSidecarFast(text);
			if (fast === undefined) {
				declined++;
			} else if (JSON.stringify(fast) !== JSON.stringify(full.doc.data)) {
				differ++;
			}
		}
		assert.strictEqual(differ, 0, `${differ} of 300 printed files read differently`);
		assert.ok(declined <= 15, `${declined} of 300 printed files left to the codec (the fast path should cover the printer's layout)`);
	});

	it('never accepts a damaged or hand-edited file the codec refuses, nor reads one differently (seeded, 1500 edits)', () => {
		const random = seededRandom(16);
		let accepted = 0;
		let wrong = 0;
		const examples: string[] = [];
		for (let i = 0; i < 1500; i++) {
			let text = randomSidecar(random);
			for (let k = 1 + Math.floor(random() * 2); k > 0; k--) {
				text = mutate(text, random);
			}
			const fast = readSidecarFast(text);
			if (fast === undefined) {
				continue;
			}
			accepted++;
			const full = parseSidecar(text);
			if (!full.ok || JSON.stringify(fast) !== JSON.stringify(full.doc.data)) {
				wrong++;
				if (examples.length < 3) {
					examples.push(text);
				}
			}
		}
		assert.strictEqual(wrong, 0, `${wrong} of ${accepted} accepted edits differ from the codec:\n${examples.join('\n-----\n')}`);
		assert.ok(accepted > 150, `only ${accepted} edited files read fast: the test does not exercise the reader`);
	});

	it('falls back to the codec, with line and column, for a file it declines', () => {
		const r = readSidecarDataFast('version: 1\narticle: a.txt\nannotations:\n  - id: x\n    label: claim\n    start: 5\n    end: 2\n    quote: ab\n');
		assert.ok(!r.ok);
		assert.deepStrictEqual([r.errors[0].code, r.errors[0].line], ['invalid-range', 6]);
	});

	it("refuses offsets past the end of an article whose hash the file records, like the codec", () => {
		const text = 'version: 1\narticle: a.txt\ntextHash: sha256:ab\nannotations:\n  - id: x\n    label: claim\n    start: 0\n    end: 50\n    quote: ab\n';
		assert.ok(readSidecarFast(text) !== undefined);
		assert.strictEqual(readSidecarFast(text, { codePointLength: 10, textHash: 'sha256:ab' }), undefined);
		assert.strictEqual(parseSidecar(text, { article: { codePointLength: 10, textHash: 'sha256:ab' } }).ok, false);
	});
});
