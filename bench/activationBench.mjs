// Extension activation time in the real VS Code host: code-server 4.100.3 (VS Code 1.100.3, Node
// extension host) with the sample corpus, the extension installed as a user has it (symlinked
// into the extensions dir), the workbench opened in headless Chromium.
//
// How it is measured: VS Code times every activation itself (ExtensionActivationTimes, taken in
// the extension host around require() and the activate() call) and shows
// codeLoadingTime + activateCallTime as "Activation: N ms" in Developer: Show Running Extensions.
// We read that number from the editor's DOM. A no-op extension with the same activation events
// is installed beside ours and read from the same editor: the floor of the same host and start.
// A second no-op does nothing but require('vscode'): the part of the extra time any extension
// using the API pays (the host builds the API object on an extension's first require).
// The extension host log (exthost.log) gives the activation event, and the extension's own
// output log tells whether the NER model was loaded during start-up ("entity model loaded in …",
// written on first use) — it must not be until an article opens (lazy loading); then we open an
// article and read that line for the model load time inside the extension host. What activation
// does not load — the Articles view (dist/lazy-articles.js) and the other features, with yaml and
// the tagger (dist/lazy-features.js) — logs "lazy-….js loaded in N ms (why)" when first needed
// (the Corpus views shown, or that first article): the cost deferred, reported beside activation.
//
// The extension is installed from a snapshot taken at the start (dist/ copied, everything else
// symlinked), so a build of the project during the runs does not change what is measured.
//
//   node bench/activationBench.mjs [--runs 3] [--out file.json]   (npm run bench:activation builds first)
// Each run is a fresh code-server + Chromium (cold extension host; warm OS page cache).

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXTENSION_ID, exthostLog, extensionOutputLog, openFile, openWorkbench, runCommand, screenshot, showCorpusContainer, until, PROJECT_ROOT } from '../test/ui/workbench.mjs';

const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '3' }, out: { type: 'string' } } });
const say = (msg) => console.log(`[activation] ${msg}`);
const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));

const FLOOR_ID = 'bench-floor.noop';
const FLOOR_NAME = 'Activation Floor (no-op)';
const API_FLOOR_ID = 'bench-floor.noop-api';
const API_FLOOR_NAME = 'Activation Floor (no-op requiring vscode)';

async function makeFloorExtension(id, displayName, body) {
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'corpus-floor-ext-'));
	await fsp.writeFile(
		path.join(dir, 'package.json'),
		JSON.stringify(
			{
				name: id.split('.')[1],
				publisher: id.split('.')[0],
				displayName,
				version: '0.0.1',
				engines: { vscode: pkg.engines.vscode },
				main: './extension.js',
				activationEvents: pkg.activationEvents,
			},
			null,
			2,
		),
	);
	await fsp.writeFile(path.join(dir, 'extension.js'), `'use strict';\n${body}exports.activate = function activate() {};\nexports.deactivate = function deactivate() {};\n`);
	return dir;
}

/** A folder that installs as the extension: the project's dist/ bundles copied, the rest symlinked. */
async function snapshotExtension() {
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'corpus-activation-ext-'));
	for (const name of await fsp.readdir(PROJECT_ROOT)) {
		if (name === 'dist' || name === '.git') continue;
		await fsp.symlink(path.join(PROJECT_ROOT, name), path.join(dir, name));
	}
	await fsp.mkdir(path.join(dir, 'dist'));
	for (const name of await fsp.readdir(path.join(PROJECT_ROOT, 'dist'))) {
		if (!name.endsWith('.map')) await fsp.copyFile(path.join(PROJECT_ROOT, 'dist', name), path.join(dir, 'dist', name));
	}
	if (/\/\/# sourceMappingURL=/.test(await fsp.readFile(path.join(dir, 'dist', 'extension.js'), 'utf8'))) {
		say('warning: dist/extension.js is a development build (npm run bench:activation builds the production one)');
	}
	return dir;
}

/** "Activation: 123ms" / "Startup Activation: 123ms" of the row named `name` in Running Extensions. */
function readActivation(page, name) {
	return page.evaluate((n) => {
		for (const r of document.querySelectorAll('.runtime-extensions-editor .monaco-list-row')) {
			if (r.querySelector('.name')?.textContent?.trim() !== n) continue;
			const m = /Activation: (\d+)ms/.exec(r.querySelector('.activation-time')?.textContent ?? '');
			return m ? Number(m[1]) : undefined;
		}
		return undefined;
	}, name);
}

