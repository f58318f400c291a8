import * as path from 'path';
import { formatArticleDate, MONTH_NAMES_NL } from '../../core/article/articleParser';
import { compareEntries, type CorpusEntry } from '../../core/corpus/corpusIndex';
import { indexCorpus } from '../../core/corpus/corpusIndexer';
import { parseArgs } from '../args';
import { CliError, type CliCommand, type CliIo } from '../cliTypes';
import { NodeCorpusFileSystem } from '../../node/nodeCorpusFileSystem';

/** One article in `index --json` output. */
export interface IndexJsonEntry {
	/** Relative to DIR, forward slashes. */
	readonly path: string;
	/** `YYYY-MM`, or null for an undated article. */
	readonly date: string | null;
	readonly title: string;
	/** Why the article is undated, or null. */
	readonly problem: string | null;
}

/** `corpus-annotator index DIR [--json]`: the corpus grouped by year and month, as the tree shows it. */
export const indexCommand: CliCommand = {
	name: 'index',
	summary: 'List the articles of a corpus folder by year and month',
	usage: 'index DIR [--json]\n\n  Indexes every article (.txt with a " date YYYY-MM" header) under DIR, nested folders included.\n  --json  print [{ "path", "date", "title", "problem" }] sorted by date then path, undated last',
	async run(args: readonly string[], io: CliIo): Promise<number> {
		const parsed = parseArgs(args, [], ['json']);
		if (parsed.positional.length !== 1) {
			throw new CliError('expected one folder: corpus-annotator index DIR [--json]');
		}
		const dir = path.resolve(io.cwd, parsed.positional[0]);
		const fs = new NodeCorpusFileSystem();
		const stat = await fs.stat(dir);
		if (stat?.type !== 'directory') {
			throw new CliError(`${parsed.positional[0]}: ${stat ? 'not a folder' : 'no such folder'}`);
		}
		const entries = (await indexCorpus(fs, dir)).sort(compareEntries);
		if (parsed.options.has('json')) {
			const json: IndexJsonEntry[] = entries.map((e) => ({
				path: e.path,
				date: e.date ? formatArticleDate(e.date) : null,
				title: e.title,
				problem: e.problem,
			}));
			io.out(JSON.stringify(json, null, 2) + '\n');
		} else {
			io.out(formatIndexText(entries));
		}
		return 0;
	},
};

/** Readable listing: a line per year and month with counts, articles indented under them. */
export function formatIndexText(sorted: readonly CorpusEntry[]): string {
	const lines: string[] = [];
	let year: number | undefined;
	let month: number | undefined;
	let undatedStarted = false;
	const counts = new Map<string, number>();
	for (const e of sorted) {
		const keys = e.date ? [`${e.date.year}`, formatArticleDate(e.date)] : ['undated'];
		for (const key of keys) {
			counts.set(key, (counts.get(key) ?? 0) + 1);
		}
	}
	const plural = (n: number): string => `${n} article${n === 1 ? '' : 's'}`;
	for (const e of sorted) {
		if (e.date) {
			if (e.date.year !== year) {
				year = e.date.year;
				month = undefined;
				lines.push(`${year} (${plural(counts.get(`${year}`)!)})`);
			}
			if (e.date.month !== month) {
				month = e.date.month;
				const key = formatArticleDate(e.date);
				lines.push(`  ${key} ${MONTH_NAMES_NL[month - 1]} (${plural(counts.get(key)!)})`);
			}
			lines.push(`    ${e.path}  ${e.title}`);
		} else {
			if (!undatedStarted) {
				undatedStarted = true;
				lines.push(`Undated (${plural(counts.get('undated')!)})`);
			}
			lines.push(`  ${e.path}  ${e.problem ?? ''}`);
		}
	}
	lines.push(`${plural(sorted.length)}`);
	return lines.join('\n') + '\n';
}
