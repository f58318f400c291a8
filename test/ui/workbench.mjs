// Helpers for driving the real VS Code workbench (code-server 4.100.3) in headless Chromium with
// the extension installed as a user has it: the project folder symlinked into a throw-away
// extensions dir as <publisher>.<name>-<version> (production mode, real decorations).
// Used by test/ui/runUiTests.mjs (tests and --screenshots) and bench/activationBench.mjs.
//
// Every wait has a deadline and waits on a selector or a condition; nothing sleeps a fixed time.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, launchBrowser, startCodeServer } from '../runner/codeServer.mjs';

export { PROJECT_ROOT };
export const SAMPLE_CORPUS = path.join(PROJECT_ROOT, 'sample-corpus');

const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
export const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;
export const EXTENSION_DIR_NAME = `${EXTENSION_ID}-${pkg.version}`;

/** User settings for a quiet, reproducible workbench. */
export const DEFAULT_SETTINGS = {
	'workbench.startupEditor': 'none',
	'workbench.colorTheme': 'Default Dark Modern',
	'workbench.tips.enabled': false,
	'workbench.welcomePage.walkthroughs.openOnInstall': false,
	'workbench.secondarySideBar.defaultVisibility': 'hidden',
	'chat.commandCenter.enabled': false,
	'git.openRepositoryInParentFolders': 'never',
	'telemetry.telemetryLevel': 'off',
	'security.workspace.trust.enabled': false,
	'extensions.ignoreRecommendations': true,
	'extensions.autoCheckUpdates': false,
	'update.mode': 'none',
	'editor.minimap.enabled': false,
	'window.zoomLevel': 0,
	'corpusAnnotator.annotations.author': 'Analist',
};

/** Polls `check` (sync or async) until it returns a truthy value; throws `what` after `timeoutMs`. */
export async function until(what, check, { timeoutMs = 20_000, intervalMs = 100 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last;
	for (;;) {
		try {
			const v = await check();
			if (v) return v;
		} catch (e) {
			last = e;
		}
		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
		}
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

/** `git` in `cwd` with a fixed identity and no user/system config. */
export function git(cwd, ...args) {
	return execFileSync('git', ['-c', 'user.name=Analist', '-c', 'user.email=analist@example.org', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
		cwd,
		encoding: 'utf8',
		env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
	});
}

/**
 * Copies `source` (default sample-corpus/) into a fresh temp folder, starts code-server with the
 * extension installed (symlink), opens the folder in headless Chromium and waits for the
 * workbench. `prepare(workspace)` runs on the copy before the server starts; `extraExtensions`
 * ({id, path}) are symlinked beside the extension; `extensionPath` is the folder installed as the
 * extension (default: the project).
 */
export async function openWorkbench({
	source = SAMPLE_CORPUS,
	prepare,
	settings = {},
	viewport = { width: 1280, height: 800 },
	extraExtensions = [],
	extensionPath = PROJECT_ROOT,
	timeoutMs = 90_000,
} = {}) {
	const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'corpus-ui-'));
	const workspace = path.join(tmp, path.basename(source));
	await fsp.cp(source, workspace, { recursive: true });
	if (prepare) await prepare(workspace);
	const userDataDir = path.join(tmp, 'user-data');
	await fsp.mkdir(path.join(userDataDir, 'User'), { recursive: true });
	await fsp.writeFile(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, '\t'));

	let server;
	let browser;
	const session = {
		tmp,
		workspace,
		userDataDir,
		get server() {
			return server;
		},
		get page() {
			return browser?.page;
		},
		async close() {
			await browser?.close().catch(() => {});
			await server?.stop().catch(() => {});
			await fsp.rm(tmp, { recursive: true, force: true }).catch(() => {});
		},
	};
	try {
		server = await startCodeServer({
			workspace,
			userDataDir,
			linkExtensions: [{ id: EXTENSION_DIR_NAME, path: extensionPath }, ...extraExtensions],
		});
		browser = await launchBrowser({ viewport });
		const { page } = browser;
		page.setDefaultTimeout(30_000);
		await page.goto(server.url, { timeout: timeoutMs });
		await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: timeoutMs });
		return session;
	} catch (e) {
		const tail = server?.logTail?.(40) ?? '';
		await session.close();
		throw new Error(`${e.message}${tail ? `\n${tail}` : ''}`);
	}
}

/** The text of every log file of this session whose name matches `pattern`, concatenated. */
function sessionLogs(session, pattern) {
	const files = [];
	const walk = (d) => {
		for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
			const p = path.join(d, e.name);
			if (e.isDirectory()) walk(p);
			else if (pattern.test(e.name)) files.push(p);
		}
	};
	walk(path.join(session.userDataDir, 'logs'));
	return files.map((p) => fs.readFileSync(p, 'utf8')).join('\n');
}

/** The extension host log lines of this session (activation, errors). */
export function exthostLog(session) {
	return sessionLogs(session, /exthost\.log$/);
}

/** The extension's own output channel log ("Corpus Annotator"), if written yet. */
export function extensionOutputLog(session) {
	return sessionLogs(session, /Corpus Annotator\.log$/);
}

/** Opens the Corpus view container from the activity bar; resolves when the Articles tree has rows. */
export async function showCorpusContainer(page, { timeoutMs = 60_000 } = {}) {
	const item = page.locator('.activitybar .action-item a[aria-label^="Corpus"]').first();
	await item.waitFor({ timeout: timeoutMs });
	const container = page.locator('.part.sidebar .pane-header[aria-label^="Articles"]');
	if (!(await container.count())) await item.click();
	await container.first().waitFor({ timeout: timeoutMs });
	return treeRows(page, 'Articles', { timeoutMs });
}

