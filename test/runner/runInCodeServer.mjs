// `npm run test:integration`: runs the mocha integration suite (out/test/integration/index.js)
// inside a real VS Code (code-server 4.100.3, Node extension host), offline, driven by headless
// Debian Chromium.
//
// Exit code: 0 tests passed, 1 tests failed / suite failed to load / setup failed,
//            2 overall timeout (CORPUS_TEST_TIMEOUT_MS, default 180000).
//
// Options (defaults are the project's own):
//   --extension <dir>   extensionDevelopmentPath            (default: project root)
//   --tests <module>    extensionTestsPath, without .js      (default: out/test/integration/index)
//   --workspace <dir>   fixture folder, copied to a temp dir (default: test/fixtures/workspace)
//   --git               make the copy a git repository with every file committed (how teams keep a corpus)
//   --suites <names>    only these suites (comma-separated; e.g. `session` runs test/integration/session/)
// Env: CORPUS_TEST_TIMEOUT_MS, CORPUS_TEST_VERBOSE=1 (browser console), CORPUS_HEADED=1.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { format, parseArgs } from 'node:util';
import { PROJECT_ROOT, ensureCodeServer, launchBrowser, runnerExit, startCodeServer } from './codeServer.mjs';

const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const say = (msg) => console.log(`[integration] ${msg}`);

const { values: opts } = parseArgs({
	options: {
		extension: { type: 'string', default: PROJECT_ROOT },
		tests: { type: 'string', default: path.join(PROJECT_ROOT, 'out', 'test', 'integration', 'index') },
		workspace: { type: 'string', default: path.join(PROJECT_ROOT, 'test', 'fixtures', 'workspace') },
		git: { type: 'boolean', default: false },
		suites: { type: 'string' },
	},
});
const extensionPath = path.resolve(opts.extension);
const testsPath = path.resolve(opts.tests).replace(/\.js$/, '');
const fixturePath = path.resolve(opts.workspace);
const timeoutMs = Number(process.env.CORPUS_TEST_TIMEOUT_MS || 180_000);
const verbose = process.env.CORPUS_TEST_VERBOSE === '1';

// Workbench chatter that reaches codeAutomationLog on every run (shown with CORPUS_TEST_VERBOSE=1).
const WORKBENCH_NOISE = [
	/^Resolv(ing|ed) connection token/,
	/^Creating a socket \(/,
	/^Ignoring fetching additional builtin extensions/,
	/^Updating additional builtin extensions cache/,
	/^\[Service Worker\]/,
	/^ChatSessionStore: /,
];

let server;
let browser;
let workspaceCopy;

const { finish, signalled } = runnerExit({
	async cleanup() {
		await browser?.close().catch(() => {});
		await server?.stop().catch(() => {});
		if (workspaceCopy) await fsp.rm(path.dirname(workspaceCopy), { recursive: true, force: true }).catch(() => {});
	},
	onSignal: (sig) => say(`${sig}: stopping code-server and Chromium`),
	done: (code) => say(`done in ${secs()}, exit ${code}`),
});

/** `git init` + commit of every file, with a fixed identity (no global git config is read or needed). */
function commitEverything(dir) {
	const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_SYSTEM: '/dev/null' } });
	git('init', '-q', '-b', 'main');
	git('config', 'user.name', 'Analist');
	git('config', 'user.email', 'analist@example.org');
	git('config', 'commit.gpgsign', 'false');
	git('add', '-A');
	git('commit', '-q', '-m', 'Corpus as committed by the team');
	say(`workspace copy is a git repository: ${git('rev-parse', '--short', 'HEAD').toString().trim()}`);
}

function preflight() {
	const missing = [];
	const pkg = JSON.parse(fs.readFileSync(path.join(extensionPath, 'package.json'), 'utf8'));
	const main = pkg.main && path.resolve(extensionPath, pkg.main);
	if (main && !fs.existsSync(main) && !fs.existsSync(`${main}.js`)) missing.push(`${main} (run \`npm run build\`)`);
	if (!fs.existsSync(`${testsPath}.js`)) missing.push(`${testsPath}.js (run \`npm run compile-tests\`)`);
	if (!fs.existsSync(fixturePath)) missing.push(`${fixturePath} (the fixture workspace)`);
	if (missing.length) throw new Error(`missing:\n  - ${missing.join('\n  - ')}`);
}

