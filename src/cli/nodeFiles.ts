import { execFile } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliError } from './cliTypes';

/** Reads a UTF-8 text file; invalid bytes are an error, not silently replaced. */
export async function readUtf8(file: string, what = 'file'): Promise<string> {
	let bytes: Uint8Array;
	try {
		bytes = await fs.readFile(file);
	} catch (error) {
		throw new CliError(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
	}
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		throw new CliError(`${what} ${file} is not valid UTF-8`);
	}
}

/** The text of a file, or undefined when it does not exist. */
export async function readUtf8IfExists(file: string, what = 'file'): Promise<string | undefined> {
	try {
		await fs.access(file);
	} catch {
		return undefined;
	}
	return readUtf8(file, what);
}

/** Writes via a temporary sibling and an atomic rename: readers never see half a file. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
	const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
	await fs.writeFile(temp, text, 'utf8');
	try {
		await fs.rename(temp, file);
	} catch (error) {
		await fs.rm(temp, { force: true });
		throw error;
	}
}

/** The nearest `.corpus/<name>` in `dir` or an ancestor folder, if any. */
export async function findWorkspaceFile(dir: string, name: string): Promise<string | undefined> {
	for (let current = path.resolve(dir); ; current = path.dirname(current)) {
		const candidate = path.join(current, '.corpus', name);
		try {
			await fs.access(candidate);
			return candidate;
		} catch {
			// keep looking upwards
		}
		if (path.dirname(current) === current) {
			return undefined;
		}
	}
}

/** git's user.name for `dir`, else the operating-system user. */
export function defaultAuthor(dir: string): Promise<string> {
	return new Promise((resolve) => {
		execFile('git', ['config', 'user.name'], { cwd: dir, timeout: 3000 }, (error, stdout) => {
			const name = error ? '' : stdout.trim();
			resolve(name || safeUserName());
		});
	});
}

function safeUserName(): string {
	try {
		return os.userInfo().username;
	} catch {
		return 'unknown';
	}
}
