/**
 * Training: jack-knifed resources (casing statistics, gazetteer) so the training features look
 * like test-time features, an averaged perceptron with early stopping on a dev set, and an
 * optional document-level second pass trained on jack-knifed first-pass predictions.
 */
import { ConllEvaluator } from './conlleval';
import type { ConllDocument } from './conllReader';
import { documentCasing, documentMajority } from './docFeatures';
import { addPrefixes, FeatureExtractor, normalizeWord, phraseHash, type GazetteerLike, type NerResources } from './features';
import { hashString, U32Map } from './featureHash';
import { ENTITY_TYPES } from '../entities/entityTypes';
import { bilouToIob2, NUM_LABELS, tagsToBilou, tagsToChunks } from './labels';
import { knowledgeFeatureHashes } from './knowledge';
import type { LinearModelData, ModelParts, ResourceData } from './nerModelFile';
import { seededRandom } from '../util/seededRandom';
import { Perceptron, type TrainingInstance, type WeightSet } from './perceptron';

export interface LexiconLists {
	/** Words of a Dutch lexicon (any case; case decides lower-case word vs. name). */
	words?: readonly string[];
	firstNames?: readonly string[];
	/** Knowledge gazetteer: phrase hash → source bits (see knowledge.ts). */
	knowledge?: ReadonlyMap<number, number>;
	/**
	 * Names from the knowledge lists by type (index into ENTITY_TYPES), as tokens: the substitutes
	 * for mention substitution (TrainOptions.substitute).
	 */
	names?: readonly (readonly (readonly string[])[])[];
	description?: string;
}

export interface TrainOptions {
	/** Maximum epochs (with a dev set) or exact epochs (without). */
	epochs: number;
	/** Exact epochs for pass 2 without a dev set (default: epochs). */
	epochs2?: number;
	/** Stop after this many epochs without dev improvement. */
	patience: number;
	/** Perceptrons (shuffling seeds) whose weights are averaged, per pass. */
	seeds: number;
	/** Folds for jack-knifing the resources. */
	folds: number;
	/** Folds for jack-knifing first-pass predictions (0 = no second pass). */
	secondPassFolds: number;
	casing: boolean;
	gazetteer: boolean;
	/** Second pass also sees the first-pass labels of the token and its neighbours. */
	stack: boolean;
	/** Second pass also sees document casing evidence (documentCasing). */
	docCasing: boolean;
	/**
	 * Mention substitution: copies of the training documents (this many per document, 0 = none) in
	 * which each entity mention is replaced, with probability `substituteRate`, by a random listed
	 * name of the same type (LexiconLists.names). The copies teach the model the listed names in
	 * real contexts and how far a list match can be trusted; they share their source's folds.
	 */
	substitute: number;
	substituteRate: number;
	/** Multiplies the trained weights of the knowledge-list features (kg=…, kgs=…) before they are stored. */
	knowledgeScale: number;
	seed: number;
	log: (line: string) => void;
	now: () => number;
}

export const DEFAULT_TRAIN_OPTIONS: Omit<TrainOptions, 'log' | 'now'> = {
	epochs: 15,
	patience: 3,
	seeds: 3,
	folds: 10,
	secondPassFolds: 5,
	casing: true,
	gazetteer: true,
	stack: false,
	docCasing: true,
	substitute: 0,
	substituteRate: 0.5,
	// Chosen on ned.testa, scaling a train-only model's weights afterwards: 1 gave 83.14, 1.5 83.28, 2 83.15.
	knowledgeScale: 1.5,
	seed: 1,
};

/**
 * Copies of `docs` with entity mentions replaced by listed names of the same type (see
 * TrainOptions.substitute). Returns the copies and, per copy, the index of its source document.
 */
