/**
 * doccano's JSONL for sequence labelling (https://doccano.github.io/doccano/): one JSON object
 * per line and per text. Export writes `doccano.jsonl` with one line per article in the shape of
 * doccano's export with relations:
 *
 *     {"text": …, "entities": [{"id": 1, "label": "claim", "start_offset": 0, "end_offset": 5}],
 *      "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "source-of"}],
 *      "meta": {"path": "2024/05/001_x.txt", "corpus_annotator": {…}}}
 *
 * `text` is the article file's text exactly as read (a BOM and CRLF kept), and the offsets count
 * code points of that text (doccano is Python: `text[start_offset:end_offset]` is the span), so
 * a BOM and every CR count as one. Entity and relation ids are numbers per line, as doccano
 * writes them. What doccano has no field for — our annotation and relation ids, note, entity,
 * author, created, modified, curated_by, curated — is in `meta.corpus_annotator`, matched back to
 * the entities by span and label and to the relations by their ends and type, so it also
 * survives a trip through doccano (which keeps `meta` and renumbers ids). Nothing is lost.
 *
 * Import reads that shape and the older one, `"label": [[start, end, "label"], …]` (also spelt
 * `"labels"`; it has no relations). Each line becomes `meta.path` when it is a safe relative
 * path, else `<jsonl stem>/<id or line number>.txt` beside the file.
 */
import type { Relation } from '../annotations/model';
import { exchangeFormatOf } from './articleExport';
import type { ArticleExporter, ExchangeDocument, ExchangeError, ExchangeFile, ExchangeFormat, ImportedDocument, ImportResult } from './exchangeFormat';
import {
	ANNOTATION_EXTRA_KEYS, buildDocument, checkArticle, extrasOf, importedPath, isOffset, isRecord, parseJson,
	RawText, RELATION_EXTRA_KEYS, SchemaCollector, Stash, stashKey, type Place, type RelationInput, type SpanInput,
} from './jsonExchange';

/** The file export writes. */
export const DOCCANO_FILE = 'doccano.jsonl';

type Json = Record<string, unknown>;


function doccanoLine(doc: ExchangeDocument, text: RawText, relations: readonly Relation[]): Json {
	const number = new Map<string, number>();
	const entities = doc.annotations.map((a, i) => {
		number.set(a.id, i + 1);
		return { id: i + 1, label: a.label, start_offset: text.fromSidecar(a.start), end_offset: text.fromSidecar(a.end) };
	});
	return {
		text: doc.text,
		entities,
		relations: relations.map((r, i) => ({ id: i + 1, from_id: number.get(r.from), to_id: number.get(r.to), type: r.type })),
		meta: {
			path: doc.path,
			corpus_annotator: {
				annotations: doc.annotations.map((a, i) => ({
					id: a.id, start_offset: entities[i].start_offset, end_offset: entities[i].end_offset, label: a.label,
					...extrasOf(a, ANNOTATION_EXTRA_KEYS),
				})),
				relations: relations.map((r) => ({ id: r.id, from: r.from, to: r.to, type: r.type, ...extrasOf(r, RELATION_EXTRA_KEYS) })),
			},
		},
	};
}

const doccanoExporter: ArticleExporter = {
	exportArticle(doc) {
		const checks = checkArticle(doc, 'doccano');
		return { files: [], record: JSON.stringify(doccanoLine(doc, checks.text, checks.relations)) + '\n', losses: checks.losses, warnings: checks.warnings };
	},
	finish: (records) => [{ path: DOCCANO_FILE, text: records.join('') }],
};

// ---- import -------------------------------------------------------------------------------------

