/**
 * brat standoff (https://brat.nlplab.org/standoff.html): per article `<stem>.txt` (the article
 * file's text, exactly) and `<stem>.ann`, plus one `annotation.conf` at the root.
 *
 * - Spans are `T` lines, `T1\tlabel start end\tquote`; offsets count characters (code points)
 *   of the `.txt` as read, a BOM and every CR included, so they are converted from and to
 *   sidecar offsets.
 * - The `.ann` file is line-oriented, so a quote cannot hold a line break. A span that crosses
 *   line breaks is written as fragments between them (`T1\tlabel 10 20;22 30\tfirst second`,
 *   the fragments' texts joined by one space, as brat writes them), and on import fragments
 *   separated only by line breaks are merged back into one span: the round trip is exact. A span
 *   that starts or ends with a line break loses it (brat cannot address it), counted.
 * - Relations are `R1\ttype Arg1:T1 Arg2:T2`; notes of spans and relations are
 *   `#1\tAnnotatorNotes T1\tnote` (a line break in a note becomes a space, counted).
 * - Ids, authors, times, entity names and curation fields are not carried (counted): brat ids are
 *   `T<n>`/`R<n>`, and an `A` attribute would need every value listed in `annotation.conf`.
 *
 * Import reads `.ann` files with the `.txt` beside them (a `.txt` alone is a text without
 * annotations) and `annotation.conf` when present; a bad line, offsets past the text, a quote
 * that is not the text at its offsets or a relation or note pointing at no annotation is an
 * error naming the file and line, and then nothing is imported. Attributes, normalizations,
 * events and equivalences are skipped with a warning; truly discontinuous spans (fragments with
 * text between them) are imported as the one span covering them, with a warning.
 */
import type { LabelDef, RelationTypeDef } from '../annotations/model';
import { exchangeFormatOf } from './articleExport';
import type { ArticleExport, ArticleExporter, ExchangeDocument, ExchangeError, ExchangeFile, ExchangeFormat, ImportedDocument, ImportResult } from './exchangeFormat';
import { countUncarried, LossTally } from './exchangeLosses';
import { buildDocument, checkArticle, RawText, SchemaCollector, withExtension, type RelationInput, type SpanInput } from './jsonExchange';

