import * as assert from 'assert';
import { prepareText } from '../../../src/core/annotations/anchoring';
import { editorOffset } from '../../../src/core/annotations/offsets';
import { createAnnotation } from '../../../src/core/annotations/factory';
import type { Annotation } from '../../../src/core/annotations/model';
import { SidecarEditError, createSidecar, parseSidecar, serializeIfChanged } from '../../../src/core/annotations/sidecarCodec';
import { seededRandom } from '../../../src/core/util/seededRandom';

const TEXT = prepareText(' date 2024-06 ' + 'De NAVO sprak met Zelensky over Oekraïne en Rutte bezocht Kiev. '.repeat(40));

function annotations(random: () => number, count: number, prefix: string): Annotation[] {
	const length = TEXT.canonical.length;
	return Array.from({ length: count }, (_, i) => {
		const start = 14 + Math.floor(random() * (length - 40));
		const end = start + 1 + Math.floor(random() * 20);
		return createAnnotation(TEXT, editorOffset(start), editorOffset(end), 'claim', { now: () => new Date(0), author: 'T', newId: () => `${prefix}${i.toString(36).padStart(4, '0')}` });
	});
}

function sidecarWith(existing: readonly Annotation[]): string {
	const doc = createSidecar({ article: 'a.txt', date: '2024-06', textHash: null });
	existing.forEach((a) => doc.add(a));
	return serializeIfChanged('', doc)!;
}

describe('SidecarDocument.addAll', () => {
	it('writes what adding one by one writes (200 seeded cases, sorted and hand-ordered lists)', () => {
		let failures = 0;
		for (let seed = 1; seed <= 200; seed++) {
			const random = seededRandom(seed);
			let base = sidecarWith(annotations(random, Math.floor(random() * 30), 'e'));
			if (seed % 4 === 0) {
				// A hand-edited file: the first two items swapped, so the list is out of document order.
				base = base.replace(/(  - id: [^\n]*\n(?:    [^\n]*\n)*)(  - id: [^\n]*\n(?:    [^\n]*\n)*)/, '$2$1');
			}
			const extra = annotations(random, 1 + Math.floor(random() * 30), 'n');
			const one = parseSidecar(base);
			const all = parseSidecar(base);
			assert.ok(one.ok && all.ok);
			extra.forEach((a) => one.doc.add(a));
			all.doc.addAll(extra);
			const a = serializeIfChanged(base, one.doc);
			const b = serializeIfChanged(base, all.doc);
			if (a !== b || JSON.stringify(one.doc.data) !== JSON.stringify(all.doc.data)) {
				failures++;
			}
		}
		console.log(`      addAll vs add: ${failures} of 200 differ`);
		assert.strictEqual(failures, 0);
	});

	it('adds none when one is a duplicate or invalid', () => {
		const random = seededRandom(7);
		const existing = annotations(random, 5, 'e');
		const base = sidecarWith(existing);
		const parsed = parseSidecar(base);
		assert.ok(parsed.ok);
		const fresh = annotations(random, 3, 'n');
		assert.throws(() => parsed.doc.addAll([...fresh, { ...existing[2] }]), SidecarEditError);
		assert.throws(() => parsed.doc.addAll([fresh[0], { ...fresh[1], end: fresh[1].start }]), SidecarEditError);
		assert.strictEqual(parsed.doc.data.annotations.length, 5);
		assert.strictEqual(parsed.doc.changed, false);
	});
});
