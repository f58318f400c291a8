/**
 * Tokenizer for Dutch news text, producing tokens like the CoNLL-2002 data: punctuation split
 * off, hyphenated compounds (Patriot-raketten), in-word apostrophes (zo'n, F-16's), decimal
 * numbers (1,5 / 2.000), initials and known abbreviations (J., mr., o.a.) kept whole.
 * Offsets are UTF-16 indices into the original text.
 */

export interface Token {
	/** The token as it appears in the text. */
	text: string;
	start: number;
	end: number;
}

const WORD_CHAR = '[\\p{L}\\p{N}\\p{M}]';
const WORD_RE = new RegExp(`${WORD_CHAR}+(?:(?:[-'’‐‑&.@]|(?<=\\p{N}),(?=\\p{N}))${WORD_CHAR}+)*`, 'uy');
const APOS_RE = /['’‘](?:\d\d|[st])(?![\p{L}\p{N}])/uy;
const MULTI_PUNCT_RE = /\.{2,}|…|-{2,}|[!?]{2,}/y;
const SPACE_RE = /\s+/y;
/** Social-media handles and hashtags (@POTUS, #Oekraïne): one token, never part of an entity. */
const HANDLE_RE = /[@#][\p{L}\p{N}_]+/uy;
const ANY_RE = /./suy;

/** Abbreviations (lower case, without the final period) that keep their period. */
const ABBREVIATIONS = new Set([
	'mr', 'dr', 'drs', 'ir', 'ing', 'prof', 'mevr', 'mw', 'dhr', 'hr', 'mej', 'st', 'sr', 'jr', 'mgr', 'ds', 'fr', 'bfr', 'tel',
	'nr', 'blz', 'bv', 'bijv', 'enz', 'etc', 'ca', 'vs', 'resp', 'incl', 'excl', 'gen', 'lt', 'kol', 'kapt', 'min', 'max',
	'zg', 'zgn', 'afd', 'art', 'vgl', 'jl', 'aug', 'sept', 'okt', 'nov', 'dec', 'jan', 'feb', 'apr', 'mrt', 'ong', 'evt',
	'pag', 'p', 'ed', 'red', 'dept', 'co', 'corp', 'inc', 'ltd', 'mln', 'mld', 'mrd', 'km', 'kg', 'ha', 'nv', 'bvba', 'vzw',
]);

/** Words that start sentences but not names: after "X." they mean the period ends a sentence. */
const SENTENCE_STARTERS = new Set(
	('De Het Een Dat Die Dit Deze Er Hij Zij Ze Wij We Ik Je Jij U Men Ook Maar En Of Want Dus Toch Toen Nu Daarna Daarom Bovendien ' +
		'Volgens Zo Als Wat Wie Waar Hoe Waarom In Op Met Na Voor Bij Van Om Tot Sinds Tijdens Door Over Onder Uit Aan Naar Ondanks ' +
		'Intussen Inmiddels Verder Eerder Later Vooral Sommige Veel Alle Geen Niet Wel Het').split(' '),
);

/** Whether a single capital letter with a period (X.) ends a sentence rather than being an initial. */
function endsSentence(text: string, after: number, to: number): boolean {
	let p = after;
	while (p < to && (text[p] === ' ' || text[p] === '\t')) {
		p++;
	}
	if (p >= to || text[p] === '\n' || text[p] === '\r') {
		return true;
	}
	if (p === after) {
		return false;
	}
	const m = /^[\p{L}]+/u.exec(text.slice(p, Math.min(to, p + 20)));
	return m !== null && SENTENCE_STARTERS.has(m[0]);
}

function isUpper(ch: string): boolean {
	return ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

/** Tokens of `text` from `from` to `to`; `breaks` receives the indices of tokens preceded by a line break. */
export function tokenize(text: string, from = 0, to = text.length, breaks?: Set<number>): Token[] {
	const tokens: Token[] = [];
	let pos = from;
	let sawBreak = false;
	while (pos < to) {
		// The first character decides which patterns can match here (each test below is implied by its pattern).
		const c = text.charCodeAt(pos);
		let m: RegExpExecArray | null = null;
		if (c <= 32 || c >= 0xa0) {
			SPACE_RE.lastIndex = pos;
			m = SPACE_RE.exec(text);
			if (m) {
				if (/[\n\r\u2028\u2029]/.test(m[0])) {
					sawBreak = true;
				}
				pos += m[0].length;
				continue;
			}
		}
		let end = -1;
		if (c === 64 /* @ */ || c === 35 /* # */) {
			HANDLE_RE.lastIndex = pos;
			m = HANDLE_RE.exec(text);
			if (m) {
				end = pos + m[0].length;
			}
		}
		if (end < 0 && (c === 39 /* ' */ || c === 0x2019 /* ’ */ || c === 0x2018 /* ‘ */)) {
			APOS_RE.lastIndex = pos;
			m = APOS_RE.exec(text);
			if (m) {
				end = pos + m[0].length;
			}
		}
		// An ASCII character that is no letter or digit cannot start a word.
		if (end < 0 && (c >= 128 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) {
			WORD_RE.lastIndex = pos;
			m = WORD_RE.exec(text);
			if (m) {
				end = pos + m[0].length;
				const word = m[0];
				if (text.charCodeAt(end) === 46 /* . */ && text.charCodeAt(end + 1) !== 46) {
					const single = word.length === 1 && isUpper(word) && !endsSentence(text, end + 1, to);
					const dotted = word.includes('.') && !/\d$/.test(word);
					if (single || dotted || ABBREVIATIONS.has(word.toLowerCase())) {
						end++;
					}
				}
			}
		}
		if (end < 0 && (c === 46 /* . */ || c === 0x2026 /* … */ || c === 45 /* - */ || c === 33 /* ! */ || c === 63) /* ? */) {
			MULTI_PUNCT_RE.lastIndex = pos;
			m = MULTI_PUNCT_RE.exec(text);
			if (m) {
				end = pos + m[0].length;
			}
		}
		if (end < 0) {
			ANY_RE.lastIndex = pos;
			m = ANY_RE.exec(text);
			end = pos + (m ? m[0].length : 1);
		}
		end = Math.min(end, to);
		if (sawBreak && breaks) {
			breaks.add(tokens.length);
		}
		sawBreak = false;
		tokens.push({ text: text.slice(pos, end), start: pos, end });
		pos = end;
	}
	return tokens;
}

const TERMINAL = new Set(['.', '!', '?', '...', '…']);
const CLOSING = new Set(['"', "'", '”', '’', '»', ')', ']']);
const OPENING_QUOTES = new Set(['"', "'", '“', '‘', '„', '«']);

function isTerminal(t: string): boolean {
	const c = t.charCodeAt(0);
	if (c !== 33 /* ! */ && c !== 63 /* ? */ && c !== 46 /* . */ && c !== 0x2026 /* … */) {
		return false; // every terminal starts with one of these
	}
	return TERMINAL.has(t) || /^[!?.]{2,}$/.test(t);
}

/**
 * Splits tokens into sentences: at line breaks, and after . ! ? (plus closing quotes directly
 * attached) when whitespace and a capitalised word or an opening quote follow.
 */
export function splitSentences(tokens: readonly Token[], breaks?: ReadonlySet<number>): Token[][] {
	const sentences: Token[][] = [];
	let cur: Token[] = [];
	for (let i = 0; i < tokens.length; i++) {
		if (breaks?.has(i) && cur.length > 0) {
			sentences.push(cur);
			cur = [];
		}
		cur.push(tokens[i]);
		if (!isTerminal(tokens[i].text)) {
			continue;
		}
		let j = i + 1;
		while (j < tokens.length && CLOSING.has(tokens[j].text) && tokens[j].start === tokens[j - 1].end && !breaks?.has(j)) {
			j++;
		}
		if (j >= tokens.length || breaks?.has(j)) {
			continue;
		}
		const next = tokens[j];
		if (next.start === tokens[j - 1].end) {
			continue;
		}
		const first = next.text.charAt(0);
		if (isUpper(first) || OPENING_QUOTES.has(next.text)) {
			for (let k = i + 1; k < j; k++) {
				cur.push(tokens[k]);
			}
			i = j - 1;
			sentences.push(cur);
			cur = [];
		}
	}
	if (cur.length > 0) {
		sentences.push(cur);
	}
	return sentences;
}

/** Matches the article header prefix on line 1: ` date YYYY-MM[-DD] `. */
const HEADER_RE = /^\uFEFF?[ \t]*date[ \t]+\d{4}-\d{2}(?:-\d{2})?[ \t]*/;

/** Length of the article header prefix at the start of `text` (0 if none). */
export function headerLength(text: string): number {
	const m = HEADER_RE.exec(text);
	return m ? m[0].length : 0;
}

/** Sentences of tokens for a whole document (article header prefix skipped). */
export function tokenizeDocument(text: string): Token[][] {
	const breaks = new Set<number>();
	const tokens = tokenize(text, headerLength(text), text.length, breaks);
	return splitSentences(tokens, breaks);
}
