/**
 * WebAnno TSV 3.3 (the INCEpTION/WebAnno user guide, "WebAnno TSV 3.3 File format"): per
 * article `<stem>.tsv`, a span layer `webanno.custom.Annotation` and a relation layer
 * `webanno.custom.Relation`, one row per token with our tokenizer.
 *
 * - Offsets in the file are UTF-16 units (Java chars) of the text the TSV carries: the article
 *   file's text without its BOM (CR kept, written `\r` in `#Text=` lines as the spec says).
 * - Every character of the text is inside a sentence: a sentence's `#Text=` lines run from its
 *   first token to the next sentence's first token (the space and blank lines after it
 *   included), so reading it back, as INCEpTION's reader does (sentence texts joined, the gap
 *   before the first token padded with spaces), gives the text exactly; INCEpTION adds one line
 *   break at the end.
 * - Spans not on token boundaries: a token with a span boundary inside it gets sub-token rows
 *   (`1-3.1`, `1-3.2`) split at those boundaries, and a boundary in the white space between
 *   tokens gets white-space tokens, so every span is a run of rows and comes back exactly.
 * - Span features: `label`, then `note`, `entity`, `author`, `created`, `modified`,
 *   `curatedBy`, `curated` when any article of the export has them, and `annotationId`; the
 *   relation layer: `type`, `note`, `author`, `created`, `modified` when used, `relationId` and
 *   the `BT_` column. So nothing is lost (for INCEpTION, create the two custom layers with these
 *   string features first). A multi-row or stacked span gets a disambiguation id `label[3]`;
 *   stacked values are separated by `|`, reserved characters escaped with `\`.
 * - A relation is written on the first row of its target span, its `BT_` column naming the first
 *   row of the source span (`1-2[3_4]`: source and target disambiguation ids, 0 for none).
 *
 * Import reads what export writes and other TSV 3.2/3.3 files: any span layer with a `label` or
 * `value` feature becomes spans (a null value: the layer's short name), relation layers on such
 * a layer become relations; other layers are skipped with a warning.
 */
import { prepareText, type PreparedText } from '../annotations/anchoring';
import type { Annotation, Relation } from '../annotations/model';
import { editorOffset, sidecarOffset } from '../annotations/offsets';
import { splitSentences, tokenize } from '../ner/tokenizer';
import { exchangeFormatOf } from './articleExport';
import type { ArticleExporter, ExchangeDocument, ExchangeError, ExchangeFile, ExchangeFormat, ImportedDocument, ImportResult } from './exchangeFormat';
import { importPerFile } from './exchangeImport';
import { LossTally } from './exchangeLosses';
import { buildDocument, checkArticle, RawText, SchemaCollector, withExtension, type RelationInput, type SpanInput } from './jsonExchange';

export const TSV_SPAN_LAYER = 'webanno.custom.Annotation';
export const TSV_RELATION_LAYER = 'webanno.custom.Relation';
const FORMAT_LINE = '#FORMAT=WebAnno TSV 3.3';

// ---- escaping (the spec's reserved characters) ------------------------------------------------

const VALUE_ESCAPES: [string, string][] = [['\\', '\\\\'], ['[', '\\['], [']', '\\]'], ['|', '\\|'], ['_', '\\_'], ['->', '\\->'], [';', '\\;'], ['\t', '\\t'], ['\n', '\\n'], ['*', '\\*']];

const RESERVED = /[\\[\]|_;\t\n*]|->/;

/**
 * `v` rewritten from left to right: at each index, `step` gives what replaces the text there and
 * how many UTF-16 units that consumes, or undefined to keep the unit. Unless `needed`, `v` as it is.
 */
function rewrite(v: string, needed: boolean, step: (v: string, i: number) => readonly [string, number] | undefined): string {
	if (!needed) {
		return v;
	}
	let out = '';
	for (let i = 0; i < v.length;) {
		const replaced = step(v, i);
		out += replaced ? replaced[0] : v[i];
		i += replaced ? replaced[1] : 1;
	}
	return out;
}

/** A feature value with the reserved characters escaped. */
export function escapeValue(v: string): string {
	return rewrite(v, RESERVED.test(v), (s, i) => {
		if (s.startsWith('->', i)) {
			return ['\\->', 2];
		}
		const e = VALUE_ESCAPES.find(([ch]) => ch === s[i]);
		return e ? [e[1], 1] : undefined;
	});
}

