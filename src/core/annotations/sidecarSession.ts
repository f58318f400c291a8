/**
 * One sidecar session: the only way the CLI commands, `check`, the merge driver and the
 * extension's store open a sidecar against its article. It parses and validates (one validator
 * for every entry point), re-anchors against the current text, brings the header up to date,
 * says whether a write is needed and serializes.
 *
 * The session's promise: an orphan's stored fields (start, end, quote, prefix, suffix) never
 * change except through {@link SidecarSession.reanchor} or a delete; {@link SidecarSession.serialize}
 * refuses (throws) when a caller changed one behind its back, so the damage cannot reach the file.
 */
import { formatArticleDate, parseHeader } from '../article/articleParser';
import { prepareText, reanchorAll, type AnchorOptions, type AnchorResult, type AnchorTarget, type PreparedText, type TextSelector } from './anchoring';
import { ARTICLE_HEADER_FIELDS } from './fieldTable';
import { hashArticleText } from './textHash';
import type { Annotation, SidecarData, SidecarHeader } from './model';
import { SidecarEditError, createSidecar, parseSidecar, serializeIfChanged, type SidecarDocument } from './sidecarCodec';
import type { SidecarError } from './sidecarValidator';

export interface SessionInput {
	/** The sidecar as read (BOM removed), or undefined when there is none yet. */
	readonly sidecarText: string | undefined;
	/** The article text as read or as the editor holds it (BOM and CRLF allowed). */
	readonly articleText: string | PreparedText;
	/** The article's file name (not a path), written as `article`. */
	readonly articleName: string;
	/** The article text the stored offsets were made for, when known (editor, git, cache). */
	readonly previousArticleText?: string;
}

export type OpenSessionResult = { ok: true; session: SidecarSession } | { ok: false; errors: SidecarError[] };

/** Header fields a sidecar of this article should have. */
export function articleHeader(articleName: string, text: string | PreparedText): SidecarHeader {
	const prepared = prepareText(text);
	const c = prepared.canonical;
	const nl = c.indexOf('\n');
	const firstLine = nl < 0 ? c : c.slice(0, nl);
	const { date } = parseHeader(firstLine);
	return { article: articleName, date: date ? formatArticleDate(date) : null, textHash: hashArticleText(prepared.raw) };
}

/**
 * The one validator, for callers that only need the verdict: every problem `parseSidecar` finds,
 * plus offsets past the end of the article when the file records this article's hash. Decode
 * bytes with `decodeSidecarBytes` first (invalid UTF-8 is reported there, with its position).
 */
export function validateSidecar(text: string, articleText?: string | PreparedText): SidecarError[] {
	const article = articleText === undefined ? undefined : prepareText(articleText);
	const parsed = parseSidecar(text, article && { article: { codePointLength: article.canonIndex.codePointLength, textHash: hashArticleText(article.raw) } });
	return parsed.ok ? [] : parsed.errors;
}

/**
 * Re-anchors every annotation against `text`. Passes the previous text when known, for anchoring
 * that maps offsets through a diff of the two texts (one place to switch when it lands).
 */
export function reanchorAgainst(text: PreparedText, annotations: readonly AnchorTarget[], previousText?: string): AnchorResult[] {
	const options: AnchorOptions & { previousText?: string } = previousText === undefined ? {} : { previousText };
	return reanchorAll(text, annotations, options);
}

/**
 * Opens a sidecar against its article: parse + validate (offsets past the end count when the
 * file records this text's hash), re-anchor moved and edited annotations (orphans are left as
 * stored), update `article`/`date`/`textHash` where they really changed. Never throws.
 */
export function openSidecarSession(input: SessionInput): OpenSessionResult {
	const prepared = prepareText(input.articleText);
	const header = articleHeader(input.articleName, prepared);
	if (input.sidecarText === undefined) {
		const doc = createSidecar(header);
		return { ok: true, session: new SidecarSession(doc, undefined, snapshot(doc.data), prepared, header, new Map()) };
	}
	const parsed = parseSidecar(input.sidecarText, {
		article: { codePointLength: prepared.canonIndex.codePointLength, textHash: header.textHash! },
	});
	if (!parsed.ok) {
		return parsed;
	}
	const doc = parsed.doc;
	const asRead = snapshot(doc.data);
	const annotations = asRead.annotations;
	const anchors = new Map<string, AnchorResult>();
	if (doc.data.textHash !== null && doc.data.textHash === header.textHash) {
		// The very text the offsets were made for: nothing to search.
		for (const a of annotations) {
			anchors.set(a.id, { status: 'anchored', start: a.start, end: a.end, score: 1 });
		}
	} else {
		const results = reanchorAgainst(prepared, annotations, input.previousArticleText);
		annotations.forEach((a, i) => {
			const r = results[i];
			anchors.set(a.id, r);
			// Moved and edited spans get their new place; an anchored one may bring fresh context.
			if (r.status !== 'orphaned' && r.selector) {
				const s = r.selector;
				doc.setOffsets(a.id, s.start, s.end, s.quote, s.prefix, s.suffix);
			}
		});
	}
	const changedHeader: Partial<SidecarHeader> = {};
	for (const key of ARTICLE_HEADER_FIELDS) {
		if (doc.data[key] !== header[key]) {
			(changedHeader as Record<string, string | null>)[key] = header[key];
		}
	}
	if (Object.keys(changedHeader).length > 0) {
		doc.setHeader(changedHeader);
	}
	return { ok: true, session: new SidecarSession(doc, input.sidecarText, asRead, prepared, header, anchors) };
}

