/**
 * Every registered format, on the sample corpus plus a hard article (BOM, CRLF, emoji, nested and
 * overlapping spans, notes, relations): export, then import into a fresh copy, gives back the
 * same annotations, except exactly what the export said it did not carry. Malformed input writes
 * nothing.
 */
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import type { Annotation, Relation } from '../../../src/core/annotations/model';
import { EXCHANGE_FORMATS } from '../../../src/core/exchange/formats';
import { w3cFormat } from '../../../src/core/exchange/w3c';
import type { ExchangeFormatId, ExchangeLoss } from '../../../src/core/exchange/exchangeFormat';
import { exportCorpus, importAnnotations, ExchangeRefused } from '../../../src/node/exchangeRunner';
import { walkFiles } from '../../../src/node/exchangeFiles';
import { NodeFileError } from '../../../src/node/fileErrors';
import { copyDir, HARD_ARTICLE, hardAnnotations, readSidecars, span, tempDir, writeSidecar } from './exchangeFixtures';

const SAMPLE = path.resolve(__dirname, '..', '..', '..', '..', 'sample-corpus');
const ALL: readonly ExchangeFormatId[] = ['brat', 'webanno-tsv', 'w3c', 'conll', 'doccano', 'label-studio'];

/** Loss names of the fields the formats count (core/exchange/exchangeLosses.ts). */
const ANNOTATION_FIELD_LOSS: Record<string, keyof Annotation> = {
	'notes': 'note', 'entity names': 'entity', 'authors': 'author', 'creation times': 'created',
	'modification times': 'modified', 'curators': 'curated_by', 'curation times': 'curated',
};
const RELATION_FIELD_LOSS: Record<string, keyof Relation> = {
	'relation notes': 'note', 'relation authors': 'author', 'relation creation times': 'created', 'relation modification times': 'modified',
};
const LABELS = ['claim', 'attribution', 'event', 'weapon-delivery', 'framing'];

