import * as assert from 'assert';
import { addEntityToListText, addNotEntityToListText, parseEntityList } from '../../../src/core/entities/entityList';
import { EntityMatcher } from '../../../src/core/entities/entityMatcher';

const LIST = `# Entities the analysts maintain
version: 1
entities:
  - name: Volodymyr Zelensky
    type: PER
    aliases: [Zelensky, Zelenski, Zelenskyj]
  - name: Vladimir Poetin
    type: PER
    aliases: [Poetin, Putin]
  - name: Kyiv
    type: LOC
    aliases: [Kiev]
notEntities:
  - Maandag
`;

describe('entity list', () => {
	it('parses entities with aliases and not-entities', () => {
		const { list, errors } = parseEntityList(LIST);
		assert.deepStrictEqual(errors, []);
		assert.strictEqual(list.entities.length, 3);
		assert.deepStrictEqual(list.entities[0], { name: 'Volodymyr Zelensky', type: 'PER', aliases: ['Zelensky', 'Zelenski', 'Zelenskyj'] });
		assert.deepStrictEqual(list.notEntities, ['Maandag']);
	});

	it('reports bad entries with their line and keeps the good ones', () => {
		const { list, errors } = parseEntityList('entities:\n  - name: NAVO\n    type: ORG\n  - name: Iets\n    type: PERSON\n');
		assert.strictEqual(list.entities.length, 1);
		assert.strictEqual(errors.length, 1);
		assert.match(errors[0].message, /type.*PER, LOC, ORG, MISC/);
		assert.strictEqual(errors[0].line, 5);
	});

	it('reports YAML syntax errors with line and column', () => {
		const { errors } = parseEntityList('entities:\n  - name: "open\n');
		assert.ok(errors.length > 0);
		assert.ok(errors[0].line >= 2);
	});

	it('adds an entity or an alias without touching the rest of the file', () => {
		const added = addEntityToListText(LIST, { name: 'NAVO', type: 'ORG', alias: 'Navo' });
		assert.ok(added.startsWith(LIST.slice(0, LIST.indexOf('notEntities'))), 'existing lines are kept as they were');
		assert.match(added, /- name: NAVO\n    type: ORG\n    aliases: \[Navo\]\n/);
		const alias = addEntityToListText(LIST, { name: 'Kyiv', type: 'LOC', alias: 'Kyjiv' });
		assert.match(alias, /aliases: \[Kiev, Kyjiv\]/);
		assert.ok(alias.includes('# Entities the analysts maintain'));
		const fresh = addEntityToListText('', { name: 'NAVO', type: 'ORG' });
		assert.deepStrictEqual(parseEntityList(fresh).list.entities, [{ name: 'NAVO', type: 'ORG', aliases: [] }]);
	});

	it('adds a not-entity', () => {
		const text = addNotEntityToListText(LIST, 'Dinsdag');
		assert.deepStrictEqual(parseEntityList(text).list.notEntities, ['Maandag', 'Dinsdag']);
	});
});

describe('EntityMatcher', () => {
	const matcher = new EntityMatcher(parseEntityList(LIST).list);

	it('finds every spelling of a listed entity and maps it to its canonical name', () => {
		const text = 'Zelenski sprak met Zelensky in Kiev; Putin zweeg.';
		const found = matcher.findListed(text);
		assert.deepStrictEqual(
			found.map((m) => [m.text, m.canonical, m.type]),
			[
				['Zelenski', 'Volodymyr Zelensky', 'PER'],
				['Zelensky', 'Volodymyr Zelensky', 'PER'],
				['Kiev', 'Kyiv', 'LOC'],
				['Putin', 'Vladimir Poetin', 'PER'],
			],
		);
		for (const m of found) {
			assert.strictEqual(text.slice(m.start, m.end), m.text);
		}
	});

	it('does not match inside longer words', () => {
		assert.deepStrictEqual(matcher.findListed('De Kievse metro en Zelenskyjs woorden.').map((m) => m.text), []);
	});

	it('lets the list override the tagger and drops not-entities', () => {
		const text = 'Maandag zei Zelenski in Kiev dat de NAVO helpt.';
		const tagged = [
			{ start: 0, end: 7, type: 'PER' as const },
			{ start: 12, end: 20, type: 'LOC' as const },
			{ start: 24, end: 28, type: 'ORG' as const },
			{ start: 36, end: 40, type: 'ORG' as const },
		];
		const merged = matcher.merge(text, tagged);
		assert.deepStrictEqual(
			merged.map((m) => [m.text, m.type, m.source, m.canonical ?? null]),
			[
				['Zelenski', 'PER', 'list', 'Volodymyr Zelensky'],
				['Kiev', 'LOC', 'list', 'Kyiv'],
				['NAVO', 'ORG', 'tagger', null],
			],
		);
	});
});
