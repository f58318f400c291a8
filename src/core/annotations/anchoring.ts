/**
 * Anchoring annotations to article text, after Hypothesis: store quote + prefix/suffix
 * + position; re-anchor by exact position, then exact quote elsewhere ("moved"), then
 * approximate match ("fuzzy", the text was edited); anything uncertain is "orphaned"
 * and shown as such, never guessed. Also shifts in-memory ranges on live edits.
 *
 * Texts given to these functions are article texts as the editor holds them (BOM and
 * CRLF allowed); stored offsets refer to the canonical text (see `offsets.ts`).
 */
import { CONTEXT_LENGTH } from './model';
import type { Annotation } from './model';
import { TextIndex, canonicalText, codePointLength } from './offsets';
import { approxSearch, editDistance } from './fuzzyMatch';

/** Where a span is, in the form stored in a sidecar (code points, canonical text). */
export interface TextSelector {
	start: number;
	end: number;
	quote: string;
	prefix: string;
	suffix: string;
}

/** An article text with its offset indexes, prepared once for many anchoring calls. */
export interface PreparedText {
	readonly raw: string;
	readonly canonical: string;
	/** Raw UTF-16 offsets ↔ canonical code points. */
	readonly rawIndex: TextIndex;
	/** Canonical UTF-16 offsets ↔ canonical code points. */
	readonly canonIndex: TextIndex;
}

/** Builds the indexes for `text` (a single pass over it). */
export function prepareText(text: string | PreparedText): PreparedText {
	if (typeof text !== 'string') {
		return text;
	}
	const canonical = canonicalText(text);
	return {
		raw: text,
		canonical,
		rawIndex: TextIndex.forRaw(text),
		canonIndex: canonical === text ? TextIndex.forRaw(text) : TextIndex.forCanonical(canonical),
	};
}

/** Moves `n` code points back from UTF-16 offset `pos`. */
function backCodePoints(s: string, pos: number, n: number): number {
	let i = pos;
	for (let k = 0; k < n && i > 0; k++) {
		i--;
		const c = s.charCodeAt(i);
		if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
			const h = s.charCodeAt(i - 1);
			if (h >= 0xd800 && h <= 0xdbff) {
				i--;
			}
		}
	}
	return i;
}

/** Moves `n` code points forward from UTF-16 offset `pos`. */
function forwardCodePoints(s: string, pos: number, n: number): number {
	let i = pos;
	for (let k = 0; k < n && i < s.length; k++) {
		const c = s.charCodeAt(i);
		i++;
		if (c >= 0xd800 && c <= 0xdbff && i < s.length) {
			const l = s.charCodeAt(i);
			if (l >= 0xdc00 && l <= 0xdfff) {
				i++;
			}
		}
	}
	return i;
}

/** Selector from canonical UTF-16 offsets. */
function selectorFromCanonical(t: PreparedText, s16: number, e16: number): TextSelector {
	const c = t.canonical;
	return {
		start: t.canonIndex.toCodePoint(s16),
		end: t.canonIndex.toCodePoint(e16),
		quote: c.slice(s16, e16),
		prefix: c.slice(backCodePoints(c, s16, CONTEXT_LENGTH), s16),
		suffix: c.slice(e16, forwardCodePoints(c, e16, CONTEXT_LENGTH)),
	};
}

/**
 * Selector for a span given as UTF-16 offsets into the editor's text: code-point
 * offsets into the canonical text, the quote and {@link CONTEXT_LENGTH} code points of
 * context on each side.
 */
export function makeSelector(text: string | PreparedText, startUtf16: number, endUtf16: number): TextSelector {
	const t = prepareText(text);
	const s = t.rawIndex.toCodePoint(Math.min(startUtf16, endUtf16));
	const e = t.rawIndex.toCodePoint(Math.max(startUtf16, endUtf16));
	return selectorFromCanonical(t, t.canonIndex.toUtf16(s), t.canonIndex.toUtf16(e));
}

/** UTF-16 range in the editor's text for stored code-point offsets. */
export function toEditorRange(text: string | PreparedText, start: number, end: number): { start: number; end: number } {
	const t = prepareText(text);
	return { start: t.rawIndex.toUtf16(start), end: t.rawIndex.toUtf16(end) };
}

/** Outcome of re-anchoring one annotation. */
export type AnchorStatus = 'anchored' | 'moved' | 'fuzzy' | 'orphaned';

/** Result of {@link reanchor}; offsets are code points into the canonical text. */
export interface AnchorResult {
	/**
	 * - anchored: the quote is still exactly at start/end;
	 * - moved: the exact quote was found elsewhere (text inserted/removed before it, or moved);
	 * - fuzzy: an edited version of the quote was found (the caller should store the new quote);
	 * - orphaned: not found, or not found unambiguously.
	 */
	status: AnchorStatus;
	start?: number;
	end?: number;
	/** New selector (quote and context as now in the text) for moved and fuzzy results. */
	selector?: TextSelector;
	/** Match score in [0, 1] (weights: quote 50, prefix 20, suffix 20, position 2). */
	score?: number;
	/** Why an annotation is orphaned: 'not-found' | 'ambiguous' | 'no-context'. */
	reason?: string;
}

