/**
 * Shared by the exchange tests: a corpus with a hard article (BOM, CRLF, emoji, overlapping and
 * nested spans, notes, relations), a plain JSON test format, and a reader of every sidecar.
 */
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { selectorAt } from '../../../src/core/annotations/anchoring';
import type { Annotation, Relation } from '../../../src/core/annotations/model';
import { sidecarOffset } from '../../../src/core/annotations/offsets';
import { readSidecarData } from '../../../src/core/annotations/sidecarCodec';
import { openSidecarSession } from '../../../src/core/annotations/sidecarSession';
import { canonicalText } from '../../../src/core/annotations/offsets';
import { exchangeFormatOf } from '../../../src/core/exchange/articleExport';
import type { ExchangeFormat, ExchangeFormatId, ImportedDocument } from '../../../src/core/exchange/exchangeFormat';

/** BOM, CRLF, an emoji before and inside spans, a heading. */
export const HARD_ARTICLE = '\uFEFF date 2025-03 Zelensky 🇺🇦 zei in Kiev: “Wij geven niet op.”\r\n\r\nDe lucht verdedigen\r\n\r\nRutte 😀 beloofde Patriot-raketten aan Oekraïne.';

/** Code-point offset of the n-th occurrence of `needle` in the canonical text. */
export function at(text: string, needle: string, nth = 0): number {
	const c = canonicalText(text);
	let i = -1;
	for (let k = 0; k <= nth; k++) {
		i = c.indexOf(needle, i + 1);
	}
	if (i < 0) {
		throw new Error(`${needle} not in text`);
	}
	return [...c.slice(0, i)].length;
}

export function span(text: string, id: string, label: string, start: number, end: number, extra: Partial<Annotation> = {}): Annotation {
	const s = selectorAt(text, sidecarOffset(start), sidecarOffset(end));
	return { id, label, ...s, ...extra };
}

/** Annotations of {@link HARD_ARTICLE}: nested (a2 inside a1), overlapping (a3/a4), emoji inside (a5), notes and authors. */
export function hardAnnotations(): { annotations: Annotation[]; relations: Relation[] } {
	const t = HARD_ARTICLE;
	const z = at(t, 'Zelensky');
	const quoteStart = at(t, '“Wij');
	const quoteEnd = at(t, '.”') + 2;
	const r = at(t, 'Rutte');
	const p = at(t, 'Patriot');
	const annotations = [
		span(t, 'a1', 'claim', z, quoteEnd, { note: 'hele uitspraak', author: 'Anna', created: '2026-11-01T10:00:00Z' }),
		span(t, 'a2', 'attribution', z, z + [...'Zelensky 🇺🇦'].length, { author: 'Anna', created: '2026-11-01T10:01:00Z' }),
		span(t, 'a3', 'framing', quoteStart, quoteEnd, { author: 'Bram' }),
		span(t, 'a4', 'event', r, at(t, 'beloofde') + 8, { note: 'belofte, geen levering', author: 'Bram', created: '2026-11-02T09:00:00Z' }),
		span(t, 'a5', 'claim', at(t, '😀'), p + 'Patriot-raketten'.length, { author: 'Anna' }),
	];
	const relations: Relation[] = [
		{ id: 'r1', type: 'source-of', from: 'a2', to: 'a1', author: 'Anna', created: '2026-11-01T10:02:00Z' },
		{ id: 'r2', type: 'about', from: 'a4', to: 'a5', note: 'zelfde belofte' },
	];
	return { annotations, relations };
}

export async function tempDir(prefix: string): Promise<string> {
	return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Writes the sidecar of `articlePath` holding these annotations and relations (through the session, as the tools do). */
export async function writeSidecar(articlePath: string, annotations: readonly Annotation[], relations: readonly Relation[]): Promise<void> {
	const text = await fs.readFile(articlePath, 'utf8');
	const opened = openSidecarSession({ sidecarText: undefined, articleText: text, articleName: path.basename(articlePath) });
	if (!opened.ok) {
		throw new Error(opened.errors[0].message);
	}
	const doc = opened.session.doc;
	doc.addAll(annotations);
	relations.forEach((r) => doc.addRelation(r));
	await fs.writeFile(articlePath.replace(/\.txt$/, '.ann.yaml'), opened.session.serialize()!);
}

/** Every sidecar below `dir`: relative path → annotations and relations as stored. */
export async function readSidecars(dir: string): Promise<Map<string, { annotations: Annotation[]; relations: Relation[] }>> {
	const out = new Map<string, { annotations: Annotation[]; relations: Relation[] }>();
	const visit = async (d: string): Promise<void> => {
		for (const e of await fs.readdir(d, { withFileTypes: true })) {
			const full = path.join(d, e.name);
			if (e.isDirectory() && !e.name.startsWith('.')) {
				await visit(full);
			} else if (e.name.endsWith('.ann.yaml')) {
				const read = readSidecarData(await fs.readFile(full, 'utf8'));
				if (!read.ok) {
					throw new Error(`${full}: ${read.errors[0].message}`);
				}
				out.set(path.relative(dir, full).split(path.sep).join('/'), { annotations: read.data.annotations, relations: read.data.relations });
			}
		}
	};
	await visit(dir);
	return out;
}

/** Copies a folder (without `.git`). */
export async function copyDir(from: string, to: string): Promise<void> {
	await fs.cp(from, to, { recursive: true, filter: (src) => path.basename(src) !== '.git' });
}

/**
 * A lossless test format: one `<path>.json` per article with the text, the annotations and the
 * relations. Bad JSON is reported with its line and column, as a real format must.
 */
export const jsonTestFormat: ExchangeFormat = exchangeFormatOf({
	id: 'test-json' as ExchangeFormatId,
	description: 'test only',
	inputExtensions: ['.json'],
	exporter: {
		exportArticle: (d) => ({
			files: [{ path: d.path.replace(/\.txt$/, '.json'), text: JSON.stringify({ text: d.text, annotations: d.annotations, relations: d.relations }, null, 1) }],
			losses: [],
			warnings: [],
		}),
		finish: () => [],
	},
	importFiles(files) {
		const documents: ImportedDocument[] = [];
		for (const f of files.filter((x) => x.path.endsWith('.json'))) {
			try {
				const parsed = JSON.parse(f.text) as { text: string; annotations: Annotation[]; relations?: Relation[] };
				documents.push({ path: f.path.replace(/\.json$/, '.txt'), text: parsed.text, annotations: parsed.annotations, relations: parsed.relations ?? [] });
			} catch (error) {
				const m = /position (\d+)/.exec(String(error));
				// Without a position in the message: the last line (where an unfinished document fails).
				const before = f.text.slice(0, m ? Number(m[1]) : f.text.length);
				return { ok: false, errors: [{ file: f.path, line: before.split('\n').length, column: before.length - before.lastIndexOf('\n'), message: 'not JSON' }] };
			}
		}
		return { ok: true, documents, schema: { labels: [], relationTypes: [] }, warnings: [] };
	},
});