/** A small seeded generator (tests are reproducible). */
function lcg(seed: number): () => number {
	let s = seed >>> 0;
	return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Seeded annotations on whole words of `text`: labels, some notes, authors and times, two relations. */
function sampleAnnotations(text: string, rng: () => number, prefix: string): { annotations: Annotation[]; relations: Relation[] } {
	const canonical = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
	const words: { start: number; end: number }[] = [];
	for (const m of canonical.matchAll(/\p{L}{4,}/gu)) {
		const start = [...canonical.slice(0, m.index)].length;
		words.push({ start, end: start + [...m[0]].length });
	}
	const chosen = new Map<number, Annotation>();
	for (let i = 0; i < 6 && words.length > 0; i++) {
		const k = Math.floor(rng() * words.length);
		if (chosen.has(k)) {
			continue;
		}
		const w = words[k];
		chosen.set(k, span(text, `${prefix}${i}`, LABELS[Math.floor(rng() * LABELS.length)], w.start, w.end, {
			...(rng() < 0.4 ? { note: `notitie ${i}` } : {}),
			...(rng() < 0.7 ? { author: rng() < 0.5 ? 'Anna' : 'Bram', created: `2026-11-0${1 + i}T12:00:00Z` } : {}),
		}));
	}
	const annotations = [...chosen.values()];
	const relations: Relation[] = annotations.length >= 2 ? [{ id: `${prefix}r`, type: 'about', from: annotations[0].id, to: annotations[1].id }] : [];
	return { annotations, relations };
}

async function buildCorpus(dir: string): Promise<void> {
	await copyDir(SAMPLE, dir);
	const rng = lcg(16);
	let n = 0;
	for (const file of await walkFiles(dir)) {
		if (!file.endsWith('.txt') || path.basename(file) === 'notities.txt' || path.basename(file).startsWith('999_')) {
			continue;
		}
		const { annotations, relations } = sampleAnnotations(await fs.readFile(file, 'utf8'), rng, `s${n++}x`);
		await writeSidecar(file, annotations, relations);
	}
	await fs.mkdir(path.join(dir, 'hard'));
	await fs.writeFile(path.join(dir, 'hard', 'hard.txt'), HARD_ARTICLE);
	const hard = hardAnnotations();
	await writeSidecar(path.join(dir, 'hard', 'hard.txt'), hard.annotations, hard.relations);
}

async function snapshot(dir: string): Promise<Map<string, string>> {
	const out = new Map<string, string>();
	for (const f of await walkFiles(dir)) {
		out.set(f, await fs.readFile(f, 'latin1'));
	}
	return out;
}

const lossCount = (losses: readonly ExchangeLoss[], what: string): number => losses.filter((l) => l.what === what).reduce((n, l) => n + l.count, 0);
const spanKey = (a: Pick<Annotation, 'label' | 'start' | 'end'>): string => `${a.label}@${a.start}-${a.end}`;

describe('exchange: round trip through every registered format', function () {
	this.timeout(120_000);
	let root: string;
	let corpus: string;
	let original: Map<string, { annotations: Annotation[]; relations: Relation[] }>;
	before(async () => {
		root = await tempDir('corpus-roundtrip-');
		corpus = path.join(root, 'corpus');
		await buildCorpus(corpus);
		original = await readSidecars(corpus);
		assert.ok(original.size >= 15, `sidecars written: ${original.size}`);
	});
	after(async () => {
		await fs.rm(root, { recursive: true, force: true });
	});

	it('all six formats are registered', () => {
		assert.deepStrictEqual(EXCHANGE_FORMATS.map((f) => f.id).sort(), [...ALL].sort());
	});

	it('export: a file that cannot be written is named, in worker threads as in this one', async () => {
		for (const jobs of [1, 3]) {
			const out = path.join(root, `blocked-${jobs}`);
			await fs.mkdir(out);
			// A file where the export needs the folder hard/.
			await fs.writeFile(path.join(out, 'hard'), 'in the way');
			await assert.rejects(exportCorpus({ corpusDir: corpus, outDir: out, format: w3cFormat, jobs }), (e: Error) => {
				assert.ok(e instanceof NodeFileError, `--jobs ${jobs}: ${e.stack}`);
				assert.ok(e.message.startsWith(`export file ${path.join(out, 'hard', 'hard.jsonld')}: `), e.message);
				return true;
			});
		}
	});

	for (const format of EXCHANGE_FORMATS) {
		describe(format.id, () => {
			let out: string;
			let copy: string;
			let losses: ExchangeLoss[];
			before(async () => {
				out = path.join(root, `out-${format.id}`);
				copy = path.join(root, `copy-${format.id}`);
				await copyDir(corpus, copy);
				for (const f of await walkFiles(copy)) {
					if (f.endsWith('.ann.yaml')) {
						await fs.rm(f);
					}
				}
			});

			it('export counts what it does not carry; import into a fresh copy gives back everything else', async () => {
				const report = await exportCorpus({ corpusDir: corpus, outDir: out, format });
				losses = report.losses;
				const total = [...original.values()].reduce((n, s) => n + s.annotations.length, 0);
				assert.strictEqual(report.annotations, total);
				assert.ok(report.lines[0].startsWith(`${format.id}: ${report.articles} articles, ${total} annotations`), report.lines[0]);
				await importAnnotations({ input: out, format, intoDir: copy });
				const back = await readSidecars(copy);
				const carriesIds = lossCount(losses, 'annotation ids') === 0;
				const fieldDiffs = new Map<string, number>();
				let unmatched = 0;
				let relationsBack = 0;
				let relationsOriginal = 0;
				for (const [file, before] of original) {
					const after = back.get(file) ?? { annotations: [], relations: [] };
					const byKey = new Map<string, Annotation[]>();
					after.annotations.forEach((a) => byKey.set(spanKey(a), [...(byKey.get(spanKey(a)) ?? []), a]));
					const idMap = new Map<string, string>();
					for (const a of before.annotations) {
						const candidates = byKey.get(spanKey(a)) ?? [];
						const b = candidates.find((c) => c.id === a.id) ?? candidates.shift();
						if (!b) {
							unmatched++;
							continue;
						}
						byKey.set(spanKey(a), candidates.filter((c) => c !== b));
						idMap.set(b.id, a.id);
						assert.deepStrictEqual([b.quote, b.prefix, b.suffix], [a.quote, a.prefix, a.suffix], `${file} ${a.id}`);
						if (carriesIds) {
							assert.strictEqual(b.id, a.id, `${file}: ids are carried`);
						}
						for (const [what, field] of Object.entries(ANNOTATION_FIELD_LOSS)) {
							if (a[field] !== undefined && b[field] !== a[field]) {
								fieldDiffs.set(what, (fieldDiffs.get(what) ?? 0) + 1);
							}
						}
					}
					relationsOriginal += before.relations.length;
					relationsBack += after.relations.length;
					for (const r of after.relations) {
						const from = idMap.get(r.from) ?? r.from;
						const to = idMap.get(r.to) ?? r.to;
						const same = before.relations.find((o) => o.type === r.type && o.from === from && o.to === to);
						assert.ok(same, `${file}: relation ${r.type} ${from}→${to} came back`);
						if (lossCount(losses, 'relation ids') === 0) {
							assert.strictEqual(r.id, same.id);
						}
						for (const [what, field] of Object.entries(RELATION_FIELD_LOSS)) {
							if (same[field] !== undefined && r[field] !== same[field]) {
								fieldDiffs.set(what, (fieldDiffs.get(what) ?? 0) + 1);
							}
						}
					}
				}
				// Spans lost or moved are counted under a span loss (format-specific names, like "overlapping spans (the longest kept)").
				const spanLosses = losses.filter((l) => !(l.what in ANNOTATION_FIELD_LOSS) && !(l.what in RELATION_FIELD_LOSS) && !/ids$|^relations/.test(l.what) && !/byte-order|line breaks \(written on one line\)/.test(l.what));
				assert.ok(unmatched <= spanLosses.reduce((n, l) => n + l.count, 0), `${unmatched} annotations did not come back; span losses counted: ${JSON.stringify(spanLosses)}`);
				if (unmatched === 0) {
					for (const what of [...Object.keys(ANNOTATION_FIELD_LOSS), ...Object.keys(RELATION_FIELD_LOSS)]) {
						assert.strictEqual(fieldDiffs.get(what) ?? 0, lossCount(losses, what), `${what}: differences after the round trip vs. counted as not carried (${JSON.stringify(losses)})`);
					}
					assert.strictEqual(relationsOriginal - relationsBack, lossCount(losses, 'relations') + lossCount(losses, 'relations to spans not written'), 'relations not carried');
				}
				if (losses.length === 0) {
					assert.deepStrictEqual(back, original, 'lossless: the same sidecars');
				}
			});

			it('export --jobs 3 writes the same files, byte for byte, and the same report as --jobs 1', async () => {
				const one = path.join(root, `jobs1-${format.id}`);
				const three = path.join(root, `jobs3-${format.id}`);
				const inOne = await exportCorpus({ corpusDir: corpus, outDir: one, format, jobs: 1 });
				const inThree = await exportCorpus({ corpusDir: corpus, outDir: three, format, jobs: 3 });
				assert.deepStrictEqual([inOne.threads, inThree.threads], [0, 3], 'the worker threads ran (out/src/node/exportWorker.js is there)');
				const files = async (dir: string): Promise<[string, string][]> =>
					Promise.all((await walkFiles(dir)).map(async (f): Promise<[string, string]> => [path.relative(dir, f), (await fs.readFile(f)).toString('latin1')]));
				const written = await files(one);
				assert.ok(written.some(([f, text]) => f.startsWith('hard') || text.includes('hard/hard.txt')), 'the CRLF + BOM + emoji article is exported');
				assert.deepStrictEqual(await files(three), written);
				assert.deepStrictEqual(inThree.lines.map((l) => l.replace(three, 'OUT')), inOne.lines.map((l) => l.replace(one, 'OUT')));
				assert.deepStrictEqual(inThree.losses, inOne.losses);
			});

			it('a malformed input is refused with file:line and writes nothing', async () => {
				const inputs = (await walkFiles(out)).filter((f) => format.inputExtensions.some((e) => e !== '.txt' && e !== '.conf' && f.endsWith(e)));
				assert.ok(inputs.length > 0);
				const victim = inputs.find((f) => f.includes('hard')) ?? inputs[0];
				const text = await fs.readFile(victim, 'utf8');
				await fs.writeFile(victim, text.slice(0, Math.floor(text.length / 2)) + '\n\u0001{[oops\t\t\n' + text.slice(Math.floor(text.length / 2)));
				const fresh = path.join(root, `fresh-${format.id}`);
				await copyDir(copy, fresh);
				const before = await snapshot(fresh);
				try {
					await importAnnotations({ input: out, format, intoDir: fresh });
					assert.fail('the import should be refused');
				} catch (error) {
					if (!(error instanceof ExchangeRefused)) {
						throw error;
					}
					assert.match(error.problems[0], /:\d+:\d+: /);
				} finally {
					await fs.writeFile(victim, text);
				}
				assert.deepStrictEqual(await snapshot(fresh), before);
			});
		});
	}
});
