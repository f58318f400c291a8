/**
 * The JSON Schemas contributed through `yamlValidation` must agree with the codecs. No JSON
 * Schema library is installed, so a small validator for the keywords our schemas use
 * (type, const, enum, pattern, minimum, minLength, required, properties, items, $ref) checks
 * real files against them.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { DEFAULT_LABELS, DEFAULT_RELATION_TYPES } from '../../../src/core/annotations/labelSchema';
import {
	ANNOTATION_FIELDS, ANNOTATION_KEY_ORDER, HEADER_FIELDS, HEADER_KEY_ORDER, RELATION_FIELDS, RELATION_KEY_ORDER, type FieldSpec,
} from '../../../src/core/annotations/fieldTable';
import { SIDECAR_VERSION } from '../../../src/core/annotations/model';
import { ENTITY_TYPES } from '../../../src/core/entities/entityTypes';
import { KIEV, STEUN, ZELENSKY, sidecarText } from './fixtures';

const root = path.resolve(__dirname, '../../../..');

type Schema = {
	type?: string | string[]; const?: unknown; enum?: unknown[]; pattern?: string; minimum?: number; minLength?: number;
	required?: string[]; properties?: Record<string, Schema>; items?: Schema; $ref?: string; definitions?: Record<string, Schema>;
};

function load(name: string): Schema {
	return JSON.parse(fs.readFileSync(path.join(root, 'schemas', name), 'utf8')) as Schema;
}

function typeOf(v: unknown): string {
	return v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
}

/** Errors of `value` against `schema` (subset of draft-07). */
function validate(value: unknown, schema: Schema, rootSchema: Schema, at = '$'): string[] {
	if (schema.$ref) {
		const name = schema.$ref.replace('#/definitions/', '');
		return validate(value, rootSchema.definitions![name], rootSchema, at);
	}
	const errors: string[] = [];
	if (schema.type) {
		const types = Array.isArray(schema.type) ? schema.type : [schema.type];
		const t = typeOf(value);
		if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) {
			return [`${at}: expected ${types.join('|')}, got ${t}`];
		}
	}
	if ('const' in schema && value !== schema.const) {
		errors.push(`${at}: must be ${String(schema.const)}`);
	}
	if (schema.enum && !schema.enum.includes(value)) {
		errors.push(`${at}: must be one of ${schema.enum.join(', ')}`);
	}
	if (typeof value === 'string') {
		if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) {
			errors.push(`${at}: does not match ${schema.pattern}`);
		}
		if (schema.minLength !== undefined && [...value].length < schema.minLength) {
			errors.push(`${at}: too short`);
		}
	}
	if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum) {
		errors.push(`${at}: below ${schema.minimum}`);
	}
	if (Array.isArray(value) && schema.items) {
		value.forEach((item, i) => errors.push(...validate(item, schema.items!, rootSchema, `${at}[${i}]`)));
	}
	if (typeOf(value) === 'object') {
		const obj = value as Record<string, unknown>;
		for (const key of schema.required ?? []) {
			if (!(key in obj)) {
				errors.push(`${at}: missing ${key}`);
			}
		}
		for (const [key, sub] of Object.entries(schema.properties ?? {})) {
			if (key in obj) {
				errors.push(...validate(obj[key], sub, rootSchema, `${at}.${key}`));
			}
		}
	}
	return errors;
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