async function oneRun(i, extensionDir, floorDir, apiFloorDir) {
	const s = await openWorkbench({
		extensionPath: extensionDir,
		extraExtensions: [
			{ id: `${FLOOR_ID}-0.0.1`, path: floorDir },
			{ id: `${API_FLOOR_ID}-0.0.1`, path: apiFloorDir },
		],
		viewport: { width: 1280, height: 2400 }, // every activated extension's row on screen (the list is virtual)
	});
	const { page } = s;
	try {
		const activationLine = (id) => new RegExp(`ExtensionService#_doActivateExtension ${id.replace('.', '\\.')}, startup: (\\w+), activationEvent: '([^']*)'`).exec(exthostLog(s));
		const activated = await until('the activation line in exthost.log', () => activationLine(EXTENSION_ID), { timeoutMs: 90_000, intervalMs: 200 });
		// The floor only compares when the same event, in the same phase, activated it.
		const floorActivated = await until('the no-op floor\'s activation line in exthost.log', () => activationLine(FLOOR_ID), { timeoutMs: 90_000, intervalMs: 200 });
		await runCommand(page, 'Developer: Show Running Extensions');
		const times = await until(
			'activation times in Running Extensions',
			async () => {
				const a = await readActivation(page, pkg.displayName);
				const f = await readActivation(page, FLOOR_NAME);
				const api = await readActivation(page, API_FLOOR_NAME);
				return a !== undefined && f !== undefined && api !== undefined ? { a, f, api } : undefined;
			},
			{ timeoutMs: 60_000, intervalMs: 200 },
		).catch(async (e) => {
			await screenshot(page, path.join(PROJECT_ROOT, 'test-results', `activation-run${i}.png`));
			throw e;
		});
		const apiFloorActivated = activationLine(API_FLOOR_ID);
		say(`run ${i}: Running Extensions shows ${times.a} ms (no-op floor ${times.f} ms, no-op requiring vscode ${times.api} ms)`);
		// Show the Articles tree and wait until the corpus is indexed: start-up work is over, and
		// the model must still not be loaded.
		await showCorpusContainer(page);
		await until('"Indexed … articles" in the extension output log', () => /Indexed \d+ articles/.test(extensionOutputLog(s)), { timeoutMs: 60_000, intervalMs: 200 });
		const modelLoadedAtActivation = /entity model loaded in/.test(extensionOutputLog(s));
		const ownActivate = /activate\(\) ran in ([\d.]+) ms/.exec(extensionOutputLog(s));
		const bundleLine = (file) => new RegExp(`${file.replace('.', '\\.')} loaded in ([\\d.]+) ms \\(([^)]*)\\)`);
		// First article: the model loads now; the extension logs how long it took.
		await openFile(page, '018_936ff48ae43c32cf.txt');
		const loaded = await until('"entity model loaded in N ms" in the extension output log', () => /entity model loaded in ([\d.]+) ms/.exec(extensionOutputLog(s)), {
			timeoutMs: 60_000,
			intervalMs: 200,
		});
		const loadedLater = async (file) => {
			const m = await until(`"${file} loaded in N ms" in the extension output log`, () => bundleLine(file).exec(extensionOutputLog(s)), { timeoutMs: 60_000, intervalMs: 200 });
			// Loaded inside activate() when its line comes before activate()'s own.
			return { atActivation: m.index < (ownActivate?.index ?? 0), ms: Number(m[1]), reason: m[2] };
		};
		const articlesBundle = await loadedLater('lazy-articles.js');
		const featuresBundle = await loadedLater('lazy-features.js');
		const run = {
			activationMs: times.a,
			floorMs: times.f,
			activationEvent: activated[2],
			startup: activated[1] === 'true',
			floorActivationEvent: floorActivated[2],
			sameEvent: floorActivated[2] === activated[2] && floorActivated[1] === activated[1],
			extraMs: times.a - times.f,
			apiFloorMs: times.api,
			apiFloorSameEvent: apiFloorActivated?.[2] === activated[2] && apiFloorActivated?.[1] === activated[1],
			modelLoadedAtActivation,
			modelLoadMs: Number(loaded[1]),
			activateCallMs: ownActivate ? Number(ownActivate[1]) : undefined,
			articlesBundle,
			featuresBundle,
		};
		say(`run ${i}: ${run.activationMs} ms (no-op floor ${run.floorMs} ms, ${run.sameEvent ? 'same event' : `floor by ${run.floorActivationEvent}`}), extra ${run.extraMs} ms, event ${run.activationEvent}, model lazy: ${!modelLoadedAtActivation}, model load on first article ${run.modelLoadMs} ms, ${[['articles view', articlesBundle], ['features', featuresBundle]].map(([what, b]) => `${what} loaded ${b.atActivation ? 'AT ACTIVATION' : 'later'} in ${b.ms} ms (${b.reason})`).join(', ')}`);
		return run;
	} catch (e) {
		console.error(s.server.logTail(30));
		throw e;
	} finally {
		await s.close();
	}
}

