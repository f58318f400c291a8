/**
 * Files of an export or import (`corpus-annotator export/import`, the extension's Export Corpus…
 * and Import Annotations…): the articles under a corpus folder and the input files of a format
 * under a folder (the output is written by exportArticles.ts). Paths given back are relative with `/`.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { isArticlePath, isSkippedFolder } from '../core/corpus/corpusLayout';
import type { ExchangeFile } from '../core/exchange/exchangeFormat';
import { fileError } from './fileErrors';
import { readUtf8 } from './files';

/** Relative `/` path of `full` below `root`. */
export function relativeSlashPath(root: string, full: string): string {
	return path.relative(root, full).split(path.sep).join('/');
}

/**
 * Every regular file below `root` (symbolic links to files followed), sorted by path; dot folders
 * and the corpus' skipped folders (`node_modules`, `.git`, `.corpus`…) are not entered.
 */
export async function walkFiles(root: string): Promise<string[]> {
	const found: string[] = [];
	const visit = async (dir: string): Promise<void> => {
		let entries;
		try {
			entries = await fs.readdir(dir, { withFileTypes: true });
		} catch (error) {
			throw fileError(error, dir, 'folder');
		}
		for (const e of entries) {
			const full = path.join(dir, e.name);
			if (e.isDirectory()) {
				if (!isSkippedFolder(e.name) && !e.name.startsWith('.')) {
					await visit(full);
				}
			} else if (e.isFile() || (e.isSymbolicLink() && (await fs.stat(full).catch(() => undefined))?.isFile())) {
				found.push(full);
			}
		}
	};
	await visit(root);
	return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The `.txt` files below `root` (articles or not: the caller reads the header). */
export async function listTextFiles(root: string): Promise<string[]> {
	return (await walkFiles(root)).filter((f) => isArticlePath(f));
}

/** A text file as read: strict UTF-8, a BOM kept (formats that count characters of the file need it). */
export function readTextKeepingBom(file: string, what = 'file'): Promise<string> {
	return readUtf8(file, what, true);
}

/**
 * The input of an import: `input` is a file or a folder. Taken are the files whose names end in
 * one of `extensions`, the `.txt` with the same stem beside each (brat keeps the text there) and
 * every `*.conf` (brat's `annotation.conf`). Paths are relative to the folder (for a file: its folder).
 * Formats that do not hold the text (W3C pages) find it as that `.txt`: when the input has none,
 * the article at the same relative path under `corpusDir` is given in its place.
 */
export async function readImportFiles(input: string, extensions: readonly string[], corpusDir?: string): Promise<{ root: string; files: ExchangeFile[] }> {
	const stat = await fs.stat(input).catch((error: unknown) => {
		throw fileError(error, input, 'input');
	});
	const root = stat.isDirectory() ? input : path.dirname(input);
	const candidates = stat.isDirectory() ? await walkFiles(input) : await siblingsOf(input);
	const matches = (f: string): boolean => extensions.some((ext) => f.toLowerCase().endsWith(ext.toLowerCase()));
	const chosen = new Set<string>();
	const present = new Set(candidates);
	for (const f of stat.isDirectory() ? candidates : [input]) {
		if (matches(f)) {
			chosen.add(f);
			const txt = f.slice(0, f.length - path.extname(f).length) + '.txt';
			if (present.has(txt)) {
				chosen.add(txt);
			}
		}
	}
	for (const f of candidates) {
		if (f.endsWith('.conf')) {
			chosen.add(f);
		}
	}
	const files: ExchangeFile[] = [];
	for (const f of [...chosen].sort()) {
		files.push({ path: relativeSlashPath(root, f), text: await readTextKeepingBom(f, 'input file') });
	}
	if (corpusDir !== undefined) {
		const given = new Set(files.map((f) => f.path));
		for (const f of [...files]) {
			const txt = f.path.slice(0, f.path.length - path.posix.extname(f.path).length) + '.txt';
			if (given.has(txt) || f.path.endsWith('.txt') || f.path.endsWith('.conf')) {
				continue;
			}
			const article = path.join(corpusDir, ...txt.split('/'));
			if ((await fs.stat(article).catch(() => undefined))?.isFile()) {
				files.push({ path: txt, text: await readTextKeepingBom(article, 'article') });
				given.add(txt);
			}
		}
	}
	return { root, files };
}

async function siblingsOf(file: string): Promise<string[]> {
	const dir = path.dirname(file);
	const entries = await fs.readdir(dir, { withFileTypes: true });
	return entries.filter((e) => e.isFile()).map((e) => path.join(dir, e.name));
}