export function unescapeValue(v: string): string {
	return rewrite(v, v.includes('\\'), (s, i) => {
		if (s[i] !== '\\') {
			return undefined;
		}
		if (s.startsWith('->', i + 1)) {
			return ['->', 3];
		}
		const e = VALUE_ESCAPES.find(([, esc]) => esc === s.slice(i, i + 2));
		return e ? [e[0], 2] : undefined;
	});
}

const TEXT_ESCAPES: Record<string, string> = { '\t': 't', '\n': 'n', '\f': 'f', '\r': 'r', '\b': 'b', '\\': '\\' };
const TEXT_UNESCAPES: Record<string, string> = { t: '\t', n: '\n', f: '\f', r: '\r', b: '\b', '\\': '\\' };

const CONTROL_OR_BACKSLASH = /[\x00-\x1f\\]/;

/** A control character the spec's writer escapes as itself after a backslash (not one of the named escapes). */
function escapedAsItself(c: number): boolean {
	return c < 32 && (c < 8 || c > 13);
}

/** Text of `#Text=` lines and the token column: control characters escaped as the spec's writer does. */
export function escapeText(t: string): string {
	return rewrite(t, CONTROL_OR_BACKSLASH.test(t), (s, i) => {
		const named = TEXT_ESCAPES[s[i]];
		return named !== undefined ? ['\\' + named, 1] : escapedAsItself(s.charCodeAt(i)) ? ['\\' + s[i], 1] : undefined;
	});
}

export function unescapeText(t: string): string {
	return rewrite(t, t.includes('\\'), (s, i) => {
		if (s[i] !== '\\' || i + 1 >= s.length) {
			return undefined;
		}
		const next = s[i + 1];
		const named = TEXT_UNESCAPES[next];
		return named !== undefined ? [named, 2] : escapedAsItself(next.charCodeAt(0)) ? [next, 2] : undefined;
	});
}

/** Splits a column at `sep` characters not escaped by a backslash. */
function splitUnescaped(v: string, sep: string): string[] {
	const parts: string[] = [];
	let cur = '';
	for (let i = 0; i < v.length; i++) {
		if (v[i] === '\\' && i + 1 < v.length) {
			cur += v[i] + v[i + 1];
			i++;
		} else if (v[i] === sep) {
			parts.push(cur);
			cur = '';
		} else {
			cur += v[i];
		}
	}
	parts.push(cur);
	return parts;
}

/** A value and its `[n]` (or `[a_b]`) suffix, if any (an escaped `\]` is not one). */
function splitDisambiguation(v: string): { value: string; id?: string } {
	if (!v.endsWith(']') || v.endsWith('\\]')) {
		return { value: v };
	}
	const open = v.lastIndexOf('[');
	if (open < 0 || (open > 0 && v[open - 1] === '\\')) {
		return { value: v };
	}
	return { value: v.slice(0, open), id: v.slice(open + 1, -1) };
}

// ---- export -----------------------------------------------------------------------------------

type SpanField = 'note' | 'entity' | 'author' | 'created' | 'modified' | 'curated_by' | 'curated';
type RelationField = 'note' | 'author' | 'created' | 'modified';
const SPAN_FIELDS: readonly [SpanField, string][] = [['note', 'note'], ['entity', 'entity'], ['author', 'author'], ['created', 'created'], ['modified', 'modified'], ['curated_by', 'curatedBy'], ['curated', 'curated']];
const RELATION_FIELDS_TSV: readonly [RelationField, string][] = [['note', 'note'], ['author', 'author'], ['created', 'created'], ['modified', 'modified']];

/** One row: a token (or white-space token) or a sub-token, in UTF-16 units of the TSV text. */
interface Unit {
	id: string;
	start: number;
	end: number;
	/** Indexes of the spans (relations) on this row; the shared {@link NONE} until one is added. */
	spans: readonly number[];
	relations: readonly number[];
}

/** The empty list most rows keep (one shared array: rows are many, annotated rows few). */
const NONE: readonly number[] = [];
const NO_UNITS: readonly Unit[] = [];

function added(list: readonly number[], k: number): readonly number[] {
	return list === NONE ? [k] : [...list, k];
}

interface Row {
	unit: Unit;
	subunits: readonly Unit[];
}

