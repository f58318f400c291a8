// Browser UI tests: the real workbench (code-server) in headless Chromium with the extension
// installed, on a temp copy of sample-corpus/. The tests share one workbench and run in order.
// Run through test/ui/runUiTests.mjs.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
	PROJECT_ROOT,
	decorationStats,
	openFile,
	pickQuickItem,
	rowLabels,
	runCommand,
	showCorpusContainer,
	statusLanguage,
	until,
	wordPoint,
} from './workbench.mjs';

const YAML = createRequire(path.join(PROJECT_ROOT, 'package.json'))('yaml');

export const ARTICLE = '018_936ff48ae43c32cf.txt';
/** An article that gets a sidecar with one annotation before the workbench starts (see `prepare`). */
export const ANNOTATED = '006_b32965e715e1b313.txt';
const ANNOTATED_QUOTE = 'de Duitse bondskanselier Olaf Scholz';

/** Runs on the temp copy of the corpus before code-server starts. */
export function prepare(workspace) {
	const text = fs.readFileSync(path.join(workspace, ANNOTATED), 'utf8');
	const start = [...text.slice(0, text.indexOf(ANNOTATED_QUOTE))].length;
	execFileSync(
		process.execPath,
		[path.join(PROJECT_ROOT, 'dist', 'cli.js'), 'annotate', ANNOTATED, '--start', String(start), '--end', String(start + [...ANNOTATED_QUOTE].length), '--label', 'attribution'],
		{ cwd: workspace, encoding: 'utf8' },
	);
}

/** Annotation underlines in the active editor: overlay boxes with a 3 px bottom border (entity boxes have 1 px). */
export function annotationUnderlines(page) {
	return page.evaluate(
		() =>
			[...document.querySelectorAll('.editor-instance .monaco-editor .view-overlays [class*="ced-"]')].filter((e) => {
				const s = getComputedStyle(e);
				return s.borderBottomStyle === 'solid' && parseFloat(s.borderBottomWidth) >= 3;
			}).length,
	);
}

/** Selects `word` in the active editor by double-clicking it; resolves when the status bar shows the selection. */
export async function selectWord(page, word) {
	const point = await until(`"${word}" rendered in the editor`, () => wordPoint(page, word), { timeoutMs: 15_000 });
	await page.mouse.dblclick(point.x, point.y);
	await until(
		`the status bar to show "(${word.length} selected)"`,
		async () => ((await page.locator('#status\\.editor\\.selection').textContent({ timeout: 2000 })) ?? '').includes(`(${word.length} selected)`),
		{ timeoutMs: 10_000 },
	);
}