export function substituteMentions(
	docs: readonly ConllDocument[],
	names: readonly (readonly (readonly string[])[])[],
	copies: number,
	rate: number,
	seed: number,
): { docs: ConllDocument[]; source: number[] } {
	const rng = seededRandom(seed);
	const out: ConllDocument[] = [];
	const source: number[] = [];
	for (let c = 0; c < copies; c++) {
		docs.forEach((d, di) => {
			const sentences = d.sentences.map((s) => {
				const words: string[] = [];
				const tags: string[] = [];
				let at = 0;
				for (const ch of tagsToChunks(s.tags)) {
					const t = (ENTITY_TYPES as readonly string[]).indexOf(ch.type);
					const pool = t >= 0 ? names[t] : undefined;
					if (!pool || pool.length === 0 || rng() >= rate) {
						continue;
					}
					for (; at < ch.start; at++) {
						words.push(s.words[at]);
						tags.push(s.tags[at]);
					}
					const name = pool[Math.floor(rng() * pool.length)];
					name.forEach((w, k) => {
						words.push(w);
						tags.push(`${k === 0 ? 'B' : 'I'}-${ch.type}`);
					});
					at = ch.end;
				}
				for (; at < s.words.length; at++) {
					words.push(s.words[at]);
					tags.push(s.tags[at]);
				}
				return { words, tags };
			});
			out.push({ sentences });
			source.push(di);
		});
	}
	return { docs: out, source };
}

interface PreparedDoc {
	words: string[][];
	gold: Int32Array[];
	tags: string[][];
}

function prepare(docs: readonly ConllDocument[]): PreparedDoc[] {
	return docs.map((d) => ({
		words: d.sentences.map((s) => s.words.map(normalizeWord)),
		gold: d.sentences.map((s) => tagsToBilou(s.tags)),
		tags: d.sentences.map((s) => s.tags),
	}));
}