/** Rows of one sentence. */
type Sentence = Row[];

/**
 * Units of `text`: our tokens, white-space tokens where a span boundary lies between tokens
 * (or the text starts with white space other than spaces), split into sub-tokens at span
 * boundaries inside them; grouped in our tokenizer's sentences.
 */
/** The values of ascending `sorted` strictly between `from` and `to`. */
function strictlyBetween(sorted: readonly number[], from: number, to: number): number[] {
	let lo = 0, hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (sorted[mid] <= from) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	if (lo >= sorted.length || sorted[lo] >= to) {
		return NONE as number[];
	}
	const out: number[] = [];
	for (let k = lo; k < sorted.length && sorted[k] < to; k++) {
		out.push(sorted[k]);
	}
	return out;
}

function layout(text: string, starts: ReadonlySet<number>, ends: ReadonlySet<number>): Sentence[] {
	const breaks = new Set<number>();
	const tokens = tokenize(text, 0, text.length, breaks);
	const sentences = splitSentences(tokens, breaks);
	const bounds = [...new Set([...starts, ...ends])].sort((a, b) => a - b);
	// Rows are made as the text is walked (no intermediate lists: an article has hundreds of tokens).
	const out: Sentence[] = [];
	let rows: Sentence = [];
	const row = (start: number, end: number): void => {
		const id = `${out.length + 1}-${rows.length + 1}`;
		const cuts = strictlyBetween(bounds, start, end);
		const points = cuts.length > 0 ? [start, ...cuts, end] : [];
		rows.push({
			unit: { id, start, end, spans: NONE, relations: NONE },
			subunits: points.length === 0 ? NO_UNITS : points.slice(1).map((e, k) => ({ id: `${id}.${k + 1}`, start: points[k], end: e, spans: NONE, relations: NONE })),
		});
	};
	/** White-space tokens for the gap [from, to) when a span boundary needs one (or `force`). */
	const gap = (from: number, to: number, force: boolean): void => {
		if (from >= to) {
			return;
		}
		const cuts = strictlyBetween(bounds, from, to);
		// A span starting where the gap starts, or ending where it ends, needs a row there.
		if (cuts.length === 0 && !starts.has(from) && !ends.has(to) && !force) {
			return;
		}
		let at = from;
		for (const cut of cuts) {
			row(at, cut);
			at = cut;
		}
		row(at, to);
	};
	const endSentence = (): void => {
		if (rows.length > 0) {
			out.push(rows);
			rows = [];
		}
	};
	let prevEnd = 0;
	sentences.forEach((sentence, si) => {
		for (const t of sentence) {
			gap(prevEnd, t.start, prevEnd === 0 && t.start > 0 && !/^ *$/.test(text.slice(0, t.start)));
			row(t.start, t.end);
			prevEnd = t.end;
		}
		// The white space after the last sentence belongs to it.
		if (si + 1 < sentences.length) {
			endSentence();
		}
	});
	gap(prevEnd, text.length, tokens.length === 0);
	endSentence();
	return out;
}

