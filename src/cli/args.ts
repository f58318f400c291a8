import * as os from 'os';
import { CliError } from './cliTypes';

/** Parsed `--flag value` / `--switch` options and positional arguments. */
export interface ParsedArgs {
	readonly positional: string[];
	readonly options: Map<string, string | true>;
}

/**
 * Minimal long-option parser. `valueOptions` lists the flags that take a value;
 * every other `--flag` is a boolean switch. Unknown flags are an error so typos do not pass silently.
 */
export function parseArgs(
	args: readonly string[],
	valueOptions: readonly string[],
	switches: readonly string[] = [],
): ParsedArgs {
	const positional: string[] = [];
	const options = new Map<string, string | true>();
	for (let i = 0; i < args.length; i++) {
		const arg = args[i];
		if (arg === '--') {
			positional.push(...args.slice(i + 1));
			break;
		}
		if (!arg.startsWith('--')) {
			positional.push(arg);
			continue;
		}
		const eq = arg.indexOf('=');
		const name = arg.slice(2, eq === -1 ? undefined : eq);
		if (valueOptions.includes(name)) {
			const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
			if (value === undefined) {
				throw new CliError(`option --${name} needs a value`);
			}
			options.set(name, value);
		} else if (switches.includes(name)) {
			options.set(name, true);
		} else {
			throw new CliError(`unknown option --${name}`);
		}
	}
	return { positional, options };
}

export function stringOption(parsed: ParsedArgs, name: string): string | undefined {
	const value = parsed.options.get(name);
	return typeof value === 'string' ? value : undefined;
}

/**
 * A whole-number option written in plain decimal digits (`--start 16`, `--seed -3`). Everything
 * `Number()` would also accept is refused, because it reads as a different number than the one
 * meant: `""` (0), `0x10` (16), `1e3`, `-0`, ` 5`, `+5`, `1.0`, and leading zeros (`010`, octal in
 * many tools). Numbers beyond 2^53 are refused too: they cannot be represented exactly.
 */
export function integerOption(parsed: ParsedArgs, name: string): number | undefined {
	const value = stringOption(parsed, name);
	if (value === undefined) {
		return undefined;
	}
	if (!DECIMAL_INTEGER.test(value)) {
		throw new CliError(`option --${name} must be a whole number in decimal digits (like 0, 16 or -3), got ${JSON.stringify(value)}`);
	}
	const n = Number(value);
	if (!Number.isSafeInteger(n)) {
		throw new CliError(`option --${name} is too large: ${value}`);
	}
	return n;
}

/** `--jobs N` (worker threads, N ≥ 1); without it, the number of cores. */
export function jobsOption(parsed: ParsedArgs, exitCode?: number): number {
	const text = stringOption(parsed, 'jobs');
	if (text !== undefined && !/^[1-9][0-9]*$/.test(text)) {
		throw new CliError(`--jobs must be a whole number ≥ 1, got ${JSON.stringify(text)}`, exitCode);
	}
	return text === undefined ? os.availableParallelism() : Number(text);
}

/** `0`, or an optional minus and digits without a leading zero (so not `-0`). */
const DECIMAL_INTEGER = /^(?:0|-?[1-9][0-9]*)$/;