const median = (xs) => {
	const a = [...xs].sort((x, y) => x - y);
	return a[Math.floor(a.length / 2)];
};

async function main() {
	const runs = Math.max(1, Number(opts.runs));
	const extensionDir = await snapshotExtension();
	const floorDir = await makeFloorExtension(FLOOR_ID, FLOOR_NAME, '');
	const apiFloorDir = await makeFloorExtension(API_FLOOR_ID, API_FLOOR_NAME, "require('vscode');\n");
	const results = [];
	try {
		for (let i = 1; i <= runs; i++) results.push(await oneRun(i, extensionDir, floorDir, apiFloorDir));
	} finally {
		await fsp.rm(floorDir, { recursive: true, force: true });
		await fsp.rm(apiFloorDir, { recursive: true, force: true });
		await fsp.rm(extensionDir, { recursive: true, force: true });
	}
	const out = {
		method:
			"VS Code's own activation timer (codeLoadingTime + activateCallTime) as shown in Developer: Show Running Extensions; floor = a no-op extension with the same activation events in the same host",
		runs: results,
		medianMs: median(results.map((r) => r.activationMs)),
		floorMedianMs: median(results.map((r) => r.floorMs)),
		// Our time over the floor's, in runs where both were activated by the same event: the figure to compare run to run.
		sameEventRuns: results.filter((r) => r.sameEvent).length,
		extraMedianMs: median(results.filter((r) => r.sameEvent).map((r) => r.extraMs)),
		ratioMedian: median(results.filter((r) => r.sameEvent).map((r) => r.activationMs / Math.max(1, r.floorMs))),
		apiFloorMedianMs: median(results.filter((r) => r.apiFloorSameEvent).map((r) => r.apiFloorMs)),
		// Of the extra time, what is ours beyond building the API object.
		extraOverApiFloorMedianMs: median(results.filter((r) => r.sameEvent && r.apiFloorSameEvent).map((r) => r.activationMs - r.apiFloorMs)),
		lazyModel: results.every((r) => !r.modelLoadedAtActivation),
		modelLoadMedianMs: median(results.map((r) => r.modelLoadMs)),
		lazyBundles: results.every((r) => !r.articlesBundle.atActivation && !r.featuresBundle.atActivation),
		articlesBundleLoadMedianMs: median(results.map((r) => r.articlesBundle.ms)),
		featuresBundleLoadMedianMs: median(results.map((r) => r.featuresBundle.ms)),
	};
	say(`median ${out.medianMs} ms (floor ${out.floorMedianMs} ms); over the floor in ${out.sameEventRuns} same-event runs: ${out.extraMedianMs} ms (${out.ratioMedian?.toFixed(2)}×); no-op requiring vscode ${out.apiFloorMedianMs} ms, ours over it ${out.extraOverApiFloorMedianMs} ms; lazy model: ${out.lazyModel}, loaded later: ${out.lazyBundles} (articles view ${out.articlesBundleLoadMedianMs} ms, features ${out.featuresBundleLoadMedianMs} ms)`);
	if (opts.out) fs.writeFileSync(opts.out, JSON.stringify(out, null, 2));
	else console.log(JSON.stringify(out, null, 2));
}

main().then(
	() => process.exit(0),
	(e) => {
		console.error(`[activation] ${e.stack ?? e}`);
		process.exit(1);
	},
);
