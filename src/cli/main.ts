#!/usr/bin/env node
import { fileError, NodeFileError } from '../node/fileErrors';
import { CliError, type CliIo } from './cliTypes';
import { commands } from './commandList';

function usage(): string {
	const lines = ['Usage: corpus-annotator <command> [options]', '', 'Commands:'];
	for (const command of commands) {
		lines.push(`  ${command.name.padEnd(14)} ${command.summary}`);
	}
	lines.push('', 'Run `corpus-annotator <command> --help` for the options of one command.');
	return lines.join('\n') + '\n';
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
	const [name, ...rest] = argv;
	if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
		io.out(usage());
		return name === undefined ? 1 : 0;
	}
	const command = commands.find((c) => c.name === name);
	if (!command) {
		io.err(`corpus-annotator: unknown command "${name}"\n\n${usage()}`);
		return 1;
	}
	if (rest.includes('--help') || rest.includes('-h')) {
		io.out(`Usage: corpus-annotator ${command.usage}\n`);
		return 0;
	}
	try {
		return await command.run(rest, io);
	} catch (error) {
		const message = failureMessage(error);
		if (message === undefined) {
			throw error;
		}
		io.err(`corpus-annotator ${name}: ${message}\n`);
		return (error instanceof CliError ? error.exitCode : undefined) ?? command.failureExitCode ?? 1;
	}
}

/**
 * The line to print for a failure the user can act on (bad arguments, a file that cannot be
 * read, a failed system call), or undefined for anything else: a bug, shown with its stack.
 */
export function failureMessage(error: unknown): string | undefined {
	if (error instanceof CliError || error instanceof NodeFileError) {
		return error.message;
	}
	if (isSystemError(error)) {
		// Node's own wording starts with the raw code ("ENOENT: no such file or directory, open …").
		const readable = error.path === undefined ? error.message : fileError(error, error.path).message;
		return readable.replace(/(^|: )E[A-Z0-9]+: /, '$1');
	}
	return undefined;
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
	return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * When the reader of `stream` goes away (`corpus-annotator entities … | head -1`), exits at once
 * and quietly with 0: the reader has what it wanted and the rest of the output has nowhere to go.
 * Any other failure of the stream is reported on `report` and exits 2.
 */
export function exitWhenReaderCloses(stream: NodeJS.EventEmitter, exit: (code: number) => void, report: (text: string) => void): void {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE') {
			report(`corpus-annotator: cannot write the output: ${failureMessage(error) ?? error.message}\n`);
		}
		exit(error.code === 'EPIPE' ? 0 : 2);
	});
}

if (require.main === module) {
	const exit = (code: number): never => process.exit(code);
	const report = (text: string): void => {
		process.stderr.write(text);
	};
	exitWhenReaderCloses(process.stdout, exit, report);
	exitWhenReaderCloses(process.stderr, exit, () => undefined);
	const io: CliIo = {
		cwd: process.cwd(),
		out: (text) => process.stdout.write(text),
		err: (text) => process.stderr.write(text),
	};
	main(process.argv.slice(2), io).then(
		(code) => {
			process.exitCode = code;
		},
		(error: unknown) => {
			process.stderr.write(`corpus-annotator: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
			process.exitCode = 2;
		},
	);
}
