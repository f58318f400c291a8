/**
 * Model file format (binary). Line 1 is an ASCII JSON header (format, version, date, training
 * data, settings, labels, section sizes) ending in "\n"; the raw binary payload follows, made of
 * the sections:
 *
 *   resources: word-hash sets (varint deltas of sorted truncated hashes) and the gazetteer
 *   pass1 / pass2: linear models (sorted feature hashes as varint deltas, then per row a label
 *                  bit mask and the non-zero int8 weights; float32 transitions in weight units)
 */
import { ByteReader, ByteWriter } from './binio';
import { U32Map, type HashSetLike } from './featureHash';
import { LABELS, NUM_LABELS } from './labels';
import type { GazetteerLike, NerResources } from './features';

const L = NUM_LABELS;
/** Low bits of a packed runtime weight entry that hold the label (see RuntimeLinearModel). */
export const ENTRY_LABEL_BITS = 5;
if (L > 1 << ENTRY_LABEL_BITS) {
	throw new Error(`${L} labels do not fit in ${ENTRY_LABEL_BITS} bits`);
}
export const MODEL_FORMAT = 'corpus-annotator-ner';
/** Version 2 added the optional `knowledge` section; version 1 files still load. */
export const MODEL_VERSION = 2;
const READABLE_VERSIONS = [1, 2];

export interface ModelHeader {
	format: string;
	version: number;
	created: string;
	training: Record<string, unknown>;
	settings: Record<string, unknown>;
	labels: string[];
	sections: { name: string; bytes: number }[];
}

/** Float weights as trained: row r of `weights` (NUM_LABELS values) belongs to feature keys[r]. */
export interface LinearModelData {
	weights: Float32Array;
	trans: Float32Array;
	start: Float32Array;
	end: Float32Array;
}

/**
 * A quantized linear model ready for decoding (rows shared through ParsedModel.rowOf), stored
 * sparsely: row r has the (label, weight) pairs at positions rowStart[r] .. rowStart[r+1] of
 * `entries`, packed as weight << ENTRY_LABEL_BITS | label (one array: one memory stream per row).
 */
export interface RuntimeLinearModel {
	rowStart: Int32Array;
	entries: Int16Array;
	trans: Float32Array;
	start: Float32Array;
	end: Float32Array;
}

/** A set of hashes truncated to `bits` bits, stored sorted (binary search; nothing to build at load). */
export class TruncatedHashSet implements HashSetLike {
	private readonly mask: number;
	constructor(
		private readonly sorted: Uint32Array,
		readonly bits: number,
	) {
		this.mask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
	}
	has(key: number): boolean {
		const k = (key & this.mask) >>> 0 || 1;
		const a = this.sorted;
		let lo = 0;
		let hi = a.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >>> 1;
			const v = a[mid];
			if (v === k) {
				return true;
			}
			if (v < k) {
				lo = mid + 1;
			} else {
				hi = mid - 1;
			}
		}
		return false;
	}
}

export interface ResourceData {
	sets: Record<string, Iterable<number>>;
	gazetteer: Map<number, number>;
	gazMaxLen: number;
	/** Knowledge gazetteer (phrase hash → source bits), stored in its own section. */
	knowledge?: Map<number, number>;
}

const SET_BITS = 24;

function writeHashSet(w: ByteWriter, hashes: Iterable<number>, bits: number): void {
	const mask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
	const uniq = [...new Set([...hashes].map((h) => (h & mask) >>> 0 || 1))].sort((a, b) => a - b);
	w.byte(bits);
	w.varint(uniq.length);
	let prev = 0;
	for (const h of uniq) {
		w.varint(h - prev);
		prev = h;
	}
}

function readHashSet(r: ByteReader): TruncatedHashSet {
	const bits = r.byte();
	return new TruncatedHashSet(readSortedDeltas(r, r.varint()), bits);
}

/** `n` ascending values stored as varint deltas. */
function readSortedDeltas(r: ByteReader, n: number): Uint32Array {
	const sorted = new Uint32Array(n);
	let prev = 0;
	for (let i = 0; i < n; i++) {
		prev += r.varint();
		sorted[i] = prev;
	}
	return sorted;
}

