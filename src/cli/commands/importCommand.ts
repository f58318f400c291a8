import * as path from 'path';
import { isArticleMonth } from '../../core/exchange/migration';
import { importAnnotations } from '../../node/exchangeRunner';
import { parseArgs, stringOption } from '../args';
import { CliError, type CliCommand, type CliIo } from '../cliTypes';
import { FORMATS_HELP, formatOption, refusalAsCliError } from './exportCommand';

/** `corpus-annotator import INPUT --format F [--into DIR] [--date YYYY-MM] [--dry-run]`. */
export const importCommand: CliCommand = {
	name: 'import',
	summary: 'Import annotations made in another tool into the corpus’ sidecars (or new articles)',
	usage: [
		'import INPUT --format F [--into DIR] [--date YYYY-MM] [--dry-run]',
		'',
		'  INPUT is a file or a folder in format F. Each text goes to the article with the same path',
		'  below DIR (default: the current folder), or else the one article with the same file name.',
		'  The text must be the article\'s (a BOM and CRLF line ends do not count); if not, the first',
		'  difference is named (file:line:column and both texts). Texts that are not articles yet become',
		'  articles: the header " date YYYY-MM " is put before the first line and every offset moves',
		'  with it; the month comes from --date, or per file from a dates.csv beside the input',
		'  ("path,date" lines).',
		'  Merging into annotated articles: an annotation with a stored id replaces it (fields the format',
		'  does not carry keep their value); one with the same label and span as a stored one is not added',
		'  twice; the others are added. Relations likewise. Labels and relation types missing from',
		'  .corpus/labels.yaml are added to it (it is created when absent).',
		'  Everything is checked first: any problem is reported as file:line:column and nothing is written.',
		'  Each sidecar is written atomically under its lock.',
		'  --dry-run   print what would change and write nothing',
		...FORMATS_HELP,
	].join('\n'),
	async run(args: readonly string[], io: CliIo): Promise<number> {
		const parsed = parseArgs(args, ['format', 'into', 'date'], ['dry-run']);
		if (parsed.positional.length !== 1) {
			throw new CliError('give exactly one INPUT file or folder');
		}
		const format = formatOption(parsed);
		const date = stringOption(parsed, 'date');
		if (date !== undefined && !isArticleMonth(date)) {
			throw new CliError(`--date must be a month YYYY-MM (01–12), got ${JSON.stringify(date)}`);
		}
		const show = (p: string): string => path.relative(io.cwd, p).split(path.sep).join('/') || '.';
		const report = await refusalAsCliError(importAnnotations({
			input: path.resolve(io.cwd, parsed.positional[0]),
			intoDir: path.resolve(io.cwd, stringOption(parsed, 'into') ?? '.'),
			format, date, dryRun: parsed.options.has('dry-run'), show,
		}));
		io.out(report.lines.map((l) => `${l}\n`).join(''));
		return 0;
	},
};
