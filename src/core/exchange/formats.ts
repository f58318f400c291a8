/**
 * The registry of exchange formats: one place that knows every format, for `export`/`import`,
 * their `--help`, the extension's quick pick and the round-trip tests.
 */
import { bratFormat } from './brat';
import { conllFormat } from './conll';
import { doccanoFormat } from './doccano';
import type { ExchangeFormat, ExchangeFormatId } from './exchangeFormat';
import { labelStudioFormat } from './labelStudio';
import { w3cFormat } from './w3c';
import { webannoTsvFormat } from './webannoTsv';

/** Every registered format, in the order `--help` and the quick pick list them. */
export const EXCHANGE_FORMATS: readonly ExchangeFormat[] = [
	w3cFormat,
	bratFormat,
	webannoTsvFormat,
	doccanoFormat,
	labelStudioFormat,
	conllFormat,
];

/** The format with this id, or undefined. */
export function exchangeFormat(id: string): ExchangeFormat | undefined {
	return EXCHANGE_FORMATS.find((f) => f.id === id);
}

/** Registered format ids, e.g. for "unknown format; known: brat, conll". */
export function exchangeFormatIds(): ExchangeFormatId[] {
	return EXCHANGE_FORMATS.map((f) => f.id);
}

/** `  id            description` lines for `--help`. */
export function formatHelpLines(indent = '  '): string[] {
	const width = Math.max(0, ...EXCHANGE_FORMATS.map((f) => f.id.length)) + 2;
	return EXCHANGE_FORMATS.map((f) => `${indent}${f.id.padEnd(width)}${f.description}`);
}
