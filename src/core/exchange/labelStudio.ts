/**
 * Label Studio's JSON task list (https://labelstud.io/guide/task_format, labelling config with
 * `<Text name="text" value="$text"/>`, `<Labels name="label" toName="text">`, `<Relations>` and a
 * per-region `<TextArea name="note" toName="text" perRegion="true"/>`). Export writes
 * `label-studio.json`, one task per article and per line:
 *
 *     {"id": 1, "data": {"text": …, "path": "2024/05/001_x.txt", "corpus_annotator": {…}},
 *      "annotations": [{"result": [
 *        {"id": "<our id>", "from_name": "label", "to_name": "text", "type": "labels",
 *         "value": {"start": 0, "end": 5, "text": "…", "labels": ["claim"]}},
 *        {"id": "<our id>", "from_name": "note", "to_name": "text", "type": "textarea",
 *         "value": {"start": 0, "end": 5, "text": ["the note"]}},
 *        {"type": "relation", "from_id": "<id>", "to_id": "<id>", "direction": "right", "labels": ["source-of"]}]}]}
 *
 * `data.text` is the article file's text exactly as read (a BOM and CRLF kept). Offsets count
 * code points of `data.text`: Label Studio's Text tag stores code points, not JavaScript string
 * length (its frontend tests "NER - Emoji - Text" check exactly that, since its fix for emoji
 * offsets), and counts `\r\n` as two characters (its Text tag documentation). A region's id is our
 * annotation id; its note is the per-region textarea result with the same id. Label Studio has no
 * place for a region's author, times, entity or curation, nor for a relation's id, note, author or
 * times: those are in `data.corpus_annotator` (`annotations` by region id; `relations` matched
 * back by their ends and type), which Label Studio keeps with the task. Nothing is lost.
 * Label Studio's times are per annotation (one annotator's whole result), not per region: the
 * annotation gets `created_at`, the earliest `created` of its regions, and `updated_at`, the
 * latest `modified` (else `created`), so Label Studio shows when the work was done; the regions'
 * own times stay in the stash. `completed_by` is not written: it holds a Label Studio user id,
 * and our authors are names.
 *
 * Import reads every annotation of each task (not predictions). A region with several labels
 * becomes one annotation per label (the second gets `<id>-2`, …); a relation with several labels
 * one relation per label, one without a label the type `related`; `direction: "left"` swaps the
 * ends, `"bi"` is kept as from → to (with a warning). Each task becomes `data.path` when it is a
 * safe relative path, else `<json stem>/<task id>.txt` beside the file. A task Label Studio
 * exported (without our stash) gives each region its annotation's `completed_by` as author (the
 * e-mail when it is a user object, the text when it is one; a bare user id names no one outside
 * that Label Studio, and is not taken), `created_at` as created and `updated_at`, when later, as
 * modified.
 */
import { ANNOTATION_FIELDS } from '../annotations/fieldTable';
import type { Annotation, Relation } from '../annotations/model';
import { fieldValueProblem } from '../annotations/sidecarValidator';
import { exchangeFormatOf } from './articleExport';
import type { ArticleExporter, ExchangeDocument, ExchangeError, ExchangeFile, ExchangeFormat, ImportedDocument, ImportResult } from './exchangeFormat';
import {
	ANNOTATION_EXTRA_KEYS, buildDocument, checkArticle, extrasOf, importedPath, isOffset, isRecord, parseJson, RawText,
	RELATION_EXTRA_KEYS, SchemaCollector, Stash, stashKey, type Place, type RelationInput, type SpanInput,
} from './jsonExchange';

/** The file export writes. */
export const LABEL_STUDIO_FILE = 'label-studio.json';
/** The type a relation without a label gets on import. */
export const UNLABELLED_RELATION_TYPE = 'related';

type Json = Record<string, unknown>;


