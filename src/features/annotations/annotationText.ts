/** Texts the annotation feature shows (pure; no vscode). */

/** The header lens: how many annotations and relations, how many orphans, what waits for the article's save. */
export function headerLensTitle(anchored: number, orphans: number, pendingChanges: number, relations = 0): string {
	const parts = [`${anchored} annotation${anchored === 1 ? '' : 's'}`];
	if (relations > 0) {
		parts.push(`${relations} relation${relations === 1 ? '' : 's'}`);
	}
	if (orphans > 0) {
		parts.push(`$(warning) ${orphans} orphaned`);
	}
	if (pendingChanges > 0) {
		parts.push(`$(circle-filled) ${pendingChanges} change${pendingChanges === 1 ? '' : 's'} pending save`);
	}
	return parts.join(' · ');
}

/** One paragraph's lens: its count and the labels, most frequent first (`3 annotations: claim 2 · framing`). */
export function paragraphLensTitle(labels: readonly string[]): string {
	const counts = new Map<string, number>();
	for (const label of labels) {
		counts.set(label, (counts.get(label) ?? 0) + 1);
	}
	const parts = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([label, n]) => (n > 1 ? `${label} ${n}` : label));
	return `$(tag) ${labels.length} annotation${labels.length === 1 ? '' : 's'}: ${parts.join(' · ')}`;
}

/**
 * The YAML parser's message without its own position and code excerpt ("… at line 4, column
 * 25:\n\n  quote: …"): the position is given once, as `file:line:column`.
 */
export function readableParserMessage(message: string): string {
	const firstLine = message.split('\n')[0].trim();
	return firstLine.replace(/\s*at line \d+, column \d+:?\s*$/, '').replace(/[.:]$/, '') || firstLine;
}
