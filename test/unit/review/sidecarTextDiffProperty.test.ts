/**
 * Property test of the diff that reads blocks shared by both sides once (issue 17): on random
 * sidecar pairs — annotations added, deleted, edited, moved and duplicated through the printer
 * and by hand, CRLF files and lines, comments and blank lines anywhere, damaged lines, header and
 * relation edits — `diffSidecarTexts` gives exactly the diff of the full read of both sides
 * (`diffSidecars` on `readSidecarVersion`), byte for byte as `diff --json` prints it, and (every
 * fourth pair) the same data as the codec alone. Seeded; failures are counted and printed.
 */
import * as assert from 'assert';
import { makeSelector } from '../../../src/core/annotations/anchoring';
import { editorOffset } from '../../../src/core/annotations/offsets';
import type { Annotation, Relation } from '../../../src/core/annotations/model';
import { createSidecar, parseSidecar, serializeIfChanged } from '../../../src/core/annotations/sidecarCodec';
import { diffSidecars, type SidecarDiff } from '../../../src/core/review/annotationDiff';
import { diffSidecarTexts, readSidecarVersion, type TextDiffStats } from '../../../src/core/review/sidecarTextDiff';
import { seededRandom } from '../../../src/core/util/seededRandom';

type Rng = () => number;
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const WORDS = ['De', 'minister', 'Oekraïne', 'Kiev', 'zei', 'dat', 'de', 'steun', 'blijft', '😀', 'Zelensky', 'NAVO', '—', 'groot'];
/** Notes and entities that need YAML quoting, or look like numbers, booleans, comments. */
const AWKWARD = ['Bron?', 'Citaat: “letterlijk”', 'a #b', '- lijst', 'yes', '0123', 'null', "it's", '"quoted"', '[x]', 'Zelensky', '~'];
const LABELS = ['claim', 'event', 'attribution', 'framing'];

function articleText(r: Rng): string {
	let s = ' date 2024-05 ';
	while (s.length < 600) {
		s += pick(r, WORDS) + (r() < 0.05 ? '.\n\n' : ' ');
	}
	return s;
}

