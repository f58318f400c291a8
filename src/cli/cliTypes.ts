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
	/**
	 * Exit code when the command fails (bad arguments, a file it cannot read or write); default 1.
	 * Commands for which 1 is a finding (check: problems, diff: changes, merge-driver: conflicts) set 2.
	 */
	readonly failureExitCode?: number;
	run(args: readonly string[], io: CliIo): Promise<number>;
}

/**
 * Thrown for bad arguments or unreadable input: printed as `corpus-annotator <command>: <message>`.
 * Exits with `exitCode`, or without one with the command's {@link CliCommand.failureExitCode}.
 */
export class CliError extends Error {
	constructor(
		message: string,
		readonly exitCode?: number,
	) {
		super(message);
	}
}