/** An id as we store it: strings as they are, numbers as digits; anything else is none. */
function idText(v: unknown): string | undefined {
	return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

function importDoccano(files: readonly ExchangeFile[]): ImportResult {
	const errors: ExchangeError[] = [];
	const warnings: string[] = [];
	const schema = new SchemaCollector();
	const documents: ImportedDocument[] = [];
	const paths = new Map<string, string>();
	for (const file of files.filter((f) => f.path.endsWith('.jsonl'))) {
		const lines = file.text.split('\n');
		lines.forEach((raw, i) => {
			const source = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
			if (source.trim() === '') {
				return;
			}
			const line = i + 1;
			const where = `${file.path}:${line}`;
			const doc = readLine(file, source, line, errors, warnings, schema);
			if (!doc) {
				return;
			}
			const earlier = paths.get(doc.path);
			if (earlier !== undefined) {
				errors.push({ file: file.path, line, column: 1, message: `a second text for ${doc.path} (the first is at ${earlier})` });
				return;
			}
			paths.set(doc.path, where);
			documents.push(doc);
		});
	}
	return errors.length > 0 ? { ok: false, errors } : { ok: true, documents, schema: schema.schema(), warnings };
}

function readLine(file: ExchangeFile, source: string, line: number, errors: ExchangeError[], warnings: string[], schema: SchemaCollector): ImportedDocument | undefined {
	const parsed = parseJson(source, line);
	if (!parsed.ok) {
		errors.push({ file: file.path, line: parsed.line, column: parsed.column, message: parsed.message });
		return undefined;
	}
	const before = errors.length;
	const report = (node: unknown, message: string): void => {
		errors.push({ file: file.path, ...parsed.at(node), message });
	};
	const record = parsed.value;
	if (!isRecord(record) || typeof record.text !== 'string') {
		report(record, 'expected one JSON object per line with a "text" string');
		return undefined;
	}
	const meta = isRecord(record.meta) ? record.meta : {};
	const ours = isRecord(meta.corpus_annotator) ? meta.corpus_annotator : {};
	const path = importedPath(file.path, meta.path, 'meta.path', record.id, line, (m) => report(meta, m));
	if (path === undefined) {
		return undefined;
	}
	const text = new RawText(record.text);
	const stash = new Stash(ours.annotations, (r) => stashKey(r.start_offset, r.end_offset, r.label));
	const spans: SpanInput[] = [];
	/** doccano entity id → index in `spans`. */
	const byEntityId = new Map<string, number>();
	const addSpan = (node: unknown, start: unknown, end: unknown, label: unknown, entityId: string | undefined): void => {
		const place: Place = parsed.at(node);
		if (!isOffset(start) || !isOffset(end)) {
			report(node, 'start and end offsets must be whole numbers ≥ 0 (code points of "text")');
			return;
		}
		const problem = text.rangeProblem(start, end);
		if (problem) {
			report(node, problem);
			return;
		}
		if (typeof label !== 'string' || label === '') {
			report(node, 'the label must be a non-empty string');
			return;
		}
		const extra = stash.take(stashKey(start, end, label)) // doccano renumbers ids; the span and label stay;
		if (entityId !== undefined) {
			if (byEntityId.has(entityId)) {
				report(node, `entity id ${entityId} is used twice on this line`);
			}
			byEntityId.set(entityId, spans.length);
		}
		spans.push({ id: idText(extra?.id), label, start: text.toSidecar(start), end: text.toSidecar(end), extras: extra, place });
	};
	if (Array.isArray(record.entities)) {
		for (const e of record.entities) {
			if (!isRecord(e)) {
				report(record.entities, 'every entity must be an object {"id", "label", "start_offset", "end_offset"}');
				continue;
			}
			addSpan(e, e.start_offset, e.end_offset, e.label, idText(e.id));
		}
	} else {
		const triples = record.label ?? record.labels;
		for (const t of Array.isArray(triples) ? triples : []) {
			if (typeof t === 'string') {
				warnings.push(`${file.path}:${line}: the text label "${t}" belongs to the whole text (classification), not to a span: not imported.`);
			} else if (!Array.isArray(t) || t.length < 3) {
				report(triples, 'every label must be [start, end, "label"]');
			} else {
				addSpan(t, t[0], t[1], t[2], undefined);
			}
		}
	}
	const relations = readRelations(record.relations, byEntityId, spans, ours.relations, parsed.at, report);
	if (errors.length > before) {
		return undefined;
	}
	return buildDocument(file.path, path, text, spans, relations, errors, schema);
}

function readRelations(
	list: unknown, byEntityId: Map<string, number>, spans: readonly SpanInput[], stashed: unknown,
	at: (node: unknown) => Place, report: (node: unknown, message: string) => void,
): RelationInput[] {
	const out: RelationInput[] = [];
	if (list === undefined) {
		return out;
	}
	if (!Array.isArray(list)) {
		report(list, '"relations" must be a list');
		return out;
	}
	// Our ids of the spans are only known once buildDocument has run for those without one; the
	// stash refers to ours, which every span exported by us has.
	const stash = new Stash(stashed, (r) => stashKey(r.from, r.to, r.type));
	for (const r of list) {
		if (!isRecord(r)) {
			report(list, 'every relation must be an object {"id", "from_id", "to_id", "type"}');
			continue;
		}
		const from = byEntityId.get(idText(r.from_id) ?? '');
		const to = byEntityId.get(idText(r.to_id) ?? '');
		if (from === undefined || to === undefined) {
			report(r, `the relation points at entity ${JSON.stringify(from === undefined ? r.from_id : r.to_id)}, which is not an entity on this line`);
			continue;
		}
		if (typeof r.type !== 'string' || r.type === '') {
			report(r, 'the relation "type" must be a non-empty string');
			continue;
		}
		const extra = stash.take(stashKey(spans[from].id ?? '', spans[to].id ?? '', r.type));
		out.push({ id: idText(extra?.id), type: r.type, from, to, extras: extra, place: at(r) });
	}
	return out;
}

export const doccanoFormat: ExchangeFormat = exchangeFormatOf({
	id: 'doccano', inputExtensions: ['.jsonl'], exporter: doccanoExporter, importFiles: importDoccano,
	description: 'doccano JSONL (sequence labelling with relations): one line per article in doccano.jsonl',
});
