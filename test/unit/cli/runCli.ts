import type { CliIo } from '../../../src/cli/cliTypes';
import { main } from '../../../src/cli/main';

export interface CliRun {
	readonly code: number;
	readonly out: string;
	readonly err: string;
}

/** Runs `corpus-annotator ARGS…` in-process in `cwd`, collecting its output. */
export async function runCli(cwd: string, ...args: string[]): Promise<CliRun> {
	let out = '';
	let err = '';
	const io: CliIo = { cwd, out: (t) => (out += t), err: (t) => (err += t) };
	const code = await main(args, io);
	return { code, out, err };
}
