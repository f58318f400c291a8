#!/usr/bin/env node
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
		if (error instanceof CliError) {
			io.err(`corpus-annotator ${name}: ${error.message}\n`);
			return error.exitCode;
		}
		throw error;
	}
}

if (require.main === module) {
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