/** Characters that end a line when brat (Python's `str.splitlines`) reads the `.ann` file. */
const LINE_BREAK = /[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/u;

/** The root file with the labels and relation types. */
export const BRAT_CONF = 'annotation.conf';

/** One contiguous piece of a span, in code points of the `.txt` as read. */
interface Fragment {
	start: number;
	end: number;
}

/** The pieces of [start, end) between line breaks; `trimmed` when the span starts or ends with one. */
function fragmentsOf(raw: RawText, start: number, end: number): { fragments: Fragment[]; trimmed: boolean } {
	const fragments: Fragment[] = [];
	let pos = start;
	let open = -1;
	for (const ch of raw.slice(start, end)) {
		if (LINE_BREAK.test(ch)) {
			if (open >= 0) {
				fragments.push({ start: open, end: pos });
				open = -1;
			}
		} else if (open < 0) {
			open = pos;
		}
		pos++;
	}
	if (open >= 0) {
		fragments.push({ start: open, end: pos });
	}
	const trimmed = fragments.length === 0 || fragments[0].start !== start || fragments[fragments.length - 1].end !== end;
	return { fragments, trimmed };
}

function oneLine(s: string): string {
	return s.replace(new RegExp(LINE_BREAK.source, 'gu'), ' ');
}

/** `annotation.conf`: every label an entity type, every relation type with its allowed labels. */
function configText(labels: readonly string[], types: readonly RelationTypeDef[]): string {
	const args = (allowed: readonly string[] | undefined): string => allowed && allowed.length > 0 ? allowed.join('|') : '<ANY>';
	return [
		'# Written by Corpus Annotator: labels as entity types, relation types with the labels they join.',
		'[entities]',
		...labels,
		'[relations]',
		// Our spans may overlap and cross; brat refuses crossing spans unless told otherwise.
		'<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>',
		...types.map((t) => `${t.id}\tArg1:${args(t.from)}, Arg2:${args(t.to)}`),
		'[events]',
		'[attributes]',
		'',
	].join('\n');
}

function exportArticle(doc: ExchangeDocument): ArticleExport {
	const checks = checkArticle(doc, 'brat');
	const raw = checks.text;
	const tally = new LossTally();
	tally.addAll(checks.losses);
	countUncarried(tally, doc.annotations, checks.relations, { annotation: ['note'], relation: ['note'] });
	const lines: string[] = [];
	const notes: string[] = [];
	const note = (target: string, text: string | undefined): void => {
		if (text === undefined) {
			return;
		}
		const flat = oneLine(text);
		if (flat !== text) {
			tally.add('notes with line breaks (written on one line)');
		}
		notes.push(`#${notes.length + 1}\tAnnotatorNotes ${target}\t${flat}`);
	};
	const bratIds = new Map<string, string>();
	for (const a of doc.annotations) {
		if (/\s/.test(a.label)) {
			tally.add('spans whose label has white space (not written: brat types have none)');
			continue;
		}
		const { fragments, trimmed } = fragmentsOf(raw, raw.fromSidecar(a.start), raw.fromSidecar(a.end));
		if (fragments.length === 0) {
			tally.add('spans of line breaks only (not written)');
			continue;
		}
		if (trimmed) {
			tally.add('spans starting or ending with a line break (written without it)');
		}
		const id = `T${bratIds.size + 1}`;
		bratIds.set(a.id, id);
		const offsets = fragments.map((f) => `${f.start} ${f.end}`).join(';');
		const quote = fragments.map((f) => raw.slice(f.start, f.end)).join(' ');
		lines.push(`${id}\t${a.label} ${offsets}\t${quote}`);
		note(id, a.note);
	}
	let written = 0;
	for (const r of checks.relations) {
		const from = bratIds.get(r.from);
		const to = bratIds.get(r.to);
		if (from === undefined || to === undefined) {
			tally.add('relations to spans not written');
			continue;
		}
		if (/\s/.test(r.type)) {
			tally.add('relations whose type has white space (not written: brat types have none)');
			continue;
		}
		const id = `R${++written}`;
		lines.push(`${id}\t${r.type} Arg1:${from} Arg2:${to}`);
		note(id, r.note);
	}
	return {
		files: [
			{ path: withExtension(doc.path, '.txt'), text: doc.text },
			{ path: withExtension(doc.path, '.ann'), text: [...lines, ...notes].map((l) => l + '\n').join('') },
		],
		losses: tally.list(),
		warnings: checks.warnings,
	};
}

const bratExporter: ArticleExporter = {
	exportArticle: (doc) => exportArticle(doc),
	finish(_records, { schema }) {
		const plain = (id: string): boolean => !/\s/.test(id);
		return [{ path: BRAT_CONF, text: configText(schema.labels.map((l) => l.id).filter(plain), schema.relationTypes.filter((t) => plain(t.id))) }];
	},
};

// ---- import -----------------------------------------------------------------------------------

/** Labels and relation types of an `annotation.conf` (macros, `<OVERLAP>` and comments skipped). */
function parseConfig(text: string): { labels: LabelDef[]; types: RelationTypeDef[] } {
	const labels: LabelDef[] = [];
	const types: RelationTypeDef[] = [];
	let section = '';
	for (const rawLine of text.split(/\r?\n/)) {
		const line = rawLine.trim();
		if (line === '' || line.startsWith('#')) {
			continue;
		}
		const head = /^\[(\w+)\]$/.exec(line);
		if (head) {
			section = head[1];
			continue;
		}
		if (line.startsWith('<')) {
			continue;
		}
		const name = line.split(/\s/)[0].replace(/^!/, '');
		if (section === 'entities') {
			labels.push({ id: name });
		} else if (section === 'relations') {
			const def: RelationTypeDef = { id: name };
			const allowed = (role: string): string[] | undefined => {
				const m = new RegExp(`\\b${role}:([^,\\s]+)`).exec(line);
				const list = m ? m[1].split('|').filter((l) => !l.startsWith('<')) : [];
				return list.length > 0 ? list : undefined;
			};
			const from = allowed('Arg1');
			const to = allowed('Arg2');
			types.push({ ...def, ...(from ? { from } : {}), ...(to ? { to } : {}) });
		}
	}
	return { labels, types };
}

const T_DATA = /^(\S+) (\d+ \d+(?:;\d+ \d+)*)$/;
const R_DATA = /^(\S+) \S+:(\S+) \S+:(\S+)$/;
const NOTE_DATA = /^(\S+) (\S+)$/;

interface ParsedSpan extends SpanInput {
	readonly bratId: string;
}

/** Parses one `.ann` file against its text; problems go to `errors`. */
function parseAnn(annPath: string, textPath: string, ann: string, raw: RawText, errors: ExchangeError[], warnings: string[], schema: SchemaCollector): ImportedDocument | undefined {
	const before = errors.length;
	const report = (line: number, column: number, message: string): void => {
		errors.push({ file: annPath, line, column, message });
	};
	const spans: ParsedSpan[] = [];
	const spanIndex = new Map<string, number>();
	const rels: (Omit<RelationInput, 'from' | 'to'> & { bratId: string; fromId: string; toId: string; line: number })[] = [];
	const notes: { target: string; text: string; line: number }[] = [];
	const skipped = new Map<string, number>();
	const lines = ann.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const lineNo = i + 1;
		const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
		if (line.trim() === '') {
			continue;
		}
		const tab = line.indexOf('\t');
		const id = tab < 0 ? line : line.slice(0, tab);
		const rest = tab < 0 ? '' : line.slice(tab + 1);
		const kind = id.charAt(0);
		if (tab < 0 || !/^(?:[A-Za-z]+|#[A-Za-z]*)\d+\S*$|^\*$/.test(id)) {
			report(lineNo, 1, `not a brat annotation line (an id such as T1, then a tab): ${JSON.stringify(line.slice(0, 60))}`);
			continue;
		}
		if (kind === 'T') {
			const tab2 = rest.indexOf('\t');
			const m = T_DATA.exec(tab2 < 0 ? rest : rest.slice(0, tab2));
			if (!m || tab2 < 0) {
				report(lineNo, tab + 2, `a T line is "T1<tab>label start end<tab>text" (fragments "start end;start end"): ${JSON.stringify(line.slice(0, 60))}`);
				continue;
			}
			const quote = rest.slice(tab2 + 1);
			const fragments = m[2].split(';').map((f) => f.split(' ').map(Number)).map(([start, end]) => ({ start, end }));
			let bad = false;
			for (let k = 0; k < fragments.length && !bad; k++) {
				const f = fragments[k];
				if (f.end > raw.length) {
					report(lineNo, tab + 2 + m[1].length + 1, `offsets ${f.start} ${f.end} run past the end of ${textPath}, which has ${raw.length} characters`);
					bad = true;
				} else if (f.start >= f.end || (k > 0 && f.start < fragments[k - 1].end)) {
					report(lineNo, tab + 2 + m[1].length + 1, `offsets ${m[2]}: each fragment must be non-empty and after the one before`);
					bad = true;
				}
			}
			if (bad) {
				continue;
			}
			const actual = fragments.map((f) => raw.slice(f.start, f.end)).join(' ');
			if (actual !== quote) {
				report(lineNo, tab + tab2 + 3, `the text ${JSON.stringify(quote)} is not the text at ${m[2]} in ${textPath}, which reads ${JSON.stringify(actual)}`);
				continue;
			}
			for (let k = 1; k < fragments.length; k++) {
				const gap = raw.slice(fragments[k - 1].end, fragments[k].start);
				if (![...gap].every((ch) => LINE_BREAK.test(ch))) {
					warnings.push(`${annPath}:${lineNo}: ${id} is discontinuous (${m[2]}); imported as the one span ${fragments[0].start}–${fragments[fragments.length - 1].end} covering its fragments.`);
					break;
				}
			}
			if (spanIndex.has(id)) {
				report(lineNo, 1, `the id ${id} is used twice`);
				continue;
			}
			spanIndex.set(id, spans.length);
			spans.push({
				bratId: id, id, label: m[1],
				start: raw.toSidecar(fragments[0].start), end: raw.toSidecar(fragments[fragments.length - 1].end),
				place: { line: lineNo, column: 1 },
			});
		} else if (kind === 'R') {
			const m = R_DATA.exec(rest);
			if (!m) {
				report(lineNo, tab + 2, `an R line is "R1<tab>type Arg1:T1 Arg2:T2": ${JSON.stringify(line.slice(0, 60))}`);
				continue;
			}
			rels.push({ bratId: id, id, type: m[1], fromId: m[2], toId: m[3], line: lineNo, place: { line: lineNo, column: 1 } });
		} else if (kind === '#') {
			const tab2 = rest.indexOf('\t');
			const m = NOTE_DATA.exec(tab2 < 0 ? rest : rest.slice(0, tab2));
			if (!m) {
				report(lineNo, tab + 2, `a note line is "#1<tab>AnnotatorNotes T1<tab>note": ${JSON.stringify(line.slice(0, 60))}`);
				continue;
			}
			if (m[1] !== 'AnnotatorNotes') {
				skipped.set(`"${m[1]}" comments`, (skipped.get(`"${m[1]}" comments`) ?? 0) + 1);
				continue;
			}
			notes.push({ target: m[2], text: tab2 < 0 ? '' : rest.slice(tab2 + 1), line: lineNo });
		} else {
			const what = { A: 'attributes', M: 'attributes', N: 'normalizations', E: 'events', '*': 'equivalences' }[kind];
			if (what === undefined) {
				report(lineNo, 1, `unknown annotation kind "${kind}" (brat has T, R, E, A, M, N, * and # lines)`);
				continue;
			}
			skipped.set(what, (skipped.get(what) ?? 0) + 1);
		}
	}
	for (const [what, n] of skipped) {
		warnings.push(`${annPath}: ${n} ${what} skipped (not carried into sidecars).`);
	}
	const relIndex = new Map<string, number>();
	const relations: RelationInput[] = [];
	for (const r of rels) {
		const from = spanIndex.get(r.fromId);
		const to = spanIndex.get(r.toId);
		if (from === undefined || to === undefined) {
			report(r.line, 1, `${r.bratId} points at ${from === undefined ? r.fromId : r.toId}, which is not a T annotation of this file`);
			continue;
		}
		relIndex.set(r.bratId, relations.length);
		relations.push({ id: r.id, type: r.type, from, to, place: r.place });
	}
	const spanNotes = new Map<number, string>();
	const relNotes = new Map<number, string>();
	for (const n of notes) {
		const [map, index] = spanIndex.has(n.target) ? [spanNotes, spanIndex.get(n.target)!] : [relNotes, relIndex.get(n.target)];
		if (index === undefined) {
			report(n.line, 1, `the note is on ${n.target}, which is not a T or R annotation of this file`);
			continue;
		}
		const prior = map.get(index);
		map.set(index, prior === undefined ? n.text : `${prior}\n${n.text}`);
	}
	if (errors.length > before) {
		return undefined;
	}
	// Document order (start, end), keeping the relations' endpoints.
	const order = spans.map((_, i) => i).sort((a, b) => spans[a].start - spans[b].start || spans[a].end - spans[b].end || a - b);
	const position = new Map(order.map((old, now) => [old, now]));
	const sorted = order.map((i) => ({ ...spans[i], extras: spanNotes.has(i) ? { note: spanNotes.get(i) } : undefined }));
	const sortedRels = relations.map((r, i) => ({ ...r, from: position.get(r.from)!, to: position.get(r.to)!, extras: relNotes.has(i) ? { note: relNotes.get(i) } : undefined }));
	return buildDocument(annPath, textPath, raw, sorted, sortedRels, errors, schema);
}

function importBrat(files: readonly ExchangeFile[]): ImportResult {
	const errors: ExchangeError[] = [];
	const warnings: string[] = [];
	const byPath = new Map(files.map((f) => [f.path, f]));
	const collector = new SchemaCollector();
	const documents: ImportedDocument[] = [];
	const conf = files.find((f) => f.path === BRAT_CONF || f.path.endsWith(`/${BRAT_CONF}`));
	const config = conf ? parseConfig(conf.text) : { labels: [], types: [] };
	const annotated = new Set<string>();
	for (const f of files) {
		if (!f.path.endsWith('.ann')) {
			continue;
		}
		const textPath = withExtension(f.path, '.txt');
		annotated.add(textPath);
		const txt = byPath.get(textPath);
		if (!txt) {
			errors.push({ file: f.path, line: 1, column: 1, message: `no ${textPath} beside it: brat offsets count characters of that text` });
			continue;
		}
		const doc = parseAnn(f.path, textPath, f.text, new RawText(txt.text), errors, warnings, collector);
		if (doc) {
			documents.push(doc);
		}
	}
	for (const f of files) {
		if (f.path.endsWith('.txt') && !annotated.has(f.path)) {
			documents.push({ path: f.path, text: f.text, annotations: [], relations: [] });
		}
	}
	if (errors.length > 0) {
		return { ok: false, errors };
	}
	const met = collector.schema();
	const labels = [...config.labels, ...met.labels.filter((l) => !config.labels.some((c) => c.id === l.id))];
	const relationTypes = [...config.types, ...met.relationTypes.filter((t) => !config.types.some((c) => c.id === t.id))];
	documents.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	return { ok: true, documents, schema: { labels, relationTypes }, warnings };
}

/** brat standoff: `.txt` + `.ann` per article and one `annotation.conf`. */
export const bratFormat: ExchangeFormat = exchangeFormatOf({
	id: 'brat', inputExtensions: ['.ann', '.txt', '.conf'], exporter: bratExporter, importFiles: importBrat,
	description: 'brat standoff: <stem>.txt and <stem>.ann per article (T, R and AnnotatorNotes lines), one annotation.conf',
});
