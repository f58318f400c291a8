import { promises as fsp } from 'fs';
import * as path from 'path';
import { DEFAULT_LABELS, parseLabelSchema } from '../../core/annotations/labelSchema';
import { SIDECAR_SUFFIX } from '../../core/annotations/sidecarPaths';
import { checkEntityList, checkLabelSchema, checkSidecar, compareProblems, formatProblem, type CheckProblem } from '../../core/review/sidecarCheck';
import { parseArgs } from '../args';
import { CliError, type CliCommand, type CliIo } from '../cliTypes';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** `corpus-annotator check [DIR] [--json] [--strict]`: validates every sidecar under DIR, for CI. */
export const checkCommand: CliCommand = {
	name: 'check',
	summary: 'Validate sidecars, labels and entity lists (for CI)',
	failureExitCode: 2,
	usage: [
		'check [DIR] [--json] [--strict]',
		'',
		'  Checks every *.ann.yaml under DIR (default: the current folder; node_modules and .git skipped):',
		'  YAML and schema errors, duplicate ids, unresolved merge conflicts, labels missing from',
		'  .corpus/labels.yaml (nearest one in the sidecar\'s folder or above; default labels when none),',
		'  missing articles, and anchors whose quote is no longer at its offsets (moved/fuzzy: warning,',
		'  can be re-anchored; orphaned: error). Also checks .corpus/labels.yaml and .corpus/entities.yaml.',
		'  Prints "path:line:col: severity: message [code]" with paths relative to the current folder.',
		'  --json    print [{ "file", "line", "column", "severity", "code", "message" }]',
		'  --strict  warnings fail the check too',
		'  Exit 0: no errors (and no warnings with --strict); 1: problems found; 2: cannot run.',
	].join('\n'),
	async run(args: readonly string[], io: CliIo): Promise<number> {
		const parsed = parseArgs(args, [], ['json', 'strict']);
		if (parsed.positional.length > 1) {
			throw new CliError('expected at most one folder', 2);
		}
		const dir = path.resolve(io.cwd, parsed.positional[0] ?? '.');
		const stat = await fsp.stat(dir).catch(() => undefined);
		if (!stat?.isDirectory()) {
			throw new CliError(`not a folder: ${parsed.positional[0] ?? dir}`, 2);
		}
		const problems = await checkFolder(dir, (p) => path.relative(io.cwd, p).split(path.sep).join('/') || '.');
		problems.sort(compareProblems);
		if (parsed.options.has('json')) {
			io.out(JSON.stringify(problems, null, 2) + '\n');
		} else {
			for (const p of problems) {
				io.out(formatProblem(p) + '\n');
			}
			const errors = problems.filter((p) => p.severity === 'error').length;
			const warnings = problems.length - errors;
			io.err(problems.length === 0 ? 'corpus-annotator check: no problems\n' : `corpus-annotator check: ${errors} error(s), ${warnings} warning(s)\n`);
		}
		const failing = problems.filter((p) => p.severity === 'error' || parsed.options.has('strict'));
		return failing.length > 0 ? 1 : 0;
	},
};

/** Checks a folder tree; `show` turns absolute paths into the paths printed. */
export async function checkFolder(dir: string, show: (absolutePath: string) => string): Promise<CheckProblem[]> {
	const problems: CheckProblem[] = [];
	const labelCache = new Map<string, Promise<ReadonlySet<string>>>();
	const labelsFor = (folder: string): Promise<ReadonlySet<string>> => {
		let labels = labelCache.get(folder);
		if (!labels) {
			labels = (async () => {
				const text = await fsp.readFile(path.join(folder, '.corpus', 'labels.yaml'), 'utf8').catch(() => undefined);
				if (text !== undefined) {
					const parsed = parseLabelSchema(text).labels;
					return new Set((parsed.length > 0 ? parsed : DEFAULT_LABELS).map((l) => l.id));
				}
				const parent = path.dirname(folder);
				return parent === folder ? new Set(DEFAULT_LABELS.map((l) => l.id)) : labelsFor(parent);
			})();
			labelCache.set(folder, labels);
		}
		return labels;
	};

	const checkCorpusFolder = async (corpusDir: string): Promise<void> => {
		for (const [name, check] of [['labels.yaml', checkLabelSchema], ['entities.yaml', checkEntityList]] as const) {
			const file = path.join(corpusDir, name);
			const text = await fsp.readFile(file, 'utf8').catch(() => undefined);
			if (text !== undefined) {
				problems.push(...check(show(file), text));
			}
		}
	};
	// The label schema that applies to DIR may live in an ancestor: check it too.
	const hasOwn = (await fsp.stat(path.join(dir, '.corpus')).catch(() => undefined))?.isDirectory() ?? false;
	for (let folder = path.dirname(dir); !hasOwn; folder = path.dirname(folder)) {
		if ((await fsp.stat(path.join(folder, '.corpus')).catch(() => undefined))?.isDirectory()) {
			await checkCorpusFolder(path.join(folder, '.corpus'));
			break;
		}
		if (path.dirname(folder) === folder) {
			break;
		}
	}

	const walk = async (folder: string): Promise<void> => {
		const entries = await fsp.readdir(folder, { withFileTypes: true }).catch(() => []);
		entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		for (const entry of entries) {
			const full = path.join(folder, entry.name);
			if (entry.isDirectory()) {
				if (entry.name === '.corpus') {
					await checkCorpusFolder(full);
				} else if (!SKIPPED_FOLDERS.has(entry.name)) {
					await walk(full);
				}
			} else if (entry.isFile() && entry.name.endsWith(SIDECAR_SUFFIX)) {
				const text = await fsp.readFile(full, 'utf8');
				const articleName = entry.name.slice(0, -SIDECAR_SUFFIX.length) + '.txt';
				const articleText = await fsp.readFile(path.join(folder, articleName), 'utf8').catch(() => undefined);
				problems.push(...checkSidecar({ file: show(full), text, articleName, articleText, labels: await labelsFor(folder) }));
			}
		}
	};
	await walk(dir);
	return problems;
}