function tsvOf(
	doc: ExchangeDocument, prepared: PreparedText, relations: readonly Relation[], spanCols: readonly [SpanField, string][], relCols: readonly [RelationField, string][],
): string {
	const hasBom = doc.text.charCodeAt(0) === 0xfeff;
	const text = hasBom ? doc.text.slice(1) : doc.text;
	const bom = hasBom ? 1 : 0;
	const ranges = doc.annotations.map((a) => ({ start: prepared.rawIndex.toUtf16(a.start) - bom, end: prepared.rawIndex.toUtf16(a.end) - bom }));
	const starts = new Set<number>();
	const ends = new Set<number>();
	for (const r of ranges) {
		starts.add(r.start);
		ends.add(r.end);
	}
	const sentences = layout(text, starts, ends);
	// Which rows each span covers: whole tokens inside it, else the sub-tokens inside it.
	// (A loop: Array.prototype.flat is slow on many small arrays.)
	const rows: Row[] = [];
	for (const sentence of sentences) {
		for (const row of sentence) {
			rows.push(row);
		}
	}
	const unitsOf: Unit[][] = ranges.map((r) => {
		const units: Unit[] = [];
		let lo = 0, hi = rows.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (rows[mid].unit.end <= r.start) {
				lo = mid + 1;
			} else {
				hi = mid;
			}
		}
		for (let k = lo; k < rows.length && rows[k].unit.start < r.end; k++) {
			const row = rows[k];
			if (r.start <= row.unit.start && row.unit.end <= r.end) {
				units.push(row.unit);
			} else {
				units.push(...row.subunits.filter((u) => r.start <= u.start && u.end <= r.end));
			}
		}
		return units;
	});
	unitsOf.forEach((units, k) => units.forEach((u) => { u.spans = added(u.spans, k); }));
	let nextId = 1;
	const disambiguation = unitsOf.map((units) => (units.length > 1 || units.some((u) => u.spans.length > 1) ? nextId++ : 0));
	const index = new Map(doc.annotations.map((a, k) => [a.id, k]));
	relations.forEach((r, k) => {
		const u = unitsOf[index.get(r.to)!][0];
		u.relations = added(u.relations, k);
	});

	const value = (v: string | undefined, id: number): string => (v === undefined ? '*' : escapeValue(v)) + (id > 0 ? `[${id}]` : '');
	const noSpans = ['label', ...spanCols, 'annotationId'].map(() => '_');
	const noRelations = ['type', ...relCols, 'relationId', 'BT'].map(() => '_');
	const emptyRow = [...noSpans, ...noRelations].join('\t');
	const spanColumns = (u: Unit): string[] => {
		if (u.spans.length === 0) {
			return noSpans;
		}
		const col = (get: (a: Annotation) => string | undefined): string => u.spans.map((k) => value(get(doc.annotations[k]), disambiguation[k])).join('|');
		return [col((a) => a.label), ...spanCols.map(([f]) => col((a) => a[f])), col((a) => a.id)];
	};
	const relationColumns = (u: Unit): string[] => {
		if (u.relations.length === 0) {
			return noRelations;
		}
		const col = (get: (r: Relation) => string | undefined): string => u.relations.map((k) => value(get(relations[k]), 0)).join('|');
		const ref = u.relations.map((k) => {
			const from = index.get(relations[k].from)!;
			const to = index.get(relations[k].to)!;
			const a = disambiguation[from];
			const b = disambiguation[to];
			return unitsOf[from][0].id + (a > 0 || b > 0 ? `[${a}_${b}]` : '');
		}).join('|');
		return [col((r) => r.type), ...relCols.map(([f]) => col((r) => r[f])), col((r) => r.id), ref];
	};
	const lines: string[] = [
		FORMAT_LINE,
		`#T_SP=${TSV_SPAN_LAYER}|label|${spanCols.map(([, name]) => name + '|').join('')}annotationId`,
		`#T_RL=${TSV_RELATION_LAYER}|type|${relCols.map(([, name]) => name + '|').join('')}relationId|BT_${TSV_SPAN_LAYER}`,
		'',
		'',
	];
	sentences.forEach((sentence, i) => {
		const start = sentence[0].unit.start;
		const end = i + 1 < sentences.length ? sentences[i + 1][0].unit.start : text.length;
		for (const piece of text.slice(start, end).split('\n')) {
			lines.push(`#Text=${escapeText(piece)}`);
		}
		const push = (u: Unit): void => {
			const head = `${u.id}\t${u.start}-${u.end}\t${escapeText(text.slice(u.start, u.end))}\t`;
			lines.push(u.spans.length === 0 && u.relations.length === 0 ? head + emptyRow : head + [...spanColumns(u), ...relationColumns(u)].join('\t'));
		};
		for (const row of sentence) {
			push(row.unit);
			for (const u of row.subunits) {
				push(u);
			}
		}
		lines.push('');
	});
	return lines.join('\n') + '\n';
}

const tsvExporter: ArticleExporter = {
	exportArticle(doc, _index, context) {
		const checks = checkArticle(doc, 'webanno-tsv');
		// The columns are the fields used anywhere in the export: every file declares the same layers.
		const spanCols = SPAN_FIELDS.filter(([f]) => context.fields.annotation.includes(f));
		const relCols = RELATION_FIELDS_TSV.filter(([f]) => context.fields.relation.includes(f));
		const tally = new LossTally();
		tally.addAll(checks.losses);
		tally.add('byte-order marks (the TSV text has none)', doc.text.charCodeAt(0) === 0xfeff ? 1 : 0);
		const file = { path: withExtension(doc.path, '.tsv'), text: tsvOf(doc, checks.text.prepared, checks.relations, spanCols, relCols) };
		return { files: [file], losses: tally.list(), warnings: checks.warnings };
	},
	finish: () => [],
};

