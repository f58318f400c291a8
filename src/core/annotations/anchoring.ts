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
import { backCodePoints, canonicalText, canonicalUtf16Offset, codePointLength, editorOffset, forwardCodePoints, sidecarOffset, TextIndex, type CanonicalUtf16Offset, type EditorOffset, type EditorRange, type SidecarOffset } from './offsets';
import { approxSearch, editDistance } from './fuzzyMatch';
import { findAllOccurrences } from './quoteIndex';
import { diffTexts } from './textDiff';
import { mergeIntervals, type Interval } from '../util/intervals';

/** Where a span is, in the form stored in a sidecar (code points, canonical text). */
export interface TextSelector {
	start: SidecarOffset;
	end: SidecarOffset;
	quote: string;
	prefix: string;
	suffix: string;
}

/** An article text with its offset indexes, prepared once for many anchoring calls. */
export interface PreparedText {
	readonly raw: string;
	readonly canonical: string;
	/** Editor (raw) UTF-16 offsets ↔ canonical code points. */
	readonly rawIndex: TextIndex<EditorOffset>;
	/** Canonical UTF-16 offsets ↔ canonical code points. */
	readonly canonIndex: TextIndex<CanonicalUtf16Offset>;
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
		canonIndex: TextIndex.forCanonical(canonical),
	};
}

