import { spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A fresh temp folder per test, removed afterwards. */
export function useTempFolder(prefix: string): () => string {
	let dir = '';
	beforeEach(async () => {
		dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
	});
	afterEach(async () => {
		await fs.rm(dir, { recursive: true, force: true });
	});
	return () => dir;
}

/** The pid of a process that has run and exited (and been reaped), so it is not alive. */
export function deadPid(): number {
	const pid = spawnSync(process.execPath, ['-e', '']).pid;
	if (!pid) {
		throw new Error('could not start a process to get a dead pid');
	}
	return pid;
}

/** Names in `dir` that look like temp or lock files. */
export async function litter(dir: string): Promise<string[]> {
	return (await fs.readdir(dir)).filter((name) => name.endsWith('.tmp') || name.endsWith('.lock'));
}
