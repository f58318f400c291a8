// Starts code-server on 127.0.0.1 for a run: throw-away home, profile and extensions folders, no
// marketplace, its whole process tree stopped at the end (or when the run dies), and the URL of
// the workbench for a folder with the extension under development or test.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stopOnExit } from './exitHandling.mjs';
import { CODE_SERVER_ENTRY, ensureCodeServer } from './installCodeServer.mjs';
import { findFiles, freePort, httpStatus, killTree, killTreeSync, readTail, tailLines } from './system.mjs';

/**
 * URL of the workbench for `folder`. With `extensionDevelopmentPath` (and optionally
 * `extensionTestsPath`, a module path without `.js`), the payload loads the extension under
 * development (and runs its tests) in the server's extension host.
 */
export function workbenchUrl({ port, folder, extensionDevelopmentPath, extensionTestsPath }) {
	const base = `http://127.0.0.1:${port}/`;
	const params = [];
	if (folder) params.push(`folder=${encodeURIComponent(path.resolve(folder)).replace(/%2F/g, '/')}`);
	const remote = (p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
	const payload = [];
	if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
	if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
	if (payload.length) params.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
	return base + (params.length ? `?${params.join('&')}` : '');
}

/**
 * Start code-server detached on 127.0.0.1.
 * @param {object} o
 * @param {string} [o.workspace]  folder the returned `url` opens
 * @param {string} [o.extensionDevelopmentPath]  added to the URL's payload
 * @param {string} [o.extensionTestsPath]  added to the URL's payload
 * @param {number} [o.port]  default: a free port
 * @param {string} [o.userDataDir]  default: throw-away (a given one is kept)
 * @param {{id: string, path: string}[]} [o.linkExtensions]  symlinked into the extensions dir as <id>
 * @param {number} [o.startTimeoutMs]  default 60000
 * @returns {Promise<{url: string, baseUrl: string, port: number, pid: number, tmpDir: string,
 *   userDataDir: string, extensionsDir: string, logFile: string,
 *   urlFor: (o: object) => string, stop: () => Promise<void>, stopSync: () => void,
 *   logTail: (lines?: number) => string, grepLogs: (re: RegExp) => string[],
 *   exited: Promise<number|null>}>}
 */
export async function startCodeServer(o = {}) {
	await ensureCodeServer({ quiet: true });
	const port = o.port ?? (await freePort());
	const tmpDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'corpus-code-server-'));
	const dirs = {
		home: path.join(tmpDir, 'home'),
		config: path.join(tmpDir, 'xdg-config'),
		data: path.join(tmpDir, 'xdg-data'),
		cache: path.join(tmpDir, 'xdg-cache'),
		extensions: path.join(tmpDir, 'extensions'),
		userData: o.userDataDir ? path.resolve(o.userDataDir) : path.join(tmpDir, 'user-data'),
	};
	for (const d of Object.values(dirs)) await fsp.mkdir(d, { recursive: true });
	for (const ext of o.linkExtensions || []) {
		await fsp.symlink(path.resolve(ext.path), path.join(dirs.extensions, ext.id), 'dir');
	}
	const logFile = path.join(tmpDir, 'code-server.log');
	const out = fs.openSync(logFile, 'a');
	const env = {
		...process.env,
		EXTENSIONS_GALLERY: '{}', // no marketplace look-ups
		VSCODE_CLI: '1', // skip sourcing the login shell
		HOME: dirs.home,
		XDG_CONFIG_HOME: dirs.config,
		XDG_DATA_HOME: dirs.data,
		XDG_CACHE_HOME: dirs.cache,
		TMPDIR: tmpDir,
	};
	delete env.PASSWORD;
	delete env.HASHED_PASSWORD;
	delete env.VSCODE_IPC_HOOK_CLI;
	delete env.PORT; // code-server lets $PORT override --bind-addr
	const args = [
		CODE_SERVER_ENTRY,
		'--bind-addr',
		`127.0.0.1:${port}`,
		'--auth',
		'none',
		'--user-data-dir',
		dirs.userData,
		'--extensions-dir',
		dirs.extensions,
		'--disable-telemetry',
		'--disable-update-check',
		'--disable-workspace-trust',
		'--disable-getting-started-override',
		'--ignore-last-opened',
	];
	const child = spawn(process.execPath, args, {
		cwd: tmpDir,
		env,
		detached: true, // own process group: stop() kills server, extension host, pty host, watcher
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	const exited = new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 128 : null))));
	let exitCode;
	exited.then((c) => (exitCode = c));
	child.on('error', () => {});

	let stopped = false;
	const removeTmp = () => {
		try {
			fs.rmSync(tmpDir, { recursive: true, force: true, maxRetries: 3 });
		} catch {
			/* best effort */
		}
	};
	const server = {
		stopSync() {
			if (stopped) return;
			stopped = true;
			release();
			killTreeSync(child.pid, tmpDir);
			removeTmp();
		},
	};
	const release = stopOnExit(() => server.stopSync());

	const logTail = (lines = 60) => {
		const parts = [`--- code-server output (${logFile}) ---`, tailLines(readTail(logFile, 32 * 1024), lines)];
		// Server/extension-host logs: "Extension is not compatible", activation errors.
		const logsDir = path.join(dirs.userData, 'logs');
		const files = findFiles(logsDir, (p) => /(remoteagent|exthost|remoteexthost|main|server)\.log$/i.test(path.basename(p)))
			.map((p) => ({ p, t: fs.statSync(p).mtimeMs }))
			.sort((a, b) => a.t - b.t)
			.slice(-4);
		for (const { p } of files) {
			const text = tailLines(readTail(p, 32 * 1024), lines);
			if (text.trim()) parts.push(`--- ${path.relative(dirs.userData, p)} ---`, text);
		}
		return parts.join('\n');
	};

	/** Matching lines (deduplicated) from code-server's output and all its log files. */
	const grepLogs = (re) => {
		const files = [logFile, ...findFiles(path.join(dirs.userData, 'logs'), (p) => p.endsWith('.log'))];
		const seen = new Set();
		for (const f of files) {
			for (const line of readTail(f, 1024 * 1024).split('\n')) {
				if (!re.test(line)) continue;
				seen.add(
					line
						.replace(/^\d{4}-\d\d-\d\d [\d:.]+ /, '')
						.replace(/^\[[\d:]+\] /, '')
						.replace(/^\[(error|warning|info|debug|trace)\] /, '')
						.trim(),
				);
			}
		}
		return [...seen];
	};

	// Wait until HTTP answers (or the process dies, or the deadline passes).
	const deadline = Date.now() + (o.startTimeoutMs ?? 60_000);
	const health = `http://127.0.0.1:${port}/healthz`;
	for (;;) {
		if (exitCode !== undefined) {
			const tail = logTail();
			server.stopSync();
			throw new Error(`code-server exited with ${exitCode} before answering on port ${port}\n${tail}`);
		}
		const status = await httpStatus(health);
		if (status >= 200 && status < 500) break;
		if (Date.now() > deadline) {
			const tail = logTail();
			server.stopSync();
			throw new Error(`code-server did not answer on ${health} within ${o.startTimeoutMs ?? 60_000} ms\n${tail}`);
		}
		await new Promise((r) => setTimeout(r, 150));
	}

	const urlFor = (u) => workbenchUrl({ port, ...u });
	return Object.assign(server, {
		port,
		pid: child.pid,
		tmpDir,
		userDataDir: dirs.userData,
		extensionsDir: dirs.extensions,
		logFile,
		baseUrl: `http://127.0.0.1:${port}/`,
		url: urlFor({
			folder: o.workspace,
			extensionDevelopmentPath: o.extensionDevelopmentPath,
			extensionTestsPath: o.extensionTestsPath,
		}),
		urlFor,
		logTail,
		grepLogs,
		exited,
		async stop() {
			if (stopped) return;
			stopped = true;
			release();
			// logTail() reads from tmpDir: callers that want it must call it before stop().
			await killTree(child.pid, tmpDir);
			removeTmp();
		},
	});
}