function yamlFiles(dir: string, test: (name: string) => boolean): string[] {
	if (!fs.existsSync(dir)) {
		return [];
	}
	return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((e) => e.isFile() && test(e.name))
		.map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

describe('JSON Schemas (yamlValidation)', () => {
	const sidecar = load('sidecar.schema.json');
	const labels = load('labels.schema.json');
	const entities = load('entities.schema.json');

	it('are contributed for sidecars, labels and entity lists', () => {
		const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { yamlValidation: { fileMatch: string | string[]; url: string }[] } };
		const byUrl = new Map(manifest.contributes.yamlValidation.map((y) => [y.url, ([] as string[]).concat(y.fileMatch)]));
		assert.ok(byUrl.get('./schemas/sidecar.schema.json')?.includes('*.ann.yaml'));
		assert.ok(byUrl.get('./schemas/labels.schema.json')?.includes('.corpus/labels.yaml'));
		assert.ok(byUrl.get('./schemas/entities.schema.json')?.includes('.corpus/entities.yaml'));
	});

	it('sidecar schema says what the field table says: keys in file order, required, types, patterns, descriptions', () => {
		const annotation = sidecar.definitions!.annotation;
		const mismatches: string[] = [];
		const compare = (where: string, table: Readonly<Record<string, FieldSpec>>, order: readonly string[], schema: Schema): void => {
			if (JSON.stringify(Object.keys(schema.properties!)) !== JSON.stringify(order)) {
				mismatches.push(`${where}: keys ${Object.keys(schema.properties!).join(', ')} ≠ ${order.join(', ')}`);
			}
			const required = order.filter((k) => table[k].required);
			if (JSON.stringify(schema.required) !== JSON.stringify(required)) {
				mismatches.push(`${where}: required ${String(schema.required)} ≠ ${required.join(',')}`);
			}
			for (const key of order) {
				const spec = table[key];
				const prop = (schema.properties![key] ?? {}) as Schema & { description?: string; items?: Schema };
				const expected: Record<string, unknown> = { description: spec.description };
				if (spec.kind === 'offset') {
					Object.assign(expected, { type: 'integer', minimum: 0 });
				} else if (spec.kind === 'text') {
					Object.assign(expected, { type: spec.nullable ? ['string', 'null'] : 'string' });
					if (spec.nonEmpty) {
						expected.minLength = 1;
					}
					if (spec.pattern) {
						expected.pattern = spec.pattern.source;
					}
				} else if (spec.kind === 'version') {
					expected.const = SIDECAR_VERSION;
				} else {
					const item = { annotations: 'annotation', relations: 'relation' }[key] ?? key;
					Object.assign(expected, { type: 'array', items: { $ref: `#/definitions/${item}` } });
				}
				const actual = { ...prop } as Record<string, unknown>;
				if (JSON.stringify(sortKeys(actual)) !== JSON.stringify(sortKeys(expected))) {
					mismatches.push(`${where}.${key}: schema ${JSON.stringify(sortKeys(actual))} ≠ table ${JSON.stringify(sortKeys(expected))}`);
				}
			}
		};
		compare('$', HEADER_FIELDS, HEADER_KEY_ORDER, sidecar);
		compare('annotation', ANNOTATION_FIELDS, ANNOTATION_KEY_ORDER, annotation);
		compare('relation', RELATION_FIELDS, RELATION_KEY_ORDER, sidecar.definitions!.relation);
		assert.deepStrictEqual(mismatches, []);
	});

	it('entity schema uses the entity types of the code', () => {
		const type = entities.properties!.entities.items!.properties!.type;
		assert.deepStrictEqual(type.enum, [...ENTITY_TYPES]);
	});

	it('accepts the sidecars the codec writes and the fixture and sample sidecars', () => {
		assert.deepStrictEqual(validate(parse(sidecarText([ZELENSKY, KIEV, STEUN], { textHash: 'sha256:00ff' })), sidecar, sidecar), []);
		assert.deepStrictEqual(validate(parse(sidecarText([])), sidecar, sidecar), []);
		const files = [
			...yamlFiles(path.join(root, 'sample-corpus'), (n) => n.endsWith('.ann.yaml')),
			path.join(root, 'test/fixtures/workspace/annotations/021_bb22cc33dd44ee55.ann.yaml'),
		];
		for (const file of files) {
			assert.deepStrictEqual(validate(parse(fs.readFileSync(file, 'utf8')), sidecar, sidecar), [], file);
		}
	});

	it('rejects what the codec rejects', () => {
		const doc = parse(sidecarText([ZELENSKY])) as { annotations: Record<string, unknown>[]; date: string };
		delete doc.annotations[0].quote;
		doc.annotations[0].start = -1;
		doc.date = '2024-13';
		assert.deepStrictEqual(validate(doc, sidecar, sidecar), [`$.date: does not match ${HEADER_FIELDS.date.pattern.source}`, '$.annotations[0]: missing quote', '$.annotations[0].start: below 0']);
	});

	it('accepts the default labels and the fixture entity list; rejects a wrong entity type', () => {
		assert.deepStrictEqual(validate(DEFAULT_LABELS.map((l) => ({ ...l })), labels, labels), []);
		assert.deepStrictEqual(validate([{ id: 'claim', color: 'red' }], labels, labels), ['$[0].color: does not match ^#[0-9a-fA-F]{6}$']);
		// The mapping form with relation types.
		const plain = (xs: readonly object[]): unknown => JSON.parse(JSON.stringify(xs));
		assert.deepStrictEqual(validate({ labels: plain(DEFAULT_LABELS), relations: plain(DEFAULT_RELATION_TYPES) }, labels, labels), []);
		assert.deepStrictEqual(validate({ relations: [{ id: 'about', color: 'grijs', from: 'claim' }] }, labels, labels),
			['$.relations[0].color: does not match ^#[0-9a-fA-F]{6}$', '$.relations[0].from: expected array, got string']);
		const fixture = parse(fs.readFileSync(path.join(root, 'test/fixtures/workspace/.corpus/entities.yaml'), 'utf8'));
		assert.deepStrictEqual(validate(fixture, entities, entities), []);
		assert.deepStrictEqual(validate({ entities: [{ name: 'Kiev', type: 'CITY' }] }, entities, entities), ['$.entities[0].type: must be one of PER, LOC, ORG, MISC']);
	});

	it('accepts the sample corpus label schema and entity list', () => {
		for (const [name, schema] of [['labels.yaml', labels], ['entities.yaml', entities]] as const) {
			const file = path.join(root, 'sample-corpus/.corpus', name);
			if (fs.existsSync(file)) {
				assert.deepStrictEqual(validate(parse(fs.readFileSync(file, 'utf8')), schema, schema), [], file);
			}
		}
	});
});
