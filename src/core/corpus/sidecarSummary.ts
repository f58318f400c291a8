/**
 * What the corpus tree needs from an annotation sidecar (`<name>.ann.yaml`): how many
 * annotations it holds and which labels and entities they use.
 *
 * This is a deliberately cheap line scan, not a YAML parse: the indexer may read thousands of
 * sidecars at start-up and a full parse (`parseSidecar` in ../annotations/sidecarCodec.ts) costs
 * about a millisecond each. It relies on the layout the codec writes (block style, two-space
 * indent: `  - id: a1` opens an annotation, `    label: person` and `    entity: Donald Trump`
 * are its keys). A hand-edited sidecar in another style may be miscounted; the tree only uses
 * the result for counts and the `label:`/`entity:` filter, never for editing.
 */
export interface SidecarSummary {
	readonly annotationCount: number;
	readonly labels: readonly string[];
	readonly entities: readonly string[];
}

export const EMPTY_SIDECAR_SUMMARY: SidecarSummary = Object.freeze({ annotationCount: 0, labels: [], entities: [] });

/** Largest sidecar the indexer reads; bigger ones are scanned up to this size. */
export const SIDECAR_MAX_BYTES = 4 * 1024 * 1024;

const ITEM_ID = /^\s*-\s+id\s*:/;
const LABEL = /^\s+(?:-\s+)?label\s*:\s*(.*)$/;
const ENTITY = /^\s+(?:-\s+)?entity\s*:\s*(.*)$/;

/** Scans sidecar text line by line (see the module comment for what it assumes). */
export function scanSidecar(text: string): SidecarSummary {
	let count = 0;
	const labels = new Set<string>();
	const entities = new Set<string>();
	let inAnnotations = false;
	for (const line of text.split(/\r?\n/)) {
		if (/^\S/.test(line)) {
			// A top-level key: only the items under `annotations:` count.
			inAnnotations = /^annotations\s*:/.test(line);
			continue;
		}
		if (!inAnnotations) {
			continue;
		}
		if (ITEM_ID.test(line)) {
			count++;
		}
		const label = LABEL.exec(line);
		if (label) {
			add(labels, label[1]);
			continue;
		}
		const entity = ENTITY.exec(line);
		if (entity) {
			add(entities, entity[1]);
		}
	}
	if (count === 0 && labels.size === 0 && entities.size === 0) {
		return EMPTY_SIDECAR_SUMMARY;
	}
	return { annotationCount: count, labels: [...labels], entities: [...entities] };
}

function add(set: Set<string>, raw: string): void {
	const value = unquote(raw.replace(/\s+#.*$/, '').trim());
	if (value.length > 0 && value !== 'null' && value !== '~') {
		set.add(value);
	}
}

function unquote(value: string): string {
	if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
		const inner = value.slice(1, -1);
		return value[0] === "'" ? inner.replace(/''/g, "'") : inner.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
	}
	return value;
}
