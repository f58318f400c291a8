import { execFile } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The nearest `.corpus/<name>` in `dir` or an ancestor folder, if any. With `stopAt` (the
 * extension passes its workspace folder) the search does not go above that folder; a `dir`
 * outside `stopAt` is searched on its own only.
 */
export async function findWorkspaceFile(dir: string, name: string, stopAt?: string): Promise<string | undefined> {
	const stop = stopAt === undefined ? undefined : path.resolve(stopAt);
	for (let current = path.resolve(dir); ; current = path.dirname(current)) {
		const candidate = path.join(current, '.corpus', name);
		try {
			await fs.access(candidate);
			return candidate;
		} catch {
			// keep looking upwards
		}
		if (current === stop || path.dirname(current) === current || (stop !== undefined && !isInside(current, stop))) {
			return undefined;
		}
	}
}

function isInside(child: string, parent: string): boolean {
	const relative = path.relative(parent, child);
	return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** git's `user.name` for `dir`, or undefined when git is missing or has none. */
export function gitUserName(dir: string | undefined): Promise<string | undefined> {
	return new Promise((resolve) => {
		execFile('git', ['config', 'user.name'], { cwd: dir, timeout: 3000, windowsHide: true }, (error, stdout) => resolve(error ? undefined : stdout.trim() || undefined));
	});
}

/** The operating-system user, or `unknown` where the system cannot say (no passwd entry). */
export function systemUserName(): string {
	try {
		return os.userInfo().username;
	} catch {
		return 'unknown';
	}
}

/** Who writes new annotations from the command line: git's `user.name` for `dir`, else the operating-system user. */
export async function defaultAuthor(dir: string): Promise<string> {
	return (await gitUserName(dir)) ?? systemUserName();
}
