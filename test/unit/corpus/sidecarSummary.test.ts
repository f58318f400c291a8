import * as assert from 'assert';
import { scanSidecar } from '../../../src/core/corpus/sidecarSummary';

describe('scanSidecar', () => {
	it('counts annotations and collects labels and entities', () => {
		const text = [
			'# Annotations for 000_3ffb0e8bd60704ce.txt',
			'version: 1',
			'article: 000_3ffb0e8bd60704ce.txt',
			'date: 2025-07',
			'annotations:',
			'  - id: a1',
			'    label: person',
			'    start: 25',
			'    end: 37',
			'    quote: Donald Trump',
			'    entity: Donald Trump',
			'  - id: a2',
			"    label: 'place'",
			'    quote: Oekraïne',
			'    entity: "Oekraïne" # land',
			'  - id: a3',
			'    label: person',
		].join('\r\n');
		assert.deepStrictEqual(scanSidecar(text), { annotationCount: 3, labels: ['person', 'place'], entities: ['Donald Trump', 'Oekraïne'] });
	});

	it('ignores keys outside the annotations list and empty sidecars', () => {
		assert.strictEqual(scanSidecar('version: 1\nannotations: []\n').annotationCount, 0);
		assert.strictEqual(scanSidecar('labels:\n  - id: x\n    label: y\n').annotationCount, 0);
		assert.strictEqual(scanSidecar('').annotationCount, 0);
	});
});