// ---- import -----------------------------------------------------------------------------------

/** One column of the body, as the header declares it. */
interface Column {
	layer: string;
	kind: 'span' | 'relation' | 'other';
	feature: string;
}

interface SpanBuild {
	layer: string;
	start: number;
	end: number;
	values: Map<string, string | undefined>;
	line: number;
}

interface RelationBuild {
	layer: string;
	values: Map<string, string | undefined>;
	target?: SpanBuild;
	targetId: number;
	sourceRef?: string;
	line: number;
	column: number;
}

interface UnitInfo {
	start: number;
	end: number;
	/** Span annotations on this row per layer, in stacking order. */
	spans: Map<string, SpanBuild[]>;
	line: number;
	token: string;
}

const ROW_ID = /^(\d+)-(\d+)(?:\.(\d+))?$/;
const OFFSETS = /^(\d+)-(\d+)$/;

function shortName(layer: string): string {
	return layer.slice(layer.lastIndexOf('.') + 1);
}

/** Parses one TSV file into a document; problems go to `errors`. */
function parseTsv(file: ExchangeFile, errors: ExchangeError[], warnings: string[], schema: SchemaCollector): ImportedDocument | undefined {
	const before = errors.length;
	const report = (line: number, column: number, message: string): void => {
		errors.push({ file: file.path, line, column, message });
	};
	const lines = file.text.replace(/^\uFEFF/, '').split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
	if (!/^#FORMAT=WebAnno TSV 3\.[23]$/.test(lines[0] ?? '')) {
		report(1, 1, `the first line must be "${FORMAT_LINE}" (or 3.2), not ${JSON.stringify((lines[0] ?? '').slice(0, 60))}`);
		return undefined;
	}
	// Header: layer declarations until the first blank line.
	const columns: Column[] = [];
	const spanLayers = new Set<string>();
	const relationBase = new Map<string, string>();
	let i = 1;
	for (; i < lines.length && lines[i] !== ''; i++) {
		const m = /^#(T_SP|T_RL|T_CH)=([^|]+)(?:\|(.*))?$/.exec(lines[i]);
		if (!m) {
			report(i + 1, 1, `a header line is "#T_SP=layer|feature…", "#T_RL=…" or "#T_CH=…", not ${JSON.stringify(lines[i].slice(0, 60))}`);
			return undefined;
		}
		const [, kind, layer, rest] = m;
		const features = rest === undefined || rest === '' ? [] : rest.split('|');
		if (kind === 'T_SP') {
			const imported = features.includes('label') || features.includes('value');
			if (imported) {
				spanLayers.add(layer);
			} else {
				warnings.push(`${file.path}:${i + 1}: span layer ${layer} has no "label" or "value" feature; not imported.`);
			}
			// A slot feature (ROLE_…) is followed by its target column; both are other columns here.
			for (const f of features.length > 0 ? features : ['']) {
				columns.push({ layer, kind: imported && !f.startsWith('ROLE_') && !f.includes('.') ? 'span' : 'other', feature: f });
			}
		} else if (kind === 'T_RL') {
			const base = features.find((f) => f.startsWith('BT_'));
			if (base === undefined) {
				report(i + 1, 1, `relation layer ${layer} has no BT_ column (the layer its relations join)`);
				return undefined;
			}
			relationBase.set(layer, base.slice(3));
			for (const f of features) {
				columns.push({ layer, kind: 'relation', feature: f.startsWith('BT_') ? 'BT' : f });
			}
		} else {
			warnings.push(`${file.path}:${i + 1}: chain layer ${layer} not imported.`);
			for (const f of features.length > 0 ? features : ['']) {
				columns.push({ layer, kind: 'other', feature: f });
			}
		}
	}
	for (const [layer, base] of relationBase) {
		if (!spanLayers.has(base)) {
			warnings.push(`${file.path}: relation layer ${layer} joins ${base}, which is not imported; its relations are skipped.`);
			for (const c of columns) {
				if (c.layer === layer) {
					c.kind = 'other';
				}
			}
		}
	}
	// Body: sentences of `#Text=` lines and rows; the text rebuilt as INCEpTION's reader does.
	let text = '';
	let sentenceText: string | undefined;
	let inSentence = false;
	const units = new Map<string, UnitInfo>();
	const disambiguated = new Map<string, SpanBuild>();
	const spansBuilt: SpanBuild[] = [];
	const relationsBuilt: RelationBuild[] = [];
	let lastToken: UnitInfo | undefined;
	for (i++; i < lines.length; i++) {
		const lineNo = i + 1;
		const line = lines[i];
		if (line === '') {
			inSentence = false;
			continue;
		}
		if (line.startsWith('#')) {
			if (inSentence) {
				report(lineNo, 1, 'a sentence header inside a sentence: leave a blank line between sentences');
				continue;
			}
			if (line.startsWith('#Text=')) {
				sentenceText = (sentenceText ?? '') + unescapeText(line.slice(6)) + '\n';
			}
			continue;
		}
		const fields = line.split('\t');
		const idMatch = ROW_ID.exec(fields[0]);
		const offMatch = OFFSETS.exec(fields[1] ?? '');
		if (!idMatch || !offMatch || fields.length < columns.length + 3) {
			report(lineNo, 1, `a row is "sentence-token<tab>begin-end<tab>token" and ${columns.length} annotation column${columns.length === 1 ? '' : 's'}: ${JSON.stringify(line.slice(0, 60))}`);
			continue;
		}
		const begin = Number(offMatch[1]);
		const end = Number(offMatch[2]);
		if (begin > end) {
			report(lineNo, fields[0].length + 2, `offsets ${fields[1]} are reversed`);
			continue;
		}
		if (sentenceText !== undefined) {
			if (text.length > begin) {
				text = text.slice(0, -1);
			}
			text = text.padEnd(begin, ' ') + sentenceText;
			sentenceText = undefined;
		} else if (!inSentence) {
			report(lineNo, 1, 'a row before any "#Text=" line');
			continue;
		}
		inSentence = true;
		if (units.has(fields[0])) {
			report(lineNo, 1, `row ${fields[0]} appears twice`);
			continue;
		}
		const unit: UnitInfo = { start: begin, end, spans: new Map(), line: lineNo, token: unescapeText(fields[2]) };
		if (idMatch[3] === undefined) {
			lastToken = unit;
		} else if (!lastToken || begin < lastToken.start || end > lastToken.end) {
			report(lineNo, 1, `sub-token ${fields[0]} is not inside the token before it`);
			continue;
		}
		units.set(fields[0], unit);
		let column = fields[0].length + fields[1].length + fields[2].length + 4;
		const relationsHere = new Map<string, RelationBuild[]>();
		columns.forEach((col, c) => {
			const raw = fields[c + 3];
			const at = column;
			column += raw.length + 1;
			if (col.kind === 'other' || raw === '_') {
				return;
			}
			splitUnescaped(raw, '|').forEach((stacked, k) => {
				const { value, id } = col.feature === 'BT' ? { value: stacked, id: undefined } : splitDisambiguation(stacked);
				const v = value === '*' ? undefined : unescapeValue(value);
				if (col.kind === 'span') {
					const onUnit = unit.spans.get(col.layer) ?? [];
					unit.spans.set(col.layer, onUnit);
					let span = onUnit[k];
					if (!span && id !== undefined && Number(id) > 0) {
						span = disambiguated.get(`${col.layer}#${id}`)!;
						if (span) {
							span.end = Math.max(span.end, end);
							onUnit[k] = span;
						}
					}
					if (!span) {
						span = { layer: col.layer, start: begin, end, values: new Map(), line: lineNo };
						spansBuilt.push(span);
						onUnit[k] = span;
						if (id !== undefined && /^\d+$/.test(id) && Number(id) > 0) {
							disambiguated.set(`${col.layer}#${id}`, span);
						}
					}
					if (!span.values.has(col.feature)) {
						span.values.set(col.feature, v);
					}
				} else {
					const here = relationsHere.get(col.layer) ?? [];
					relationsHere.set(col.layer, here);
					here[k] ??= { layer: col.layer, values: new Map(), targetId: 0, line: lineNo, column: at };
					if (col.feature === 'BT') {
						const ref = splitDisambiguation(stacked);
						here[k].sourceRef = stacked;
						here[k].targetId = ref.id?.includes('_') ? Number(ref.id.split('_')[1]) : 0;
						here[k].column = at;
					} else {
						here[k].values.set(col.feature, v);
					}
				}
			});
		});
		for (const [layer, rels] of relationsHere) {
			for (const r of rels) {
				const candidates = unit.spans.get(relationBase.get(layer)!) ?? [];
				r.target = r.targetId > 0 ? disambiguated.get(`${relationBase.get(layer)!}#${r.targetId}`) : candidates[0];
				relationsBuilt.push(r);
			}
		}
	}
	if (text.endsWith('\n')) {
		text = text.slice(0, -1);
	}
	for (const [id, u] of units) {
		if (u.end > text.length) {
			report(u.line, id.length + 2, `offsets ${u.start}-${u.end} run past the text of the #Text= lines (${text.length} UTF-16 units)`);
		} else if (text.slice(u.start, u.end) !== u.token) {
			report(u.line, id.length + 2, `the token ${JSON.stringify(u.token)} is not the text at ${u.start}-${u.end}, which reads ${JSON.stringify(text.slice(u.start, u.end))}`);
		}
	}
	const spanIndex = new Map(spansBuilt.map((s, k) => [s, k]));
	const relations: RelationInput[] = [];
	for (const r of relationsBuilt) {
		const base = relationBase.get(r.layer)!;
		const ref = splitDisambiguation(r.sourceRef ?? '');
		const unit = units.get(ref.value);
		const sourceId = ref.id?.includes('_') ? Number(ref.id.split('_')[0]) : 0;
		const source = sourceId > 0 ? disambiguated.get(`${base}#${sourceId}`) : unit?.spans.get(base)?.[0];
		if (r.sourceRef === undefined || !unit || !source || !r.target) {
			report(r.line, r.column, `the relation points at ${!r.target ? 'no span on this row' : JSON.stringify(r.sourceRef ?? '')}, which is not a span of layer ${base}`);
			continue;
		}
		const type = r.values.get('type') ?? r.values.get('value') ?? [...r.values.values()].find((v) => v !== undefined) ?? shortName(r.layer);
		const extras: Record<string, string | undefined> = {};
		for (const [f, name] of RELATION_FIELDS_TSV) {
			extras[f] = r.values.get(name);
		}
		relations.push({ id: r.values.get('relationId'), type, from: spanIndex.get(source)!, to: spanIndex.get(r.target)!, extras, place: { line: r.line, column: r.column } });
	}
	if (errors.length > before) {
		return undefined;
	}
	const prepared = prepareText(text);
	const toSidecar = (u16: number): number => prepared.rawIndex.toCodePoint(editorOffset(u16));
	const spans: SpanInput[] = spansBuilt.map((s) => {
		const extras: Record<string, string | undefined> = {};
		for (const [f, name] of SPAN_FIELDS) {
			extras[f] = s.values.get(name);
		}
		return {
			id: s.values.get('annotationId'),
			label: s.values.get('label') ?? s.values.get('value') ?? shortName(s.layer),
			start: sidecarOffset(toSidecar(s.start)), end: sidecarOffset(toSidecar(s.end)),
			extras, place: { line: s.line, column: 1 },
		};
	});
	// Document order (start, end), keeping the relations' endpoints.
	const order = spans.map((_, k) => k).sort((a, b) => spans[a].start - spans[b].start || spans[a].end - spans[b].end || a - b);
	const position = new Map(order.map((old, now) => [old, now]));
	return buildDocument(file.path, withExtension(file.path, '.txt'), new RawText(text), order.map((k) => spans[k]),
		relations.map((r) => ({ ...r, from: position.get(r.from)!, to: position.get(r.to)! })), errors, schema);
}

function importTsv(files: readonly ExchangeFile[]): ImportResult {
	return importPerFile(files, '.tsv', (f, errors, warnings, schema) => {
		const doc = parseTsv(f, errors, warnings, schema);
		return doc ? [doc] : [];
	});
}

/** WebAnno TSV 3.3, as INCEpTION imports and exports it. */
export const webannoTsvFormat: ExchangeFormat = exchangeFormatOf({
	id: 'webanno-tsv', inputExtensions: ['.tsv'], exporter: tsvExporter, importFiles: importTsv,
	description: 'WebAnno TSV 3.3 (INCEpTION): <stem>.tsv per article, span layer webanno.custom.Annotation and relation layer webanno.custom.Relation',
});
