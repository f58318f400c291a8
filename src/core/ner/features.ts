/**
 * Sparse feature extraction. Every feature is a 32-bit hash; a `Resolver` maps it to a weight
 * row (or -1 when the model does not know it). Everything that depends on one word only is
 * computed once per distinct word and cached together with its resolved rows, so a token costs
 * a handful of hash look-ups for the features that combine neighbours.
 */
import { hashCombine, hashString, type HashSetLike } from './featureHash';
import { ENTITY_TYPES } from '../entities/entityTypes';
import { labelType } from './labels';

export interface GazetteerLike {
	/** Bit mask of entity types (bit t = ENTITY_TYPES[t]) for a phrase hash, or -1. */
	get(phraseHash: number): number;
}

/** Word lists and statistics the features consult; all optional. */
export interface NerResources {
	/** hashString(lower case) of words seen with a lower-case initial in training text. */
	lowerSeen?: HashSetLike;
	/** hashString(lower case) of words seen capitalised not at the start of a sentence. */
	capMid?: HashSetLike;
	/** Entity phrases: hash of the phrase (see phraseHash) → type mask. */
	gazetteer?: GazetteerLike;
	gazMaxLen?: number;
	/** hashString(lower case) of lexicon words written in lower case. */
	lexLower?: HashSetLike;
	/** hashString(lower case) of lexicon words written capitalised (names). */
	lexCap?: HashSetLike;
	/** hashString(lower case) of first names. */
	firstNames?: HashSetLike;
	/** Knowledge gazetteer (see knowledge.ts): phrase hash → source bit mask, or -1. */
	knowledge?: GazetteerLike;
	/**
	 * The gazetteers also hold every proper prefix of their phrases (with PREFIX_BIT), so a
	 * match can stop growing at the first absent prefix. Models without them look further.
	 */
	prefixClosed?: boolean;
}

/** Mask bit of a gazetteer entry that is (also) the beginning of a longer phrase. */
export const PREFIX_BIT = 0x80;

/** Source bits of the knowledge gazetteer: 0–3 listed with that type, 4 a GeoNames town. */
export const KNOWLEDGE_BITS = 5;
export const KNOWLEDGE_TOWN_BIT = 4;
/** Longest knowledge phrase (in tokens) stored and matched. */
export const KNOWLEDGE_MAX_LEN = 6;

/** Lower-case words that introduce a person: titles, functions, roles. */
const TITLE_WORDS = new Set(
	(
		'president presidente premier minister-president minister staatssecretaris vicepremier vice-premier kanselier koning koningin prins prinses ' +
		'kroonprins kroonprinses paus kardinaal bisschop imam rabbijn sjeik emir ayatollah sultan keizer bondscoach coach trainer hoofdcoach manager ' +
		'topman topvrouw baas ceo cfo directeur directrice voorzitter voorzitster woordvoerder woordvoerster burgemeester wethouder gouverneur ' +
		'senator congreslid kamerlid europarlementariër fractievoorzitter fractieleider partijleider partijvoorzitter lijsttrekker informateur formateur ' +
		'generaal kolonel commandant admiraal luitenant majoor kapitein ambassadeur gezant diplomaat rechter advocaat advocate officier procureur aanklager ' +
		'hoogleraar professor prof. onderzoeker wetenschapper dokter arts chirurg schrijver schrijfster auteur dichter zanger zangeres rapper acteur actrice ' +
		'regisseur kunstenaar presentator presentatrice journalist journaliste verslaggever correspondent columnist speler spits middenvelder verdediger ' +
		'doelman keeper aanvoerder renner wielrenner coureur schaatser atleet tennisser zwemmer oud-premier oud-minister oud-president ex-president ' +
		'expremier collega mevrouw meneer heer dhr. mr. dr. drs. ir. ing. sir lord lady tsaar dictator leider opvolger rivaal tegenstander'
	).split(' '),
);

/** Endings of compound titles (Deltacommissaris, oud-minister, partijvoorzitter). */
const TITLE_ENDINGS = ['commissaris', 'minister', 'voorzitter', 'voorzitster', 'directeur', 'woordvoerder', 'woordvoerster', 'secretaris', 'coach', 'president', 'burgemeester', 'topman', 'chef'];

function isTitleWord(lower: string): boolean {
	return TITLE_WORDS.has(lower) || TITLE_ENDINGS.some((e) => lower.length > e.length + 2 && lower.endsWith(e));
}