function task(doc: ExchangeDocument, index: number, text: RawText, relations: readonly Relation[]): Json {
	const result: Json[] = [];
	const stashed: Record<string, Json> = {};
	for (const a of doc.annotations) {
		const start = text.fromSidecar(a.start);
		const end = text.fromSidecar(a.end);
		result.push({ id: a.id, from_name: 'label', to_name: 'text', type: 'labels', value: { start, end, text: text.slice(start, end), labels: [a.label] } });
		if (a.note !== undefined) {
			result.push({ id: a.id, from_name: 'note', to_name: 'text', type: 'textarea', value: { start, end, text: [a.note] } });
		}
		const { note: _note, ...extras } = extrasOf(a, ANNOTATION_EXTRA_KEYS);
		if (Object.keys(extras).length > 0) {
			stashed[a.id] = extras;
		}
	}
	for (const r of relations) {
		result.push({ from_id: r.from, to_id: r.to, type: 'relation', direction: 'right', labels: [r.type] });
	}
	return {
		id: index + 1,
		data: {
			text: doc.text,
			path: doc.path,
			corpus_annotator: {
				annotations: stashed,
				relations: relations.map((r) => ({ id: r.id, from: r.from, to: r.to, type: r.type, ...extrasOf(r, RELATION_EXTRA_KEYS) })),
			},
		},
		annotations: [{ result, ...timesOf(doc.annotations) }],
	};
}

/** `created_at` and `updated_at` of the one annotation holding all regions (none when no region has times). */
function timesOf(annotations: readonly Annotation[]): { created_at?: string; updated_at?: string } {
	let created: string | undefined;
	let updated: string | undefined;
	for (const a of annotations) {
		if (a.created !== undefined && (created === undefined || a.created < created)) {
			created = a.created;
		}
		const last = a.modified ?? a.created;
		if (last !== undefined && (updated === undefined || last > updated)) {
			updated = last;
		}
	}
	return { ...(created !== undefined ? { created_at: created } : {}), ...(updated !== undefined ? { updated_at: updated } : {}) };
}

const labelStudioExporter: ArticleExporter = {
	exportArticle(doc, index) {
		const checks = checkArticle(doc, 'Label Studio');
		return { files: [], record: JSON.stringify(task(doc, index, checks.text, checks.relations)), losses: checks.losses, warnings: checks.warnings };
	},
	// One task per line: an error names the task's line, and a large corpus stays far below the
	// longest string JavaScript can hold (an indented file of 10,000 long articles would not).
	finish: (records) => [{ path: LABEL_STUDIO_FILE, text: `[\n${records.join(',\n')}\n]\n` }],
};

// ---- import -------------------------------------------------------------------------------------

interface TaskContext {
	readonly file: ExchangeFile;
	readonly at: (node: unknown) => Place;
	readonly report: (node: unknown, message: string) => void;
	readonly warn: (node: unknown, message: string) => void;
}

function importLabelStudio(files: readonly ExchangeFile[]): ImportResult {
	const errors: ExchangeError[] = [];
	const warnings: string[] = [];
	const schema = new SchemaCollector();
	const documents: ImportedDocument[] = [];
	const paths = new Set<string>();
	for (const file of files.filter((f) => f.path.endsWith('.json'))) {
		const parsed = parseJson(file.text);
		if (!parsed.ok) {
			errors.push({ file: file.path, line: parsed.line, column: parsed.column, message: parsed.message });
			continue;
		}
		const ctx: TaskContext = {
			file, at: parsed.at,
			report: (node, message) => errors.push({ file: file.path, ...parsed.at(node), message }),
			warn: (node, message) => {
				const p = parsed.at(node);
				warnings.push(`${file.path}:${p.line}:${p.column}: ${message}`);
			},
		};
		const tasks = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
		tasks.forEach((t, i) => {
			const doc = readTask(t, i, ctx, errors, schema);
			if (!doc) {
				return;
			}
			if (paths.has(doc.path)) {
				ctx.report(t, `a second task for ${doc.path}`);
				return;
			}
			paths.add(doc.path);
			documents.push(doc);
		});
	}
	return errors.length > 0 ? { ok: false, errors } : { ok: true, documents, schema: schema.schema(), warnings };
}

