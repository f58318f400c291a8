/**
 * Settling two analysts' disagreements into the working tree's sidecar (the Disagreements view):
 * what the disagreements of an article are, what each decision writes, and whether a decision
 * still holds (an undo, or someone else's edit, makes it open again). Every offset here is a
 * code point in the text being curated (the working tree's article).
 */
import { makeSelector, type PreparedText } from '../annotations/anchoring';
import { sidecarOffset } from '../annotations/offsets';
import type { Annotation } from '../annotations/model';
import type { SidecarDocument } from '../annotations/sidecarCodec';
import type { ArticleComparison } from './compare';
import type { AgreementSpan } from './matching';

export type DisagreementKind = 'only-a' | 'only-b' | 'label-differs' | 'boundary-differs';

/** One disagreement of an article: a span only one side has, or a pair that differs. */
export interface Disagreement {
	/** Stable while both sides stay as they are: kind and the two spans. */
	readonly key: string;
	readonly kind: DisagreementKind;
	readonly a?: AgreementSpan;
	readonly b?: AgreementSpan;
	/** The union of both spans. */
	readonly start: number;
	readonly end: number;
}

export type Decision = 'accept-a' | 'accept-b' | 'keep-both' | 'reject-both' | 'edit';

export const DECISIONS: readonly Decision[] = ['accept-a', 'accept-b', 'keep-both', 'reject-both', 'edit'];

/** A span as the outcome of a decision: what must (not) be in the working tree's sidecar. */
export type SpanKey = Pick<AgreementSpan, 'label' | 'start' | 'end'>;

/** What a decision left in the working tree; {@link decisionHolds} checks it is still so. */
export interface DecisionRecord {
	readonly key: string;
	readonly decision: Decision;
	readonly present: readonly SpanKey[];
	readonly absent: readonly SpanKey[];
}

