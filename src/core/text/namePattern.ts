/** Escapes text for literal use inside a regular expression. */
export function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A global, Unicode-aware pattern that finds any of `names` as a whole word, longest first, so
 * "Witte Huis" wins over "Huis". A letter or digit right before or after means the match is part
 * of a longer word: "Kiev" is not found in "Kievse". Undefined when there are no names.
 */
export function wholeNamePattern(names: Iterable<string>): RegExp | undefined {
	const alternatives = [...new Set(names)].sort((a, b) => b.length - a.length).map(escapeRegExp);
	return alternatives.length > 0 ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'gu') : undefined;
}
