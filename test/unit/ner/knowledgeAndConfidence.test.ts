import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expTransitions, Marginals, viterbi } from '../../../src/core/ner/decoder';
import { enforceConsistency, type ScoredChunk } from '../../../src/core/ner/docConsistency';
import { FeatureExtractor, possessiveStem, wordFeatureNames } from '../../../src/core/ner/features';
import { hashString } from '../../../src/core/ner/featureHash';
import { KnowledgeBuilder, entrySpellings, parseNameList } from '../../../src/core/ner/knowledge';
import { bilouToChunks, LABELS, NUM_LABELS, isValidSequence } from '../../../src/core/ner/labels';
import { formatSpanReport, SpanEvaluator } from '../../../src/core/ner/spanEval';
import { tokenize } from '../../../src/core/ner/tokenizer';
import { seededRandom } from '../../../src/core/util/seededRandom';
import { runCli } from '../cli/runCli';

const L = NUM_LABELS;
const lab = (s: string): number => LABELS.indexOf(s);

describe('ner name lists (knowledge gazetteer)', () => {
	it('parses TYPE|name|alias lines, reports bad types with their line and adds surnames of persons', () => {
		const { entries, errors } = parseNameList('# comment\nORG|D66|Democraten 66\n\nORG,LOC|Kremlin\nPER|Caroline van der Plas\nPLACE|Gent\nPER|Donald Trump|Trump\n');
		assert.equal(entries.length, 4);
		assert.deepEqual(errors.map((e) => e.line), [6]);
		assert.equal(entries[1].types, (1 << 2) | (1 << 1));
		assert.deepEqual(entrySpellings(entries[2]).sort(), ['Caroline van der Plas', 'Van der Plas', 'van der Plas']);
		// An alias that already is the surname: nothing added.
		assert.deepEqual(entrySpellings(entries[3]), ['Donald Trump', 'Trump']);
	});

	it('marks matches by BILOU position and source bit, possessives separately', () => {
		const know = new KnowledgeBuilder();
		know.addEntries(parseNameList('PER|Donald Trump|Trump\nORG|Sparta Rotterdam\n').entries);
		know.add('Rotterdam', 1 << 4);
		const rows = new Map<number, string>();
		const names = ['kg=B-0', 'kg=L-0', 'kg=U-0', 'kg=B-2', 'kg=L-2', 'kg=U-4', 'kgs=U-0'];
		for (const n of names) {
			rows.set(hashString(n), n);
		}
		const ids = [...rows.keys()];
		const extractor = new FeatureExtractor({ knowledge: { get: (h) => know.phrases.get(h) ?? -1 } }, (h) => ids.indexOf(h));
		const words = ['Donald', 'Trump', 'zag', 'Sparta', 'Rotterdam', 'en', 'Trumps', 'team'];
		const f = extractor.extract(words);
		const at = (t: number): string[] => Array.from(f.rows.subarray(f.offsets[t], f.offsets[t + 1]), (r) => names[r]).sort();
		assert.deepEqual(at(0), ['kg=B-0']);
		assert.deepEqual(at(1), ['kg=L-0', 'kg=U-0']);
		assert.deepEqual(at(2), []);
		assert.deepEqual(at(3), ['kg=B-2']);
		assert.deepEqual(at(4), ['kg=L-2', 'kg=U-4']);
		assert.deepEqual(at(6), ['kgs=U-0']);
	});

	it('finds the stem of possessive names only', () => {
		assert.equal(possessiveStem('Trumps'), 'Trump');
		assert.equal(possessiveStem("Zelensky's"), 'Zelensky');
		assert.equal(possessiveStem('Wevers'), 'Wever');
		assert.equal(possessiveStem('Brussels'.toLowerCase()), undefined);
		assert.equal(possessiveStem('VS'), undefined);
		assert.equal(possessiveStem('Congress'), undefined);
	});

	it('has title and place-preposition context features', () => {
		const ids = ['ttl-1', 'ttl-1-cap', 'ttl-2', 'pp-1-cap'].map(hashString);
		const extractor = new FeatureExtractor({}, (h) => ids.indexOf(h));
		const f = extractor.extract(['minister', 'Fleur', 'Agema', 'reist', 'naar', 'Peru']);
		const at = (t: number): number[] => Array.from(f.rows.subarray(f.offsets[t], f.offsets[t + 1])).sort();
		assert.deepEqual(at(1), [0, 1]);
		assert.deepEqual(at(2), [2]);
		assert.deepEqual(at(5), [3]);
		assert.deepEqual(at(3), []);
		assert.ok(wordFeatureNames('Peru').own.includes('w=Peru'));
	});

	it('keeps @handles and #tags whole so the tagger can keep them out of entities', () => {
		const toks = tokenize('Trump @POTUS schreef #Oekraïne, mail jan@voorbeeld.nl').map((t) => t.text);
		assert.deepEqual(toks, ['Trump', '@POTUS', 'schreef', '#Oekraïne', ',', 'mail', 'jan@voorbeeld.nl']);
	});
});