function readTask(t: unknown, index: number, ctx: TaskContext, errors: ExchangeError[], schema: SchemaCollector): ImportedDocument | undefined {
	const data = isRecord(t) ? t.data : undefined;
	if (!isRecord(t) || !isRecord(data) || typeof data.text !== 'string') {
		ctx.report(t, 'expected a task {"data": {"text": …}, "annotations": [{"result": […]}]}');
		return undefined;
	}
	const before = errors.length;
	const path = importedPath(ctx.file.path, data.path, 'data.path', t.id, index + 1, (m) => ctx.report(data, m));
	if (path === undefined) {
		return undefined;
	}
	const ours = isRecord(data.corpus_annotator) ? data.corpus_annotator : undefined;
	const stashedSpans = isRecord(ours?.annotations) ? ours.annotations : {};
	const text = new RawText(data.text);
	const results: { result: Json; provenance: Json | undefined }[] = [];
	for (const a of Array.isArray(t.annotations) ? t.annotations : []) {
		if (isRecord(a) && a.was_cancelled !== true && Array.isArray(a.result)) {
			// Our own export stashes each region's fields; Label Studio's own only has the annotation's.
			const provenance = ours ? undefined : provenanceOf(a);
			results.push(...a.result.filter(isRecord).map((result) => ({ result, provenance })));
		}
	}
	if (results.length === 0 && Array.isArray(t.predictions) && t.predictions.length > 0) {
		ctx.warn(t, 'the task has predictions but no annotations; predictions are not imported');
	}
	const spans: SpanInput[] = [];
	/** Region id → indexes of its spans (one per label). */
	const regions = new Map<string, number[]>();
	const notes: Json[] = [];
	const links: Json[] = [];
	for (const { result: r, provenance } of results) {
		if (r.type === 'relation') {
			links.push(r);
		} else if (r.type === 'textarea') {
			notes.push(r);
		} else if (r.type === 'labels') {
			const extrasFor = (id: string | undefined): Json | undefined => provenance ?? (id !== undefined && isRecord(stashedSpans[id]) ? stashedSpans[id] : undefined);
			readRegion(r, text, extrasFor, spans, regions, ctx);
		} else {
			ctx.warn(r, `a "${String(r.type)}" result is not a span label: not imported`);
		}
	}
	for (const n of notes) {
		const note = isRecord(n.value) ? n.value.text : undefined;
		const at = regions.get(String(n.id));
		if (!at) {
			ctx.warn(n, 'a textarea result that belongs to no region (a note on the whole task): not imported');
			continue;
		}
		if (!(typeof note === 'string' || (Array.isArray(note) && note.every((x) => typeof x === 'string')))) {
			ctx.report(n, 'a textarea result\'s "value.text" must be a list of strings');
			continue;
		}
		for (const k of at) {
			spans[k] = { ...spans[k], extras: { ...spans[k].extras, note: Array.isArray(note) ? note.join('\n') : note } };
		}
	}
	const relations = readLinks(links, regions, spans, ours?.relations, ctx);
	if (errors.length > before) {
		return undefined;
	}
	return buildDocument(ctx.file.path, path, text, spans, relations, errors, schema);
}

/**
 * A Label Studio annotation's author and times as region fields: the values a sidecar accepts
 * (`completed_by`'s e-mail or text; `created_at`; `updated_at` when later), the others left out.
 */
function provenanceOf(a: Json): Json {
	const by = a.completed_by;
	const author = isRecord(by) ? by.email : by;
	const fields: Json = {
		author: typeof author === 'string' && author.trim() !== '' ? author : undefined,
		created: a.created_at,
		modified: typeof a.updated_at === 'string' && typeof a.created_at === 'string' && a.updated_at > a.created_at ? a.updated_at : undefined,
	};
	return Object.fromEntries(Object.entries(fields).filter(([k, v]) => typeof v === 'string' && fieldValueProblem(k, ANNOTATION_FIELDS[k as 'author'], v) === undefined));
}

