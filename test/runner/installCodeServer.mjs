// Installs code-server (the real VS Code server and Node extension host) from the npm registry
// into .vscode-test/code-server, offline apart from npm: Debian's rg stands in for the ripgrep
// download. Idempotent and safe to run from several processes at once (an install lock).
// Facts behind the choices: shared/notes/vscode-tests-offline.md.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, VSCODE_TEST_DIR } from './paths.mjs';
import { pidAlive, readTail, tailLines } from './system.mjs';

export const CODE_SERVER_VERSION = '4.100.3'; // = VS Code 1.100.3, requires Node 20
export const CODE_SERVER_NODE_MAJOR = 20;
// @vscode/ripgrep as pinned by code-server 4.100.3's lib/vscode/npm-shrinkwrap.json, and the
// release its lib/postinstall.js downloads (VERSION) — see lib/download.js for the cache path:
// path.join(os.tmpdir(), `vscode-ripgrep-cache-${packageVersion}`, `ripgrep-${VERSION}-${target}.tar.gz`)
const RIPGREP_PKG_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';

export const CODE_SERVER_DIR = path.join(VSCODE_TEST_DIR, 'code-server');
const MARKER = path.join(CODE_SERVER_DIR, '.install-complete');
/** code-server's Node entry point, as `startCodeServer` runs it. */
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const VSCODE_LIB = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'lib', 'vscode');
const BUNDLED_RG = path.join(VSCODE_LIB, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');

const log = (msg) => console.log(`[code-server] ${msg}`);

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
			fs.existsSync(CODE_SERVER_ENTRY) &&
			fs.existsSync(BUNDLED_RG)
		);
	} catch {
		return false;
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
			JSON.stringify({ name: 'corpus-annotator-code-server', private: true, description: 'generated by test/runner/installCodeServer.mjs' }, null, 2) + '\n',
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
		if (!fs.existsSync(CODE_SERVER_ENTRY)) fail(`${CODE_SERVER_ENTRY} is missing`);
		if (!fs.existsSync(BUNDLED_RG)) fail(`bundled ripgrep ${BUNDLED_RG} is missing`);
		fs.rmSync(tmpDir, { recursive: true, force: true });
		fs.writeFileSync(MARKER, CODE_SERVER_VERSION + '\n');
		log(`installed code-server ${CODE_SERVER_VERSION} in ${Math.round((Date.now() - started) / 1000)} s`);
		return CODE_SERVER_DIR;
	});
}