/** Lower-case prepositions that often precede a place. */
const PLACE_PREPOSITIONS = new Set('in naar uit bij vanuit nabij richting via rond rondom buiten te binnen tussen'.split(' '));

/** The stem of a possessive name (Trumps, Trump's → Trump), else undefined. */
export function possessiveStem(word: string): string | undefined {
	if (word.length < 4 || !isCapitalised(word)) {
		return undefined;
	}
	if (word.endsWith("'s")) {
		return word.slice(0, -2);
	}
	if (word.endsWith('s') && !word.endsWith('ss') && /\p{Ll}/u.test(word.charAt(word.length - 2))) {
		return word.slice(0, -1);
	}
	return undefined;
}

export type Resolver = (hash: number) => number;

/** First-pass information for the second pass, per token of one sentence. */
export interface SecondPassInput {
	/** Majority first-pass type of the same word elsewhere in the document: -1 none, 0 O, 1 + type. */
	doc: ArrayLike<number>;
	/** First-pass BILOU labels of the sentence (stacking features), if the model uses them. */
	labels?: ArrayLike<number> | null;
	/** Document casing evidence (see documentCasing), if the model uses it. */
	casing?: ArrayLike<number> | null;
}

/** Feature rows of one sentence in compressed form: token t has rows[offsets[t] .. offsets[t+1]). */
export interface SentenceFeatures {
	rows: Int32Array;
	offsets: Int32Array;
}

