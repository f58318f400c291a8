/**
 * The extension's settings as one typed, validated snapshot. The VS Code adapter reads the raw
 * `corpusAnnotator.*` section and passes it here; the core never reads settings itself.
 */
export interface CorpusConfig {
	readonly detection: { readonly enabled: boolean };
	/** Articles view: `oldestFirst` or `newestFirst` (years and months). */
	readonly tree: { readonly sortOrder: 'oldestFirst' | 'newestFirst' };
	readonly annotations: {
		/** Name written as `author`; empty means git's user.name, then the OS user. */
		readonly author: string;
		/** Which code lenses: the header line only, plus one per annotated paragraph, or all (per annotation, tag paragraph). */
		readonly codeLens: CodeLensMode;
	};
}

export type CodeLensMode = 'headerOnly' | 'paragraphs' | 'all';

/**
 * The lens setting, also from its old boolean form (`true` was the default, `false` turned the
 * lenses off, the closest of which is the header alone).
 */
export function parseCodeLensMode(value: unknown): CodeLensMode {
	if (value === 'headerOnly' || value === 'paragraphs' || value === 'all') {
		return value;
	}
	return value === false ? 'headerOnly' : DEFAULT_CONFIG.annotations.codeLens;
}

export const DEFAULT_CONFIG: CorpusConfig = {
	detection: { enabled: true },
	tree: { sortOrder: 'oldestFirst' },
	annotations: { author: '', codeLens: 'paragraphs' },
};

type Raw = Record<string, unknown> | undefined;

function section(raw: Raw, key: string): Raw {
	const value = raw?.[key];
	return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

function str(raw: Raw, key: string, fallback: string): string {
	const value = raw?.[key];
	return typeof value === 'string' ? value : fallback;
}

function bool(raw: Raw, key: string, fallback: boolean): boolean {
	const value = raw?.[key];
	return typeof value === 'boolean' ? value : fallback;
}

/** Builds the snapshot from raw settings, falling back to defaults for missing or mistyped values. */
export function parseConfig(raw: Raw): CorpusConfig {
	return {
		detection: { enabled: bool(section(raw, 'detection'), 'enabled', DEFAULT_CONFIG.detection.enabled) },
		tree: {
			sortOrder: section(raw, 'tree')?.sortOrder === 'newestFirst' ? 'newestFirst' : DEFAULT_CONFIG.tree.sortOrder,
		},
		annotations: {
			author: str(section(raw, 'annotations'), 'author', DEFAULT_CONFIG.annotations.author),
			codeLens: parseCodeLensMode(section(raw, 'annotations')?.codeLens),
		},
	};
}
