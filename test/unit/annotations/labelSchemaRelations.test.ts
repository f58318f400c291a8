import * as assert from 'assert';
import {
	DEFAULT_LABELS, DEFAULT_RELATION_TYPES, addToLabelSchemaText, effectiveLabels, effectiveRelationTypes, parseLabelSchema,
} from '../../../src/core/annotations/labelSchema';

const LIST_FORM = [
	'# Labels voor het Oekraïne-corpus',
	'- id: claim',
	'  color: "#E69F00" # oranje',
	'- id: bron',
	'',
].join('\n');

describe('labelSchema: relation types and the mapping form', () => {
	it('reads the mapping form with labels and relation types', () => {
		const r = parseLabelSchema([
			'labels:',
			'  - id: claim',
			'  - id: bron',
			'relations:',
			'  # wie zegt wat',
			'  - id: zegt',
			'    description: De bron zegt de bewering',
			'    color: "#56B4E9"',
			'    from: [bron]',
			'    to:',
			'      - claim',
			'  - {id: over}',
			'',
		].join('\n'));
		assert.deepStrictEqual(r.errors, []);
		assert.deepStrictEqual(r.labels, [{ id: 'claim' }, { id: 'bron' }]);
		assert.deepStrictEqual(r.relationTypes, [
			{ id: 'zegt', description: 'De bron zegt de bewering', color: '#56B4E9', from: ['bron'], to: ['claim'] },
			{ id: 'over' },
		]);
		assert.strictEqual(r.definesRelationTypes, true);
		assert.strictEqual(effectiveRelationTypes(r), r.relationTypes);
	});

	it('keeps reading the list form, with the default relation types in force', () => {
		const r = parseLabelSchema(LIST_FORM);
		assert.deepStrictEqual(r.errors, []);
		assert.deepStrictEqual(r.labels.map((l) => l.id), ['claim', 'bron']);
		assert.deepStrictEqual(r.relationTypes, []);
		assert.strictEqual(r.definesRelationTypes, false);
		assert.strictEqual(effectiveRelationTypes(r), DEFAULT_RELATION_TYPES);
		// relations only: the default labels stay in force, and the types may name them
		const only = parseLabelSchema('relations:\n  - id: steunt\n    from: [claim]\n    to: [claim]\n');
		assert.deepStrictEqual(only.errors, []);
		assert.strictEqual(effectiveLabels(only), DEFAULT_LABELS);
		assert.deepStrictEqual(only.relationTypes, [{ id: 'steunt', from: ['claim'], to: ['claim'] }]);
	});

	it('reports bad relation types with positions and keeps the valid ones', () => {
		const r = parseLabelSchema([
			'labels:',
			'  - id: claim',
			'relations:',
			'  - id: a',
			'    from: claim', // not a list
			'  - id: a', // duplicate
			'  - id: b',
			'    to: [claim, onbekend]', // unknown label
			'    color: blauw',
			'  - description: geen id',
			'relation: []', // unknown top-level key
			'',
		].join('\n'));
		assert.deepStrictEqual(r.relationTypes.map((t) => t.id), ['a', 'b']);
		assert.deepStrictEqual(r.relationTypes[1].to, ['claim']);
		assert.deepStrictEqual(r.errors.map((e) => [e.code, e.line, e.column]), [
			['invalid-field', 11, 1],
			['invalid-field', 5, 11],
			['duplicate-id', 6, 9],
			['invalid-field', 9, 12],
			['invalid-field', 8, 17],
			['missing-field', 10, 5],
		]);
		assert.strictEqual(parseLabelSchema('labels: x\n').errors[0].code, 'not-a-map');
		assert.strictEqual(parseLabelSchema('relations: {id: a}\n').errors[0].code, 'not-a-map');
	});

	it('ships default relation types whose ends are default labels', () => {
		assert.deepStrictEqual(DEFAULT_RELATION_TYPES.map((t) => t.id), ['source-of', 'about', 'contradicts']);
		const labels = new Set(DEFAULT_LABELS.map((l) => l.id));
		for (const t of DEFAULT_RELATION_TYPES) {
			assert.ok(t.color && /^#[0-9A-Fa-f]{6}$/.test(t.color) && t.description);
			for (const id of [...(t.from ?? []), ...(t.to ?? [])]) {
				assert.ok(labels.has(id), `${t.id}: ${id}`);
			}
		}
		// written out in the mapping form they read back unchanged
		const text = addToLabelSchemaText(undefined, [], [{ id: 'nieuw' }]);
		const r = parseLabelSchema(text);
		assert.deepStrictEqual(r.errors, []);
		assert.deepStrictEqual(r.labels, []);
		assert.strictEqual(effectiveLabels(r), DEFAULT_LABELS);
		assert.deepStrictEqual(r.relationTypes, [...DEFAULT_RELATION_TYPES.map((t) => JSON.parse(JSON.stringify(t)) as object), { id: 'nieuw' }]);
	});
});

describe('addToLabelSchemaText', () => {
	it('returns the text unchanged when nothing is missing', () => {
		assert.strictEqual(addToLabelSchemaText(LIST_FORM, [{ id: 'claim' }], [{ id: 'about' }]), LIST_FORM);
		assert.strictEqual(addToLabelSchemaText(undefined, [{ id: 'event' }], [{ id: 'source-of' }]), '');
	});

	it('appends labels to a list-form file, keeping every line', () => {
		const out = addToLabelSchemaText(LIST_FORM, [{ id: 'persoon', color: '#0072B2' }, { id: 'bron' }], []);
		assert.strictEqual(out, LIST_FORM + '- id: persoon\n  color: "#0072B2"\n');
		assert.deepStrictEqual(parseLabelSchema(out).labels.map((l) => l.id), ['claim', 'bron', 'persoon']);
	});

	it('turns a list-form file into the mapping form only to add relation types, without changing its lines', () => {
		const out = addToLabelSchemaText(LIST_FORM, [], [{ id: 'zegt', from: ['bron'], to: ['claim'] }]);
		const lines = LIST_FORM.split('\n');
		assert.strictEqual(out, [lines[0], 'labels:', ...lines.slice(1, -1), 'relations:'].join('\n') + '\n' + out.slice(out.indexOf('relations:\n') + 'relations:\n'.length));
		const r = parseLabelSchema(out);
		assert.deepStrictEqual(r.errors, []);
		assert.deepStrictEqual(r.labels.map((l) => l.id), ['claim', 'bron']);
		// The defaults were in force: they stay (source-of needs an "attribution" label this file
		// lacks, so no relation could have that type), and the new one follows.
		assert.deepStrictEqual(r.relationTypes.map((t) => t.id), ['about', 'contradicts', 'zegt']);
		assert.ok(out.includes('    from: [bron]\n'), out);
		assert.deepStrictEqual(r.relationTypes.find((t) => t.id === 'contradicts')?.from, ['claim']);
	});

	it('adds to both lists of a mapping-form file, keeping comments and CRLF', () => {
		const text = ['labels: # eigen labels', '  - id: claim', '  # de bron', '  - id: bron', 'relations:', '  - id: zegt', '# einde', ''].join('\r\n');
		const out = addToLabelSchemaText(text, [{ id: 'persoon' }], [{ id: 'over' }]);
		assert.ok(!/[^\r]\n/.test(out), 'CRLF kept');
		for (const line of text.split('\r\n')) {
			assert.ok(out.split('\r\n').includes(line), line);
		}
		const r = parseLabelSchema(out);
		assert.deepStrictEqual(r.errors, []);
		assert.deepStrictEqual([r.labels.map((l) => l.id), r.relationTypes.map((t) => t.id)], [['claim', 'bron', 'persoon'], ['zegt', 'over']]);
	});

	it('starts a missing file from the defaults, and adds a missing list key', () => {
		const fresh = addToLabelSchemaText(undefined, [{ id: 'persoon' }], []);
		assert.ok(fresh.startsWith('- id: claim\n'), fresh);
		assert.deepStrictEqual(parseLabelSchema(fresh).labels.map((l) => l.id), [...DEFAULT_LABELS.map((l) => l.id), 'persoon']);
		const onlyRelations = 'relations:\n  - id: zegt\n';
		const out = addToLabelSchemaText(onlyRelations, [{ id: 'persoon' }], []);
		assert.ok(out.startsWith(onlyRelations));
		assert.deepStrictEqual(parseLabelSchema(out).labels.map((l) => l.id), [...DEFAULT_LABELS.map((l) => l.id), 'persoon']);
	});

	it('handles flow lists through the yaml printer, and refuses a broken file', () => {
		const out = addToLabelSchemaText('[{id: claim}]\n', [{ id: 'bron' }], [{ id: 'zegt' }]);
		const r = parseLabelSchema(out);
		assert.deepStrictEqual([r.labels.map((l) => l.id), r.relationTypes.map((t) => t.id)], [['claim', 'bron'], ['about', 'contradicts', 'zegt']]);
		assert.throws(() => addToLabelSchemaText('- id: [claim\n', [{ id: 'x' }], []), /labels\.yaml:\d+:\d+:/);
	});
});
