/**
 * W3C Web Annotation Data Model (https://www.w3.org/TR/annotation-model/), JSON-LD with the
 * context `http://www.w3.org/ns/anno.jsonld`. Export writes, per article `<dir>/<stem>.txt`, the
 * file `<dir>/<stem>.jsonld`: one `AnnotationPage` whose `items` are
 *
 * - one Annotation per span: `id` `#annotation-<our id>` (a relative IRI within the page),
 *   `motivation` `tagging`, `target` `{ source: <article path>, selector: [TextQuoteSelector
 *   (exact, prefix, suffix), TextPositionSelector (start, end)] }`, and `TextualBody` bodies by
 *   purpose: `tagging` (the label), `commenting` (the note), `identifying` (the canonical entity
 *   name); `creator` `{ type: Person, name: <author> }`, `created`, `modified`; a curator's name
 *   and time as `curatedBy`/`curated`, terms of our own added to the context only when used;
 * - one Annotation per relation: `id` `#relation-<our id>`, `motivation` `linking`, `target` the
 *   two annotations' ids in the order from, to; a `tagging` body with the relation type and a
 *   `commenting` body with its note; creator and times as above.
 *
 * Offsets: the selectors refer to the article's *canonical* text (a BOM removed, CRLF read as
 * one LF), and TextPositionSelector counts code points, as the model requires — exactly the
 * sidecar's offsets. Everything a sidecar holds is carried: the round trip is lossless.
 *
 * The page does not hold the text. Import therefore needs the article text beside it: for each
 * target `source` it takes, from the files given, the one at `source` (relative to the import
 * root), else the file of that name beside the `.jsonld`, else `<stem>.txt` beside it; when none
 * is given the error says so. Pages from other tools may give only a TextQuoteSelector: the
 * quote is then looked up in the text and must occur exactly once with its prefix and suffix.
 * Their annotation IRIs (not `#annotation-…`) are not our ids: such annotations get fresh ids,
 * and their IRIs still link them to the tool's `linking` annotations.
 */
import { selectorAt, type PreparedText } from '../annotations/anchoring';
import type { Annotation, Relation } from '../annotations/model';
import { canonicalUtf16Offset, sidecarOffset, type SidecarOffset } from '../annotations/offsets';
import { exchangeFormatOf } from './articleExport';
import type { ArticleExporter, ExchangeDocument, ExchangeError, ExchangeFile, ExchangeFormat, ImportedDocument, ImportResult } from './exchangeFormat';
import {
	articlePathProblem, buildDocument, canonicalRangeProblem, checkArticle, folderOf, isOffset, isRecord, jsonString, parseJson, RawText,
	SchemaCollector, withExtension, type Place, type RelationInput, type SpanInput,
} from './jsonExchange';

const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
/** Our two terms, for the curation fields the model has no property for. */
const CURATION_CONTEXT = {
	curatedBy: 'urn:corpus-annotator:curatedBy',
	curated: { '@id': 'urn:corpus-annotator:curated', '@type': 'http://www.w3.org/2001/XMLSchema#dateTime' },
};
const ANNOTATION_PREFIX = '#annotation-';
const RELATION_PREFIX = '#relation-';

type Json = Record<string, unknown>;

// Export writes the JSON text directly: a page holds hundreds of items, and building objects for
// JSON.stringify took two and a half times as long. Keys are in the order the model's examples use.

function textualBody(purpose: string, value: string): string {
	return `{"type":"TextualBody","purpose":"${purpose}","value":${jsonString(value)}}`;
}

/** The bodies by purpose: the label (or relation type), the note, the canonical entity name. */
function bodies(tag: string, note: string | undefined, entity?: string): string {
	return `[${textualBody('tagging', tag)}${note !== undefined ? ',' + textualBody('commenting', note) : ''}${entity !== undefined ? ',' + textualBody('identifying', entity) : ''}]`;
}

/** `,"key":value` for each of these optional members that is set. */
function optional(members: readonly (readonly [string, string | undefined, boolean?])[]): string {
	let out = '';
	for (const [key, value, raw] of members) {
		if (value !== undefined) {
			out += `,"${key}":${raw ? value : jsonString(value)}`;
		}
	}
	return out;
}

/** creator, created, modified: the provenance both kinds of annotation share. */
function provenance(item: { author?: string; created?: string; modified?: string }): string {
	const creator = item.author === undefined ? undefined : `{"type":"Person","name":${jsonString(item.author)}}`;
	return optional([['creator', creator, true], ['created', item.created], ['modified', item.modified]]);
}