/** `extrasFor`: the fields of the region with this id (from our stash, or its annotation's provenance). */
function readRegion(r: Json, text: RawText, extrasFor: (id: string | undefined) => Json | undefined, spans: SpanInput[], regions: Map<string, number[]>, ctx: TaskContext): void {
	const v = r.value;
	if (!isRecord(v) || !isOffset(v.start) || !isOffset(v.end)) {
		ctx.report(r, 'a labels result needs "value.start" and "value.end", whole numbers ≥ 0 (code points of data.text)');
		return;
	}
	const problem = text.rangeProblem(v.start, v.end);
	if (problem) {
		ctx.report(v, problem);
		return;
	}
	if (typeof v.text === 'string' && v.text !== text.slice(v.start, v.end)) {
		ctx.report(v, `"value.text" ${JSON.stringify(v.text.slice(0, 40))} is not the text at ${v.start}–${v.end}, which reads ${JSON.stringify(text.slice(v.start, v.end).slice(0, 40))}`);
		return;
	}
	const labels = Array.isArray(v.labels) ? v.labels : [];
	if (labels.length === 0 || labels.some((l) => typeof l !== 'string' || l === '')) {
		ctx.report(v, '"value.labels" must be a list of one or more label names');
		return;
	}
	const id = typeof r.id === 'string' && r.id !== '' ? r.id : typeof r.id === 'number' ? String(r.id) : undefined;
	if (id !== undefined && regions.has(id)) {
		ctx.report(r, `region id "${id}" is used twice in this task`);
		return;
	}
	const extras = extrasFor(id);
	const indexes: number[] = [];
	labels.forEach((label: string, k) => {
		indexes.push(spans.length);
		spans.push({
			id: id === undefined ? undefined : k === 0 ? id : `${id}-${k + 1}`,
			label, start: text.toSidecar(v.start as number), end: text.toSidecar(v.end as number), extras, place: ctx.at(r),
		});
	});
	if (id !== undefined) {
		regions.set(id, indexes);
	}
}

function readLinks(links: readonly Json[], regions: Map<string, number[]>, spans: readonly SpanInput[], stashed: unknown, ctx: TaskContext): RelationInput[] {
	const stash = new Stash(stashed, (s) => stashKey(s.from, s.to, s.type));
	const out: RelationInput[] = [];
	for (const l of links) {
		let from = regions.get(String(l.from_id))?.[0];
		let to = regions.get(String(l.to_id))?.[0];
		if (from === undefined || to === undefined) {
			ctx.report(l, `the relation points at region ${JSON.stringify(from === undefined ? l.from_id : l.to_id)}, which is not a labelled region of this task`);
			continue;
		}
		if (l.direction === 'left') {
			[from, to] = [to, from];
		} else if (l.direction === 'bi') {
			ctx.warn(l, 'a two-way relation is kept as from_id → to_id');
		}
		const labels = Array.isArray(l.labels) ? l.labels.filter((x): x is string => typeof x === 'string' && x !== '') : [];
		if (labels.length === 0) {
			ctx.warn(l, `a relation without a label gets the type "${UNLABELLED_RELATION_TYPE}"`);
			labels.push(UNLABELLED_RELATION_TYPE);
		}
		for (const type of labels) {
			const extra = stash.take(stashKey(spans[from].id ?? '', spans[to].id ?? '', type));
			out.push({ id: typeof extra?.id === 'string' ? extra.id : undefined, type, from, to, extras: extra, place: ctx.at(l) });
		}
	}
	return out;
}

export const labelStudioFormat: ExchangeFormat = exchangeFormatOf({
	id: 'label-studio', inputExtensions: ['.json'], exporter: labelStudioExporter, importFiles: importLabelStudio,
	description: 'Label Studio JSON task list (labels, per-region notes, relations): label-studio.json',
});
