import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { canonicalUtf16Offset, sidecarOffset, TextIndex } from '../annotations/offsets';
import type { CorrectionExample } from '../ner/adaptation';
import { normalizeWord } from '../ner/features';
import { makeLabel } from '../ner/labels';
import { tokenize, tokenizeDocument } from '../ner/tokenizer';
import { ENTITY_TYPES, isEntityType, type EntityMention, type EntityType } from './entityTypes';

/**
 * The analysts' corrections of the tagger (`.corpus/ner-corrections.yaml`), committed so the team
 * shares them and git reviews them; the workspace model learns from them. Each correction keeps
 * the sentence it was made in, so it can be replayed on any model:
 *
 *     version: 1
 *     corrections:
 *       - sentence: "Trump sprak met Milei in Buenos Aires."
 *         spans:
 *           - text: "Milei"
 *             start: 16
 *             end: 21
 *             type: PER
 *         article: "2025/029_milei.txt"
 *         author: "Jan"
 *         time: "2026-12-02T14:00:00.000Z"
 *
 * `start`/`end` count code points of the sentence; `type` is PER, LOC, ORG, MISC or `none` (not
 * an entity). Strings are written as JSON strings (valid YAML), keys always in this order, and a
 * new correction is appended, so adding one adds only its own lines.
 */
export const CORRECTIONS_FILE = 'ner-corrections.yaml';

export type CorrectionType = EntityType | 'none';

export interface CorrectedSpan {
	readonly text: string;
	/** UTF-16 offsets into the sentence (code points in the file). */
	readonly start: number;
	readonly end: number;
	readonly type: CorrectionType;
}

export interface NerCorrection {
	readonly sentence: string;
	readonly spans: readonly CorrectedSpan[];
	/** Article the correction was made in, relative to the workspace folder (for reviewers). */
	readonly article?: string;
	readonly author: string;
	/** ISO 8601. */
	readonly time: string;
}

export interface CorrectionFileError {
	readonly message: string;
	readonly line: number;
}

const HEADER = '# Corrections of the entity tagger (Change Entity Type…): the workspace model learns from them.\nversion: 1\ncorrections:\n';

export function isCorrectionType(value: unknown): value is CorrectionType {
	return value === 'none' || isEntityType(value);
}

/** Parses the corrections file; keeps the valid corrections and reports the others. */
export function parseCorrections(text: string): { corrections: NerCorrection[]; errors: CorrectionFileError[] } {
	const lineCounter = new LineCounter();
	const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
	const errors: CorrectionFileError[] = doc.errors.map((e) => ({ message: e.message.split('\n')[0], line: e.linePos?.[0].line ?? 1 }));
	const corrections: NerCorrection[] = [];
	if (errors.length > 0 || doc.contents === null) {
		return { corrections, errors };
	}
	const at = (node: Node | null | undefined, message: string): void => {
		errors.push({ message, line: node?.range ? lineCounter.linePos(node.range[0]).line : 1 });
	};
	const root = doc.contents;
	const seq = isMap(root) ? (root.get('corrections', true) as Node | undefined) : undefined;
	if (!isSeq(seq)) {
		if (!(isMap(root) && seq === undefined)) {
			at(root, 'The corrections file must be a mapping with a `corrections:` list.');
		}
		return { corrections, errors };
	}
	for (const item of seq.items as Node[]) {
		const value: unknown = isMap(item) ? item.toJSON() : undefined;
		const problem = correctionProblem(value);
		if (problem) {
			at(item, problem);
			continue;
		}
		const c = value as { sentence: string; spans: { text: string; start: number; end: number; type: CorrectionType }[]; article?: string; author?: string; time?: string };
		const index = TextIndex.forCanonical(c.sentence);
		corrections.push({
			sentence: c.sentence,
			spans: c.spans.map((s) => ({ text: s.text, start: index.toUtf16(sidecarOffset(s.start)), end: index.toUtf16(sidecarOffset(s.end)), type: s.type })),
			...(typeof c.article === 'string' ? { article: c.article } : {}),
			author: String(c.author ?? ''),
			time: String(c.time ?? ''),
		});
	}
	return { corrections, errors };
}

function correctionProblem(value: unknown): string | undefined {
	if (typeof value !== 'object' || value === null) {
		return 'Each correction must be a mapping with `sentence` and `spans`.';
	}
	const c = value as Record<string, unknown>;
	if (typeof c.sentence !== 'string' || c.sentence.length === 0) {
		return 'A correction needs its `sentence`.';
	}
	if (!Array.isArray(c.spans) || c.spans.length === 0) {
		return 'A correction needs `spans` (text, start, end, type).';
	}
	const length = TextIndex.forCanonical(c.sentence).codePointLength;
	for (const s of c.spans as Record<string, unknown>[]) {
		if (!Number.isInteger(s?.start) || !Number.isInteger(s?.end) || !((s.start as number) < (s.end as number)) || (s.end as number) > length || (s.start as number) < 0) {
			return 'Every span needs integer `start` < `end` inside the sentence.';
		}
		if (!isCorrectionType(s.type)) {
			return `A span's \`type\` must be one of ${ENTITY_TYPES.join(', ')} or none.`;
		}
	}
	return undefined;
}

