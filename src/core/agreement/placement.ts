/**
 * Where one side's annotations are in the text being compared. Each side's offsets are first
 * checked against that side's own article text (re-anchored where the quote is no longer at its
 * offsets); when that text differs from the compared one, they are then carried over to it
 * through a diff of the two texts. Annotations that cannot be placed are orphans: reported,
 * never compared.
 */
import { prepareText, reanchorAll, type AnchorTarget, type OrphanReason, type PreparedText } from '../annotations/anchoring';
import type { SidecarOffset } from '../annotations/offsets';
import type { Annotation } from '../annotations/model';
import type { AgreementSpan } from './matching';

/** An annotation that could not be placed in the compared text. */
export interface PlacementOrphan {
	readonly annotation: Annotation;
	readonly reason: OrphanReason;
	/** Lost in its own side's article text, or only when carried over to the compared text. */
	readonly stage: 'own-text' | 'compared-text';
}

export interface PlacedSide {
	readonly spans: AgreementSpan[];
	readonly orphans: PlacementOrphan[];
}

interface Located {
	readonly annotation: Annotation;
	readonly target: AnchorTarget;
}

/**
 * Places `annotations` (read from a sidecar made for `ownText`) in `compared`. Work is a string
 * comparison per annotation when the quotes are where the offsets say and the texts are equal,
 * which is the common case; anchoring runs only for the rest.
 */
export function placeAnnotations(annotations: readonly Annotation[], ownText: string | PreparedText, compared: string | PreparedText): PlacedSide {
	const own = prepareText(ownText);
	const target = prepareText(compared);
	const orphans: PlacementOrphan[] = [];
	const located: Located[] = [];
	const pending: Annotation[] = [];
	const ownLength = own.canonIndex.codePointLength;
	for (const a of annotations) {
		if (a.end <= ownLength && quoteAt(own, a.start, a.end) === a.quote) {
			located.push({ annotation: a, target: a });
		} else {
			pending.push(a);
		}
	}
	if (pending.length > 0) {
		const results = reanchorAll(own, pending);
		pending.forEach((a, i) => {
			const r = results[i];
			if (r.status === 'orphaned' || r.start === undefined || r.end === undefined) {
				orphans.push({ annotation: a, reason: r.reason ?? 'not-found', stage: 'own-text' });
			} else {
				located.push({ annotation: a, target: r.selector ?? { ...a, start: r.start, end: r.end, quote: quoteAt(own, r.start, r.end) } });
			}
		});
	}
	const spans: AgreementSpan[] = [];
	if (own.canonical === target.canonical) {
		for (const { annotation, target: t } of located) {
			spans.push(span(annotation, t.start, t.end, t.quote));
		}
		return { spans, orphans };
	}
	const carried = reanchorAll(target, located.map((l) => l.target), { previousText: own });
	located.forEach(({ annotation }, i) => {
		const r = carried[i];
		if (r.status === 'orphaned' || r.start === undefined || r.end === undefined) {
			orphans.push({ annotation, reason: r.reason ?? 'not-found', stage: 'compared-text' });
		} else {
			spans.push(span(annotation, r.start, r.end, quoteAt(target, r.start, r.end)));
		}
	});
	return { spans, orphans };
}

function span(a: Annotation, start: number, end: number, quote: string): AgreementSpan {
	return { id: a.id, label: a.label, start, end, quote, author: a.author, annotation: a };
}

/** The canonical text between two code-point offsets. */
export function quoteAt(text: PreparedText, start: SidecarOffset, end: SidecarOffset): string {
	return text.canonical.slice(text.canonIndex.toUtf16(start), text.canonIndex.toUtf16(end));
}
