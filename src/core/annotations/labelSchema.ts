/**
 * Label definitions for a corpus: `.corpus/labels.yaml`, a YAML list of
 * `{ id, description?, color?, key? }`. Invalid entries are reported with positions
 * (like sidecar errors) and skipped, so one typo does not disable every label.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode, YAMLMap } from 'yaml';
import type { LabelDef } from './model';
import { findMergeConflictMarkers } from './sidecarCodec';
import type { SidecarError, SidecarErrorCode } from './sidecarCodec';

/**
 * Default labels for news analysis. Colours are the Okabe–Ito palette (distinguishable
 * with the common colour-vision deficiencies); keys are mnemonic.
 */
export const DEFAULT_LABELS: readonly LabelDef[] = Object.freeze([
	{ id: 'claim', description: 'A factual claim made in the article or by a quoted person', color: '#E69F00', key: 'c' },
	{ id: 'attribution', description: 'Who says it: the source a quote or claim is attributed to', color: '#56B4E9', key: 'a' },
	{ id: 'event', description: 'Something that happened (meeting, attack, decision)', color: '#009E73', key: 'e' },
	{ id: 'framing', description: 'Word choice or framing that steers the reader', color: '#CC79A7', key: 'f' },
	{ id: 'sentiment-positive', description: 'Positive evaluation', color: '#0072B2', key: 'p' },
	{ id: 'sentiment-negative', description: 'Negative evaluation', color: '#D55E00', key: 'n' },
	{ id: 'fact-check', description: 'Needs verification against other sources', color: '#F0E442', key: 'v' },
].map((l) => Object.freeze(l)));

/** Result of {@link parseLabelSchema}: the valid labels plus every problem found. */
export interface LabelSchemaResult {
	labels: LabelDef[];
	errors: SidecarError[];
}

const ID_RE = /^[\p{L}\p{N}][\p{L}\p{N}_.:-]*$/u;
const COLOR_RE = /^#[0-9a-fA-F]{6}$/;

/** Parses and validates `.corpus/labels.yaml`. Never throws. */
export function parseLabelSchema(yamlText: string): LabelSchemaResult {
	const errors: SidecarError[] = [];
	const conflicts = findMergeConflictMarkers(yamlText);
	if (conflicts.length > 0) {
		return { labels: [], errors: conflicts };
	}
	const lineCounter = new LineCounter();
	const doc = parseDocument(yamlText, { lineCounter, uniqueKeys: true, prettyErrors: true });
	if (doc.errors.length > 0) {
		return {
			labels: [],
			errors: doc.errors.map((e) => ({
				message: e.message.split('\n')[0],
				line: e.linePos?.[0].line ?? 1,
				column: e.linePos?.[0].col ?? 1,
				code: 'yaml-syntax' as const,
			})),
		};
	}
	const report = (message: string, node: YamlNode | null | undefined, code: SidecarErrorCode): void => {
		const p = lineCounter.linePos(node?.range?.[0] ?? 0);
		errors.push({ message, line: p.line, column: p.col, code });
	};
	const root = doc.contents;
	if (root === null || (isScalar(root) && root.value === null)) {
		return { labels: [], errors };
	}
	if (!isSeq(root)) {
		report('labels.yaml must be a list of labels (- id: claim …).', root, 'not-a-map');
		return { labels: [], errors };
	}
	const labels: LabelDef[] = [];
	const ids = new Set<string>();
	const keys = new Map<string, string>();
	for (const item of root.items as YamlNode[]) {
		if (!isMap(item)) {
			report('Each label must be a mapping with at least an id.', item, 'invalid-field');
			continue;
		}
		const get = (k: string): { node: YamlNode | null | undefined; value: unknown } => {
			const pair = (item as YAMLMap).items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === k);
			const node = pair?.value as YamlNode | null | undefined;
			return { node, value: node === null || node === undefined ? undefined : isScalar(node) ? node.value : node };
		};
		const id = get('id');
		if (id.value === undefined || id.value === null) { report('Label is missing "id".', item, 'missing-field'); continue; }
		if (typeof id.value !== 'string' || !ID_RE.test(id.value)) {
			report('Label id must be a word of letters, digits, "-", "_", "." or ":".', id.node, 'invalid-field');
			continue;
		}
		if (ids.has(id.value)) { report(`Duplicate label id "${id.value}".`, id.node, 'duplicate-id'); continue; }
		ids.add(id.value);
		const label: LabelDef = { id: id.value };
		const description = get('description');
		if (description.value !== undefined && description.value !== null) {
			if (typeof description.value === 'string') {
				label.description = description.value;
			} else {
				report('"description" must be text.', description.node, 'invalid-field');
			}
		}
		const color = get('color');
		if (color.value !== undefined && color.value !== null) {
			if (typeof color.value === 'string' && COLOR_RE.test(color.value)) {
				label.color = color.value;
			} else {
				report('"color" must be "#rrggbb" (quote it: "#e69f00").', color.node ?? item, 'invalid-field');
			}
		}
		const key = get('key');
		if (key.value !== undefined && key.value !== null) {
			const k = typeof key.value === 'number' ? String(key.value) : key.value;
			if (typeof k !== 'string' || [...k].length !== 1 || /\s/.test(k)) {
				report('"key" must be a single character.', key.node, 'invalid-field');
			} else if (keys.has(k.toLowerCase())) {
				report(`Key "${k}" is already used by label "${keys.get(k.toLowerCase())}".`, key.node, 'invalid-field');
			} else {
				keys.set(k.toLowerCase(), id.value);
				label.key = k;
			}
		}
		labels.push(label);
	}
	return { labels, errors };
}
