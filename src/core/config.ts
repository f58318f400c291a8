/**
 * The extension's settings as one typed, validated snapshot. The VS Code adapter reads the raw
 * `corpusAnnotator.*` section and passes it here; the core never reads settings itself.
 */
export interface CorpusConfig {
	readonly detection: { readonly enabled: boolean };
}

export const DEFAULT_CONFIG: CorpusConfig = {
	detection: { enabled: true },
};

type Raw = Record<string, unknown> | undefined;

function section(raw: Raw, key: string): Raw {
	const value = raw?.[key];
	return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

function bool(raw: Raw, key: string, fallback: boolean): boolean {
	const value = raw?.[key];
	return typeof value === 'boolean' ? value : fallback;
}

/** Builds the snapshot from raw settings, falling back to defaults for missing or mistyped values. */
export function parseConfig(raw: Raw): CorpusConfig {
	return {
		detection: { enabled: bool(section(raw, 'detection'), 'enabled', DEFAULT_CONFIG.detection.enabled) },
	};
}
