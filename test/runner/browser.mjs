// Debian's Chromium (never a downloaded browser) through playwright-core, with a fresh profile
// in a temp folder that goes, with every process that used it, when the run ends.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { stopOnExit } from './exitHandling.mjs';
import { PROJECT_ROOT } from './paths.mjs';
import { killQuietly, pidsMentioning } from './system.mjs';

export const CHROMIUM_PATH = process.env.CORPUS_CHROMIUM || '/usr/bin/chromium';
/** Longest we let a browser context take to close before killing the browser outright. */
const CONTEXT_CLOSE_DEADLINE_MS = 5_000;

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
			// (exitHandling.mjs) kill Chromium by its profile dir instead.
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
			release();
			for (const p of pidsMentioning(tmpDir)) killQuietly(p, 'SIGKILL');
			try {
				fs.rmSync(tmpDir, { recursive: true, force: true });
			} catch {
				/* best effort */
			}
		},
	};
	const release = stopOnExit(() => browser.closeSync());
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
