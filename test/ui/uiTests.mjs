// Browser UI tests: the real workbench (code-server) in headless Chromium with the extension
// installed, on a temp copy of sample-corpus/. The tests share one workbench and run in order.
// Run through test/ui/runUiTests.mjs.

import assert from 'node:assert/strict';
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
} from './workbench.mjs';

const YAML = createRequire(path.join(PROJECT_ROOT, 'package.json'))('yaml');

export const ARTICLE = '018_936ff48ae43c32cf.txt';

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
			await until('code lenses with "Tag paragraph"', async () => (await lenses.allTextContents()).some((t) => t.includes('Tag paragraph')), { timeoutMs: 30_000 });
			const texts = await lenses.allTextContents();
			assert.ok(
				texts.some((t) => /\b0 annotations\b/.test(t)),
				`header lens with the annotation count: ${JSON.stringify(texts.slice(0, 3))}`,
			);
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
			// The header lens counts it.
			await until('the header lens to say "1 annotation"', async () =>
				(await page.locator('.editor-instance .codelens-decoration').allTextContents()).some((t) => /\b1 annotation\b/.test(t)),
			);
		},
	},
];