function randomAnnotation(r: Rng, text: string, id: string): Annotation {
	for (;;) {
		const start = 14 + Math.floor(r() * (text.length - 40));
		const selector = makeSelector(text, editorOffset(start), editorOffset(start + 1 + Math.floor(r() * 20)));
		if (selector.quote.trim() === '') {
			continue;
		}
		const a: Annotation = { id, label: pick(r, LABELS), ...selector, author: 'Ann', created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z' };
		if (r() < 0.3) {
			a.note = pick(r, AWKWARD);
		}
		if (r() < 0.2) {
			a.entity = pick(r, AWKWARD);
		}
		return a;
	}
}

function randomRelation(r: Rng, id: string, ids: readonly string[]): Relation {
	const from = pick(r, ids);
	const to = pick(r, ids.filter((x) => x !== from));
	return { id, type: pick(r, ['source-of', 'about']), from, to, author: 'Ann', created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z' };
}

/** A printed sidecar of 0–15 annotations, sometimes with relations. */
function baseSidecar(r: Rng, text: string): string {
	const doc = createSidecar({ article: 'a.txt', date: '2024-05', textHash: r() < 0.8 ? 'sha256:ab12' : null });
	const n = Math.floor(r() * 16);
	doc.addAll(Array.from({ length: n }, (_, i) => randomAnnotation(r, text, `a${i}`)));
	const ids = doc.data.annotations.map((a) => a.id);
	if (ids.length >= 2 && r() < 0.4) {
		for (let i = 0; i < 1 + Math.floor(r() * 3); i++) {
			doc.addRelation(randomRelation(r, `r${i}`, ids));
		}
	}
	return serializeIfChanged('', doc) ?? doc.toString();
}

/** Edits through the document API, printed back (what the extension and the CLI write). */
function printerEdit(r: Rng, sidecar: string, text: string, side: string): string {
	const parsed = parseSidecar(sidecar);
	if (!parsed.ok) {
		return sidecar;
	}
	const d = parsed.doc;
	for (let i = 0, steps = 1 + Math.floor(r() * 4); i < steps; i++) {
		const ids = d.data.annotations.map((a) => a.id);
		const target = ids.length > 0 ? pick(r, ids) : undefined;
		const op = r();
		if (op < 0.25 || !target) {
			d.add(randomAnnotation(r, text, `${side}${i}`));
		} else if (op < 0.4) {
			d.relationsOf(target).forEach((x) => d.removeRelation(x.id));
			d.remove(target);
		} else if (op < 0.6) {
			d.update(target, { label: pick(r, LABELS), modified: '2026-02-01T00:00:00Z' });
		} else if (op < 0.7) {
			d.update(target, { note: r() < 0.3 ? undefined : pick(r, AWKWARD) });
		} else if (op < 0.8 && ids.length >= 2) {
			d.addRelation(randomRelation(r, `${side}r${i}`, ids));
		} else {
			const moved = randomAnnotation(r, text, target);
			d.setOffsets(target, moved.start, moved.end, moved.quote, moved.prefix, moved.suffix);
		}
	}
	return serializeIfChanged(sidecar, d) ?? sidecar;
}

/** Lines with their line ends (`\n`, `\r\n`, or none on the last). */
const linesOf = (s: string): string[] => s.split(/(?<=\n)/);

/** The items of the annotations list as line ranges: [first line, line after the last). */
function itemRanges(lines: readonly string[]): [number, number][] {
	const out: [number, number][] = [];
	for (let i = 0; i < lines.length; i++) {
		if (/^ {2}- /.test(lines[i])) {
			let j = i + 1;
			while (j < lines.length && /^ {4}\S/.test(lines[j])) {
				j++;
			}
			out.push([i, j]);
		}
	}
	return out;
}

/** Edits by hand, on the text: moves, deletions, copies of blocks, comments, CRLF, damage. */
function handEdit(r: Rng, sidecar: string): string {
	let lines = linesOf(sidecar);
	const items = itemRanges(lines);
	const op = Math.floor(r() * 12);
	const item = items.length > 0 ? pick(r, items) : undefined;
	const at = Math.floor(r() * (lines.length + 1));
	switch (op) {
		case 0: // move a block (inside or out of its list)
			if (item) {
				const block = lines.splice(item[0], item[1] - item[0]);
				lines.splice(Math.min(lines.length, Math.floor(r() * (lines.length + 1))), 0, ...block);
			}
			break;
		case 1: // delete a block
			if (item) {
				lines.splice(item[0], item[1] - item[0]);
			}
			break;
		case 2: // duplicate a block (same id twice)
			if (item) {
				lines.splice(item[1], 0, ...lines.slice(item[0], item[1]));
			}
			break;
		case 3: // a comment line, at any depth
			lines.splice(at, 0, `${pick(r, ['', '  ', '    ', ' '])}# ${pick(r, WORDS)}\n`);
			break;
		case 4: // a blank line
			lines.splice(at, 0, pick(r, ['\n', '  \n', '\r\n']));
			break;
		case 5: // CRLF, the whole file
			lines = lines.map((l) => l.replace(/\r?\n$/, '\r\n'));
			break;
		case 6: // CRLF on some lines
			lines = lines.map((l) => (r() < 0.2 ? l.replace(/\r?\n$/, '\r\n') : l));
			break;
		case 7: // a trailing comment on a value
			if (item) {
				const i = item[0] + Math.floor(r() * (item[1] - item[0]));
				lines[i] = lines[i].replace(/(\r?\n)?$/, (nl) => ` # ${pick(r, WORDS)}${nl}`);
			}
			break;
		case 8: // a value changed by hand, valid or not
			if (item) {
				const i = item[0] + 1 + Math.floor(r() * Math.max(1, item[1] - item[0] - 1));
				if (i < lines.length) {
					lines[i] = lines[i].replace(/: .*/, `: ${pick(r, ['claim', 'event', '12', '-3', 'x: y', '"open', "'it''s'", 'Oekraïne', '', '~', '[]'])}`);
				}
			}
			break;
		case 9: { // damage: a character inserted or deleted, an indent changed
			const i = Math.floor(r() * lines.length);
			const line = lines[i] ?? '';
			const p = Math.floor(r() * line.length);
			lines[i] = pick(r, [
				line.slice(0, p) + pick(r, ['#', ' ', '\t', ':', '"', "'", '- ', '\r', '&a ', '*a']) + line.slice(p),
				line.slice(0, p) + line.slice(p + 1),
				' ' + line,
				line.replace(/^ /, ''),
			]);
			break;
		}
		case 10: // the header changed
			lines = lines.map((l) => l.replace(/^textHash: .*/, `textHash: sha256:${pick(r, ['ab12', 'cd34'])}`).replace(/^date: 2024-05/, r() < 0.5 ? 'date: 2024-06' : 'date: 2024-05'));
			break;
		default: // the last line without its line end
			lines[lines.length - 1] = (lines[lines.length - 1] ?? '').replace(/\r?\n$/, '');
	}
	return lines.join('');
}

/** One side: the base, edited through the printer and/or by hand. */
function side(r: Rng, base: string, text: string, name: string): string | undefined {
	if (r() < 0.03) {
		return undefined; // the file does not exist on this side
	}
	let s = r() < 0.7 ? printerEdit(r, base, text, name) : base;
	for (let k = r() < 0.6 ? 0 : 1 + Math.floor(r() * 3); k > 0; k--) {
		s = handEdit(r, s);
	}
	return s;
}

/** `diff --json`'s view of a diff: the same fields, the endpoints map as an object. */
function printed(diff: SidecarDiff): string {
	return JSON.stringify({ ...diff, endpoints: Object.fromEntries(diff.endpoints) });
}

/** Key order left out: the codec may build objects with their keys in another order. */
function canonical(value: unknown): unknown {
	if (Array.isArray(value)) {
		return value.map(canonical);
	}
	if (value instanceof Map) {
		return canonical(Object.fromEntries(value));
	}
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, canonical(v)]));
	}
	return value;
}