/** What re-anchoring needs from an annotation. */
export type AnchorTarget = Pick<Annotation, 'start' | 'end' | 'quote' | 'prefix' | 'suffix'>;

/** Tuning knobs; defaults follow Hypothesis with stricter ambiguity rules. */
export interface AnchorOptions {
	/** Quotes shorter than this (code points) need matching context to be found elsewhere. */
	shortQuote?: number;
	/** Two candidates whose scores differ by less than this are ambiguous → orphaned. */
	ambiguityMargin?: number;
	/** Most Myers block-steps one fuzzy search may take; larger texts are searched near the old position. */
	fuzzyBudget?: number;
}

const DEFAULTS: Required<AnchorOptions> = { shortQuote: 8, ambiguityMargin: 0.03, fuzzyBudget: 4_000_000 };
const W_QUOTE = 50, W_PREFIX = 20, W_SUFFIX = 20, W_POS = 2;
const W_TOTAL = W_QUOTE + W_PREFIX + W_SUFFIX + W_POS;
/** Most exact occurrences scored in full; more are pre-filtered by adjacent context. */
const MAX_SCORED = 200;

interface Candidate { s16: number; e16: number; errors: number; score: number; context: number; quoteSim: number }

function similarity(a: string, b: string): number {
	const len = Math.max(a.length, b.length);
	return len === 0 ? 1 : 1 - editDistance(a, b) / len;
}

/**
 * Re-finds an annotation in (possibly changed) text. Never guesses: short quotes need
 * context, and near-equal candidates make the annotation orphaned.
 */
export function reanchor(text: string | PreparedText, annotation: AnchorTarget, options: AnchorOptions = {}): AnchorResult {
	const opts = { ...DEFAULTS, ...options };
	const t = prepareText(text);
	const c = t.canonical;
	const q = annotation.quote;
	const exp16 = t.canonIndex.toUtf16(annotation.start);
	const cpLen = t.canonIndex.codePointLength;

	// 1. Still in place (position selector and quote agree).
	if (annotation.end <= cpLen && t.canonIndex.toUtf16(annotation.end) - exp16 === q.length && c.startsWith(q, exp16)) {
		return { status: 'anchored', start: annotation.start, end: annotation.end, score: 1 };
	}
	if (q.length === 0) {
		return { status: 'orphaned', reason: 'not-found' };
	}

	const isShort = codePointLength(q) < opts.shortQuote;
	const fullPrefix = codePointLength(annotation.prefix) >= CONTEXT_LENGTH;
	const fullSuffix = codePointLength(annotation.suffix) >= CONTEXT_LENGTH;
	const score = (s16: number, e16: number, errors: number): Candidate => {
		// A prefix shorter than CONTEXT_LENGTH means "near the text start": compare a full window.
		const pLen = fullPrefix ? annotation.prefix.length : Math.max(annotation.prefix.length, CONTEXT_LENGTH);
		const sLen = fullSuffix ? annotation.suffix.length : Math.max(annotation.suffix.length, CONTEXT_LENGTH);
		const pSim = similarity(annotation.prefix, c.slice(Math.max(0, s16 - pLen), s16));
		const sSim = similarity(annotation.suffix, c.slice(e16, e16 + sLen));
		const quoteSim = 1 - errors / q.length;
		const posSim = 1 - Math.abs(s16 - exp16) / Math.max(1, c.length);
		return {
			s16, e16, errors, quoteSim, context: (pSim + sSim) / 2,
			score: (W_QUOTE * quoteSim + W_PREFIX * pSim + W_SUFFIX * sSim + W_POS * posSim) / W_TOTAL,
		};
	};

	// 2. Exact quote elsewhere.
	const positions: number[] = [];
	for (let i = c.indexOf(q); i >= 0; i = c.indexOf(q, i + 1)) {
		positions.push(i);
	}
	if (positions.length > 0) {
		let scored = positions;
		if (positions.length > MAX_SCORED) {
			// Bound the work for very frequent quotes: keep those whose adjacent characters fit the context.
			const pTail = annotation.prefix.slice(-4), sHead = annotation.suffix.slice(0, 4);
			scored = positions.filter((p) => (pTail !== '' && c.startsWith(pTail, p - pTail.length)) ||
				(sHead !== '' && c.startsWith(sHead, p + q.length))).slice(0, MAX_SCORED);
		}
		const decided = decide(scored.map((p) => score(p, p + q.length, 0)), isShort, opts, t);
		if (decided.status !== 'orphaned' || decided.reason === 'ambiguous') {
			return decided;
		}
	}

	// 3. Approximate match: the quote itself was edited.
	const maxErrors = Math.min(256, Math.floor(q.length / 4));
	if (maxErrors < 1) {
		return { status: 'orphaned', reason: 'not-found' };
	}
	const blocks = Math.ceil(q.length / 32);
	let from = 0, to = c.length;
	if (c.length * blocks > opts.fuzzyBudget) {
		// Big text: search a window around the old position only (bounded work beats a lock-up).
		const half = Math.floor(opts.fuzzyBudget / blocks / 2);
		from = Math.max(0, exp16 - half);
		to = Math.min(c.length, exp16 + q.length + half);
	}
	const matches = approxSearch(c, q, maxErrors, from, to);
	if (matches.length === 0) {
		return { status: 'orphaned', reason: 'not-found' };
	}
	return decide(matches.map((m) => score(m.start, m.end, m.errors)), isShort, opts, t);
}