function spanItem(a: Annotation, source: string): string {
	return `{"id":${jsonString(ANNOTATION_PREFIX + encodeURIComponent(a.id))},"type":"Annotation","motivation":"tagging"${provenance(a)}`
		+ optional([['curatedBy', a.curated_by], ['curated', a.curated]])
		+ `,"body":${bodies(a.label, a.note, a.entity)},"target":{"source":${source},"selector":[`
		+ `{"type":"TextQuoteSelector","exact":${jsonString(a.quote)},"prefix":${jsonString(a.prefix)},"suffix":${jsonString(a.suffix)}},`
		+ `{"type":"TextPositionSelector","start":${a.start},"end":${a.end}}]}}`;
}

function relationItem(r: Relation): string {
	const target = [r.from, r.to].map((id) => jsonString(ANNOTATION_PREFIX + encodeURIComponent(id))).join(',');
	return `{"id":${jsonString(RELATION_PREFIX + encodeURIComponent(r.id))},"type":"Annotation","motivation":"linking"${provenance(r)}`
		+ `,"body":${bodies(r.type, r.note)},"target":[${target}]}`;
}

/** The AnnotationPage of one article, as JSON with one item per line: compact (a page is mostly quotes), and diffs stay per annotation. */
function pageText(doc: ExchangeDocument, relations: readonly Relation[]): string {
	const source = jsonString(encodeURI(doc.path));
	const curated = doc.annotations.some((a) => a.curated_by !== undefined || a.curated !== undefined);
	const open = JSON.stringify({ '@context': curated ? [ANNO_CONTEXT, CURATION_CONTEXT] : ANNO_CONTEXT, type: 'AnnotationPage' }, null, 2).slice(0, -2);
	const items = [...doc.annotations.map((a) => spanItem(a, source)), ...relations.map(relationItem)];
	const list = items.length === 0 ? '[]' : `[\n${items.map((i) => `    ${i}`).join(',\n')}\n  ]`;
	return `${open},\n  "items": ${list}\n}\n`;
}

const w3cExporter: ArticleExporter = {
	exportArticle(doc) {
		const checks = checkArticle(doc, 'W3C');
		const file = { path: withExtension(doc.path, '.jsonld'), text: pageText(doc, checks.relations) };
		return { files: [file], losses: checks.losses, warnings: checks.warnings };
	},
	finish: () => [],
};

// ---- import -------------------------------------------------------------------------------------