/** The disagreements of a compared article, in document order (start, end). */
export function disagreementsOf(c: ArticleComparison): Disagreement[] {
	const m = c.matching;
	if (!m) {
		return [];
	}
	const out: Disagreement[] = [];
	const pair = (kind: DisagreementKind, a: AgreementSpan | undefined, b: AgreementSpan | undefined): void => {
		const spans = [a, b].filter((s): s is AgreementSpan => s !== undefined);
		out.push({
			key: `${kind}|${a ? spanKeyText(a) : ''}|${b ? spanKeyText(b) : ''}`,
			kind, a, b,
			start: Math.min(...spans.map((s) => s.start)),
			end: Math.max(...spans.map((s) => s.end)),
		});
	};
	for (const i of m.onlyA) {
		pair('only-a', c.a[i], undefined);
	}
	for (const j of m.onlyB) {
		pair('only-b', undefined, c.b[j]);
	}
	for (const p of m.label) {
		pair('label-differs', c.a[p.a], c.b[p.b]);
	}
	for (const p of m.boundary) {
		pair('boundary-differs', c.a[p.a], c.b[p.b]);
	}
	return out.sort((x, y) => x.start - y.start || x.end - y.end || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

function spanKeyText(s: AgreementSpan): string {
	return `${s.id}:${s.label}:${s.start}-${s.end}`;
}

/** What a curation writes besides the spans: who, when, and fresh ids. */
export interface CurationContext {
	readonly curator: string;
	/** ISO 8601 UTC. */
	readonly now: string;
	readonly newId: () => string;
}

function sameSpan(a: SpanKey, b: SpanKey): boolean {
	return a.label === b.label && a.start === b.start && a.end === b.end;
}

/**
 * Writes `decision` for `d` into `doc`, the working tree's sidecar of the article (offsets in
 * `text`, the text `d` was computed in): the spans the decision keeps are there afterwards, marked
 * `curated_by`/`curated` (an existing equal annotation is marked, otherwise the side's annotation
 * is copied in); the spans it drops are removed where the working tree has them. `edit` keeps
 * `edited` instead of either side. Returns the record to check the decision by later.
 */
export function applyDecision(
	doc: SidecarDocument, text: PreparedText, d: Disagreement, decision: Decision, ctx: CurationContext, edited?: SpanKey,
): DecisionRecord {
	const sides = [d.a, d.b].filter((s): s is AgreementSpan => s !== undefined);
	let keep: AgreementSpan[];
	let extra: SpanKey | undefined;
	switch (decision) {
		case 'accept-a': keep = d.a ? [d.a] : []; break;
		case 'accept-b': keep = d.b ? [d.b] : []; break;
		case 'keep-both': keep = sides; break;
		case 'reject-both': keep = []; break;
		case 'edit':
			if (!edited || edited.end <= edited.start) {
				throw new Error('an edit needs the span and label to keep');
			}
			keep = [];
			extra = edited;
			break;
	}
	const drop = sides.filter((s) => !keep.includes(s) && !(extra && sameSpan(s, extra)));
	for (const s of drop) {
		// The same annotation if the working tree has it (same id), else any equal one.
		const found = doc.data.annotations.find((x) => x.id === s.id && sameSpan(x, s)) ?? doc.data.annotations.find((x) => sameSpan(x, s));
		if (found && !keep.some((k) => sameSpan(k, found))) {
			doc.remove(found.id);
		}
	}
	const curated = { curated_by: ctx.curator, curated: ctx.now, modified: ctx.now };
	const present: SpanKey[] = [];
	for (const s of keep) {
		ensure(doc, text, s, s.annotation, curated, {}, ctx);
		present.push({ label: s.label, start: s.start, end: s.end });
	}
	if (extra) {
		ensure(doc, text, extra, undefined, curated, { author: ctx.curator, created: ctx.now }, ctx);
		present.push(extra);
	}
	const absent = drop.filter((s) => !present.some((p) => sameSpan(p, s))).map((s) => ({ label: s.label, start: s.start, end: s.end }));
	return { key: d.key, decision, present, absent };
}

/**
 * Marks the working tree's equal annotation as curated, or adds one: a copy of `source` where
 * given, with `forNew` (author and creation time of a span the curator drew).
 */
function ensure(
	doc: SidecarDocument, text: PreparedText, s: SpanKey & { id?: string }, source: Annotation | undefined,
	curated: Partial<Annotation>, forNew: Partial<Annotation>, ctx: CurationContext,
): void {
	const found = doc.data.annotations.find((x) => x.id === s.id && sameSpan(x, s)) ?? doc.data.annotations.find((x) => sameSpan(x, s));
	if (found) {
		doc.update(found.id, curated);
		return;
	}
	const selector = makeSelector(text, text.rawIndex.toUtf16(sidecarOffset(s.start)), text.rawIndex.toUtf16(sidecarOffset(s.end)));
	const id = s.id !== undefined && !doc.get(s.id) ? s.id : ctx.newId();
	const copied: Partial<Annotation> = {};
	for (const key of ['note', 'entity', 'author', 'created'] as const) {
		if (source?.[key] !== undefined) {
			copied[key] = source[key];
		}
	}
	doc.add({ id, label: s.label, ...selector, ...copied, ...forNew, ...curated } as Annotation);
}

/** Whether the working tree's annotations still show the decision's outcome. */
export function decisionHolds(record: DecisionRecord, workingTree: readonly SpanKey[]): boolean {
	return record.present.every((p) => workingTree.some((w) => sameSpan(w, p))) && record.absent.every((a) => !workingTree.some((w) => sameSpan(w, a)));
}

/** A working-tree annotation marked as curated that overlaps the disagreement: settled in an earlier session. */
export function curatedOverlap(d: Disagreement, workingTree: readonly (SpanKey & { curated?: boolean })[]): boolean {
	return workingTree.some((w) => w.curated === true && w.start < d.end && w.end > d.start);
}