export function writeResources(w: ByteWriter, res: ResourceData): void {
	const names = Object.keys(res.sets).sort();
	w.varint(names.length);
	for (const name of names) {
		w.varint(name.length);
		for (let i = 0; i < name.length; i++) {
			w.byte(name.charCodeAt(i));
		}
		writeHashSet(w, res.sets[name], SET_BITS);
	}
	w.varint(res.gazMaxLen);
	writePhraseMap(w, res.gazetteer);
}

/** A phrase-hash → byte-mask map: count, sorted hashes as varint deltas, then the masks. */
function writePhraseMap(w: ByteWriter, map: ReadonlyMap<number, number>): void {
	const entries = [...map.entries()].sort((a, b) => a[0] - b[0]);
	w.varint(entries.length);
	let prev = 0;
	for (const [h] of entries) {
		w.varint(h - prev);
		prev = h;
	}
	for (const [, mask] of entries) {
		w.byte(mask);
	}
}

function readPhraseMap(r: ByteReader): U32Map {
	const n = r.varint();
	const keys = readSortedDeltas(r, n);
	const map = new U32Map(n);
	for (let i = 0; i < n; i++) {
		map.set(keys[i], r.byte());
	}
	return map;
}

export function readResources(r: ByteReader): NerResources {
	const res: Record<string, unknown> = {};
	const count = r.varint();
	for (let k = 0; k < count; k++) {
		const len = r.varint();
		let name = '';
		for (let i = 0; i < len; i++) {
			name += String.fromCharCode(r.byte());
		}
		res[name] = readHashSet(r);
	}
	const gazMaxLen = r.varint();
	const gazetteer: GazetteerLike = readPhraseMap(r);
	return { ...(res as Partial<NerResources>), gazetteer, gazMaxLen };
}

function quantScale(m: LinearModelData): number {
	let maxAbs = 0;
	for (let i = 0; i < m.weights.length; i++) {
		const a = Math.abs(m.weights[i]);
		if (a > maxAbs) {
			maxAbs = a;
		}
	}
	return maxAbs > 0 ? maxAbs / 127 : 1;
}

function quant(m: LinearModelData, scale: number, r: number, l: number): number {
	const i = r * L + l;
	return i < m.weights.length ? Math.max(-127, Math.min(127, Math.round(m.weights[i] / scale))) : 0;
}

/** Rows (indices into keys) with a non-zero quantized weight in any model, sorted by key. */
function keptRows(keys: Uint32Array, models: readonly LinearModelData[]): number[] {
	const scales = models.map(quantScale);
	const kept: number[] = [];
	for (let r = 0; r < keys.length; r++) {
		let any = false;
		for (let k = 0; k < models.length && !any; k++) {
			for (let l = 0; l < L; l++) {
				if (quant(models[k], scales[k], r, l) !== 0) {
					any = true;
					break;
				}
			}
		}
		if (any) {
			kept.push(r);
		}
	}
	return kept.sort((a, b) => keys[a] - keys[b]);
}

function writeKeys(w: ByteWriter, keys: Uint32Array, kept: readonly number[]): void {
	w.varint(kept.length);
	let prev = 0;
	for (const r of kept) {
		w.varint(keys[r] - prev);
		prev = keys[r];
	}
}

function readKeys(r: ByteReader): U32Map {
	const n = r.varint();
	const rowOf = new U32Map(n);
	const buf = r.buf;
	let p = r.pos;
	let prev = 0;
	for (let i = 0; i < n; i++) {
		// Inlined varint (hot at load time).
		let b = buf[p++];
		let v = b & 0x7f;
		let mul = 0x80;
		while (b >= 0x80) {
			b = buf[p++];
			v += (b & 0x7f) * mul;
			mul *= 0x80;
		}
		prev += v;
		rowOf.set(prev, i);
	}
	if (p > buf.length) {
		throw new Error('model data truncated');
	}
	r.pos = p;
	return rowOf;
}