/** Picks the best candidate, or orphans when it lacks context or has a near-equal rival. */
function decide(cands: Candidate[], isShort: boolean, opts: Required<AnchorOptions>, t: PreparedText): AnchorResult {
	// Fuzzy matches need either good context or a nearly intact quote; short quotes always need context.
	const ok = cands.filter((k) => (isShort ? k.context >= 0.5 : k.errors === 0 || k.context >= 0.5 || k.quoteSim >= 0.9));
	if (ok.length === 0) {
		return { status: 'orphaned', reason: isShort ? 'no-context' : 'not-found' };
	}
	ok.sort((a, b) => b.score - a.score);
	const best = ok[0];
	const rival = ok.find((k) => k.e16 <= best.s16 || k.s16 >= best.e16);
	if (rival && best.score - rival.score < opts.ambiguityMargin) {
		return { status: 'orphaned', reason: 'ambiguous', score: best.score };
	}
	const selector = selectorFromCanonical(t, best.s16, best.e16);
	return {
		status: best.errors === 0 ? 'moved' : 'fuzzy',
		start: selector.start,
		end: selector.end,
		selector,
		score: best.score,
	};
}

/** Re-anchors every annotation of a sidecar against one text (indexes built once). Same order as input. */
export function reanchorAll(text: string | PreparedText, annotations: readonly AnchorTarget[], options?: AnchorOptions): AnchorResult[] {
	const t = prepareText(text);
	return annotations.map((a) => reanchor(t, a, options));
}

/** A span in the editor, UTF-16 offsets. */
export interface LiveRange {
	start: number;
	end: number;
}

/** One replacement, in UTF-16 offsets of the text before the change (as in a VS Code change event). */
export interface TextEdit {
	start: number;
	end: number;
	newLength: number;
}

/**
 * - unchanged / shifted: the span's text is the same;
 * - resized: text inside the span changed (store the new quote on save);
 * - needs-reanchor: an edit replaced the whole span; the range now covers the replacement.
 */
export type ShiftStatus = 'unchanged' | 'shifted' | 'resized' | 'needs-reanchor';

/** A range after {@link shiftForEdits}. */
export interface ShiftedRange extends LiveRange {
	status: ShiftStatus;
}

const RANK: Record<ShiftStatus, number> = { unchanged: 0, shifted: 1, resized: 2, 'needs-reanchor': 3 };

/**
 * Moves in-memory ranges through edits. Edits refer to the text before the change and
 * must not overlap (VS Code's `contentChanges`). Boundary rule: text inserted exactly
 * at a span's start or end stays *outside* it (typing after a highlighted phrase must
 * not extend it; to extend, the analyst re-selects). Replaced text that straddles a
 * boundary is also treated as outside.
 */
export function shiftForEdits(ranges: readonly LiveRange[], edits: readonly TextEdit[]): ShiftedRange[] {
	// Later edits first: earlier offsets are then still valid for the remaining edits.
	const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
	return ranges.map((r) => {
		let { start, end } = r;
		let status: ShiftStatus = 'unchanged';
		const raise = (s: ShiftStatus): void => { if (RANK[s] > RANK[status]) { status = s; } };
		for (const e of sorted) {
			const delta = e.newLength - (e.end - e.start);
			if (e.end <= start) {
				// Before the span, or an insertion at its start.
				if (delta !== 0) { start += delta; end += delta; raise('shifted'); }
			} else if (e.start >= end) {
				// After the span, or an insertion at its end: nothing to do.
			} else if (e.start <= start && e.end >= end) {
				start = e.start;
				end = e.start + e.newLength;
				raise('needs-reanchor');
			} else if (e.start >= start && e.end <= end) {
				end += delta;
				raise('resized');
			} else if (e.start < start) {
				// Overlaps the start: the replacement lands before the span.
				end += delta;
				start = e.start + e.newLength;
				raise('resized');
			} else {
				// Overlaps the end: the span is cut at the edit.
				end = e.start;
				raise('resized');
			}
		}
		return { start, end, status };
	});
}