/** The file's text with one more correction appended (the header first if the file is new). */
export function appendCorrectionText(text: string, correction: NerCorrection): string {
	const index = TextIndex.forCanonical(correction.sentence);
	const q = (s: string): string => JSON.stringify(s);
	const lines = [`  - sentence: ${q(correction.sentence)}`, '    spans:'];
	for (const s of correction.spans) {
		lines.push(`      - text: ${q(s.text)}`, `        start: ${index.toCodePoint(canonicalUtf16Offset(s.start))}`, `        end: ${index.toCodePoint(canonicalUtf16Offset(s.end))}`, `        type: ${s.type}`);
	}
	if (correction.article !== undefined) {
		lines.push(`    article: ${q(correction.article)}`);
	}
	lines.push(`    author: ${q(correction.author)}`, `    time: ${q(correction.time)}`);
	const before = text.trim() === '' ? HEADER : text.endsWith('\n') ? text : text + '\n';
	const after = before + lines.join('\n') + '\n';
	const parsed = parseCorrections(after);
	if (parsed.errors.length > 0 || parsed.corrections.length !== parseCorrections(before).corrections.length + 1) {
		throw new Error('the corrections file does not end with its `corrections:` list (or has an error); fix it first');
	}
	return after;
}

/** The sentence (as the tagger splits the text) around UTF-16 offset `offset`, with its start. */
export function sentenceAt(text: string, offset: number): { sentence: string; start: number } | undefined {
	for (const tokens of tokenizeDocument(text)) {
		const from = tokens[0].start;
		const to = tokens[tokens.length - 1].end;
		if (from <= offset && offset < to) {
			return { sentence: text.slice(from, to), start: from };
		}
	}
	return undefined;
}

/** A correction as a training example: the sentence's tokens and the labels the analyst decided. */
export function correctionExample(c: NerCorrection): CorrectionExample {
	const tokens = tokenize(c.sentence);
	const gold = new Int32Array(tokens.length).fill(-1);
	for (const s of c.spans) {
		const inside: number[] = [];
		tokens.forEach((t, i) => {
			if (t.start < s.end && t.end > s.start) {
				inside.push(i);
			}
		});
		if (inside.length === 0) {
			continue;
		}
		const type = ENTITY_TYPES.indexOf(s.type as EntityType);
		inside.forEach((t, k) => {
			gold[t] =
				type < 0 ? 0 : inside.length === 1 ? makeLabel(type, 'U') : k === 0 ? makeLabel(type, 'B') : k === inside.length - 1 ? makeLabel(type, 'L') : makeLabel(type, 'I');
		});
	}
	return { words: tokens.map((t) => normalizeWord(t.text)), gold };
}

/**
 * Applies corrections at once to the article they were made in (the text contains their
 * sentence): the corrected spans there, and every other mention of the same text in the article,
 * take the analyst's type (`none` removes them). Other articles change only through the adapted model.
 */
export function applyCorrections(text: string, mentions: readonly EntityMention[], corrections: readonly NerCorrection[]): EntityMention[] {
	const decided = new Map<string, CorrectionType>();
	// Keyed by position: a later correction of the same span replaces an earlier one.
	const placedAt = new Map<string, { start: number; end: number; type: CorrectionType; text: string }>();
	for (const c of corrections) {
		for (let at = text.indexOf(c.sentence); at >= 0; at = text.indexOf(c.sentence, at + 1)) {
			for (const s of c.spans) {
				decided.set(s.text, s.type);
				placedAt.set(`${at + s.start}:${at + s.end}`, { start: at + s.start, end: at + s.end, type: s.type, text: s.text });
			}
		}
	}
	if (decided.size === 0) {
		return [...mentions];
	}
	const placed = [...placedAt.values()];
	const out: EntityMention[] = [];
	for (const m of mentions) {
		if (placed.some((p) => p.start < m.end && m.start < p.end)) {
			continue;
		}
		const type = decided.get(m.text);
		if (type === undefined) {
			out.push(m);
		} else if (type !== 'none') {
			out.push({ ...m, type, source: 'correction', confidence: 1 });
		}
	}
	for (const p of placed) {
		if (p.type !== 'none') {
			out.push({ start: p.start, end: p.end, type: p.type, text: p.text, source: 'correction', confidence: 1 });
		}
	}
	return out.sort((a, b) => a.start - b.start || b.end - a.end);
}