/** Writes int8 weights (one global scale) of the kept rows: per row a label mask and the non-zero values. */
function writeLinearModel(w: ByteWriter, m: LinearModelData, kept: readonly number[]): void {
	const scale = quantScale(m);
	w.float32s(Float32Array.of(scale));
	for (const r of kept) {
		let mask = 0;
		const vals: number[] = [];
		for (let l = 0; l < L; l++) {
			const q = quant(m, scale, r, l);
			if (q !== 0) {
				mask |= 1 << l;
				vals.push(q);
			}
		}
		w.varint(mask);
		for (const q of vals) {
			w.byte(q & 0xff);
		}
	}
	const div = (a: Float32Array): Float32Array => a.map((x) => x / scale);
	w.float32s(div(m.trans));
	w.float32s(div(m.start));
	w.float32s(div(m.end));
}

function readLinearModel(r: ByteReader, n: number): RuntimeLinearModel {
	r.float32s(1); // scale (decoding works in quantized units)
	const buf = r.buf;
	let p = r.pos;
	const rowStart = new Int32Array(n + 1);
	let entries = new Int16Array(n * 4 + 16);
	let k = 0;
	for (let i = 0; i < n; i++) {
		rowStart[i] = k;
		// Label mask: a varint of up to 3 bytes (17 labels).
		let b = buf[p++];
		let mask = b & 0x7f;
		if (b >= 0x80) {
			b = buf[p++];
			mask |= (b & 0x7f) << 7;
			if (b >= 0x80) {
				mask |= (buf[p++] & 0x7f) << 14;
			}
		}
		if (k + L > entries.length) {
			const bigger = new Int16Array(entries.length * 2);
			bigger.set(entries);
			entries = bigger;
		}
		for (let l = 0; mask !== 0; l++, mask >>>= 1) {
			if (mask & 1) {
				entries[k++] = (((buf[p++] << 24) >> 24) << ENTRY_LABEL_BITS) | l;
			}
		}
	}
	if (p > buf.length) {
		throw new Error('model data truncated');
	}
	r.pos = p;
	rowStart[n] = k;
	const trans = r.float32s(L * L);
	const start = r.float32s(L);
	const end = r.float32s(L);
	return { rowStart, entries: entries.slice(0, k), trans, start, end };
}

export interface ModelParts {
	resources: ResourceData;
	/** Feature hash of each weight row (pass-1 weights may cover only a prefix of the rows). */
	keys: Uint32Array;
	pass1: LinearModelData;
	pass2?: LinearModelData;
	training: Record<string, unknown>;
	settings: Record<string, unknown>;
	created?: string;
}

/**
 * Trained weights with an adaptation (quantized units, see overlay.ts) added in: rows of known
 * features change, features the training never saw get new rows. For `train-ner --corrections`.
 */
export function bakeAdaptation(parts: ModelParts, adaptation: { keys: Uint32Array; pass1: Float32Array; pass2: Float32Array }): ModelParts {
	const rowOf = new Map<number, number>();
	parts.keys.forEach((h, r) => rowOf.set(h, r));
	const keys = [...parts.keys];
	for (const h of adaptation.keys) {
		if (!rowOf.has(h)) {
			rowOf.set(h, keys.length);
			keys.push(h);
		}
	}
	const bake = (m: LinearModelData, delta: Float32Array): LinearModelData => {
		const scale = quantScale(m);
		const weights = new Float32Array(keys.length * L);
		weights.set(m.weights);
		adaptation.keys.forEach((h, i) => {
			const r = rowOf.get(h)!;
			for (let l = 0; l < L; l++) {
				weights[r * L + l] += delta[i * L + l] * scale;
			}
		});
		return { ...m, weights };
	};
	return {
		...parts,
		keys: Uint32Array.from(keys),
		pass1: bake(parts.pass1, adaptation.pass1),
		pass2: parts.pass2 && bake(parts.pass2, adaptation.pass2),
	};
}