describe('review: diff of sidecar texts that reads shared blocks once', () => {
	it('gives exactly the full read\'s diff on random sidecar pairs (seeded, 1,000 pairs)', () => {
		const r = seededRandom(1717);
		const PAIRS = 1000;
		const stats: TextDiffStats = { unread: 0, fullReads: 0 };
		let failures = 0;
		let codecDisagreements = 0;
		let codecChecked = 0;
		let changedPairs = 0;
		let erroredPairs = 0;
		const examples: string[] = [];
		for (let i = 0; i < PAIRS; i++) {
			const text = articleText(r);
			const base = baseSidecar(r, text);
			const before = side(r, base, text, 'B');
			const after = side(r, base, text, 'A');
			const fast = diffSidecarTexts(before, after, stats);
			const full = diffSidecars(readSidecarVersion(before), readSidecarVersion(after));
			if (printed(fast) !== printed(full)) {
				failures++;
				if (examples.length < 3) {
					examples.push(`pair ${i}\n--- before\n${before}\n--- after\n${after}\n--- fast\n${printed(fast)}\n--- full\n${printed(full)}`);
				}
			}
			// The YAML library is slow: every fourth pair (the fast reader's own test compares it with the codec on every file).
			if (i % 4 === 0) {
				codecChecked++;
				if (JSON.stringify(canonical(fast)) !== JSON.stringify(canonical(diffSidecars(before, after)))) {
					codecDisagreements++;
				}
			}
			changedPairs += fast.added.length + fast.removed.length + fast.changed.length > 0 ? 1 : 0;
			erroredPairs += fast.errors ? 1 : 0;
		}
		console.log(`      ${PAIRS} pairs (${changedPairs} with annotation changes, ${erroredPairs} with a side that does not read): ` +
			`${stats.unread} annotations in identical items read by neither side, ${stats.fullReads} pairs read in full; ` +
			`${failures} differ from the full read, ${codecDisagreements} of ${codecChecked} from the codec`);
		assert.strictEqual(failures, 0, `${failures} of ${PAIRS} pairs differ from the full read:\n${examples.join('\n=====\n')}`);
		assert.strictEqual(codecDisagreements, 0, `${codecDisagreements} of ${codecChecked} pairs differ from the codec`);
		// The test must exercise both paths and both outcomes.
		assert.ok(stats.unread > 2 * PAIRS, `only ${stats.unread} annotations skipped as identical`);
		assert.ok(stats.fullReads > PAIRS / 10, `only ${stats.fullReads} pairs took the full read`);
		assert.ok(changedPairs > PAIRS / 2 && erroredPairs > PAIRS / 20, `${changedPairs} changed, ${erroredPairs} errored pairs`);
	});

	it('reads only the changed blocks of a printed sidecar: 3 relabelled, one deleted of 100', () => {
		const r = seededRandom(3);
		const text = articleText(r);
		const doc = createSidecar({ article: 'a.txt', date: '2024-05', textHash: null });
		doc.addAll(Array.from({ length: 100 }, (_, i) => randomAnnotation(r, text, `a${i}`)));
		const before = serializeIfChanged('', doc)!;
		const ids = doc.data.annotations.map((a) => a.id);
		const edited = parseSidecar(before);
		assert.ok(edited.ok);
		ids.slice(10, 13).forEach((id) => edited.doc.update(id, { label: 'relabelled' }));
		edited.doc.remove(ids[50]);
		const after = serializeIfChanged(before, edited.doc)!;
		const stats: TextDiffStats = { unread: 0, fullReads: 0 };
		const diff = diffSidecarTexts(before, after, stats);
		// Each side reads its last item (so that neither list is empty) and the four changed ones.
		assert.deepStrictEqual([stats.unread, stats.fullReads], [95, 0]);
		assert.deepStrictEqual([diff.added.length, diff.removed.map((a) => a.id), diff.changed.map((c) => c.id).sort()], [0, [ids[50]], ids.slice(10, 13).sort()]);
	});
});