/** A copy that later edits (which replace annotation objects and reorder the list, or change the relations) leave alone. */
function snapshot(data: SidecarData): SidecarData {
	return { ...data, annotations: [...data.annotations], relations: [...data.relations] };
}

/** The fields of an orphan that only an explicit re-anchor or a delete may change. */
const PROTECTED = ['start', 'end', 'quote', 'prefix', 'suffix'] as const;

type Protected = Pick<Annotation, (typeof PROTECTED)[number]>;

/** An open sidecar; see {@link openSidecarSession}. */
export class SidecarSession {
	/** Stored fields of each orphan as read. */
	private readonly orphanFields = new Map<string, Protected>();

	/** @internal Use {@link openSidecarSession}. */
	constructor(
		/** The document; edit it, then {@link serialize}. */
		readonly doc: SidecarDocument,
		/** The sidecar text it was opened from, then the text last committed (undefined: no file yet). */
		private base: string | undefined,
		/** Header and annotations as read from the file, before re-anchoring (file order). */
		readonly asRead: Readonly<SidecarData>,
		/** The article text, prepared for offset conversions. */
		readonly article: PreparedText,
		/** The header the article asks for. */
		readonly header: SidecarHeader,
		/** Re-anchoring result per annotation id, as opened. */
		readonly anchors: Map<string, AnchorResult>,
	) {
		for (const [id, r] of anchors) {
			// Orphans only: a look-up per annotation would make opening grow with the square of its size.
			const a = r.status === 'orphaned' ? doc.get(id) : undefined;
			if (a) {
				this.orphanFields.set(id, { start: a.start, end: a.end, quote: a.quote, prefix: a.prefix, suffix: a.suffix });
			}
		}
	}

	/** Ids of the annotations that could not be found in the current text (kept as stored). */
	get orphans(): string[] {
		return [...this.orphanFields.keys()].filter((id) => this.doc.get(id) !== undefined);
	}

	/** The text the file holds now (undefined: no file yet). */
	get baseText(): string | undefined {
		return this.base;
	}

	/**
	 * Explicit re-anchor of one annotation (the analyst pointed it at a passage): the only way an
	 * orphan's offsets, quote and context change. Returns false when the id is unknown.
	 */
	reanchor(id: string, selector: TextSelector): boolean {
		if (!this.doc.setOffsets(id, selector.start, selector.end, selector.quote, selector.prefix, selector.suffix)) {
			return false;
		}
		this.orphanFields.delete(id);
		this.anchors.set(id, { status: 'anchored', start: selector.start, end: selector.end, score: 1 });
		return true;
	}

	/** True when {@link serialize} has something to write. */
	needsWrite(): boolean {
		return this.serialize() !== undefined;
	}

	/**
	 * The text to write, or undefined when nothing needs writing (no change, or a new sidecar
	 * that still holds no annotation). Throws {@link SidecarEditError} when an orphan's stored
	 * fields were changed without {@link reanchor}.
	 */
	serialize(): string | undefined {
		for (const [id, stored] of this.orphanFields) {
			const now = this.doc.get(id);
			if (now && PROTECTED.some((k) => now[k] !== stored[k])) {
				throw new SidecarEditError(`Annotation ${id} is orphaned; its offsets, quote and context change only by an explicit re-anchor.`);
			}
		}
		if (this.base === undefined && this.doc.data.annotations.length === 0) {
			return undefined;
		}
		return serializeIfChanged(this.base ?? '', this.doc);
	}

	/** Records that `text` (what {@link serialize} returned) is now the file's content. */
	commit(text: string): void {
		this.doc.commit(text);
		this.base = text;
	}
}