/** Serializes a trained model to the text model-file format. */
export function serializeModel(parts: ModelParts): { bytes: Uint8Array; stats: Record<string, number> } {
	const sections: { name: string; data: Uint8Array }[] = [];
	const stats: Record<string, number> = {};
	let w = new ByteWriter();
	writeResources(w, parts.resources);
	sections.push({ name: 'resources', data: w.finish() });
	if (parts.resources.knowledge && parts.resources.knowledge.size > 0) {
		w = new ByteWriter();
		writePhraseMap(w, parts.resources.knowledge);
		sections.push({ name: 'knowledge', data: w.finish() });
	}
	const models = parts.pass2 ? [parts.pass1, parts.pass2] : [parts.pass1];
	const kept = keptRows(parts.keys, models);
	stats.rows = kept.length;
	w = new ByteWriter();
	writeKeys(w, parts.keys, kept);
	sections.push({ name: 'features', data: w.finish() });
	models.forEach((m, i) => {
		w = new ByteWriter();
		writeLinearModel(w, m, kept);
		sections.push({ name: `pass${i + 1}`, data: w.finish() });
	});
	const header: ModelHeader = {
		format: MODEL_FORMAT,
		version: MODEL_VERSION,
		created: parts.created ?? new Date().toISOString(),
		training: parts.training,
		settings: parts.settings,
		labels: [...LABELS],
		sections: sections.map((s) => ({ name: s.name, bytes: s.data.length })),
	};
	const total = sections.reduce((a, s) => a + s.data.length, 0);
	const payload = new Uint8Array(total);
	let off = 0;
	for (const s of sections) {
		payload.set(s.data, off);
		off += s.data.length;
		stats[`${s.name}Bytes`] = s.data.length;
	}
	const headerLine = JSON.stringify(header).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
	const bytes = new Uint8Array(headerLine.length + payload.length);
	for (let i = 0; i < headerLine.length; i++) {
		bytes[i] = headerLine.charCodeAt(i);
	}
	bytes.set(payload, headerLine.length);
	return { bytes, stats };
}

export interface ParsedModel {
	header: ModelHeader;
	resources: NerResources;
	/** Feature hash → weight row, shared by both passes. */
	rowOf: U32Map;
	pass1: RuntimeLinearModel;
	pass2?: RuntimeLinearModel;
}

/** Parses a model file from its bytes. */
export function parseModel(data: Uint8Array): ParsedModel {
	// A plain view (a Node Buffer subclass would change slice() semantics).
	const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
	const nl = bytes.indexOf(10);
	let headerText = '';
	for (let i = 0; i < (nl < 0 ? bytes.length : nl); i++) {
		headerText += String.fromCharCode(bytes[i]);
	}
	let header: ModelHeader;
	try {
		header = JSON.parse(headerText) as ModelHeader;
	} catch {
		throw new Error('not a Corpus Annotator NER model (bad header line)');
	}
	if (header.format !== MODEL_FORMAT) {
		throw new Error(`not a Corpus Annotator NER model (format "${String(header.format)}")`);
	}
	if (!READABLE_VERSIONS.includes(header.version)) {
		throw new Error(`unsupported NER model version ${header.version} (this build reads ${READABLE_VERSIONS.join(', ')})`);
	}
	if (header.labels.join(' ') !== LABELS.join(' ')) {
		throw new Error('NER model label set does not match this build');
	}
	const payload = bytes.subarray(nl + 1);
	const expected = header.sections.reduce((a, s) => a + s.bytes, 0);
	if (payload.length !== expected) {
		throw new Error(`NER model payload has ${payload.length} bytes, header says ${expected}`);
	}
	const section = (name: string): ByteReader | undefined => {
		let o = 0;
		for (const s of header.sections) {
			if (s.name === name) {
				return new ByteReader(payload.subarray(o, o + s.bytes));
			}
			o += s.bytes;
		}
		return undefined;
	};
	const resR = section('resources');
	const featR = section('features');
	const p1 = section('pass1');
	if (!resR || !featR || !p1) {
		throw new Error('NER model lacks a resources, features or pass1 section');
	}
	const rowOf = readKeys(featR);
	const p2 = section('pass2');
	const knowR = section('knowledge');
	const resources = readResources(resR);
	resources.prefixClosed = header.settings.gazetteerPrefixes === true;
	if (knowR) {
		resources.knowledge = readPhraseMap(knowR);
	}
	return {
		header,
		resources,
		rowOf,
		pass1: readLinearModel(p1, rowOf.size),
		pass2: p2 ? readLinearModel(p2, rowOf.size) : undefined,
	};
}