describe('ner confidence (forward–backward marginals)', () => {
	const rng = seededRandom(7);
	const randomLattice = (n: number): { emit: Float32Array; tw: { trans: Float32Array; start: Float32Array; end: Float32Array } } => {
		const emit = new Float32Array(n * L).map(() => (rng() - 0.5) * 20);
		const tw = { trans: new Float32Array(L * L).map(() => (rng() - 0.5) * 6), start: new Float32Array(L).map(() => rng()), end: new Float32Array(L).map(() => rng()) };
		return { emit, tw };
	};

	it('equals brute-force enumeration of all valid label sequences on small lattices', () => {
		let failures = 0;
		for (let trial = 0; trial < 20; trial++) {
			const n = 1 + (trial % 3);
			const { emit, tw } = randomLattice(n);
			const T = 3;
			const marg = new Marginals(n, emit, expTransitions(tw, T));
			// Enumerate every sequence of n labels.
			const prob = new Map<string, number>();
			let z = 0;
			const seq = new Int32Array(n);
			const rec = (t: number): void => {
				if (t === n) {
					if (!isValidSequence(seq)) {
						return;
					}
					let s = tw.start[seq[0]] + tw.end[seq[n - 1]];
					for (let i = 0; i < n; i++) {
						s += emit[i * L + seq[i]] + (i > 0 ? tw.trans[seq[i - 1] * L + seq[i]] : 0);
					}
					const w = Math.exp(s / T);
					z += w;
					for (const c of bilouToChunks(seq)) {
						const k = `${c.start}:${c.end}:${c.type}`;
						prob.set(k, (prob.get(k) ?? 0) + w);
					}
					return;
				}
				for (let l = 0; l < L; l++) {
					seq[t] = l;
					rec(t + 1);
				}
			};
			rec(0);
			for (const [k, w] of prob) {
				const [s, e, type] = k.split(':');
				const got = marg.chunkProbability(Number(s), Number(e), ['PER', 'LOC', 'ORG', 'MISC'].indexOf(type));
				if (Math.abs(got - w / z) > 1e-6) {
					failures++;
				}
			}
		}
		assert.equal(failures, 0, `${failures} chunk marginals differ from enumeration`);
	});

	it('gives a probability in [0, 1] for every Viterbi chunk, and near 1 when one path dominates by hundreds of units', () => {
		const n = 30;
		const { emit, tw } = randomLattice(n);
		// Make the Viterbi path win by 300 units per token: every other path is then e^-300 as likely.
		const best = viterbi(n, emit, tw);
		for (let t = 0; t < n; t++) {
			emit[t * L + best[t]] += 300;
		}
		const marg = new Marginals(n, emit, expTransitions(tw, 1));
		const chunks = bilouToChunks(best);
		let bad = 0;
		for (const c of chunks) {
			const p = marg.chunkProbability(c.start, c.end, ['PER', 'LOC', 'ORG', 'MISC'].indexOf(c.type));
			if (!(p >= 0.99 && p <= 1)) {
				bad++;
			}
		}
		assert.equal(bad, 0, `${bad} of ${chunks.length} chunks not near 1`);
	});
});