/** Selector from canonical UTF-16 offsets. */
function selectorFromCanonical(t: PreparedText, s16: number, e16: number): TextSelector {
	const c = t.canonical;
	return {
		start: t.canonIndex.toCodePoint(canonicalUtf16Offset(s16)),
		end: t.canonIndex.toCodePoint(canonicalUtf16Offset(e16)),
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
export function makeSelector(text: string | PreparedText, start: EditorOffset, end: EditorOffset): TextSelector {
	const t = prepareText(text);
	const s = t.rawIndex.toCodePoint(start <= end ? start : end);
	const e = t.rawIndex.toCodePoint(start <= end ? end : start);
	return selectorFromCanonical(t, t.canonIndex.toUtf16(s), t.canonIndex.toUtf16(e));
}

/**
 * Selector for a span given as sidecar offsets (code points of the canonical text), e.g. from an
 * imported file: the quote and {@link CONTEXT_LENGTH} code points of context on each side.
 */
export function selectorAt(text: string | PreparedText, start: SidecarOffset, end: SidecarOffset): TextSelector {
	const t = prepareText(text);
	return selectorFromCanonical(t, t.canonIndex.toUtf16(start), t.canonIndex.toUtf16(end));
}

/** UTF-16 range in the editor's text for stored code-point offsets. */
export function toEditorRange(text: string | PreparedText, start: SidecarOffset, end: SidecarOffset): EditorRange {
	const t = prepareText(text);
	return { start: t.rawIndex.toUtf16(start), end: t.rawIndex.toUtf16(end) };
}

/** Outcome of re-anchoring one annotation. */
export type AnchorStatus = 'anchored' | 'moved' | 'fuzzy' | 'orphaned';

/**
 * Why an annotation is orphaned:
 * - not-found: neither its quote nor an edited version of it is in the text;
 * - ambiguous: two places fit about equally well (never guessed);
 * - no-context: the quote occurs, but nowhere with the context it had;
 * - deleted: the diff against the previous text shows every character of it deleted;
 * - not-searched: the call's work budget ran out before its turn (see {@link AnchorOptions.totalBudget}).
 */
export type OrphanReason = 'not-found' | 'ambiguous' | 'no-context' | 'deleted' | 'not-searched';

/** Result of {@link reanchor}; offsets are code points into the canonical text. */
export interface AnchorResult {
	/**
	 * - anchored: the quote is still exactly at start/end;
	 * - moved: the exact quote was found elsewhere (text inserted/removed before it, or moved);
	 * - fuzzy: an edited version of the quote was found (the caller should store the new quote);
	 * - orphaned: not found, or not found unambiguously. Callers must not change its stored fields.
	 */
	status: AnchorStatus;
	start?: SidecarOffset;
	end?: SidecarOffset;
	/**
	 * New selector (quote and context as now in the text) for moved and fuzzy results, and for
	 * anchored ones whose stored context no longer matches the text around them.
	 */
	selector?: TextSelector;
	/** Match score in [0, 1] (weights: quote 50, prefix 20, suffix 20, position 10). */
	score?: number;
	/** Why an annotation is orphaned. */
	reason?: OrphanReason;
}

/** What re-anchoring needs from an annotation. */
export type AnchorTarget = Pick<Annotation, 'start' | 'end' | 'quote' | 'prefix' | 'suffix'>;

/** Tuning knobs; defaults follow Hypothesis with stricter ambiguity rules. */
export interface AnchorOptions {
	/** Quotes shorter than this (code points) are only found exactly, never approximately. */
	shortQuote?: number;
	/** Two candidates whose quote + context scores differ by less than this are ambiguous → orphaned. */
	ambiguityMargin?: number;
	/** Most Myers block-steps one approximate search may take; beyond it only windows near the expected place are searched. */
	fuzzyBudget?: number;
	/**
	 * Most Myers block-steps for all approximate searches of one call (default: 32 per unit of
	 * text plus 8,192 per annotation, so the cost stays linear). Annotations still unresolved when
	 * it runs out are orphaned with reason 'not-searched'.
	 */
	totalBudget?: number;
}

/** Options of {@link reanchorAll}. */
export interface ReanchorOptions extends AnchorOptions {
	/** The article text the stored offsets were made for (editor's last text, git blob, cache). */
	previousText?: string | PreparedText;
}

const DEFAULTS = { shortQuote: 8, ambiguityMargin: 0.03, fuzzyBudget: 65_536 };
const W_QUOTE = 50, W_PREFIX = 20, W_SUFFIX = 20, W_POS = 10;
const W_CONTENT = W_QUOTE + W_PREFIX + W_SUFFIX;
/**
 * Context agrees when one side is nearly intact and both together are more than half intact:
 * unrelated text around another occurrence of the same words scores about 0.2–0.45 per side.
 */
const AGREE_ONE_SIDE = 0.8;
const AGREE_MEAN = 0.55;
/** Units of exactly intact context on one side that outweigh a changed word boundary on the other ("deAmerikaanse"). */
const INTACT_SIDE = 16;
/** Units of unchanged text beside a diff-mapped span that make its mapping trusted without a context check. */
const VOUCHING_RUN = 8;
/** Units of context (within a removed block) that must reappear with a span for the block to count as moved. */
const MOVE_KEY_CONTEXT = 16;
/** Occurrences of one quote kept; a more frequent quote is looked up with adjacent context. */
const MAX_OCCURRENCES = 256;
/** Units of adjacent context joined to a frequent quote for that look-up. */
const CONTEXT_KEY = 8;
/** Candidates per annotation scored by full context similarity (the rest by adjacent runs only). */
const FULL_SCORE_CANDIDATES = 8;
/** Half width (code points) of an approximate-search window around an expected place. */
const WINDOW = 512;

/**
 * Re-finds an annotation in (possibly changed) text. Never guesses: every place found needs
 * agreeing context, and near-equal candidates make the annotation orphaned.
 */
export function reanchor(text: string | PreparedText, annotation: AnchorTarget, options: ReanchorOptions = {}): AnchorResult {
	return reanchorAll(text, [annotation], options)[0];
}

interface Candidate {
	s16: number;
	e16: number;
	errors: number;
	pSim: number;
	sSim: number;
	/** Quote and context similarity, weighted, in [0, 1]. */
	content: number;
	/** Code points to the nearest expected place (0 = exactly there). */
	distance: number;
	agrees: boolean;
}

/** An annotation not settled by its stored position or the diff. */
interface Pending {
	readonly index: number;
	readonly target: AnchorTarget;
	/** Expected start offsets, code points into the current text. */
	predictions: number[];
	/** With a diff: the current-text range (UTF-16) the span's remains map to. */
	readonly zone?: { readonly start: number; readonly end: number };
	/** With a diff: nothing of the span is left. */
	readonly deleted: boolean;
	/** Exact occurrences of the quote where it may be (UTF-16 starts). */
	occurrences: number[];
	/** With a diff: exact occurrences in text the diff shows was already elsewhere. */
	elsewhere: number[];
	exact: Candidate[];
	/** Exact occurrences existed but none had agreeing context. */
	contextless: boolean;
	/** Near-equal candidates remained after scoring. */
	tied: boolean;
}

/**
 * Re-anchors every annotation of a sidecar against one text; same order as input.
 *
 * With `previousText` (the text the stored offsets were made for) offsets are carried through a
 * diff: a span no change touched maps exactly; only touched spans are searched, and only where
 * their remains map to; a span of a block that reappears verbatim (and uniquely) in inserted
 * text moved with it. Text the diff shows was already elsewhere is never a candidate. Without it, or when the stored quote does not match the previous
 * text, every candidate is scored by quote, context and distance to the expected place.
 *
 * Work is linear in text size plus annotations: exact occurrences of all quotes are found in a
 * few passes over the text, and approximate search shares one budget.
 */
export function reanchorAll(text: string | PreparedText, annotations: readonly AnchorTarget[], options: ReanchorOptions = {}): AnchorResult[] {
	const t = prepareText(text);
	const opts = { ...DEFAULTS, ...options };
	const s = new Scorer(t, opts.ambiguityMargin);
	const results = new Array<AnchorResult | undefined>(annotations.length);
	let pending: Pending[] = [];
	const moves: { pending: Pending; key: string; offset: number }[] = [];
	const prev = options.previousText === undefined ? undefined : prepareText(options.previousText);
	const diff = prev === undefined || prev.canonical === t.canonical ? undefined : diffTexts(prev.canonical, t.canonical);
	const cpLen = t.canonIndex.codePointLength;

	annotations.forEach((a, index) => {
		if (a.quote.length === 0) {
			results[index] = { status: 'orphaned', reason: 'not-found' };
			return;
		}
		if (prev !== undefined) {
			const ps = prev.canonIndex.toUtf16(a.start), pe = prev.canonIndex.toUtf16(a.end);
			if (a.end <= prev.canonIndex.codePointLength && pe - ps === a.quote.length && prev.canonical.startsWith(a.quote, ps)) {
				if (diff === undefined) {
					results[index] = s.placed(a, ps, pe);
					return;
				}
				if (!diff.touches(ps, pe)) {
					const ns = diff.map(ps, 'right');
					const clear = diff.clearance(ps, pe);
					// Some intact text next to it (per the diff) vouches for the place; a span that is exactly an
					// equal run between two changes could be a coincidence, so then its context must agree. A
					// change that glued a letter to it ("aan" now ending "gaan") makes it touched.
					const ne = ns + a.quote.length;
					if ((s.keepsWordBounds(a, ns, ne) || Math.max(clear.before, clear.after) >= INTACT_SIDE) &&
						(clear.before + clear.after >= VOUCHING_RUN || s.score(a, ns, ne, 0, 0).agrees)) {
						results[index] = s.placed(a, ns, ne);
						return;
					}
				}
				const zs = diff.map(ps, 'left'), ze = diff.map(pe, 'right');
				const p = newPending(index, a, [t.canonIndex.toCodePoint(canonicalUtf16Offset(zs))], { start: zs, end: ze }, ze <= zs);
				pending.push(p);
				const holder = diff.changeHolding(ps, pe);
				if (holder) {
					// The span and its context within one removed block: if that text reappears once in inserted text, the block moved.
					const from = Math.max(holder.oldStart, ps - CONTEXT_LENGTH), to = Math.min(holder.oldEnd, pe + CONTEXT_LENGTH);
					if (to - from >= a.quote.length + MOVE_KEY_CONTEXT || (from === holder.oldStart && to === holder.oldEnd)) {
						moves.push({ pending: p, key: prev.canonical.slice(from, to), offset: ps - from });
					}
				}
				return;
			}
		}
		const s16 = t.canonIndex.toUtf16(a.start), e16 = t.canonIndex.toUtf16(a.end);
		if (a.end <= cpLen && s.contextIntact(a, s16, e16)) {
			results[index] = { status: 'anchored', start: a.start, end: a.end, score: 1 };
			return;
		}
		pending.push(newPending(index, a, [Math.min(a.start, cpLen)], undefined, false));
	});

	// Follow the neighbours: in stored order, an annotation whose quote and full context sit exactly
	// where the last settled one's shift puts it has moved with it (a sentence inserted above).
	const byStart = annotations.map((_, i) => i).sort((x, y) => annotations[x].start - annotations[y].start);
	const pendingAt = new Map(pending.filter((p) => p.zone === undefined).map((p) => [p.index, p]));
	// An annotation whose quote and full context sit exactly where `shift` (a settled neighbour's)
	// puts it moved with that neighbour (a sentence inserted above both).
	const followShift = (i: number, shift: number): boolean => {
		const a = annotations[i];
		if (a.start + shift < 0 || a.end + shift > cpLen) {
			return false;
		}
		const s16 = t.canonIndex.toUtf16(sidecarOffset(a.start + shift)), e16 = t.canonIndex.toUtf16(sidecarOffset(a.end + shift));
		if (!s.contextIntact(a, s16, e16)) {
			return false;
		}
		results[i] = s.placed(a, s16, e16);
		return true;
	};
	let lastShift = 0;
	for (const i of byStart) {
		const r = results[i];
		if (r?.start !== undefined) {
			lastShift = r.start - annotations[i].start;
		} else if (pendingAt.has(i) && lastShift !== 0) {
			followShift(i, lastShift);
		}
	}

	// Blocks that moved verbatim (a paragraph cut and pasted): their spans go with them, when the
	// span's text and context occur once in the whole text, and there in inserted text.
	const moveKeys = findAllOccurrences(t.canonical, moves.map((m) => m.key), 16);
	moves.forEach((m, i) => {
		const q = m.pending.target.quote.length;
		// The span itself must land in inserted text (the key's ends may reach into equal text: a
		// paragraph's separator can be diffed on either side of it).
		const found = moveKeys[i].starts.filter((at) => diff!.isInserted(at + m.offset, at + m.offset + q));
		if (found.length === 1 && moveKeys[i].starts.length === 1 && moveKeys[i].complete) {
			const at = found[0] + m.offset;
			results[m.pending.index] = s.placed(m.pending.target, at, at + q);
		}
	});
	pending = pending.filter((p) => results[p.index] === undefined);

	// With a diff, a touched span is searched where its remains map to and in inserted text (a moved
	// paragraph). Inserted text can be a coarse replacement (the diff's caps) still holding copies of
	// old text, so a place there must also beat every occurrence in text the diff kept (see below).
	const inZone = (p: Pending, s16: number, e16: number): boolean =>
		p.zone !== undefined && p.zone.end > p.zone.start && s16 < p.zone.end && e16 > p.zone.start;
	const allowed = (p: Pending, s16: number, e16: number): boolean =>
		p.zone === undefined || inZone(p, s16, e16) || diff!.isInserted(s16, e16);

	// Exact occurrences of every pending quote, together.
	findExact(t.canonical, pending, (p, s16, e16) => {
		if (allowed(p, s16, e16)) {
			p.occurrences.push(s16);
		} else {
			p.elsewhere.push(s16);
		}
	});
	const settle = (p: Pending, best: Candidate): void => {
		results[p.index] = s.result(p.target, best);
	};
	const unresolved: Pending[] = [];
	// In stored order, so that once one annotation of a shifted run is found by scoring, the rest
	// follow its shift without scoring (see followShift).
	const pendingByIndex = new Map(pending.map((p) => [p.index, p]));
	let shift = 0;
	for (const i of byStart) {
		const r = results[i];
		if (r?.start !== undefined) {
			shift = r.start - annotations[i].start;
			continue;
		}
		const p = pendingByIndex.get(i);
		if (p === undefined) {
			continue;
		}
		if (p.zone === undefined && shift !== 0 && followShift(i, shift)) {
			shift = results[i]!.start! - annotations[i].start;
			continue;
		}
		p.exact = s.scoreOccurrences(p.target, p.occurrences, p.predictions);
		const choice = s.choose(p.exact);
		if (choice.best && p.zone !== undefined && !inZone(p, choice.best.s16, choice.best.e16) && p.elsewhere.length > 0) {
			// Found in inserted text away from its place: only if text the diff kept elsewhere does not fit as well.
			const best = choice.best;
			const rival = s.scoreOccurrences(p.target, p.elsewhere, p.predictions).some((k) => k.agrees && best.content - k.content < opts.ambiguityMargin);
			if (rival) {
				choice.best = undefined;
				choice.ambiguous = true;
			}
		}
		if (choice.best) {
			settle(p, choice.best);
			shift = results[i]!.start! - annotations[i].start;
		} else {
			p.tied = choice.ambiguous;
			p.contextless = p.exact.length > 0;
			unresolved.push(p);
		}
	}

	// Expected places from resolved neighbours: the text around an annotation usually moved with it.
	predictFromNeighbours(unresolved.filter((p) => p.zone === undefined), annotations, results, (p) => {
		p.exact = s.scoreOccurrences(p.target, p.occurrences, p.predictions);
		const choice = s.choose(p.exact);
		if (choice.best) {
			settle(p, choice.best);
			return true;
		}
		p.tied = choice.ambiguous;
		return false;
	});

	// Approximate search for the rest, within one budget.
	const rest = unresolved.filter((p) => results[p.index] === undefined);
	let budget = opts.totalBudget ?? 32 * t.canonical.length + 8_192 * annotations.length;
	rest.forEach((p, k) => {
		const a = p.target;
		const orphan = (reason: OrphanReason): void => { results[p.index] = { status: 'orphaned', reason }; };
		const maxErrors = Math.min(256, Math.floor(a.quote.length / 4));
		if (maxErrors < 1 || codePointLength(a.quote) < opts.shortQuote) {
			return orphan(p.tied ? 'ambiguous' : p.deleted ? 'deleted' : p.contextless ? 'no-context' : 'not-found');
		}
		const blocks = Math.ceil(a.quote.length / 32);
		const perSearch = Math.min(opts.fuzzyBudget, budget / (rest.length - k));
		// Tied exact copies elsewhere: only an edited version right at an expected place can beat them.
		const windows = searchWindows(t, p, a.quote.length, p.tied ? 0 : perSearch / blocks);
		const cost = windows.reduce((n, w) => n + (w.end - w.start), 0) * blocks;
		if (cost > budget) {
			return orphan('not-searched');
		}
		budget -= cost;
		const found: Candidate[] = [];
		for (const w of windows) {
			for (const m of approxSearch(t.canonical, a.quote, maxErrors, w.start, w.end)) {
				if (allowed(p, m.start, m.end) && !found.some((f) => f.s16 === m.start && f.e16 === m.end)) {
					found.push(s.score(a, m.start, m.end, m.errors, s.distance(m.start, p.predictions)));
				}
			}
		}
		const choice = s.choose(p.tied ? found.filter((f) => f.distance <= a.quote.length) : found);
		if (choice.best) {
			return settle(p, choice.best);
		}
		orphan(p.tied || choice.ambiguous ? 'ambiguous' : p.deleted ? 'deleted' : p.contextless || found.length > 0 ? 'no-context' : 'not-found');
	});
	return results.map((r) => r ?? { status: 'orphaned', reason: 'not-found' });
}

function newPending(index: number, target: AnchorTarget, predictions: number[], zone: Pending['zone'], deleted: boolean): Pending {
	return { index, target, predictions, zone, deleted, occurrences: [], elsewhere: [], exact: [], contextless: false, tied: false };
}

/**
 * Calls `found` for each exact occurrence of each pending quote. Quotes occurring more than
 * {@link MAX_OCCURRENCES} times are looked up joined to a few units of their stored context
 * (an occurrence with neither side's adjacent context could not agree anyway).
 */
function findExact(c: string, pending: readonly Pending[], found: (p: Pending, s16: number, e16: number) => void): void {
	const occ = findAllOccurrences(c, pending.map((p) => p.target.quote), MAX_OCCURRENCES);
	const frequent: Pending[] = [];
	pending.forEach((p, i) => {
		if (!occ[i].complete) {
			frequent.push(p);
			return;
		}
		for (const at of occ[i].starts) {
			found(p, at, at + p.target.quote.length);
		}
	});
	if (frequent.length === 0) {
		return;
	}
	const heads = frequent.map((p) => p.target.prefix.slice(backCodePoints(p.target.prefix, p.target.prefix.length, CONTEXT_KEY)));
	const tails = frequent.map((p) => p.target.suffix.slice(0, forwardCodePoints(p.target.suffix, 0, CONTEXT_KEY)));
	const withPrefix = findAllOccurrences(c, frequent.map((p, i) => heads[i] + p.target.quote), MAX_OCCURRENCES);
	const withSuffix = findAllOccurrences(c, frequent.map((p, i) => p.target.quote + tails[i]), MAX_OCCURRENCES);
	frequent.forEach((p, i) => {
		const q = p.target.quote.length;
		const starts = new Set<number>([
			...(heads[i] === '' ? [] : withPrefix[i].starts.map((x) => x + heads[i].length)),
			...(tails[i] === '' ? [] : withSuffix[i].starts),
		]);
		for (const at of [...starts].sort((x, y) => x - y)) {
			found(p, at, at + q);
		}
	});
}

/**
 * Adds expected places from the nearest settled annotations before and after each pending one
 * (same shift as theirs), in stored order, so a run of repeated passages settles from its ends.
 * `retry` re-decides one annotation and says whether it settled.
 */
function predictFromNeighbours(
	pending: readonly Pending[], annotations: readonly AnchorTarget[], results: readonly (AnchorResult | undefined)[],
	retry: (p: Pending) => boolean,
): void {
	if (pending.length === 0) {
		return;
	}
	const settled: { from: number; shift: number }[] = [];
	results.forEach((r, i) => {
		if (r && r.start !== undefined) {
			settled.push({ from: annotations[i].start, shift: r.start - annotations[i].start });
		}
	});
	settled.sort((x, y) => x.from - y.from);
	const order = [...pending].sort((x, y) => x.target.start - y.target.start);
	let next = 0;
	let lastShift: number | undefined;
	for (const p of order) {
		const from = p.target.start;
		while (next < settled.length && settled[next].from <= from) {
			lastShift = settled[next].shift;
			next++;
		}
		const shifts = new Set<number>();
		if (lastShift !== undefined) {
			shifts.add(lastShift);
		}
		if (next < settled.length) {
			shifts.add(settled[next].shift);
		}
		const added = [...shifts].map((d) => from + d).filter((x) => x >= 0 && !p.predictions.includes(x));
		if (added.length === 0) {
			continue;
		}
		p.predictions.push(...added);
		if (p.occurrences.length > 0 && retry(p)) {
			const r = results[p.index]!;
			lastShift = r.start! - from;
		}
	}
}

/** UTF-16 windows for an approximate search: the whole allowed range if affordable, else around each expected place. */
function searchWindows(t: PreparedText, p: Pending, quoteUnits: number, maxUnits: number): Interval[] {
	const n = t.canonical.length;
	const lo = p.zone ? Math.max(0, p.zone.start - quoteUnits - CONTEXT_LENGTH) : 0;
	const hi = p.zone ? Math.min(n, p.zone.end + quoteUnits + CONTEXT_LENGTH) : n;
	if (hi - lo <= maxUnits && maxUnits > 0) {
		return hi > lo ? [{ start: lo, end: hi }] : [];
	}
	const half = maxUnits === 0 ? 2 * quoteUnits + CONTEXT_LENGTH : Math.max(quoteUnits, Math.min(WINDOW, Math.floor(maxUnits / (2 * p.predictions.length))));
	return mergeIntervals(p.predictions
		.map((cp) => t.canonIndex.toUtf16(sidecarOffset(cp)))
		.map((at) => ({ start: Math.max(lo, at - half), end: Math.min(hi, at + quoteUnits + half) })));
}

/** Scores candidates against one text and decides between them. */
class Scorer {
	constructor(private readonly t: PreparedText, private readonly margin: number) {}

	/** Stored prefix and suffix are exactly the text around [s16, e16) (short ones reach the text's ends). */
	contextIntact(a: AnchorTarget, s16: number, e16: number): boolean {
		const c = this.t.canonical;
		if (e16 - s16 !== a.quote.length || !c.startsWith(a.quote, s16)) {
			return false;
		}
		return c.slice(backCodePoints(c, s16, CONTEXT_LENGTH), s16) === a.prefix &&
			c.slice(e16, forwardCodePoints(c, e16, CONTEXT_LENGTH)) === a.suffix;
	}

	/** Code points from UTF-16 offset `s16` to the nearest expected place. */
	distance(s16: number, predictions: readonly number[]): number {
		const cp = this.t.canonIndex.toCodePoint(canonicalUtf16Offset(s16));
		let best = Number.POSITIVE_INFINITY;
		for (const p of predictions) {
			best = Math.min(best, Math.abs(cp - p));
		}
		return best;
	}

	/**
	 * Scores exact occurrences of `a.quote`. Many occurrences: only the few with the longest runs
	 * of adjacent context, and those nearest the expected places, get the full (costlier) score.
	 */
	scoreOccurrences(a: AnchorTarget, starts: readonly number[], predictions: readonly number[]): Candidate[] {
		const q = a.quote.length;
		let picked = starts;
		if (starts.length > FULL_SCORE_CANDIDATES) {
			const c = this.t.canonical;
			const ranked = starts.map((at) => ({ at, run: adjacentRuns(c, at, at + q, a.prefix, a.suffix), d: this.distance(at, predictions) }));
			const byRun = [...ranked].sort((x, y) => y.run - x.run || x.d - y.d).slice(0, FULL_SCORE_CANDIDATES);
			const near = [...ranked].sort((x, y) => x.d - y.d).slice(0, 2);
			picked = [...new Set([...byRun, ...near].map((r) => r.at))];
		}
		return picked.map((at) => this.score(a, at, at + q, 0, this.distance(at, predictions)));
	}

	/** The text at [s16, e16) starts and ends a word where the stored quote did (and only there). */
	keepsWordBounds(a: AnchorTarget, s16: number, e16: number): boolean {
		const c = this.t.canonical;
		return isWordUnit(a.prefix.charCodeAt(a.prefix.length - 1)) === isWordUnit(c.charCodeAt(s16 - 1)) &&
			isWordUnit(a.suffix.charCodeAt(0)) === isWordUnit(c.charCodeAt(e16));
	}

	score(a: AnchorTarget, s16: number, e16: number, errors: number, distance: number): Candidate {
		const c = this.t.canonical;
		// Always a full window: a stored prefix shorter than CONTEXT_LENGTH means "at the text start".
		const pSim = similarity(a.prefix, c.slice(backCodePoints(c, s16, CONTEXT_LENGTH), s16));
		const sSim = similarity(a.suffix, c.slice(e16, forwardCodePoints(c, e16, CONTEXT_LENGTH)));
		const quoteSim = 1 - errors / a.quote.length;
		// An exact quote must also keep its word boundaries: a whole word never re-attaches to
		// the same letters inside a longer word next to where it was ("de" in "regeringsleiders").
		const bounds = errors > 0 || this.keepsWordBounds(a, s16, e16) || longestAdjacentRun(c, s16, e16, a.prefix, a.suffix) >= INTACT_SIDE;
		return {
			s16, e16, errors, pSim, sSim, distance,
			content: (W_QUOTE * quoteSim + W_PREFIX * pSim + W_SUFFIX * sSim) / W_CONTENT,
			agrees: bounds && Math.max(pSim, sSim) >= AGREE_ONE_SIDE && (pSim + sSim) / 2 >= AGREE_MEAN,
		};
	}

	/**
	 * The best candidate with agreeing context, unless another one that does not overlap it is
	 * about as good (or sits exactly where the annotation was expected while the best does not).
	 */
	choose(cands: readonly Candidate[]): { best?: Candidate; ambiguous: boolean } {
		const ok = cands.filter((k) => k.agrees).sort((x, y) => y.content - x.content || x.distance - y.distance);
		if (ok.length === 0) {
			return { ambiguous: false };
		}
		const best = ok[0];
		const rivals = ok.filter((k) => k.e16 <= best.s16 || k.s16 >= best.e16);
		if (rivals.length === 0) {
			return { best, ambiguous: false };
		}
		if (best.content - rivals[0].content >= this.margin) {
			return best.distance === 0 || !rivals.some((k) => k.distance === 0) ? { best, ambiguous: false } : { ambiguous: true };
		}
		const tied = [best, ...rivals.filter((k) => best.content - k.content < this.margin)];
		const expected = tied.filter((k) => k.distance === 0);
		return expected.length === 1 ? { best: expected[0], ambiguous: false } : { ambiguous: true };
	}

	/** Result for an exact quote at [s16, e16) found without searching (diff mapping or unchanged text). */
	placed(a: AnchorTarget, s16: number, e16: number): AnchorResult {
		const start = this.t.canonIndex.toCodePoint(canonicalUtf16Offset(s16)), end = this.t.canonIndex.toCodePoint(canonicalUtf16Offset(e16));
		if (start === a.start && end === a.end && this.contextIntact(a, s16, e16)) {
			return { status: 'anchored', start, end, score: 1 };
		}
		const selector = selectorFromCanonical(this.t, s16, e16);
		return { status: start === a.start && end === a.end ? 'anchored' : 'moved', start, end, selector, score: 1 };
	}

	result(a: AnchorTarget, k: Candidate): AnchorResult {
		const selector = selectorFromCanonical(this.t, k.s16, k.e16);
		const score = (W_CONTENT * k.content + W_POS / (1 + k.distance / CONTEXT_LENGTH)) / (W_CONTENT + W_POS);
		if (k.errors > 0) {
			return { status: 'fuzzy', start: selector.start, end: selector.end, selector, score };
		}
		if (selector.start === a.start && selector.end === a.end) {
			return selector.prefix === a.prefix && selector.suffix === a.suffix
				? { status: 'anchored', start: a.start, end: a.end, score }
				: { status: 'anchored', start: a.start, end: a.end, selector, score };
		}
		return { status: 'moved', start: selector.start, end: selector.end, selector, score };
	}
}

/** Units of stored prefix (from its end) and suffix (from its start) that the text around [s16, e16) repeats. */
function sideRuns(c: string, s16: number, e16: number, prefix: string, suffix: string): { before: number; after: number } {
	let before = 0;
	while (before < prefix.length && s16 - 1 - before >= 0 && c.charCodeAt(s16 - 1 - before) === prefix.charCodeAt(prefix.length - 1 - before)) {
		before++;
	}
	let after = 0;
	while (after < suffix.length && e16 + after < c.length && c.charCodeAt(e16 + after) === suffix.charCodeAt(after)) {
		after++;
	}
	return { before, after };
}

function adjacentRuns(c: string, s16: number, e16: number, prefix: string, suffix: string): number {
	const r = sideRuns(c, s16, e16, prefix, suffix);
	return r.before + r.after;
}

function longestAdjacentRun(c: string, s16: number, e16: number, prefix: string, suffix: string): number {
	const r = sideRuns(c, s16, e16, prefix, suffix);
	return Math.max(r.before, r.after);
}

/** Letter, digit or combining mark (NaN, outside the text, is not). */
function isWordUnit(code: number): boolean {
	return !Number.isNaN(code) && WORD_UNIT.test(String.fromCharCode(code));
}
const WORD_UNIT = /[\p{L}\p{N}\p{M}\uD800-\uDFFF]/u;

function similarity(a: string, b: string): number {
	const len = Math.max(a.length, b.length);
	return len === 0 ? 1 : 1 - editDistance(a, b) / len;
}


/** One replacement, in editor offsets of the text before the change (as in a VS Code change event). */
export interface TextEdit extends EditorRange {
	/** UTF-16 units of the replacement. */
	readonly newLength: number;
}

/**
 * - unchanged / shifted: the span's text is the same;
 * - resized: text inside the span changed (store the new quote on save);
 * - needs-reanchor: an edit replaced the whole span; the range now covers the replacement.
 */
export type ShiftStatus = 'unchanged' | 'shifted' | 'resized' | 'needs-reanchor';

/** A range after {@link shiftForEdits}. */
export interface ShiftedRange extends EditorRange {
	readonly status: ShiftStatus;
}

const RANK: Record<ShiftStatus, number> = { unchanged: 0, shifted: 1, resized: 2, 'needs-reanchor': 3 };

/**
 * Moves in-memory ranges through edits. Edits refer to the text before the change and
 * must not overlap (VS Code's `contentChanges`). Boundary rule: text inserted exactly
 * at a span's start or end stays *outside* it (typing after a highlighted phrase must
 * not extend it; to extend, the analyst re-selects). Replaced text that straddles a
 * boundary is also treated as outside.
 */
export function shiftForEdits(ranges: readonly EditorRange[], edits: readonly TextEdit[]): ShiftedRange[] {
	// Later edits first: earlier offsets are then still valid for the remaining edits.
	const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
	return ranges.map((r) => {
		let start: number = r.start;
		let end: number = r.end;
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
		return { start: editorOffset(start), end: editorOffset(end), status };
	});
}
