/** What a command-line subcommand gets from the host: streams and the working directory. */
export interface CliIo {
	readonly cwd: string;
	out(text: string): void;
	err(text: string): void;
}

/** One `corpus-annotator <name>` subcommand. `run` returns the process exit code. */
export interface CliCommand {
	readonly name: string;
	readonly summary: string;
	readonly usage: string;
	run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Thrown for bad arguments or unreadable input: printed as `corpus-annotator: <message>`, exit 1 (or `exitCode`). */
export class CliError extends Error {
	constructor(
		message: string,
		readonly exitCode = 1,
	) {
		super(message);
	}
}