describe('ner article consistency', () => {
	const chunk = (sentence: number, start: number, end: number, type: number, confidence: number): ScoredChunk => ({ sentence, start, end, type, confidence });

	it('gives one type per name by confidence-weighted vote and links surnames and possessives to the full name', () => {
		const sents = [
			['Donald', 'Trump', 'sprak', 'in', 'Kiev'],
			['Trump', 'zei', 'dat', 'Kiev', 'viel'],
			['Trumps', 'plan', 'en', 'Kiev'],
		];
		const labels = [
			Int32Array.of(lab('B-PER'), lab('L-PER'), 0, 0, lab('U-LOC')),
			Int32Array.of(lab('U-LOC'), 0, 0, lab('U-PER'), 0),
			Int32Array.of(lab('U-MISC'), 0, 0, lab('U-LOC')),
		];
		const chunks = [chunk(0, 0, 2, 0, 0.9), chunk(0, 4, 5, 1, 0.8), chunk(1, 0, 1, 1, 0.6), chunk(1, 3, 4, 0, 0.4), chunk(2, 0, 1, 3, 0.5), chunk(2, 3, 4, 1, 0.7)];
		enforceConsistency(sents, labels, chunks);
		assert.deepEqual(Array.from(labels[1]), [lab('U-PER'), 0, 0, lab('U-LOC'), 0]);
		assert.equal(labels[2][0], lab('U-PER'));
		const kiev = chunks[3];
		assert.equal(kiev.type, 1);
		assert.ok(Math.abs(kiev.confidence - 1.5 / 1.9) < 1e-9, String(kiev.confidence));
		for (const l of labels) {
			assert.ok(isValidSequence(l));
		}
	});
});

describe('ner span evaluation and eval-ner on a folder', () => {
	it('scores strict PER/LOC/ORG, per type, all types and span-only', () => {
		const ev = new SpanEvaluator();
		ev.add(
			[{ start: 0, end: 5, type: 'PER' }, { start: 10, end: 14, type: 'LOC' }, { start: 20, end: 25, type: 'MISC' }],
			[{ start: 0, end: 5, type: 'PER' }, { start: 10, end: 14, type: 'ORG' }, { start: 20, end: 25, type: 'MISC' }, { start: 30, end: 31, type: 'LOC' }],
		);
		const r = ev.result();
		assert.deepEqual([r.perLocOrg.gold, r.perLocOrg.found, r.perLocOrg.correct], [2, 3, 1]);
		assert.deepEqual([r.spanOnly.gold, r.spanOnly.found, r.spanOnly.correct], [3, 4, 3]);
		assert.equal(r.byType.MISC.f1, 1);
		assert.match(formatSpanReport(r), /F1 PER\/LOC\/ORG 0\.4000\n$/);
	});

	it('reads gold sidecars with code-point offsets, and refuses a CoNLL file without tokens', async () => {
		const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'eval-ner-'));
		try {
			const text = ' date 2025-01 😀 Minister Fleur Agema bezocht Peru.';
			const cp = (s: string): number => [...text.slice(0, text.indexOf(s))].length;
			const ann = (id: string, label: string, q: string): string =>
				`  - id: ${id}\n    label: ${label}\n    start: ${cp(q)}\n    end: ${cp(q) + [...q].length}\n    quote: ${q}\n    prefix: ""\n    suffix: ""\n`;
			await fs.writeFile(path.join(dir, '001_a.txt'), text);
			await fs.writeFile(path.join(dir, '001_a.ann.yaml'), `version: 1\narticle: 001_a.txt\ndate: 2025-01\ntextHash: null\nannotations:\n${ann('a1', 'per', 'Fleur Agema')}${ann('a2', 'loc', 'Peru')}${ann('a3', 'claim', 'bezocht')}`);
			const folder = await runCli(dir, 'eval-ner', '.');
			assert.equal(folder.code, 0, folder.err);
			assert.match(folder.out, /^1 documents/);
			assert.match(folder.out, /strict PER\/LOC\/ORG .*\(gold 2, /);
			await fs.writeFile(path.join(dir, 'empty.conll'), '-DOCSTART- -DOCSTART- O\n\n');
			const empty = await runCli(dir, 'eval-ner', 'empty.conll');
			assert.equal(empty.code, 1);
			assert.doesNotMatch(empty.out, /F1/);
			const none = await runCli(path.join(dir, '..'), 'eval-ner', path.basename(dir) + path.sep + 'nothing-here');
			assert.equal(none.code, 1);
		} finally {
			await fs.rm(dir, { recursive: true, force: true });
		}
	});
});