/** Replaces typographic quotes, dashes and ellipses by the ASCII forms used in CoNLL data. */
export function normalizeWord(text: string): string {
	if (/^[\x20-\x7e]*$/.test(text)) {
		return text;
	}
	return text
		.replace(/[‘’‛`´]/g, "'")
		.replace(/[“”„«»]/g, '"')
		.replace(/[‐‑]/g, '-')
		.replace(/[–—]/g, '-')
		.replace(/…/g, '...');
}

function charClass(ch: string): string {
	if (ch >= '0' && ch <= '9') {
		return 'd';
	}
	const lo = ch.toLowerCase();
	const up = ch.toUpperCase();
	if (lo !== up) {
		return ch === up ? 'X' : 'x';
	}
	return ch;
}

/** Word shape with runs longer than 2 cut to 2 (long) and with runs collapsed (short). */
export function wordShapes(word: string): { long: string; short: string } {
	let long = '';
	let short = '';
	let prev = '';
	let run = 0;
	for (const ch of word) {
		const c = charClass(ch);
		if (c === prev) {
			run++;
		} else {
			run = 1;
			short += c;
		}
		if (run <= 2) {
			long += c;
		}
		prev = c;
	}
	return { long, short };
}

function isCapitalised(word: string): boolean {
	const ch = word.charAt(0);
	return ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

/** Hash of a word as a gazetteer key; a phrase hash chains them with hashCombine. */
export function gazetteerWordHash(word: string): number {
	return hashString(word);
}

export function phraseHash(words: readonly string[]): number {
	let h = gazetteerWordHash(words[0]);
	for (let i = 1; i < words.length; i++) {
		h = hashCombine(h, gazetteerWordHash(words[i]));
	}
	return h;
}

/** Marks the proper prefixes of a phrase in a gazetteer map (see NerResources.prefixClosed). */
export function addPrefixes(map: Map<number, number>, words: readonly string[]): void {
	for (let k = 1; k < words.length; k++) {
		const h = phraseHash(words.slice(0, k));
		map.set(h, (map.get(h) ?? 0) | PREFIX_BIT);
	}
}

/** String names of the features that depend on the word alone (debugging and tests). */
export function wordFeatureNames(word: string, res: NerResources = {}): { own: string[]; si: string[] } {
	const n = word;
	const l = n.toLowerCase();
	const { long, short } = wordShapes(n);
	const own = ['bias', `w=${n}`, `l=${l}`, `sh=${long}`, `ss=${short}`];
	const chars = Array.from(n);
	const lchars = Array.from(l);
	for (let k = 1; k <= 4 && k <= chars.length; k++) {
		own.push(`p${k}=${chars.slice(0, k).join('')}`);
	}
	for (let k = 1; k <= 5 && k <= lchars.length; k++) {
		own.push(`s${k}=${lchars.slice(-k).join('')}`);
	}
	const si = [`ss=${short}`];
	if (n.length > 1 && n.includes('-')) {
		const parts = n.split('-').filter((p) => p.length > 0);
		if (parts.length >= 2) {
			const first = parts[0];
			const last = parts[parts.length - 1];
			own.push(`h1=${first.toLowerCase()}`, `hL=${last.toLowerCase()}`, `hs1=${wordShapes(first).short}`, `hsL=${wordShapes(last).short}`);
		}
	}
	const cap = isCapitalised(n);
	const lh = hashString(l);
	if (cap && res.lowerSeen && res.capMid) {
		const code = (res.lowerSeen.has(lh) ? 1 : 0) + (res.capMid.has(lh) ? 2 : 0);
		own.push(`cs=${code}`);
		si.push(`cs=${code}`);
	}
	if (res.lexLower && res.lexCap && /\p{L}/u.test(n)) {
		let code = (res.lexLower.has(lh) ? 1 : 0) + (res.lexCap.has(lh) ? 2 : 0) + (cap ? 4 : 0);
		if (!(code & 1) && stemInLexicon(l, res.lexLower)) {
			code += 8;
		}
		own.push(`lx=${code}`);
		si.push(`lx=${code}`);
	}
	if (cap && res.firstNames?.has(lh)) {
		own.push('fn');
		si.push('fn');
	}
	return { own, si };
}

const STRIP_SUFFIXES = ["'s", 'tjes', 'tje', 'jes', 'je', 'sen', 'en', 'es', 'ers', 'er', 'ste', 'st', 'e', 's', 'n', 't'];

/** Whether stripping a common Dutch inflection suffix gives a lexicon word (the lexicon lists stems). */
function stemInLexicon(lower: string, lex: HashSetLike): boolean {
	for (const suf of STRIP_SUFFIXES) {
		if (lower.length > suf.length + 2 && lower.endsWith(suf)) {
			const stem = lower.slice(0, -suf.length);
			if (lex.has(hashString(stem))) {
				return true;
			}
			// Doubled consonant (raketten → raket) and lost vowel doubling (bomen → boom).
			const n = stem.length;
			if (n > 2 && stem[n - 1] === stem[n - 2] && lex.has(hashString(stem.slice(0, -1)))) {
				return true;
			}
			if (n > 2 && lex.has(hashString(stem.slice(0, -1) + stem[n - 2] + stem[n - 1]))) {
				return true;
			}
		}
	}
	return false;
}

/** What a word's features need from the word alone (cached per distinct word). */
export interface WordInfo {
	own: Int32Array;
	/** The word scorer's result for `own` (see FeatureExtractor), computed on first use. */
	scores: Float32Array | undefined;
	/** Rows of this word seen from positions -2, -1, +1, +2 (as a neighbour), and of its shape at -1, +1 (fields, not an array: one memory access less per neighbour). */
	winM2: number;
	winM1: number;
	winP1: number;
	winP2: number;
	shapeM1: number;
	shapeP1: number;
	lowerHash: number;
	shapeHash: number;
	/** Hashes conjoined with the sentence-initial flag. */
	si: number[];
	gazKey: number;
	/** Gazetteer key of the possessive stem (Trumps → Trump), or 0. */
	possKey: number;
	cap: boolean;
	title: boolean;
	placePrep: boolean;
}

const BOS = '\u0002<s>';
const EOS = '\u0003</s>';
const H_BIGRAM_L = hashString('b-');
const H_BIGRAM_R = hashString('b+');
const H_TRIGRAM = hashString('sh3');
const H_SI = [hashString('si0'), hashString('si1')];
/** Second-pass features (secondRows): the document's votes and casing, and the stacked first-pass labels. */
const H_SECOND = {
	doc: hashString('doc'),
	docShape: hashString('docsh'),
	docCase: hashString('dcase'),
	stackSelf: hashString('st0'),
	stackPrev: hashString('st-1'),
	stackNext: hashString('st+1'),
} as const;
const GAZ_PREFIXES = ['B', 'I', 'L', 'U'];
/** Gazetteer features: [position * ENTITY_TYPES.length + type]. */
const H_GAZ: number[] = GAZ_PREFIXES.flatMap((p) => ENTITY_TYPES.map((t) => hashString(`gz=${p}-${t}`)));
const H_GAZ_ANY = hashString('gz-any');
/** Knowledge features: [possessive ? 1 : 0][position * KNOWLEDGE_BITS + bit]. */
const H_KNOW: number[][] = [0, 1].map((poss) =>
	GAZ_PREFIXES.flatMap((p) => Array.from({ length: KNOWLEDGE_BITS }, (_, b) => hashString(`${poss ? 'kgs' : 'kg'}=${p}-${b}`))),
);
const H_KNOW_CAP_SI = hashString('kg-si');
const H_TITLE1 = hashString('ttl-1');
const H_TITLE1_CAP = hashString('ttl-1-cap');
const H_TITLE2 = hashString('ttl-2');
const H_TITLE0 = hashString('ttl0');
const H_PREP1 = hashString('pp-1-cap');

/** Sums weights of the rows that depend on one word alone (FeatureExtractor.extractContext). */
export type WordScorer = (ownRows: Int32Array) => Float32Array;

/**
 * Features of a sentence without the rows that depend on one word alone (`context`: the
 * neighbours, lists, titles, second pass): those come per token as the word scorer's sums
 * (`wordScores[t]`, shared by every occurrence of the word) and as rows (`ownRows[t]`).
 * Token t of extract() has words[t].own followed by context rows offsets[t] .. offsets[t+1].
 */
export interface ContextFeatures {
	context: SentenceFeatures;
	words: readonly WordInfo[];
	wordScores: Float32Array[];
}

interface RowWriter {
	readonly push: (row: number) => void;
	startToken(i: number): void;
	finish(): SentenceFeatures;
}

export class FeatureExtractor {
	private readonly cache = new Map<string, WordInfo>();
	private readonly bos: WordInfo;
	private readonly eos: WordInfo;
	/** Scratch row buffer of extract (grown as needed, copied out). */
	private scratch = new Int32Array(1024);

	/** `scoreWord` (needed by extractContext only) sums the weights of a word's own rows; it is called once per distinct word. */
	constructor(
		private readonly res: NerResources,
		private readonly resolve: Resolver,
		private readonly scoreWord?: WordScorer,
	) {
		this.bos = this.info(BOS);
		this.eos = this.info(EOS);
	}

	private info(word: string): WordInfo {
		let wi = this.cache.get(word);
		if (wi) {
			return wi;
		}
		if (this.cache.size > 200_000) {
			this.cache.clear();
		}
		const { own, si } = wordFeatureNames(word, this.res);
		const rows: number[] = [];
		for (const f of own) {
			const r = this.resolve(hashString(f));
			if (r >= 0) {
				rows.push(r);
			}
		}
		const l = word.toLowerCase();
		const short = wordShapes(word).short;
		wi = {
			own: Int32Array.from(rows),
			scores: undefined,
			winM2: this.resolve(hashString(`w-2=${l}`)),
			winM1: this.resolve(hashString(`w-1=${l}`)),
			winP1: this.resolve(hashString(`w+1=${l}`)),
			winP2: this.resolve(hashString(`w+2=${l}`)),
			shapeM1: this.resolve(hashString(`sh-1=${short}`)),
			shapeP1: this.resolve(hashString(`sh+1=${short}`)),
			lowerHash: hashString(l),
			shapeHash: hashString(short),
			si: si.map(hashString),
			gazKey: gazetteerWordHash(word),
			possKey: possessiveStem(word) ? gazetteerWordHash(possessiveStem(word)!) : 0,
			cap: isCapitalised(word),
			title: isTitleWord(l),
			placePrep: PLACE_PREPOSITIONS.has(l),
		};
		this.cache.set(word, wi);
		return wi;
	}

	/**
	 * Feature rows for one sentence of normalized words. `second` (optional, second pass) gives
	 * first-pass information: `doc[t]` is the
	 * document-level majority type of the word elsewhere in the document: -1 none, 0 O, 1+type.
	 */
	extract(words: readonly string[], second?: SecondPassInput | null): SentenceFeatures {
		return this.build(words, this.infos(words), second, true);
	}

	/** extract() split into the rows of the words alone (summed by the word scorer, cached per word) and the rest. */
	extractContext(words: readonly string[], second?: SecondPassInput | null): ContextFeatures {
		if (!this.scoreWord) {
			throw new Error('extractContext needs a word scorer');
		}
		const infos = this.infos(words);
		const wordScores = new Array<Float32Array>(infos.length);
		for (let i = 0; i < infos.length; i++) {
			const info = infos[i];
			wordScores[i] = info.scores ??= this.scoreWord(info.own);
		}
		return { context: this.build(words, infos, second, false), words: infos, wordScores };
	}

	private infos(words: readonly string[]): WordInfo[] {
		const n = words.length;
		const infos: WordInfo[] = new Array<WordInfo>(n);
		for (let i = 0; i < n; i++) {
			infos[i] = this.info(words[i]);
		}
		return infos;
	}

	/** The rows of extract(); without each word's own rows unless `withOwn`. */
	private build(words: readonly string[], infos: readonly WordInfo[], second: SecondPassInput | null | undefined, withOwn: boolean): SentenceFeatures {
		const n = words.length;
		const gaz = this.gazetteerMarks(infos);
		const know = this.knowledgeMarks(infos);
		const out = this.rowWriter(n);
		const push = out.push;
		let sentenceInitial = true;
		for (let i = 0; i < n; i++) {
			const cur = infos[i];
			const p2 = i >= 2 ? infos[i - 2] : this.bos;
			const p1 = i >= 1 ? infos[i - 1] : this.bos;
			const n1 = i + 1 < n ? infos[i + 1] : this.eos;
			const n2 = i + 2 < n ? infos[i + 2] : this.eos;
			out.startToken(i);
			if (withOwn) {
				for (let k = 0; k < cur.own.length; k++) {
					push(cur.own[k]);
				}
			}
			push(p2.winM2);
			push(p1.winM1);
			push(n1.winP1);
			push(n2.winP2);
			push(p1.shapeM1);
			push(n1.shapeP1);
			push(this.resolve(hashCombine(H_BIGRAM_L, hashCombine(p1.lowerHash, cur.lowerHash))));
			push(this.resolve(hashCombine(H_BIGRAM_R, hashCombine(cur.lowerHash, n1.lowerHash))));
			push(this.resolve(hashCombine(H_TRIGRAM, hashCombine(hashCombine(p1.shapeHash, cur.shapeHash), n1.shapeHash))));
			const siH = H_SI[sentenceInitial ? 1 : 0];
			for (const h of cur.si) {
				push(this.resolve(hashCombine(siH, h)));
			}
			const g = gaz[i];
			if (g !== 0) {
				push(this.resolve(H_GAZ_ANY));
				for (let b = 0; b < 16; b++) {
					if (g & (1 << b)) {
						push(this.resolve(H_GAZ[b]));
					}
				}
			}
			const k0 = know[2 * i];
			const k1 = know[2 * i + 1];
			if (k0 !== 0 || k1 !== 0) {
				for (let b = 0; b < 20; b++) {
					if (k0 & (1 << b)) {
						push(this.resolve(H_KNOW[0][b]));
					}
					if (k1 & (1 << b)) {
						push(this.resolve(H_KNOW[1][b]));
					}
				}
				if (sentenceInitial && cur.cap) {
					push(this.resolve(H_KNOW_CAP_SI));
				}
			}
			if (cur.title) {
				push(this.resolve(H_TITLE0));
			}
			if (p1.title) {
				push(this.resolve(H_TITLE1));
				if (cur.cap) {
					push(this.resolve(H_TITLE1_CAP));
				}
			}
			if (i >= 2 && p2.title && p1.cap && cur.cap) {
				push(this.resolve(H_TITLE2));
			}
			if (p1.placePrep && cur.cap) {
				push(this.resolve(H_PREP1));
			}
			if (second) {
				this.secondRows(cur, i, second, push);
			}
			// Sentence-initial: first token that is not punctuation.
			if (sentenceInitial && /[\p{L}\p{N}]/u.test(words[i])) {
				sentenceInitial = false;
			}
		}
		return out.finish();
	}

	private secondRows(cur: WordInfo, i: number, second: SecondPassInput, push: (r: number) => void): void {
		const v = second.doc[i];
		if (v >= 0) {
			const h = hashCombine(H_SECOND.doc, v);
			push(this.resolve(h));
			push(this.resolve(hashCombine(H_SECOND.docShape, hashCombine(h, cur.shapeHash))));
		}
		const dc = second.casing ? second.casing[i] : -1;
		if (dc >= 0) {
			const h = hashCombine(H_SECOND.docCase, dc);
			push(this.resolve(h));
			push(this.resolve(hashCombine(h, cur.shapeHash)));
		}
		const labels = second.labels;
		if (labels) {
			const n = labels.length;
			push(this.resolve(hashCombine(H_SECOND.stackSelf, labels[i])));
			const prev = i > 0 ? labelType(labels[i - 1]) + 1 : 9;
			const next = i + 1 < n ? labelType(labels[i + 1]) + 1 : 9;
			push(this.resolve(hashCombine(H_SECOND.stackPrev, prev)));
			push(this.resolve(hashCombine(H_SECOND.stackNext, next)));
		}
	}

	/** Only the second-pass rows: extract(words, second) = extract(words) + these, token by token. */
	extractSecond(words: readonly string[], second: SecondPassInput, first?: ContextFeatures): SentenceFeatures {
		const n = words.length;
		const infos = first?.words ?? this.infos(words);
		const out = this.rowWriter(n);
		const push = out.push;
		for (let i = 0; i < n; i++) {
			out.startToken(i);
			this.secondRows(infos[i], i, second, push);
		}
		return out.finish();
	}

	/**
	 * Collects a sentence's rows in the scratch buffer: `push` drops unresolved rows (< 0) and
	 * grows the buffer; `startToken(i)` marks where token i's rows begin.
	 */
	private rowWriter(tokenCount: number): RowWriter {
		const offsets = new Int32Array(tokenCount + 1);
		let rows = this.scratch;
		let len = 0;
		return {
			push: (r: number): void => {
				if (r < 0) {
					return;
				}
				if (len === rows.length) {
					rows = this.growScratch();
				}
				rows[len++] = r;
			},
			startToken: (i: number): void => {
				offsets[i] = len;
			},
			finish: (): SentenceFeatures => {
				offsets[tokenCount] = len;
				return { rows: rows.slice(0, len), offsets };
			},
		};
	}

	/** Doubles the scratch row buffer (contents kept). */
	private growScratch(): Int32Array<ArrayBuffer> {
		const bigger = new Int32Array(this.scratch.length * 2);
		bigger.set(this.scratch);
		this.scratch = bigger;
		return bigger;
	}

	/**
	 * Per token two 20-bit masks of knowledge matches (plain at 2t, possessive last word at 2t+1):
	 * bit KNOWLEDGE_BITS * position (B, I, L, U) + source bit.
	 */
	private knowledgeMarks(infos: readonly WordInfo[]): Uint32Array {
		const n = infos.length;
		const marks = new Uint32Array(2 * n);
		const know = this.res.knowledge;
		if (!know) {
			return marks;
		}
		const B = KNOWLEDGE_BITS;
		const closed = this.res.prefixClosed === true;
		const mark = (i: number, len: number, mask: number, poss: number): void => {
			for (let b = 0; b < B; b++) {
				if (!(mask & (1 << b))) {
					continue;
				}
				if (len === 1) {
					marks[2 * i + poss] |= 1 << (3 * B + b);
				} else {
					marks[2 * i + poss] |= 1 << b;
					for (let k = i + 1; k < i + len - 1; k++) {
						marks[2 * k + poss] |= 1 << (B + b);
					}
					marks[2 * (i + len - 1) + poss] |= 1 << (2 * B + b);
				}
			}
		};
		for (let i = 0; i < n; i++) {
			let h = 0;
			for (let len = 1; len <= KNOWLEDGE_MAX_LEN && i + len <= n; len++) {
				const last = infos[i + len - 1];
				const poss = last.possKey === 0 ? 0 : len === 1 ? last.possKey : hashCombine(h, last.possKey);
				h = len === 1 ? infos[i].gazKey : hashCombine(h, last.gazKey);
				const mask = know.get(h);
				if (mask > 0) {
					mark(i, len, mask, 0);
				}
				if (poss !== 0) {
					const pm = know.get(poss);
					if (pm > 0) {
						mark(i, len, pm, 1);
					}
				}
				if (mask < 0 && closed) {
					break;
				}
			}
		}
		return marks;
	}

	/** Per token a 16-bit mask of gazetteer match positions: bit 4*prefix + type. */
	private gazetteerMarks(infos: readonly WordInfo[]): Uint16Array {
		const n = infos.length;
		const marks = new Uint16Array(n);
		const gaz = this.res.gazetteer;
		if (!gaz) {
			return marks;
		}
		const maxLen = this.res.gazMaxLen ?? 6;
		const closed = this.res.prefixClosed === true;
		for (let i = 0; i < n; i++) {
			let h = 0;
			for (let len = 1; len <= maxLen && i + len <= n; len++) {
				h = len === 1 ? infos[i].gazKey : hashCombine(h, infos[i + len - 1].gazKey);
				const mask = gaz.get(h);
				if (mask < 0 && closed) {
					break;
				}
				if (mask <= 0) {
					continue;
				}
				for (let t = 0; t < 4; t++) {
					if (!(mask & (1 << t))) {
						continue;
					}
					if (len === 1) {
						marks[i] |= 1 << (12 + t);
					} else {
						marks[i] |= 1 << t;
						for (let k = i + 1; k < i + len - 1; k++) {
							marks[k] |= 1 << (4 + t);
						}
						marks[i + len - 1] |= 1 << (8 + t);
					}
				}
			}
		}
		return marks;
	}
}