export const tests = [
	{
		name: 'Corpus activity-bar container shows the articles grouped by year, with Undated',
		async run({ page }) {
			const rows = await showCorpusContainer(page);
			const want = ['2022', '2023', '2024', '2025', 'Undated'];
			const labels = await until(
				`year rows ${want.join(', ')}`,
				async () => {
					const l = await rowLabels(rows);
					return want.every((w) => l.includes(w)) ? l : undefined;
				},
				{ timeoutMs: 60_000 },
			).catch(async (e) => {
				throw new Error(`${e.message}; rows: ${JSON.stringify(await rowLabels(rows))}`);
			});
			// Top level in date order (default oldestFirst), Undated last.
			const top = labels.filter((l) => want.includes(l));
			assert.deepEqual(top, want);
			const descriptions = await rows.evaluateAll((els) => els.map((e) => e.querySelector('.label-description')?.textContent ?? ''));
			assert.ok(descriptions.some((d) => /\d+ articles?/.test(d)), `article counts in the row descriptions: ${JSON.stringify(descriptions)}`);
			// Expanding a year shows its months (level-2 rows).
			const year = rows.filter({ has: page.locator('.label-name', { hasText: /^2023$/ }) }).first();
			await year.click();
			await until('month rows under 2023', async () => (await rows.evaluateAll((els) => els.filter((e) => e.getAttribute('aria-level') === '2').length)) > 0, {
				timeoutMs: 15_000,
			});
			assert.equal(await year.getAttribute('aria-expanded'), 'true');
		},
	},
	{
		name: 'opening an article shows entity highlights and code lenses',
		async run({ page }) {
			await openFile(page, ARTICLE);
			await until('the language "Corpus Article" in the status bar', async () => (await statusLanguage(page)) === 'Corpus Article', { timeoutMs: 30_000 }).catch(
				async (e) => {
					throw new Error(`${e.message} (shows "${await statusLanguage(page)}")`);
				},
			);
			// The model loads on first use: allow for that.
			const stats = await until(
				'entity highlight boxes (.view-overlays [class*=ced-] with a background colour)',
				async () => {
					const s = await decorationStats(page);
					return s.boxes > 0 && s.colours.length >= 2 ? s : undefined;
				},
				{ timeoutMs: 60_000 },
			);
			assert.ok(stats.boxes >= 10, `expected many entity highlights in ${ARTICLE}, got ${stats.boxes}`);
			const lenses = page.locator('.editor-instance .codelens-decoration');
			await until('the header lens with the annotation count', async () => (await lenses.allTextContents()).some((t) => /\b0 annotations\b/.test(t)), { timeoutMs: 30_000 });
			const texts = await lenses.allTextContents();
			// Default lens mode "paragraphs": no "Tag paragraph" above every paragraph of an article without annotations.
			assert.ok(!texts.some((t) => t.includes('Tag paragraph')), `no crowding lenses: ${JSON.stringify(texts.slice(0, 5))}`);
		},
	},
	{
		name: 'Tag Selection from the command palette writes the sidecar',
		async run({ page, workspace }) {
			const sidecar = path.join(workspace, ARTICLE.replace(/\.txt$/, '.ann.yaml'));
			assert.ok(!fs.existsSync(sidecar), `${sidecar} exists before the test`);
			const word = 'Oekraïne';
			await selectWord(page, word);
			await runCommand(page, 'Corpus Annotator: Tag Selection');
			await pickQuickItem(page, 'claim');
			const doc = await until(`${path.basename(sidecar)} on disk with one annotation`, () => {
				if (!fs.existsSync(sidecar)) return undefined;
				const d = YAML.parse(fs.readFileSync(sidecar, 'utf8'));
				return d?.annotations?.length === 1 ? d : undefined;
			});
			assert.equal(doc.article, ARTICLE);
			const [a] = doc.annotations;
			assert.equal(a.label, 'claim');
			assert.equal(a.quote, word);
			assert.equal(a.author, 'Analist');
			const text = fs.readFileSync(path.join(workspace, ARTICLE), 'utf8');
			assert.equal([...text].slice(a.start, a.end).join(''), word, 'start/end (code points) point at the quote');
			// The header lens counts it, and it is underlined in the label's colour.
			await until('the header lens to say "1 annotation"', async () =>
				(await page.locator('.editor-instance .codelens-decoration').allTextContents()).some((t) => /\b1 annotation\b/.test(t)),
			);
			await until('an annotation underline (3 px bottom border) in the editor', async () => (await annotationUnderlines(page)) === 1, { timeoutMs: 15_000 });
		},
	},
	{
		name: 'opening an article that already has annotations shows them underlined',
		async run({ page }) {
			await openFile(page, ANNOTATED);
			await until('the header lens "1 annotation"', async () =>
				(await page.locator('.editor-instance .codelens-decoration').allTextContents()).some((t) => /\b1 annotation\b/.test(t)),
				{ timeoutMs: 30_000 },
			);
			await until('entity highlights', async () => (await decorationStats(page)).boxes > 0, { timeoutMs: 30_000 });
			await until(
				`the annotation on "${ANNOTATED_QUOTE}" underlined (3 px bottom border) — the code lens already counts it`,
				async () => (await annotationUnderlines(page)) >= 1,
				{ timeoutMs: 15_000 },
			);
		},
	},
	{
		name: 'the hover of an annotation shows a local date with its age and the per-annotation actions',
		async run({ page }) {
			await openFile(page, ANNOTATED);
			const point = await until('"Olaf" rendered', () => wordPoint(page, 'Olaf'), { timeoutMs: 15_000 });
			const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: /Edit note/ }).first();
			// Monaco shows a hover when the mouse comes to rest over the text: approach, then stop.
			await until(
				'the annotation hover',
				async () => {
					await page.mouse.move(point.x - 8, point.y);
					await page.mouse.move(point.x, point.y, { steps: 4 });
					return hover.waitFor({ timeout: 3000 }).then(() => true, () => false);
				},
				{ timeoutMs: 20_000 },
			);
			const text = (await hover.textContent()) ?? '';
			assert.match(text, /attribution/);
			assert.match(text, /\((just now|\d+ minutes? ago)\)/, `a local date with its age: ${text}`);
			assert.ok(!/\d{4}-\d\d-\d\dT\d\d:/.test(text), `no raw ISO timestamp: ${text}`);
			for (const action of ['Change label', 'Delete', 'Move to selection']) assert.ok(text.includes(action), `${action} in ${text}`);
			await page.mouse.move(5, 5);
			await page.keyboard.press('Escape');
		},
	},
];
