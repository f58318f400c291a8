// `npm run test:ui`: browser UI tests (test/ui/uiTests.mjs) against the real VS Code workbench
// (code-server 4.100.3) in headless Debian Chromium, on a temp copy of sample-corpus/.
// `npm run screenshots` (= this with --screenshots): regenerates media/screenshots/*.png instead
// (test/ui/screenshots.mjs).
//
// Prints "N passed, N failed"; exit 0 all passed, 1 a test failed or setup failed, 2 overall
// timeout (CORPUS_UI_TIMEOUT_MS, default 300000). A failing test leaves a screenshot in
// test-results/. Needs `npm run build` first (npm test's pretest does it).
//   --screenshots     regenerate the README pictures
//   --grep <text>     only tests whose name contains <text>

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT, openWorkbench, screenshot } from './workbench.mjs';
import { runnerExit } from '../runner/codeServer.mjs';

const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const say = (msg) => console.log(`[ui] ${msg}`);
const { values: opts } = parseArgs({ options: { screenshots: { type: 'boolean', default: false }, grep: { type: 'string' } } });
const RESULTS = path.join(PROJECT_ROOT, 'test-results');
const timeoutMs = Number(process.env.CORPUS_UI_TIMEOUT_MS || 300_000);

let session;
const { finish } = runnerExit({
	cleanup: () => session?.close(),
	done: (code) => say(`done in ${secs()}, exit ${code}`),
});
const overall = setTimeout(() => {
	console.error(`[ui] overall timeout after ${timeoutMs} ms`);
	if (session?.server) console.error(session.server.logTail(40));
	finish(2);
}, timeoutMs);
overall.unref();

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

async function runTests() {
	const { tests, prepare } = await import('./uiTests.mjs');
	const selected = opts.grep ? tests.filter((t) => t.name.includes(opts.grep)) : tests;
	session = await openWorkbench({ prepare });
	say(`workbench open in ${secs()} (workspace ${session.workspace})`);
	let passed = 0;
	let failed = 0;
	for (const t of selected) {
		const start = Date.now();
		try {
			await t.run({ page: session.page, workspace: session.workspace, session });
			passed++;
			console.log(`  ✔ ${t.name} (${Date.now() - start} ms)`);
		} catch (e) {
			failed++;
			console.log(`  ✘ ${t.name} (${Date.now() - start} ms)\n      ${String(e.stack ?? e).split('\n').join('\n      ')}`);
			const file = path.join(RESULTS, `ui-${slug(t.name)}.png`);
			await screenshot(session.page, file).then(
				() => console.log(`      screenshot: ${path.relative(PROJECT_ROOT, file)}`),
				(err) => console.log(`      (no screenshot: ${err.message})`),
			);
			// Close whatever the failure left open (quick pick, hover) so later tests start clean.
			await session.page.keyboard.press('Escape').catch(() => {});
		}
	}
	if (failed > 0) console.log(session.server.logTail(30));
	console.log(`${passed} passed, ${failed} failed`);
	return failed === 0 ? 0 : 1;
}

async function main() {
	const main = path.join(PROJECT_ROOT, 'dist', 'extension.js');
	if (!fs.existsSync(main)) {
		console.error(`[ui] ${main} is missing: run \`npm run build\``);
		return finish(1);
	}
	try {
		if (opts.screenshots) {
			const { makeScreenshots } = await import('./screenshots.mjs');
			return finish(await makeScreenshots({ onSession: (s) => (session = s) }));
		}
		return finish(await runTests());
	} catch (e) {
		console.error(`[ui] ${e.stack ?? e}`);
		if (session?.page) await screenshot(session.page, path.join(RESULTS, 'ui-setup-failure.png')).catch(() => {});
		console.log('0 passed, 1 failed');
		return finish(1);
	}
}

main();
