import * as assert from 'assert';
import { stringify } from 'yaml';
import { DEFAULT_LABELS, parseLabelSchema } from '../../../src/core/annotations/labelSchema';

describe('labelSchema', () => {
	it('parses a valid labels.yaml', () => {
		const r = parseLabelSchema([
			'# Labels voor het Oekraïne-corpus',
			'- id: claim',
			'  description: Bewering',
			'  color: "#E69F00"',
			'  key: c',
			'- id: bron',
			'- {id: persoon, key: "1", color: "#0072b2"}',
			'',
		].join('\n'));
		assert.deepStrictEqual(r.errors, []);
		assert.deepStrictEqual(r.labels, [
			{ id: 'claim', description: 'Bewering', color: '#E69F00', key: 'c' },
			{ id: 'bron' },
			{ id: 'persoon', key: '1', color: '#0072b2' },
		]);
	});

	it('reports invalid entries with positions and keeps the valid ones', () => {
		const text = [
			'- id: claim',
			'  color: red',
			'- id: claim',
			'- description: geen id',
			'- id: event',
			'  key: ee',
			'- id: event2',
			'  key: E',
			'- id: bron',
			'  key: e',
			'- id: "met spatie"',
			'- gewoon tekst',
			'',
		].join('\n');
		const r = parseLabelSchema(text);
		assert.deepStrictEqual(r.labels.map((l) => l.id), ['claim', 'event', 'event2', 'bron']);
		assert.deepStrictEqual(r.errors.map((e) => [e.code, e.line]), [
			['invalid-field', 2],
			['duplicate-id', 3],
			['missing-field', 4],
			['invalid-field', 6],
			['invalid-field', 10],
			['invalid-field', 11],
			['invalid-field', 12],
		]);
		assert.strictEqual(r.errors[0].column, 10);
		assert.strictEqual(r.labels[3].key, undefined, 'key "e" clashes with "E"');
	});

	it('reports YAML errors and non-list files', () => {
		assert.strictEqual(parseLabelSchema('- id: [claim\n').errors[0].code, 'yaml-syntax');
		assert.strictEqual(parseLabelSchema('labels: x\n').errors[0].code, 'not-a-map');
		assert.deepStrictEqual(parseLabelSchema(''), { labels: [], relationTypes: [], definesRelationTypes: false, errors: [] });
		assert.strictEqual(parseLabelSchema('<<<<<<< HEAD\n- id: a\n=======\n- id: b\n>>>>>>> x\n').errors[0].code, 'merge-conflict');
	});

	it('ships distinct, valid default labels', () => {
		assert.ok(DEFAULT_LABELS.length >= 6 && DEFAULT_LABELS.length <= 8);
		const ids = new Set(DEFAULT_LABELS.map((l) => l.id));
		const colors = new Set(DEFAULT_LABELS.map((l) => l.color!.toLowerCase()));
		const keys = new Set(DEFAULT_LABELS.map((l) => l.key));
		assert.strictEqual(ids.size, DEFAULT_LABELS.length);
		assert.strictEqual(colors.size, DEFAULT_LABELS.length);
		assert.strictEqual(keys.size, DEFAULT_LABELS.length);
		// The defaults written out as labels.yaml parse back unchanged.
		const yaml = stringify(DEFAULT_LABELS);
		assert.deepStrictEqual(parseLabelSchema(yaml), { labels: DEFAULT_LABELS.map((l) => ({ ...l })), relationTypes: [], definesRelationTypes: false, errors: [] });
	});
});
