/**
 * CRLF sidecars through the write paths that fall back to the full print and the line merge:
 * random add/remove sequences (many cancel out) must give CRLF on every line and keep every
 * line they did not touch byte-identical; a sequence that cancels out writes nothing.
 */
import * as assert from 'assert';
import { mergeUntouchedLines } from '../../../src/core/annotations/lineMerge';
import { createSidecar, parseSidecar, serializeIfChanged, serializeIfChangedFullPrint, type SidecarDocument } from '../../../src/core/annotations/sidecarCodec';
import { seededRandom } from '../../../src/core/util/seededRandom';
import { ann, lineDiff } from './helpers';

const HEADER = { article: '001_9269669edc11b07e.txt', date: '2025-06', textHash: null };

const HAND_HEAD = [
	'# Handwerk van Sanne (CRLF, Windows)',
	'version: 1',
	'article: 001_9269669edc11b07e.txt    # het artikel',
	'date: 2025-06',
	'textHash: null',
	'checked_by: Sanne',
];

function withAnnotation(): string {
	const doc = createSidecar(HEADER);
	doc.add(ann('k1', 30, 40, 'gesprek'));
	return doc.toString();
}

/** CRLF sidecars: our own layout (empty and not) and hand-formatted ones (comments, flow maps). */
const FIXTURES: Record<string, string> = {
	'ours, empty list': createSidecar(HEADER).toString(),
	'ours, one annotation': withAnnotation(),
	'hand, empty list': [...HAND_HEAD, 'annotations: []', '# einde', ''].join('\n'),
	'hand, block list': [
		...HAND_HEAD,
		'annotations:   # op volgorde van de tekst',
		'  - {id: h1, label: claim, start: 12, end: 18, quote: uur}',
		'',
		'  # twijfel',
		'  - id: h2',
		'    label: framing',
		'    start: 40',
		'    end: 52',
		"    quote: 'het gesprek'",
		'    status: open   # eigen sleutel',
		'',
	].join('\n'),
};

function parseOk(text: string): SidecarDocument {
	const r = parseSidecar(text);
	if (!r.ok) {
		assert.fail(`expected a valid sidecar: ${JSON.stringify(r.errors)}`);
	}
	return r.doc;
}

/** Problems of one write of `original`, or [] when it is right. */
function writeProblems(original: string, out: string | undefined, addedIds: readonly string[], wasEmpty: boolean): string[] {
	const problems: string[] = [];
	if (addedIds.length === 0) {
		// Every add was removed again: the file must stay as it is.
		if (out !== undefined && out !== original) {
			problems.push(`cancelled-out edits rewrote the file: ${JSON.stringify(lineDiff(original, out))}`);
		}
		return problems;
	}
	if (out === undefined) {
		return [`nothing written for ${addedIds.join(', ')}`];
	}
	const lone = out.search(/(^|[^\r])\n/);
	if (lone >= 0) {
		problems.push(`lone LF at line ${out.slice(0, lone + 1).split('\n').length}`);
	}
	// Only the empty flow list itself turns into the block list's first line.
	const removed = lineDiff(original, out).removed.filter((l) => !(wasEmpty && /^annotations: \[\]\s*(#.*)?\r$/.test(l)));
	if (removed.length > 0) {
		problems.push(`untouched lines changed: ${JSON.stringify(removed)}`);
	}
	const ids = parseOk(out).data.annotations.map((a) => a.id);
	for (const id of addedIds) {
		if (!ids.includes(id)) {
			problems.push(`${id} missing`);
		}
	}
	return problems;
}

describe('line merge with CRLF sidecars', () => {
	for (const [name, lf] of Object.entries(FIXTURES)) {
		const original = lf.replace(/\n/g, '\r\n');
		for (const path of ['serializeIfChanged', 'full print'] as const) {
			it(`${name} (${path}): random add/remove sequences keep CRLF and untouched lines`, () => {
				const failures: string[] = [];
				const runs = 150;
				for (let seed = 1; seed <= runs; seed++) {
					const random = seededRandom(seed * 7919 + name.length);
					const doc = parseOk(original);
					const wasEmpty = doc.data.annotations.length === 0;
					const added: string[] = [];
					const steps = 1 + Math.floor(random() * 6);
					for (let k = 0; k < steps; k++) {
						if (added.length > 0 && random() < 0.5) {
							doc.remove(added.splice(Math.floor(random() * added.length), 1)[0]);
						} else {
							const start = Math.floor(random() * 80);
							const id = `n${k}`;
							doc.add(ann(id, start, start + 1 + Math.floor(random() * 9), 'woord'));
							added.push(id);
						}
					}
					const out = path === 'full print' ? serializeIfChangedFullPrint(original, doc) : serializeIfChanged(original, doc);
					for (const p of writeProblems(original, out, added, wasEmpty)) {
						failures.push(`seed ${seed}: ${p}`);
					}
				}
				console.log(`      ${name} (${path}): ${failures.length} of ${runs} sequences failed`);
				assert.deepStrictEqual(failures.slice(0, 5), []);
			});
		}
	}

	it('merges line by line with each line keeping its own ending', () => {
		const random = seededRandom(20261202);
		const words = ['  - id: a', '    label: claim', '', '# opmerking', 'version: 1'];
		const failures: string[] = [];
		const runs = 2000;
		for (let run = 0; run < runs; run++) {
			const base: string[] = [];
			for (let i = 1 + Math.floor(random() * 8); i > 0; i--) {
				base.push(words[Math.floor(random() * words.length)]);
			}
			// Ours: base with hand changes on some lines; theirs: base with lines inserted and dropped.
			const ours = base.map((l) => (random() < 0.2 ? `${l}   # hand` : l));
			const theirs = base.flatMap((l) => [...(random() < 0.2 ? ['    note: nieuw'] : []), ...(random() < 0.15 ? [] : [l])]);
			const crlf = (lines: string[]): string => lines.map((l) => `${l}\r\n`).join('');
			const merged = mergeUntouchedLines(crlf(ours), crlf(base), crlf(theirs));
			if (merged === undefined) {
				continue;
			}
			if (/(^|[^\r])\n/.test(merged) || (merged !== '' && !merged.endsWith('\r\n'))) {
				failures.push(JSON.stringify({ ours, base, theirs, merged }));
			}
			const kept = ours.filter((l, i) => l !== base[i]);
			for (const line of kept) {
				if (!merged.includes(`${line}\r\n`)) {
					failures.push(`hand line lost: ${JSON.stringify({ ours, base, theirs, merged })}`);
				}
			}
		}
		console.log(`      line merge: ${failures.length} of ${runs} merges failed`);
		assert.deepStrictEqual(failures.slice(0, 3), []);
	});
});