/** Locator of the tree rows in the sidebar pane titled `paneTitle`, after at least one row shows. */
export async function treeRows(page, paneTitle, { timeoutMs = 30_000 } = {}) {
	const pane = page.locator('.part.sidebar .pane').filter({ has: page.locator(`.pane-header[aria-label^="${paneTitle}"]`) });
	const rows = pane.locator('.monaco-list-row[role=treeitem]');
	await rows.first().waitFor({ timeout: timeoutMs });
	return rows;
}

/** Labels (`.label-name`) of the visible rows of a tree locator. */
export async function rowLabels(rows) {
	return rows.evaluateAll((els) => els.map((e) => (e.querySelector('.label-name')?.textContent ?? e.textContent ?? '').trim()));
}

/**
 * Runs a command by its palette title: F1, type the title, click the row whose label is exactly
 * the title (an ellipsis after it allowed) — fuzzy matching may rank a longer title first.
 */
export async function runCommand(page, title, { timeoutMs = 20_000 } = {}) {
	await page.keyboard.press('F1');
	const input = page.locator('.quick-input-widget input.input');
	await input.waitFor({ state: 'visible', timeout: timeoutMs });
	await input.fill(`>${title}`);
	const row = page
		.locator('.quick-input-widget .quick-input-list .monaco-list-row')
		.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(…|\\.\\.\\.)?$`) }) })
		.first();
	await row.waitFor({ timeout: timeoutMs });
	await row.click();
}

/**
 * Picks an item in a quick pick: waits until a row holding `text` is listed (so typing never goes
 * to a previous quick input), types `text`, waits for a focused row holding it, Enter.
 */
export async function pickQuickItem(page, text, { timeoutMs = 20_000 } = {}) {
	const input = page.locator('.quick-input-widget input.input');
	await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: text }).first().waitFor({ timeout: timeoutMs });
	await input.fill(text);
	await page.waitForFunction(
		(t) => {
			const r = document.querySelector('.quick-input-widget .quick-input-list .monaco-list-row.focused');
			return r && r.textContent.toLowerCase().includes(t.toLowerCase());
		},
		text,
		{ timeout: timeoutMs },
	);
	await page.keyboard.press('Enter');
	await input.waitFor({ state: 'hidden', timeout: timeoutMs });
}

/** Opens a workspace file by name with Quick Open (Ctrl+P); resolves when its editor tab is active. */
export async function openFile(page, fileName, { timeoutMs = 30_000 } = {}) {
	await page.keyboard.press('Control+P');
	const input = page.locator('.quick-input-widget input.input');
	await input.waitFor({ state: 'visible', timeout: timeoutMs });
	await input.fill(fileName);
	await page.waitForFunction(
		(n) => {
			const r = document.querySelector('.quick-input-list .monaco-list-row.focused');
			return r && r.textContent.includes(n);
		},
		fileName,
		{ timeout: timeoutMs },
	);
	await page.keyboard.press('Enter');
	await page.locator(`.tabs-container .tab.active[data-resource-name="${fileName}"]`).waitFor({ timeout: timeoutMs });
	await page.locator('.editor-instance .monaco-editor .view-lines .view-line').first().waitFor({ timeout: timeoutMs });
}

/** The language shown in the status bar (e.g. "Corpus Article"). */
export async function statusLanguage(page) {
	return ((await page.locator('#status\\.editor\\.mode').textContent({ timeout: 5000 }).catch(() => '')) ?? '').trim();
}

/**
 * Entity highlights in the active editor: background boxes in `.view-overlays` and styled spans in
 * `.view-lines` whose class names start with `ced-` (never the generated numbers). Counts boxes
 * with a non-transparent computed background.
 */
export async function decorationStats(page) {
	return page.evaluate(() => {
		const editor = document.querySelector('.editor-instance .monaco-editor');
		if (!editor) return { boxes: 0, spans: 0, colours: [] };
		const colours = new Set();
		let boxes = 0;
		for (const el of editor.querySelectorAll(".view-overlays [class*=\"ced-\"]")) {
			const bg = getComputedStyle(el).backgroundColor;
			if (bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') {
				boxes++;
				colours.add(bg);
			}
		}
		const spans = [...editor.querySelectorAll('.view-lines span[class*="ced-"]')].length;
		return { boxes, spans, colours: [...colours] };
	});
}

/** Screen point of the `occurrence`-th (0-based) rendered `word` in the active editor, or undefined. */
export async function wordPoint(page, word, occurrence = 0) {
	return page.evaluate(
		({ word, occurrence }) => {
			const lines = document.querySelector('.editor-instance .monaco-editor .view-lines');
			if (!lines) return undefined;
			const walker = document.createTreeWalker(lines, NodeFilter.SHOW_TEXT);
			const re = new RegExp(`(?<![\\p{L}\\p{N}])${word}(?![\\p{L}\\p{N}])`, 'u');
			let seen = 0;
			for (let n = walker.nextNode(); n; n = walker.nextNode()) {
				const text = n.textContent.replace(/\u00a0/g, ' ');
				const m = re.exec(text);
				if (!m) continue;
				if (seen++ < occurrence) continue;
				const range = document.createRange();
				range.setStart(n, m.index);
				range.setEnd(n, m.index + word.length);
				const r = range.getBoundingClientRect();
				return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
			}
			return undefined;
		},
		{ word, occurrence },
	);
}

/** Saves a screenshot of the page (or of `clip`) to `file` (folders created). */
export async function screenshot(page, file, clip) {
	await fsp.mkdir(path.dirname(file), { recursive: true });
	await page.screenshot({ path: file, ...(clip ? { clip } : {}) });
	return file;
}
