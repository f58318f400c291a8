/**
 * Knowledge gazetteer: names from lists (ours and data packages) that the training data lacks,
 * stored as phrase hashes with a bit mask of sources. Bits 0–3: the name is listed with that
 * entity type (PER, LOC, ORG, MISC) in a curated list or the country names; bit 4: a town in
 * GeoNames. The tagger turns matches into features (bit × BILOU position), never into labels.
 */
import { addPrefixes, KNOWLEDGE_BITS, KNOWLEDGE_MAX_LEN, normalizeWord, phraseHash } from './features';
import { hashString } from './featureHash';
import { ENTITY_TYPES } from '../entities/entityTypes';
import { tokenize } from './tokenizer';

export { KNOWLEDGE_BITS, KNOWLEDGE_MAX_LEN, KNOWLEDGE_TOWN_BIT } from './features';

/**
 * Hashes of the knowledge match features as features.ts names them (`kg=POS-BIT`, and `kgs=` for a
 * possessive last word; POS one of B, I, L, U): the rows `train-ner --knowledge-scale` multiplies.
 */
export function knowledgeFeatureHashes(): number[] {
	const out: number[] = [];
	for (const prefix of ['kg', 'kgs']) {
		for (const pos of ['B', 'I', 'L', 'U']) {
			for (let b = 0; b < KNOWLEDGE_BITS; b++) {
				out.push(hashString(`${prefix}=${pos}-${b}`));
			}
		}
	}
	return out;
}

export interface NameListEntry {
	/** Bit mask over ENTITY_TYPES. */
	types: number;
	names: string[];
}

export interface NameListError {
	line: number;
	message: string;
}

/** Parses a list file: `TYPE[,TYPE]|name|alias…` per line, `#` comments, blank lines ignored. */
export function parseNameList(text: string): { entries: NameListEntry[]; errors: NameListError[] } {
	const entries: NameListEntry[] = [];
	const errors: NameListError[] = [];
	text.split(/\r?\n/).forEach((raw, i) => {
		const line = raw.trim();
		if (line === '' || line.startsWith('#')) {
			return;
		}
		const fields = line.split('|').map((f) => f.trim());
		let types = 0;
		for (const t of fields[0].split(',')) {
			const k = (ENTITY_TYPES as readonly string[]).indexOf(t.trim());
			if (k < 0) {
				errors.push({ line: i + 1, message: `unknown type "${t}" (expected PER, LOC, ORG or MISC)` });
				return;
			}
			types |= 1 << k;
		}
		const names = fields.slice(1).filter((n) => n !== '');
		if (names.length === 0) {
			errors.push({ line: i + 1, message: 'no name after the type' });
			return;
		}
		entries.push({ types, names });
	});
	return { entries, errors };
}

/** Normalized tokens of a name, as the tagger will see them in running text. */
export function nameTokens(name: string): string[] {
	return tokenize(name).map((t) => normalizeWord(t.text));
}

function capitalise(s: string): string {
	return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Spellings of a list entry: its names, and for persons the part after the first name when no
 * alias already is a shorter ending of the name (Caroline van der Plas → van der Plas, Van der Plas).
 */
export function entrySpellings(entry: NameListEntry): string[] {
	const out = new Set(entry.names);
	if (entry.types & 1) {
		const tokens = nameTokens(entry.names[0]);
		const joined = (ts: string[]): string => ts.join(' ');
		const hasSurname = entry.names.slice(1).some((n) => {
			const t = nameTokens(n);
			return t.length < tokens.length && joined(tokens.slice(tokens.length - t.length)) === joined(t);
		});
		if (tokens.length >= 2 && !hasSurname) {
			const rest = entry.names[0].slice(entry.names[0].indexOf(' ') + 1);
			out.add(rest);
			out.add(capitalise(rest));
		}
	}
	return [...out];
}

export class KnowledgeBuilder {
	readonly phrases = new Map<number, number>();

	/** Adds a name with a source bit mask; returns false when it is too long or has no tokens. */
	add(name: string, bits: number): boolean {
		const tokens = nameTokens(name);
		if (tokens.length === 0 || tokens.length > KNOWLEDGE_MAX_LEN) {
			return false;
		}
		const h = phraseHash(tokens);
		this.phrases.set(h, (this.phrases.get(h) ?? 0) | bits);
		addPrefixes(this.phrases, tokens);
		return true;
	}

	addEntries(entries: readonly NameListEntry[]): void {
		for (const e of entries) {
			for (const s of entrySpellings(e)) {
				this.add(s, e.types);
			}
		}
	}
}
