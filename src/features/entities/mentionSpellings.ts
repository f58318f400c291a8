/**
 * Which written forms count as mentions of one entity (pure; no vscode): every spelling (name
 * and aliases), their possessives ("Trumps", "Rutte's"), and — for people — the surname alone,
 * but only in a text where a full name of the person occurs.
 */
import { editorOffset, type EditorRange } from '../../core/annotations/offsets';
import { wholeNamePattern } from '../../core/text/namePattern';

/** The spellings of an entity and, for people, the surnames that count where a full name occurs. */
export interface EntityForms {
	readonly spellings: readonly string[];
	readonly surnames: readonly string[];
}

/** A mention found in a text: where it is, and the text as written. */
export interface FormMatch extends EditorRange {
	readonly text: string;
}

/** Dutch and English possessives of a name: `Trumps`, `Rutte's`, `Rutte’s`; after s/x/z only the apostrophe. */
export function possessives(name: string): string[] {
	if (/[sxz]$/i.test(name)) {
		return [`${name}'`, `${name}’`];
	}
	return [`${name}s`, `${name}'s`, `${name}’s`];
}

/** Surnames of a person's multi-word spellings (`Donald Trump` → `Trump`); none for other types. */
export function surnamesOf(spellings: readonly string[], isPerson: boolean): string[] {
	if (!isPerson) {
		return [];
	}
	const surnames = new Set<string>();
	for (const spelling of spellings) {
		const words = spelling.trim().split(/\s+/);
		const last = words[words.length - 1];
		if (words.length > 1 && /^\p{Lu}/u.test(last) && !spellings.includes(last)) {
			surnames.add(last);
		}
	}
	return [...surnames];
}

/** The forms to search for an entity named by `spellings`. */
export function entityForms(spellings: readonly string[], isPerson: boolean): EntityForms {
	const unique = [...new Set(spellings.map((s) => s.trim()).filter((s) => s.length > 0))];
	return { spellings: unique, surnames: surnamesOf(unique, isPerson) };
}

function matchesOf(text: string, names: readonly string[]): FormMatch[] {
	const pattern = wholeNamePattern(names.flatMap((n) => [n, ...possessives(n)]));
	const found: FormMatch[] = [];
	if (!pattern) {
		return found;
	}
	for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
		found.push({ start: editorOffset(m.index), end: editorOffset(m.index + m[0].length), text: m[0] });
	}
	return found;
}

/** Every mention of the entity in `text`, in text order. */
export function findEntityForms(text: string, forms: EntityForms): FormMatch[] {
	const full = matchesOf(text, forms.spellings);
	if (full.length === 0 || forms.surnames.length === 0) {
		return full;
	}
	// The surname counts only where it is not part of a full-name match already found.
	const alone = matchesOf(text, forms.surnames).filter((s) => !full.some((f) => f.start < s.end && s.start < f.end));
	return [...full, ...alone].sort((a, b) => a.start - b.start);
}

/** The spelling a written form stands for: `Trumps` → `Trump` when `Trump` is a spelling. */
export function baseSpelling(text: string, spellings: readonly string[]): string | undefined {
	return spellings.find((s) => s === text || possessives(s).includes(text));
}
