/** Escapes text for a MarkdownString so names and notes never turn into markup or links. */
export function escapeMarkdown(text: string): string {
	return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