function isCapitalised(word: string): boolean {
	const ch = word.charAt(0);
	return ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

interface DocStats {
	lowerSeen: Set<number>;
	capMid: Set<number>;
	gaz: Map<number, number>;
}

function docStats(doc: PreparedDoc): DocStats {
	const st: DocStats = { lowerSeen: new Set(), capMid: new Set(), gaz: new Map() };
	doc.words.forEach((words, s) => {
		let initial = true;
		for (const w of words) {
			const ch = w.charAt(0);
			if (ch !== ch.toUpperCase() && ch === ch.toLowerCase()) {
				st.lowerSeen.add(hashString(w.toLowerCase()));
			} else if (!initial && isCapitalised(w)) {
				st.capMid.add(hashString(w.toLowerCase()));
			}
			if (initial && /[\p{L}\p{N}]/u.test(w)) {
				initial = false;
			}
		}
		for (const c of tagsToChunks(doc.tags[s])) {
			const t = (ENTITY_TYPES as readonly string[]).indexOf(c.type);
			if (t < 0 || c.end - c.start > 6) {
				continue;
			}
			const h = phraseHash(words.slice(c.start, c.end));
			st.gaz.set(h, (st.gaz.get(h) ?? 0) | (1 << t));
			addPrefixes(st.gaz, words.slice(c.start, c.end));
		}
	});
	return st;
}

function mergeStats(parts: readonly DocStats[]): DocStats {
	const out: DocStats = { lowerSeen: new Set(), capMid: new Set(), gaz: new Map() };
	for (const p of parts) {
		p.lowerSeen.forEach((h) => out.lowerSeen.add(h));
		p.capMid.forEach((h) => out.capMid.add(h));
		p.gaz.forEach((m, h) => out.gaz.set(h, (out.gaz.get(h) ?? 0) | m));
	}
	return out;
}

interface LexiconSets {
	lexLower?: Set<number>;
	lexCap?: Set<number>;
	firstNames?: Set<number>;
	knowledge?: GazetteerLike;
}

function lexiconSets(lex: LexiconLists | null): LexiconSets {
	if (!lex) {
		return {};
	}
	const out: LexiconSets = {};
	const know = lex.knowledge;
	if (know && know.size > 0) {
		out.knowledge = { get: (h: number) => know.get(h) ?? -1 };
	}
	if (lex.words && lex.words.length > 0) {
		out.lexLower = new Set();
		out.lexCap = new Set();
		for (const w of lex.words) {
			(isCapitalised(w) ? out.lexCap : out.lexLower).add(hashString(w.toLowerCase()));
		}
	}
	if (lex.firstNames && lex.firstNames.length > 0) {
		out.firstNames = new Set(lex.firstNames.map((w) => hashString(w.toLowerCase())));
	}
	return out;
}

function toResources(st: DocStats, opts: TrainOptions, lex: ReturnType<typeof lexiconSets>): NerResources {
	const res: NerResources = { ...lex, prefixClosed: true };
	if (opts.casing) {
		res.lowerSeen = st.lowerSeen;
		res.capMid = st.capMid;
	}
	if (opts.gazetteer) {
		const gaz = st.gaz;
		res.gazetteer = { get: (h: number) => gaz.get(h) ?? -1 };
		res.gazMaxLen = 6;
	}
	return res;
}

function shuffle(a: number[], rng: () => number): void {
	for (let i = a.length - 1; i > 0; i--) {
		const j = Math.floor(rng() * (i + 1));
		const t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

interface DevSet {
	instances: TrainingInstance[];
	tags: string[][];
}

function evaluate(p: Perceptron, ws: WeightSet, dev: DevSet): number {
	const ev = new ConllEvaluator();
	dev.instances.forEach((x, i) => ev.add(dev.tags[i], bilouToIob2(p.predict(x, ws))));
	return ev.result().f1;
}

interface TrainResult {
	weights: WeightSet;
	epochs: number;
	devF1?: number;
}

/** One training run: what to train on, how long at most, and what to call it in the log. */
interface RunSpec {
	label: string;
	numRows: number;
	data: readonly TrainingInstance[];
	dev: DevSet | null;
	maxEpochs: number;
}

function runPerceptron({ label, numRows, data, dev, maxEpochs }: RunSpec, opts: TrainOptions, quiet = false): TrainResult {
	const p = new Perceptron(numRows);
	const rng = seededRandom(opts.seed);
	const order = data.map((_, i) => i);
	let best: TrainResult | null = null;
	let since = 0;
	for (let e = 1; e <= maxEpochs; e++) {
		const t0 = opts.now();
		shuffle(order, rng);
		const errors = p.epoch(data, order);
		const t1 = opts.now();
		if (!dev) {
			if (!quiet) {
				opts.log(`${label} epoch ${e}: ${errors} sentences with errors, ${((t1 - t0) / 1000).toFixed(1)} s`);
			}
			continue;
		}
		const avg = p.averaged();
		const f1 = evaluate(p, avg, dev);
		const t2 = opts.now();
		if (!quiet) {
			opts.log(
				`${label} epoch ${e}: ${errors} sentences with errors, dev F1 ${f1.toFixed(2)}, train ${((t1 - t0) / 1000).toFixed(1)} s, eval ${((t2 - t1) / 1000).toFixed(1)} s`,
			);
		}
		if (!best || f1 > (best.devF1 ?? -1)) {
			best = { weights: avg, epochs: e, devF1: f1 };
			since = 0;
		} else if (++since >= opts.patience) {
			break;
		}
	}
	return best ?? { weights: p.averaged(), epochs: maxEpochs };
}

/**
 * Trains `opts.seeds` perceptrons that differ only in the shuffling seed (each with its own early
 * stopping) and averages their weights (parameter mixing): steadier than any single run.
 */
function runMixed(spec: RunSpec, opts: TrainOptions): TrainResult {
	const { label, dev } = spec;
	const n = Math.max(1, opts.seeds);
	if (n === 1) {
		return runPerceptron(spec, opts);
	}
	const runs: TrainResult[] = [];
	for (let k = 0; k < n; k++) {
		runs.push(runPerceptron({ ...spec, label: `${label} seed ${opts.seed + k}` }, { ...opts, seed: opts.seed + k }));
	}
	const mix = (pick: (w: WeightSet) => Float32Array): Float32Array => {
		const out = new Float32Array(pick(runs[0].weights).length);
		for (const r of runs) {
			const a = pick(r.weights);
			for (let i = 0; i < out.length; i++) {
				out[i] += a[i] / n;
			}
		}
		return out;
	};
	const weights: WeightSet = { weights: mix((w) => w.weights), trans: mix((w) => w.trans), start: mix((w) => w.start), end: mix((w) => w.end) };
	const epochs = Math.round(runs.reduce((a, r) => a + r.epochs, 0) / n);
	if (!dev) {
		return { weights, epochs };
	}
	const devF1 = evaluate(new Perceptron(0), weights, dev);
	opts.log(`${label}: mixture of ${n} seeds, dev F1 ${devF1.toFixed(2)} (mean epochs ${epochs})`);
	return { weights, epochs, devF1 };
}

export interface TrainReport {
	parts: ModelParts;
	pass1Epochs: number;
	pass2Epochs?: number;
	pass1DevF1?: number;
	pass2DevF1?: number;
}

export function trainNer(
	trainDocs: readonly ConllDocument[],
	devDocs: readonly ConllDocument[] | null,
	lexicon: LexiconLists | null,
	opts: TrainOptions,
	training: Record<string, unknown>,
): TrainReport {
	const copies = opts.substitute > 0 && lexicon?.names ? substituteMentions(trainDocs, lexicon.names, opts.substitute, opts.substituteRate, opts.seed + 1000) : { docs: [], source: [] };
	const train = prepare([...trainDocs, ...copies.docs]);
	// Each copy counts as its source document for the folds; only the originals feed the resources.
	const sourceOf = [...trainDocs.map((_, i) => i), ...copies.source];
	const dev = devDocs ? prepare(devDocs) : null;
	const lex = lexiconSets(lexicon);
	const stats = train.slice(0, trainDocs.length).map(docStats);
	const all = mergeStats(stats);
	const folds = Math.max(1, Math.min(opts.folds, trainDocs.length));
	const foldOf = sourceOf.map((i) => i % folds);
	if (copies.docs.length > 0) {
		opts.log(`mention substitution: ${copies.docs.length} document copies (rate ${opts.substituteRate})`);
	}

	const rowOf = new U32Map(1 << 19);
	const keys: number[] = [];
	const register = (h: number): number => {
		let r = rowOf.get(h);
		if (r < 0) {
			r = keys.length;
			keys.push(h);
			rowOf.set(h, r);
		}
		return r;
	};
	const lookup = (h: number): number => rowOf.get(h);

	// Pass-1 training instances, features jack-knifed per fold.
	const t0 = opts.now();
	const extractors: FeatureExtractor[] = [];
	for (let k = 0; k < folds; k++) {
		const others = stats.filter((_, i) => foldOf[i] !== k);
		extractors.push(new FeatureExtractor(toResources(folds > 1 ? mergeStats(others) : all, opts, lex), register));
	}
	const docInstances: TrainingInstance[][] = train.map((d, i) =>
		d.words.map((words, s) => ({ ...extractors[foldOf[i]].extract(words), gold: d.gold[s] })),
	);
	const numRows1 = keys.length;
	const flat = docInstances.flat();
	const devExtractor = new FeatureExtractor(toResources(all, opts, lex), lookup);
	const devSet: DevSet | null = dev
		? {
				instances: dev.flatMap((d) => d.words.map((w, s) => ({ ...devExtractor.extract(w), gold: d.gold[s] }))),
				tags: dev.flatMap((d) => d.tags),
			}
		: null;
	opts.log(`features: ${numRows1} (extraction ${((opts.now() - t0) / 1000).toFixed(1)} s), training sentences: ${flat.length}`);

	const r1 = runMixed({ label: 'pass1', numRows: numRows1, data: flat, dev: devSet, maxEpochs: opts.epochs }, opts);
	const scaled = new Map<number, number>();
	if (opts.knowledgeScale !== 1) {
		for (const h of knowledgeFeatureHashes()) {
			const r = rowOf.get(h);
			if (r >= 0) {
				scaled.set(r, opts.knowledgeScale);
			}
		}
	}
	const report: TrainReport = {
		parts: {
			resources: {
				sets: {
					...(opts.casing ? { lowerSeen: all.lowerSeen, capMid: all.capMid } : {}),
					...(lex.lexLower ? { lexLower: lex.lexLower, lexCap: lex.lexCap ?? [] } : {}),
					...(lex.firstNames ? { firstNames: lex.firstNames } : {}),
				},
				gazetteer: opts.gazetteer ? all.gaz : new Map(),
				gazMaxLen: 6,
				...(lexicon?.knowledge && lexicon.knowledge.size > 0 ? { knowledge: new Map(lexicon.knowledge) } : {}),
			} satisfies ResourceData,
			keys: Uint32Array.from(keys),
			pass1: linearData(r1.weights, scaled),
			training,
			settings: {},
		},
		pass1Epochs: r1.epochs,
		pass1DevF1: r1.devF1,
	};
	if (opts.secondPassFolds <= 0) {
		return report;
	}

	// Jack-knifed first-pass predictions for the training documents.
	const f2 = Math.max(2, Math.min(opts.secondPassFolds, trainDocs.length));
	const fold2Of = sourceOf.map((i) => i % f2);
	const pred: Int32Array[][] = train.map((d) => d.words.map(() => new Int32Array(0)));
	for (let k = 0; k < f2; k++) {
		const t = opts.now();
		const trainPart: TrainingInstance[] = [];
		train.forEach((_, i) => {
			if (fold2Of[i] !== k) {
				trainPart.push(...docInstances[i]);
			}
		});
		const rk = runPerceptron({ label: `fold${k}`, numRows: numRows1, data: trainPart, dev: null, maxEpochs: r1.epochs }, opts, true);
		const p = new Perceptron(0);
		train.forEach((_, i) => {
			if (fold2Of[i] === k) {
				pred[i] = docInstances[i].map((x) => p.predict(x, rk.weights));
			}
		});
		opts.log(`second-pass fold ${k + 1}/${f2}: ${r1.epochs} epochs, ${((opts.now() - t) / 1000).toFixed(1)} s`);
	}
	const docInstances2: TrainingInstance[][] = train.map((d, i) => {
		const dv = documentMajority(d.words, pred[i]);
		const dc = opts.docCasing ? documentCasing(d.words) : null;
		return d.words.map((words, s) => ({
			...extractors[foldOf[i]].extract(words, { doc: dv[s], labels: opts.stack ? pred[i][s] : null, casing: dc ? dc[s] : null }),
			gold: d.gold[s],
		}));
	});
	let devSet2: DevSet | null = null;
	if (dev && devSet) {
		const p = new Perceptron(0);
		let idx = 0;
		const instances: TrainingInstance[] = [];
		for (const d of dev) {
			const first = d.words.map(() => p.predict(devSet.instances[idx++], r1.weights));
			const dv = documentMajority(d.words, first);
			const dc = opts.docCasing ? documentCasing(d.words) : null;
			d.words.forEach((w, s) =>
				instances.push({ ...devExtractor.extract(w, { doc: dv[s], labels: opts.stack ? first[s] : null, casing: dc ? dc[s] : null }), gold: d.gold[s] }),
			);
		}
		devSet2 = { instances, tags: devSet.tags };
	}
	const numRows2 = keys.length;
	const epochs2 = devSet2 ? opts.epochs : (opts.epochs2 ?? opts.epochs);
	const r2 = runMixed({ label: 'pass2', numRows: numRows2, data: docInstances2.flat(), dev: devSet2, maxEpochs: epochs2 }, opts);
	report.parts.keys = Uint32Array.from(keys);
	report.parts.pass2 = linearData(r2.weights, scaled);
	report.pass2Epochs = r2.epochs;
	report.pass2DevF1 = r2.devF1;
	return report;
}

function linearData(w: WeightSet, scaled?: ReadonlyMap<number, number>): LinearModelData {
	let weights = w.weights;
	if (scaled && scaled.size > 0) {
		weights = Float32Array.from(weights);
		for (const [row, factor] of scaled) {
			for (let l = 0; l < NUM_LABELS && row * NUM_LABELS + l < weights.length; l++) {
				weights[row * NUM_LABELS + l] *= factor;
			}
		}
	}
	return { weights, trans: w.trans, start: w.start, end: w.end };
}