async function main() {
	try {
		preflight();
		await ensureCodeServer();
	} catch (e) {
		console.error(`[integration] ${e.message}`);
		return finish(1);
	}

	let timer;
	const timedOut = new Promise((resolve) => {
		timer = setTimeout(() => resolve('timeout'), timeoutMs);
	});
	const browserLog = [];

	const run = (async () => {
		const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'corpus-it-'));
		workspaceCopy = path.join(tmp, path.basename(fixturePath));
		await fsp.cp(fixturePath, workspaceCopy, { recursive: true });
		if (opts.git) commitEverything(workspaceCopy);
		// Read by test/integration/index.ts in the extension host (it inherits code-server's environment).
		if (opts.suites) process.env.CORPUS_TEST_SUITES = opts.suites;

		server = await startCodeServer({
			workspace: workspaceCopy,
			extensionDevelopmentPath: extensionPath,
			extensionTestsPath: testsPath,
		});
		say(`code-server on ${server.baseUrl} (${secs()}), workspace ${workspaceCopy}`);

		browser = await launchBrowser();
		let resolveExit;
		const exitCode = new Promise((r) => (resolveExit = r));
		// Both hooks must exist before the workbench loads: it looks them up at start.
		await browser.context.exposeFunction('codeAutomationLog', (type, args) => {
			// Args are console.log's: printf-style (mocha's reporters use '%s', '%d').
			const line = format(...(Array.isArray(args) ? args : [args]));
			if (!verbose && WORKBENCH_NOISE.some((re) => re.test(line))) return;
			process.stdout.write(`${line}\n`);
		});
		await browser.context.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
		const { page } = browser;
		page.on('console', (m) => {
			const line = `[browser ${m.type()}] ${m.text()}`;
			if (verbose) console.error(line);
			// For the failure report keep the workbench's own errors and warnings; lines starting
			// with %c are the extension host's output, already printed through codeAutomationLog.
			if ((m.type() === 'error' || m.type() === 'warning') && !m.text().startsWith('%c')) browserLog.push(line);
		});
		page.on('pageerror', (err) => {
			const line = `[browser pageerror] ${err.message}`;
			browserLog.push(line);
			if (verbose) console.error(line);
		});
		const crashed = new Promise((resolve) => {
			page.on('crash', () => resolve('browser crashed'));
			page.on('close', () => resolve('browser page closed'));
			browser.context.on('close', () => resolve('browser closed'));
		});
		const serverDied = server.exited.then((c) => `code-server exited with ${c}`);

		say(`opening the workbench in headless Chromium (${secs()})`);
		await page.goto(server.url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
		return Promise.race([exitCode, crashed, serverDied]);
	})().catch((e) => `setup failed: ${e.stack || e.message}`);

	const outcome = await Promise.race([run, timedOut]);
	clearTimeout(timer);
	if (signalled() !== undefined) return finish(signalled());

	const diagnose = () => {
		if (server) {
			try {
				console.error(server.logTail(60));
			} catch {
				/* temp dir gone */
			}
		}
		if (browserLog.length) {
			console.error('--- browser console errors and warnings (last 40) ---');
			console.error(browserLog.slice(-40).join('\n'));
		}
	};

	// The extension silently not loading is the classic cause of a confusing run: say it loudly.
	const loadProblems = (() => {
		try {
			return server?.grepLogs(/Extension is not compatible|Activating extension .* failed|Cannot activate|extension host terminated/i) ?? [];
		} catch {
			return [];
		}
	})();
	for (const line of loadProblems) console.error(`[integration] WARNING from the server logs: ${line}`);

	if (outcome === 'timeout') {
		console.error(`[integration] TIMEOUT: no result after ${timeoutMs} ms (CORPUS_TEST_TIMEOUT_MS)`);
		diagnose();
		return finish(2);
	}
	if (outcome === 0) {
		say(`integration tests passed (${secs()})`);
		return finish(0);
	}
	if (typeof outcome === 'number') {
		console.error(`[integration] FAILED: the test run ended with code ${outcome}`);
	} else {
		console.error(`[integration] FAILED: ${outcome}`);
	}
	diagnose();
	return finish(1);
}

main().catch(async (e) => {
	console.error(`[integration] ${e.stack || e.message}`);
	await finish(1);
});