/** A value or a list of values (JSON-LD allows both). */
function asList(v: unknown): unknown[] {
	return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

function typeIs(v: Json, type: string): boolean {
	return asList(v.type ?? v['@type']).includes(type);
}

/** Our id back from `#annotation-<id>`; another tool's IRI gives none (the import makes one). */
function ourId(iri: string | undefined, prefix: string): string | undefined {
	if (iri === undefined || !iri.startsWith(prefix) || iri.length === prefix.length) {
		return undefined;
	}
	try {
		return decodeURIComponent(iri.slice(prefix.length));
	} catch {
		return iri.slice(prefix.length);
	}
}

function iriOf(v: unknown): string | undefined {
	if (typeof v === 'string') {
		return v;
	}
	if (isRecord(v)) {
		const id = v.id ?? v['@id'];
		return typeof id === 'string' ? id : undefined;
	}
	return undefined;
}

function creatorName(v: unknown): unknown {
	const c = asList(v)[0];
	if (isRecord(c)) {
		return c.name ?? c.nickname;
	}
	return c;
}

interface Bodies {
	tagging: string[];
	note?: string;
	entity?: string;
	problem?: string;
}

/** The label(s), note and entity from an annotation's bodies (a body without purpose counts as tagging when nothing else tags). */
function readBodies(item: Json): Bodies {
	const out: Bodies = { tagging: [] };
	const untagged: string[] = [];
	for (const b of asList(item.body)) {
		if (!isRecord(b)) {
			continue;
		}
		const value = b.value ?? b['rdf:value'];
		if (typeof value !== 'string') {
			out.problem = 'a body has no text "value"';
			continue;
		}
		const purposes = asList(b.purpose);
		if (purposes.includes('tagging') || purposes.includes('classifying')) {
			out.tagging.push(value);
		} else if (purposes.includes('commenting')) {
			out.note = value;
		} else if (purposes.includes('identifying')) {
			out.entity = value;
		} else if (purposes.length === 0) {
			untagged.push(value);
		}
	}
	if (out.tagging.length === 0) {
		out.tagging = untagged;
	}
	return out;
}

/** The only place `exact` occurs in `text` with its prefix and suffix, or a reason. */
function locateQuote(text: PreparedText, exact: string, prefix: string, suffix: string): { start: SidecarOffset; end: SidecarOffset } | string {
	const c = text.canonical;
	const found: number[] = [];
	for (let i = c.indexOf(exact); i >= 0 && found.length < 2; i = c.indexOf(exact, i + 1)) {
		if (c.slice(0, i).endsWith(prefix) && c.startsWith(suffix, i + exact.length)) {
			found.push(i);
		}
	}
	if (found.length !== 1) {
		return found.length === 0
			? `the quote ${JSON.stringify(exact.slice(0, 40))} does not occur in the text with its prefix and suffix`
			: `the quote ${JSON.stringify(exact.slice(0, 40))} occurs more than once with its prefix and suffix (add a TextPositionSelector)`;
	}
	const start = text.canonIndex.toCodePoint(canonicalUtf16Offset(found[0]));
	return { start, end: sidecarOffset(start + [...exact].length) };
}

interface PendingDocument {
	readonly path: string;
	readonly text: RawText;
	readonly spans: SpanInput[];
	readonly relations: RelationInput[];
	/** The page the document's annotations come from (errors name it). */
	readonly file: string;
}

function importW3c(files: readonly ExchangeFile[]): ImportResult {
	const errors: ExchangeError[] = [];
	const warnings: string[] = [];
	const texts = new Map(files.filter((f) => f.path.endsWith('.txt')).map((f) => [f.path, f]));
	const documents = new Map<string, PendingDocument>();
	for (const file of files.filter((f) => f.path.endsWith('.jsonld'))) {
		readPage(file, texts, documents, errors, warnings);
	}
	const schema = new SchemaCollector();
	const out: ImportedDocument[] = [];
	for (const d of documents.values()) {
		const doc = buildDocument(d.file, d.path, d.text, d.spans, d.relations, errors, schema);
		if (doc) {
			out.push(doc);
		}
	}
	return errors.length > 0 ? { ok: false, errors } : { ok: true, documents: out, schema: schema.schema(), warnings };
}

function readPage(file: ExchangeFile, texts: Map<string, ExchangeFile>, documents: Map<string, PendingDocument>, errors: ExchangeError[], warnings: string[]): void {
	const parsed = parseJson(file.text);
	if (!parsed.ok) {
		errors.push({ file: file.path, line: parsed.line, column: parsed.column, message: parsed.message });
		return;
	}
	const report = (node: unknown, message: string): void => {
		errors.push({ file: file.path, ...parsed.at(node), message });
	};
	const root = parsed.value;
	const items = Array.isArray(root) ? root
		: !isRecord(root) ? undefined
			: typeIs(root, 'Annotation') ? [root]
				: Array.isArray(root.items) ? root.items
					: isRecord(root.first) && Array.isArray(root.first.items) ? root.first.items : undefined;
	if (!items) {
		report(root, 'expected an AnnotationPage with "items" (or an Annotation, or a list of them)');
		return;
	}
	/** Annotation IRI → where its span went, for the linking annotations. */
	const spansByIri = new Map<string, { doc: PendingDocument; index: number }>();
	const links: Json[] = [];
	for (const item of items) {
		if (!isRecord(item)) {
			report(items, 'every item must be an Annotation object');
			continue;
		}
		if (asList(item.motivation).includes('linking')) {
			links.push(item);
			continue;
		}
		const span = readSpan(item, file, texts, documents, report, parsed.at, warnings);
		if (span) {
			const iri = iriOf(item);
			if (iri !== undefined) {
				spansByIri.set(iri, span);
			}
		}
	}
	for (const item of links) {
		const targets = asList(item.target).map(iriOf);
		const bodies = readBodies(item);
		if (targets.length !== 2 || targets.some((t) => t === undefined)) {
			report(item, 'a linking annotation needs exactly two targets: the ids of the annotations it links, from and to');
			continue;
		}
		if (bodies.tagging.length !== 1) {
			report(item, 'a linking annotation needs one tagging body: the relation type');
			continue;
		}
		const [from, to] = targets.map((t) => spansByIri.get(t!));
		const missing = !from ? targets[0] : !to ? targets[1] : undefined;
		if (missing !== undefined) {
			report(item, `the relation points at ${missing}, which is not an annotation of this page`);
			continue;
		}
		if (from!.doc !== to!.doc) {
			report(item, 'the relation links annotations of two different articles');
			continue;
		}
		const iri = iriOf(item);
		from!.doc.relations.push({
			id: ourId(iri, RELATION_PREFIX),
			type: bodies.tagging[0], from: from!.index, to: to!.index, place: parsed.at(item),
			extras: { note: bodies.note, author: creatorName(item.creator), created: item.created, modified: item.modified },
		});
	}
}

function readSpan(
	item: Json, file: ExchangeFile, texts: Map<string, ExchangeFile>, documents: Map<string, PendingDocument>,
	report: (node: unknown, message: string) => void, at: (node: unknown) => Place, warnings: string[],
): { doc: PendingDocument; index: number } | undefined {
	const targets = asList(item.target);
	const target = targets[0];
	// The source is an IRI, written as a string or as an object with an id.
	const source = isRecord(target) ? iriOf(target.source) : undefined;
	if (targets.length !== 1 || !isRecord(target) || source === undefined) {
		if (typeof target === 'string') {
			warnings.push(`${file.path}: annotation ${iriOf(item) ?? ''} targets a whole resource (${target}), not a span of a text: not imported.`);
		} else {
			report(item, 'a span annotation needs one target with a "source" (the article) and a selector');
		}
		return undefined;
	}
	const doc = documentFor(source, file, texts, documents, (m) => report(target, m));
	if (!doc) {
		return undefined;
	}
	const selectors = asList(target.selector).filter(isRecord);
	const quote = selectors.find((s) => typeIs(s, 'TextQuoteSelector'));
	const position = selectors.find((s) => typeIs(s, 'TextPositionSelector'));
	const text = doc.text.prepared;
	let start: SidecarOffset, end: SidecarOffset;
	if (position) {
		if (!isOffset(position.start) || !isOffset(position.end)) {
			report(position, 'TextPositionSelector "start" and "end" must be whole numbers ≥ 0 (code points)');
			return undefined;
		}
		const problem = canonicalRangeProblem(text, position.start, position.end);
		if (problem) {
			report(position, problem);
			return undefined;
		}
		start = sidecarOffset(position.start);
		end = sidecarOffset(position.end);
		if (quote && typeof quote.exact === 'string') {
			const actual = selectorAt(text, start, end).quote;
			if (actual !== quote.exact) {
				report(quote, `the quote ${JSON.stringify(quote.exact.slice(0, 40))} is not the text at ${start}–${end}, which reads ${JSON.stringify(actual.slice(0, 40))}`);
				return undefined;
			}
		}
	} else if (quote && typeof quote.exact === 'string' && quote.exact !== '') {
		const found = locateQuote(text, quote.exact, typeof quote.prefix === 'string' ? quote.prefix : '', typeof quote.suffix === 'string' ? quote.suffix : '');
		if (typeof found === 'string') {
			report(quote, found);
			return undefined;
		}
		({ start, end } = found);
	} else {
		report(target, 'the target needs a TextPositionSelector or a TextQuoteSelector with "exact"');
		return undefined;
	}
	const bodies = readBodies(item);
	if (bodies.problem || bodies.tagging.length !== 1) {
		report(item, bodies.problem ?? (bodies.tagging.length === 0
			? 'the annotation has no tagging body (a TextualBody with purpose "tagging" holds the label)'
			: 'the annotation has more than one tagging body; one label per annotation'));
		return undefined;
	}
	const iri = iriOf(item);
	doc.spans.push({
		id: ourId(iri, ANNOTATION_PREFIX),
		label: bodies.tagging[0], start, end, place: at(item),
		extras: {
			note: bodies.note, entity: bodies.entity, author: creatorName(item.creator), created: item.created, modified: item.modified,
			curated_by: item.curatedBy, curated: item.curated,
		},
	});
	return { doc, index: doc.spans.length - 1 };
}

function documentFor(
	sourceIri: string, file: ExchangeFile, texts: Map<string, ExchangeFile>, documents: Map<string, PendingDocument>,
	report: (message: string) => void,
): PendingDocument | undefined {
	let source: string;
	try {
		source = decodeURI(sourceIri);
	} catch {
		source = sourceIri;
	}
	const name = source.slice(source.lastIndexOf('/') + 1);
	const candidates = [source, folderOf(file.path) + name, withExtension(file.path, '.txt')];
	const found = candidates.map((p) => texts.get(p)).find((f) => f !== undefined);
	if (!found) {
		report(`the article text is needed: give ${source} (relative to the import root) or ${candidates[2]} beside this page, or import into the corpus that holds it (--into)`);
		return undefined;
	}
	const problem = articlePathProblem(found.path);
	if (problem) {
		report(problem);
		return undefined;
	}
	let doc = documents.get(found.path);
	if (!doc) {
		doc = { path: found.path, text: new RawText(found.text), spans: [], relations: [], file: file.path };
		documents.set(found.path, doc);
	}
	return doc;
}

export const w3cFormat: ExchangeFormat = exchangeFormatOf({
	id: 'w3c', inputExtensions: ['.jsonld'], exporter: w3cExporter, importFiles: importW3c,
	description: 'W3C Web Annotation (JSON-LD): one AnnotationPage <stem>.jsonld per article; import needs the article .txt beside it',
});
