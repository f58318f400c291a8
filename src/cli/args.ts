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

export function numberOption(parsed: ParsedArgs, name: string): number | undefined {
	const value = stringOption(parsed, name);
	if (value === undefined) {
		return undefined;
	}
	const n = Number(value);
	if (!Number.isFinite(n)) {
		throw new CliError(`option --${name} must be a number, got "${value}"`);
	}
	return n;
}
