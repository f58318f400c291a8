import { promises as fsp } from 'fs';
import * as path from 'path';
import { exchangeFormat, exchangeFormatIds, formatHelpLines } from '../../core/exchange/formats';
import type { ExchangeFormat } from '../../core/exchange/exchangeFormat';
import { exportCorpus, ExchangeRefused } from '../../node/exchangeRunner';
import { jobsOption, parseArgs, stringOption, type ParsedArgs } from '../args';
import { CliError, type CliCommand, type CliIo } from '../cliTypes';

/** The end of an exchange command's usage: the formats it knows. */
export const FORMATS_HELP: readonly string[] = ['', '  Formats:', ...formatHelpLines('    ')];

/** `corpus-annotator export [DIR] --format F --out OUTDIR [--labels L1,L2] [--jobs N]`. */
export const exportCommand: CliCommand = {
	name: 'export',
	summary: 'Export the corpus and its annotations for another tool (brat, WebAnno TSV, W3C, CoNLL, doccano, Label Studio)',
	usage: [
		'export [DIR] --format F --out OUTDIR [--labels L1,L2] [--jobs N]',
		'',
		'  Reads every article under DIR (default: the current folder) with its sidecar and writes them',
		'  in format F under OUTDIR. Prints "F: N articles, M annotations, K relations exported", then',
		'  everything the format could not carry ("conll: 3 notes and 2 relations not carried").',
		'  Orphaned annotations (not found in the current text) are not exported, and are counted.',
		'  An article whose sidecar does not validate is left out and named (exit 1).',
		'  --labels L1,L2   only these labels (CoNLL); the others are counted as not carried',
		'  --jobs N         read, convert and write the articles in N worker threads (default: the number',
		'                   of cores); the files are the same as with --jobs 1',
		...FORMATS_HELP,
	].join('\n'),
	async run(args: readonly string[], io: CliIo): Promise<number> {
		const parsed = parseArgs(args, ['format', 'out', 'labels', 'jobs']);
		const jobs = jobsOption(parsed);
		if (parsed.positional.length > 1) {
			throw new CliError('expected at most one corpus folder');
		}
		const format = formatOption(parsed);
		const out = stringOption(parsed, 'out');
		if (out === undefined) {
			throw new CliError('--out OUTDIR is required');
		}
		const corpusDir = path.resolve(io.cwd, parsed.positional[0] ?? '.');
		if (!(await fsp.stat(corpusDir).catch(() => undefined))?.isDirectory()) {
			throw new CliError(`not a folder: ${parsed.positional[0] ?? corpusDir}`);
		}
		const labels = stringOption(parsed, 'labels')?.split(',').map((l) => l.trim()).filter((l) => l !== '');
		const report = await refusalAsCliError(exportCorpus({ corpusDir, outDir: path.resolve(io.cwd, out), format, labels, jobs }));
		io.out(report.lines.map((l) => `${l}\n`).join(''));
		return report.skipped.length > 0 ? 1 : 0;
	},
};

/** The `--format` a command was given, or a CliError listing the known ones. */
export function formatOption(parsed: ParsedArgs): ExchangeFormat {
	const id = stringOption(parsed, 'format');
	const known = exchangeFormatIds().join(', ') || 'none registered';
	if (id === undefined) {
		throw new CliError(`--format is required (${known})`);
	}
	const format = exchangeFormat(id);
	if (!format) {
		throw new CliError(`unknown format "${id}"; known formats: ${known}`);
	}
	return format;
}

/** The result, or the refusal's problems as the command's error message. */
export async function refusalAsCliError<T>(work: Promise<T>): Promise<T> {
	try {
		return await work;
	} catch (error) {
		throw error instanceof ExchangeRefused ? new CliError(error.message) : error;
	}
}
