import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { TextProblem } from '../text/textProblem';
import { ENTITY_TYPES, isEntityType, type EntityType } from './entityTypes';

/**
 * The analysts' entity list (`.corpus/entities.yaml`): canonical entities with their type and the
 * spellings they appear under, plus names that must never be highlighted. Example:
 *
 *     version: 1
 *     entities:
 *       - name: Volodymyr Zelensky
 *         type: PER
 *         aliases: [Zelensky, Zelenski, Zelenskyj]
 *     notEntities:
 *       - Maandag
 */
export interface EntityDefinition {
	readonly name: string;
	readonly type: EntityType;
	readonly aliases: readonly string[];
}

export interface EntityList {
	readonly entities: readonly EntityDefinition[];
	readonly notEntities: readonly string[];
}

export type EntityListError = TextProblem;

export const EMPTY_ENTITY_LIST: EntityList = { entities: [], notEntities: [] };

/** Parses an entity list; keeps every valid entry and reports the others, never throws. */
export function parseEntityList(text: string): { list: EntityList; errors: EntityListError[] } {
	const lineCounter = new LineCounter();
	const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
	const errors: EntityListError[] = doc.errors.map((e) => ({
		message: e.message.split('\n')[0],
		line: e.linePos?.[0].line ?? 1,
		column: e.linePos?.[0].col ?? 1,
	}));
	if (errors.length > 0) {
		return { list: EMPTY_ENTITY_LIST, errors };
	}
	const at = (node: Node | null | undefined, message: string): void => {
		const pos = node?.range ? lineCounter.linePos(node.range[0]) : { line: 1, col: 1 };
		errors.push({ message, line: pos.line, column: pos.col });
	};
	/** The trimmed names of an optional list node; reports a node that is no list and each entry that is no name. */
	const names = (node: Node | undefined, notAList: string, notAName: string): string[] => {
		const found: string[] = [];
		if (node !== undefined && !isSeq(node)) {
			at(node, notAList);
		} else if (node) {
			for (const item of node.items as Node[]) {
				if (isScalar(item) && typeof item.value === 'string' && item.value.trim() !== '') {
					found.push(item.value.trim());
				} else {
					at(item, notAName);
				}
			}
		}
		return found;
	};
	const root = doc.contents;
	if (root === null || (isScalar(root) && root.value === null)) {
		return { list: EMPTY_ENTITY_LIST, errors };
	}
	if (!isMap(root)) {
		at(root, 'The entity list must be a mapping with `entities:` and optionally `notEntities:`.');
		return { list: EMPTY_ENTITY_LIST, errors };
	}
	const entities: EntityDefinition[] = [];
	const entitiesNode = root.get('entities', true) as Node | undefined;
	if (entitiesNode !== undefined && !isSeq(entitiesNode)) {
		at(entitiesNode, '`entities` must be a list.');
	} else if (entitiesNode) {
		for (const item of entitiesNode.items as Node[]) {
			if (!isMap(item)) {
				at(item, 'Each entity must be a mapping with `name`, `type` and optional `aliases`.');
				continue;
			}
			const name = item.get('name');
			const type = item.get('type');
			const aliasesNode = item.get('aliases', true) as Node | undefined;
			if (typeof name !== 'string' || name.trim() === '') {
				at(item, 'An entity needs a non-empty `name`.');
				continue;
			}
			if (!isEntityType(type)) {
				at((item.get('type', true) as Node | undefined) ?? item, `Entity "${name}": \`type\` must be one of ${ENTITY_TYPES.join(', ')}.`);
				continue;
			}
			const aliases = names(aliasesNode, `Entity "${name}": \`aliases\` must be a list of names.`, `Entity "${name}": every alias must be a non-empty name.`);
			entities.push({ name: name.trim(), type, aliases });
		}
	}
	const notEntities = names(root.get('notEntities', true) as Node | undefined, '`notEntities` must be a list of names.', 'Every entry of `notEntities` must be a non-empty name.');
	return { list: { entities, notEntities }, errors };
}

/** The spellings of an entity: its canonical name and its aliases, without duplicates. */
export function spellingsOf(entity: EntityDefinition): string[] {
	return [...new Set([entity.name, ...entity.aliases])];
}

/**
 * Adds an entity (or an alias to an existing entity with the same canonical name) to the list file's
 * text, keeping the rest of the file — comments included — as it was. Returns the new text.
 */
export function addEntityToListText(text: string, entry: { name: string; type: EntityType; alias?: string }): string {
	const doc = parseDocument(text.trim() === '' ? 'version: 1\nentities: []\n' : text);
	if (doc.errors.length > 0) {
		throw new Error(`the entity list has a YAML error: ${doc.errors[0].message.split('\n')[0]}`);
	}
	if (!doc.has('version')) {
		doc.set('version', 1);
	}
	let seq = doc.get('entities', true);
	if (!isSeq(seq)) {
		doc.set('entities', doc.createNode([]));
		seq = doc.get('entities', true);
	}
	if (!isSeq(seq)) {
		throw new Error('`entities` is not a list');
	}
	if (seq.flow && seq.items.length === 0) {
		seq.flow = false;
	}
	const existing = seq.items.find((item) => isMap(item) && item.get('name') === entry.name);
	if (existing && isMap(existing)) {
		const alias = entry.alias;
		if (alias && alias !== entry.name) {
			let aliases = existing.get('aliases', true);
			if (!isSeq(aliases)) {
				existing.set('aliases', doc.createNode([]));
				aliases = existing.get('aliases', true);
			}
			if (isSeq(aliases) && !aliases.items.some((a) => isScalar(a) && a.value === alias)) {
				aliases.items.push(doc.createNode(alias));
			}
		}
	} else {
		const value: Record<string, unknown> = { name: entry.name, type: entry.type };
		if (entry.alias && entry.alias !== entry.name) {
			const node = doc.createNode([entry.alias]);
			node.flow = true;
			value.aliases = node;
		} else {
			const node = doc.createNode([]);
			node.flow = true;
			value.aliases = node;
		}
		seq.items.push(doc.createNode(value));
	}
	return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** Adds a name to `notEntities`, keeping the rest of the file. */
export function addNotEntityToListText(text: string, name: string): string {
	const doc = parseDocument(text.trim() === '' ? 'version: 1\nentities: []\n' : text);
	if (doc.errors.length > 0) {
		throw new Error(`the entity list has a YAML error: ${doc.errors[0].message.split('\n')[0]}`);
	}
	let seq = doc.get('notEntities', true);
	if (!isSeq(seq)) {
		doc.set('notEntities', doc.createNode([]));
		seq = doc.get('notEntities', true);
	}
	if (isSeq(seq) && !seq.items.some((a) => isScalar(a) && a.value === name)) {
		seq.flow = false;
		seq.items.push(doc.createNode(name));
	}
	return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
