// Offline VS Code for tests and `npm start`: code-server from the npm registry
// (the real VS Code server + Node extension host) driven by Debian's Chromium.
//
//   ensureCodeServer()          install code-server into .vscode-test/code-server (idempotent)
//   startCodeServer({...})      start it on 127.0.0.1, returns { url, port, stop(), logTail() }
//   launchBrowser({...})        headless /usr/bin/chromium through playwright-core
//   workbenchUrl({...})         the URL that opens a folder (and optionally a test payload)
//
// As a script: `node test/runner/codeServer.mjs --install` only installs.
// Facts behind the choices: shared/notes/vscode-tests-offline.md.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Longest we let a browser context take to close before killing the browser outright. */
const CONTEXT_CLOSE_DEADLINE_MS = 5_000;

export const CODE_SERVER_VERSION = '4.100.3'; // = VS Code 1.100.3, requires Node 20
export const CODE_SERVER_NODE_MAJOR = 20;
// @vscode/ripgrep as pinned by code-server 4.100.3's lib/vscode/npm-shrinkwrap.json, and the
// release its lib/postinstall.js downloads (VERSION) — see lib/download.js for the cache path:
// path.join(os.tmpdir(), `vscode-ripgrep-cache-${packageVersion}`, `ripgrep-${VERSION}-${target}.tar.gz`)
const RIPGREP_PKG_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';
export const CHROMIUM_PATH = process.env.CORPUS_CHROMIUM || '/usr/bin/chromium';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VSCODE_TEST_DIR = path.join(PROJECT_ROOT, '.vscode-test');
export const CODE_SERVER_DIR = path.join(VSCODE_TEST_DIR, 'code-server');
const MARKER = path.join(CODE_SERVER_DIR, '.install-complete');
const ENTRY = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const VSCODE_LIB = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'lib', 'vscode');
const BUNDLED_RG = path.join(VSCODE_LIB, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');

const log = (msg) => console.log(`[code-server] ${msg}`);

// ---------------------------------------------------------------------------------------------
// Install
// ---------------------------------------------------------------------------------------------

function which(cmd) {
	for (const dir of (process.env.PATH || '').split(path.delimiter)) {
		if (!dir) continue;
		const p = path.join(dir, cmd);
		try {
			fs.accessSync(p, fs.constants.X_OK);
			if (fs.statSync(p).isFile()) return p;
		} catch {
			/* not here */
		}
	}
	return null;
}

function checkPrerequisites() {
	const problems = [];
	const nodeMajor = Number(process.versions.node.split('.')[0]);
	if (nodeMajor !== CODE_SERVER_NODE_MAJOR) {
		problems.push(
			`code-server@${CODE_SERVER_VERSION} needs Node ${CODE_SERVER_NODE_MAJOR}, this is Node ${process.versions.node}.`,
		);
	}
	if (!which('rg')) problems.push('`rg` is not on PATH (Debian package `ripgrep`).');
	if (!fs.existsSync('/usr/include/gssapi/gssapi.h')) {
		problems.push('gssapi/gssapi.h is missing (Debian package `libkrb5-dev`, needed to build `kerberos`).');
	}
	for (const tool of ['make', 'g++', 'python3', 'tar']) {
		if (!which(tool)) problems.push(`\`${tool}\` is not on PATH (needed by node-gyp / the install).`);
	}
	if (problems.length) {
		throw new Error(
			'Cannot install code-server:\n  - ' +
				problems.join('\n  - ') +
				'\nRun `bash .ci/run` (installs them) or: apt-get update && apt-get install -y chromium ripgrep libkrb5-dev build-essential python3',
		);
	}
}

function ripgrepTarget() {
	// Same mapping as @vscode/ripgrep's lib/postinstall.js getTarget() on Linux.
	const arch = process.env.npm_config_arch || os.arch();
	switch (arch) {
		case 'x64':
			return 'x86_64-unknown-linux-musl';
		case 'arm64':
			return 'aarch64-unknown-linux-musl';
		default:
			throw new Error(`No ripgrep cache recipe for arch ${arch}`);
	}
}

/** Build `$TMPDIR/vscode-ripgrep-cache-<ver>/ripgrep-<rel>-<target>.tar.gz` holding Debian's rg. */
function prepareRipgrepCache(tmpDir) {
	const rg = fs.realpathSync(which('rg'));
	const stage = path.join(tmpDir, 'rg-stage');
	fs.rmSync(stage, { recursive: true, force: true });
	fs.mkdirSync(stage, { recursive: true });
	fs.copyFileSync(rg, path.join(stage, 'rg'));
	fs.chmodSync(path.join(stage, 'rg'), 0o755);
	const cacheDir = path.join(tmpDir, `vscode-ripgrep-cache-${RIPGREP_PKG_VERSION}`);
	fs.mkdirSync(cacheDir, { recursive: true });
	const tarball = path.join(cacheDir, `ripgrep-${RIPGREP_RELEASE}-${ripgrepTarget()}.tar.gz`);
	execFileSync('tar', ['czf', tarball, '-C', stage, 'rg']);
	return tarball;
}

function isInstalled() {
	try {
		return (
			fs.readFileSync(MARKER, 'utf8').trim() === CODE_SERVER_VERSION &&
			fs.existsSync(ENTRY) &&
			fs.existsSync(BUNDLED_RG)
		);
	} catch {
		return false;
	}
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

async function withInstallLock(fn) {
	const lock = path.join(VSCODE_TEST_DIR, 'code-server.install.lock');
	fs.mkdirSync(VSCODE_TEST_DIR, { recursive: true });
	const deadline = Date.now() + 15 * 60_000;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
			let owner = 0;
			try {
				owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {
				/* being created or removed */
			}
			if (owner && !pidAlive(owner)) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) throw new Error(`Timed out waiting for install lock ${lock}`);
			await new Promise((r) => setTimeout(r, 500));
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

/**
 * Install code-server@CODE_SERVER_VERSION from npm into .vscode-test/code-server.
 * Instant when the marker of a complete install is present. Returns the install folder.
 */
export async function ensureCodeServer({ quiet = false } = {}) {
	if (isInstalled()) {
		if (!quiet) log(`code-server ${CODE_SERVER_VERSION} present in ${path.relative(PROJECT_ROOT, CODE_SERVER_DIR)}`);
		return CODE_SERVER_DIR;
	}
	return withInstallLock(async () => {
		if (isInstalled()) return CODE_SERVER_DIR; // another process finished it meanwhile
		checkPrerequisites();
		const started = Date.now();
		log(`installing code-server@${CODE_SERVER_VERSION} from npm into ${CODE_SERVER_DIR} (first time: about 1-3 min, native builds)`);
		fs.rmSync(MARKER, { force: true });
		fs.rmSync(path.join(CODE_SERVER_DIR, 'node_modules'), { recursive: true, force: true });
		fs.mkdirSync(CODE_SERVER_DIR, { recursive: true });
		fs.writeFileSync(
			path.join(CODE_SERVER_DIR, 'package.json'),
			JSON.stringify({ name: 'corpus-annotator-code-server', private: true, description: 'generated by test/runner/codeServer.mjs' }, null, 2) + '\n',
		);
		const tmpDir = path.join(VSCODE_TEST_DIR, 'install-tmp');
		fs.rmSync(tmpDir, { recursive: true, force: true });
		fs.mkdirSync(tmpDir, { recursive: true });
		const tarball = prepareRipgrepCache(tmpDir);
		log(`ripgrep cache from Debian's rg: ${path.relative(PROJECT_ROOT, tarball)}`);

		const logFile = path.join(VSCODE_TEST_DIR, 'code-server-install.log');
		const out = fs.openSync(logFile, 'w');
		const env = {
			...process.env,
			npm_config_unsafe_perm: 'true', // postinstall.sh refuses root without it
			npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`
			npm_config_fund: 'false',
			npm_config_audit: 'false',
			npm_config_update_notifier: 'false',
			TMPDIR: tmpDir, // @vscode/ripgrep finds Debian's rg in its download cache here
			TMP: tmpDir,
			TEMP: tmpDir,
		};
		const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
		const child = spawn(
			npm,
			['install', '--no-save', '--no-package-lock', '--omit=dev', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`],
			{ cwd: CODE_SERVER_DIR, env, stdio: ['ignore', out, out] },
		);
		const ticker = setInterval(() => {
			const last = tailLines(readTail(logFile, 4096), 1).trim().slice(0, 140);
			log(`… still installing (${Math.round((Date.now() - started) / 1000)} s)${last ? `: ${last}` : ''}`);
		}, 15_000);
		const code = await new Promise((resolve) => {
			child.on('error', (e) => {
				fs.writeSync(out, `\nspawn error: ${e.message}\n`);
				resolve(-1);
			});
			child.on('exit', (c, sig) => resolve(c ?? (sig ? 128 : -1)));
		});
		clearInterval(ticker);
		fs.closeSync(out);
		const fail = (why) => {
			console.error(tailLines(readTail(logFile, 64 * 1024), 60));
			throw new Error(`code-server install failed: ${why} (full log: ${logFile})`);
		};
		if (code !== 0) fail(`npm exited with ${code}`);
		if (!fs.existsSync(ENTRY)) fail(`${ENTRY} is missing`);
		if (!fs.existsSync(BUNDLED_RG)) fail(`bundled ripgrep ${BUNDLED_RG} is missing`);
		fs.rmSync(tmpDir, { recursive: true, force: true });
		fs.writeFileSync(MARKER, CODE_SERVER_VERSION + '\n');
		log(`installed code-server ${CODE_SERVER_VERSION} in ${Math.round((Date.now() - started) / 1000)} s`);
		return CODE_SERVER_DIR;
	});
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function readTail(file, bytes) {
	try {
		const fd = fs.openSync(file, 'r');
		try {
			const size = fs.fstatSync(fd).size;
			const len = Math.min(size, bytes);
			const buf = Buffer.alloc(len);
			fs.readSync(fd, buf, 0, len, size - len);
			return buf.toString('utf8');
		} finally {
			fs.closeSync(fd);
		}
	} catch {
		return '';
	}
}

function tailLines(text, n) {
	const lines = text.replace(/\s+$/, '').split('\n');
	return lines.slice(-n).join('\n');
}

export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

export function portIsFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.unref();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

function httpStatus(url, timeoutMs = 2000) {
	return new Promise((resolve) => {
		const req = http.get(url, { timeout: timeoutMs }, (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on('timeout', () => req.destroy());
		req.on('error', () => resolve(0));
	});
}

/** All descendants of `pid` (Linux /proc), deepest last. */
function descendants(pid) {
	const children = new Map();
	let entries = [];
	try {
		entries = fs.readdirSync('/proc');
	} catch {
		return [];
	}
	for (const e of entries) {
		if (!/^\d+$/.test(e)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (!children.has(ppid)) children.set(ppid, []);
			children.get(ppid).push(Number(e));
		} catch {
			/* gone */
		}
	}
	const out = [];
	const queue = [pid];
	while (queue.length) {
		const p = queue.shift();
		for (const c of children.get(p) || []) {
			out.push(c);
			queue.push(c);
		}
	}
	return out;
}

/** PIDs whose command line mentions `needle` (used with our own unique temp dirs only). */
export function pidsMentioning(needle) {
	const out = [];
	let entries = [];
	try {
		entries = fs.readdirSync('/proc');
	} catch {
		return out;
	}
	for (const e of entries) {
		if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
		try {
			if (fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(needle)) out.push(Number(e));
		} catch {
			/* gone */
		}
	}
	return out;
}

function groupAlive(pgid) {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

function killQuietly(target, signal) {
	try {
		process.kill(target, signal);
	} catch {
		/* already gone */
	}
}

/** Kill a detached child's process group plus any descendant that left it; sync variant for exit handlers. */
function killTreeSync(pid, extraNeedle) {
	const pids = new Set([...descendants(pid), ...(extraNeedle ? pidsMentioning(extraNeedle) : [])]);
	killQuietly(-pid, 'SIGKILL');
	killQuietly(pid, 'SIGKILL');
	for (const p of pids) killQuietly(p, 'SIGKILL');
}

async function killTree(pid, extraNeedle, graceMs = 3000) {
	const pids = new Set([...descendants(pid), ...(extraNeedle ? pidsMentioning(extraNeedle) : [])]);
	killQuietly(-pid, 'SIGTERM');
	for (const p of pids) killQuietly(p, 'SIGTERM');
	const deadline = Date.now() + graceMs;
	const anyAlive = () => groupAlive(pid) || [...pids].some(pidAlive);
	while (anyAlive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
	if (anyAlive()) {
		killQuietly(-pid, 'SIGKILL');
		for (const p of pids) killQuietly(p, 'SIGKILL');
		const d2 = Date.now() + 2000;
		while (anyAlive() && Date.now() < d2) await new Promise((r) => setTimeout(r, 50));
	}
}

function findFiles(dir, predicate, out = []) {
	let entries = [];
	try {
		entries = fs.readdirSync(dir, { withFileTypes: true });
	} catch {
		return out;
	}
	for (const e of entries) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) findFiles(p, predicate, out);
		else if (predicate(p)) out.push(p);
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------------------------

const liveServers = new Set();
const liveBrowsers = new Set();
function stopAllSync() {
	for (const b of liveBrowsers) b.closeSync();
	for (const s of liveServers) s.stopSync();
}
process.on('exit', stopAllSync);

// A signal ends a process without 'exit' when nobody listens: then kill what we started.
// When the importer has its own handler (runInCodeServer, mocha), it owns the exit and the
// 'exit' hook above does the sync clean-up.
let signalHooks = false;
function installSignalHooks() {
	if (signalHooks) return;
	signalHooks = true;
	for (const [sig, num] of [
		['SIGINT', 2],
		['SIGTERM', 15],
		['SIGHUP', 1],
	]) {
		process.on(sig, function onSignal() {
			if (process.listenerCount(sig) > 1) return;
			stopAllSync();
			process.exit(128 + num);
		});
	}
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
		ENTRY,
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
			liveServers.delete(server);
			killTreeSync(child.pid, tmpDir);
			removeTmp();
		},
	};
	liveServers.add(server);
	installSignalHooks();

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
			liveServers.delete(server);
			// logTail() reads from tmpDir: callers that want it must call it before stop().
			await killTree(child.pid, tmpDir);
			removeTmp();
		},
	});
}

// ---------------------------------------------------------------------------------------------
// Browser
// ---------------------------------------------------------------------------------------------

export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
];


/**
 * Headless Debian Chromium through playwright-core, fresh profile in a temp dir.
 * @param {object} [o]
 * @param {boolean} [o.headless] default true (CORPUS_HEADED=1 for a window)
 * @param {{width: number, height: number}} [o.viewport] default 1400x900
 * @returns {Promise<{context: import('playwright-core').BrowserContext,
 *   page: import('playwright-core').Page, newPage: () => Promise<import('playwright-core').Page>,
 *   userDataDir: string, close: () => Promise<void>, closeSync: () => void}>}
 */
export async function launchBrowser(o = {}) {
	if (!fs.existsSync(CHROMIUM_PATH)) {
		throw new Error(`${CHROMIUM_PATH} is missing: run \`bash .ci/run\` or apt-get install -y chromium`);
	}
	// playwright-core from the project's own node_modules (CommonJS).
	const { chromium } = createRequire(path.join(PROJECT_ROOT, 'package.json'))('playwright-core');
	const tmpDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'corpus-chromium-'));
	const userDataDir = path.join(tmpDir, 'profile');
	const home = path.join(tmpDir, 'home');
	await fsp.mkdir(home, { recursive: true });
	const headless = o.headless ?? process.env.CORPUS_HEADED !== '1';
	let context;
	try {
		context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM_PATH,
			headless,
			args: CHROMIUM_ARGS,
			viewport: o.viewport ?? { width: 1400, height: 900 },
			env: {
				...process.env,
				HOME: home,
				XDG_CONFIG_HOME: path.join(home, '.config'),
				XDG_CACHE_HOME: path.join(home, '.cache'),
				XDG_DATA_HOME: path.join(home, '.local', 'share'),
			},
			timeout: 60_000,
			// Playwright's own handlers would exit(130) before the caller has cleaned up; ours
			// (installSignalHooks + the 'exit' hook) kill Chromium by its profile dir instead.
			handleSIGINT: false,
			handleSIGTERM: false,
			handleSIGHUP: false,
		});
	} catch (e) {
		for (const p of pidsMentioning(tmpDir)) killQuietly(p, 'SIGKILL');
		fs.rmSync(tmpDir, { recursive: true, force: true });
		throw new Error(`could not start ${CHROMIUM_PATH}: ${e.message}`);
	}
	let closed = false;
	const browser = {
		closeSync() {
			if (closed) return;
			closed = true;
			liveBrowsers.delete(browser);
			for (const p of pidsMentioning(tmpDir)) killQuietly(p, 'SIGKILL');
			try {
				fs.rmSync(tmpDir, { recursive: true, force: true });
			} catch {
				/* best effort */
			}
		},
	};
	liveBrowsers.add(browser);
	installSignalHooks();
	const page = context.pages()[0] ?? (await context.newPage());
	return Object.assign(browser, {
		context,
		page,
		userDataDir,
		newPage: () => context.newPage(),
		async close() {
			if (closed) return;
			// A deadline, not a wait: closing normally takes milliseconds; a hung close must not stall clean-up.
			await Promise.race([context.close().catch(() => {}), new Promise((r) => setTimeout(r, CONTEXT_CLOSE_DEADLINE_MS))]);
			browser.closeSync(); // kills anything left that used our profile dir, removes it
		},
	});
}

// ---------------------------------------------------------------------------------------------
// CLI: node test/runner/codeServer.mjs --install
// ---------------------------------------------------------------------------------------------

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const args = process.argv.slice(2);
	if (args.includes('--install')) {
		ensureCodeServer()
			.then(() => process.exit(0))
			.catch((e) => {
				console.error(`[code-server] ${e.message}`);
				process.exit(1);
			});
	} else {
		console.error('usage: node test/runner/codeServer.mjs --install');
		process.exit(64);
	}
}

