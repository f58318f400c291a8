import { promises as fsp } from 'fs';
import * as path from 'path';
import { DEFAULT_LABELS, DEFAULT_RELATION_TYPES, effectiveLabels, effectiveRelationTypes, parseLabelSchema } from '../../core/annotations/labelSchema';
import type { RelationTypeDef } from '../../core/annotations/model';
import { decodeSidecarBytes } from '../../core/annotations/sidecarValidator';
import { articlePathFor, baseName, isSidecarPath, isSkippedFolder } from '../../core/corpus/corpusLayout';
import { checkEntityList, checkLabelSchema, checkSidecar, compareProblems, formatProblem, type CheckProblem } from '../../core/review/sidecarCheck';
import { parseArgs } from '../args';
import { CliError, type CliCommand, type CliIo } from '../cliTypes';

/** `corpus-annotator check [DIR] [--json] [--strict]`: validates every sidecar under DIR, for CI. */
export const checkCommand: CliCommand = {
	name: 'check',
	summary: 'Validate sidecars, labels and entity lists (for CI)',
	failureExitCode: 2,
	usage: [
		'check [DIR] [--json] [--strict]',
		'',
		'  Checks every *.ann.yaml under DIR (default: the current folder; node_modules and dot folders',
		'  skipped): invalid UTF-8, NUL or control characters, cut-off files, YAML and schema errors,',
		'  zero-length or inverted spans, duplicate ids, unresolved merge conflicts, folders or dangling',
		'  symlinks named *.ann.yaml (a symlink to a file is followed), labels missing from',
		'  .corpus/labels.yaml (nearest one in the sidecar\'s folder or above; default labels when none),',
		'  missing articles, anchors whose quote is no longer at its offsets (moved/fuzzy: warning,',
		'  can be re-anchored; orphaned: error), and relations whose from/to names no annotation of the',
		'  file, whose type is not in labels.yaml\'s relations (the default relation types when it defines',
		'  none) or not allowed between the labels at its ends (errors). Also checks .corpus/labels.yaml',
		'  and .corpus/entities.yaml.',
		'  Prints "path:line:col: severity: message [code]" with paths relative to the current folder.',
		'  Read-only: nothing is written, orphaned annotations are reported and kept.',
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
	/** The labels and relation types in force in a folder (the nearest labels.yaml, else the defaults). */
	type Schema = { labels: ReadonlySet<string>; relationTypes: readonly RelationTypeDef[] };
	const schemaCache = new Map<string, Promise<Schema>>();
	const schemaFor = (folder: string): Promise<Schema> => {
		let schema = schemaCache.get(folder);
		if (!schema) {
			schema = (async () => {
				const text = await fsp.readFile(path.join(folder, '.corpus', 'labels.yaml'), 'utf8').catch(() => undefined);
				if (text !== undefined) {
					const parsed = parseLabelSchema(text);
					return { labels: new Set(effectiveLabels(parsed).map((l) => l.id)), relationTypes: effectiveRelationTypes(parsed) };
				}
				const parent = path.dirname(folder);
				return parent === folder ? { labels: new Set(DEFAULT_LABELS.map((l) => l.id)), relationTypes: DEFAULT_RELATION_TYPES } : schemaFor(parent);
			})();
			schemaCache.set(folder, schema);
		}
		return schema;
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

	const checkSidecarFile = async (full: string, kind: 'file' | 'symlink' | 'folder' | 'other'): Promise<void> => {
		const notAFile = (message: string, code: string): void => {
			problems.push({ file: show(full), line: 1, column: 1, severity: 'error', code, message });
		};
		if (kind === 'folder') {
			notAFile('A folder is named like a sidecar: a sidecar must be a file.', 'not-a-file');
			return;
		}
		if (kind === 'other') {
			notAFile('Named like a sidecar but not a regular file (a pipe, socket or device); not opened.', 'not-a-file');
			return;
		}
		if (kind === 'symlink') {
			// A symlink to a sidecar file is followed, like every writer does; anything else is reported.
			const target = await fsp.stat(full).catch(() => undefined);
			if (!target) {
				notAFile('A symbolic link whose target does not exist.', 'dangling-symlink');
				return;
			}
			if (!target.isFile()) {
				notAFile(`A symbolic link to a ${target.isDirectory() ? 'folder' : 'special file'}, not to a sidecar file.`, 'not-a-file');
				return;
			}
		}
		const bytes = await fsp.readFile(full).catch((error: NodeJS.ErrnoException) => error);
		if (bytes instanceof Error) {
			notAFile(`Cannot read the file: ${bytes.code ?? bytes.message}.`, 'unreadable');
			return;
		}
		const articlePath = articlePathFor(full)!;
		const articleName = baseName(articlePath);
		const article = await readArticle(articlePath, show);
		if (article.problem) {
			problems.push(article.problem);
		}
		const schema = await schemaFor(path.dirname(full));
		problems.push(...checkSidecar({
			file: show(full), text: bytes, articleName, articleText: article.text,
			articleUnreadable: article.problem !== undefined, labels: schema.labels, relationTypes: schema.relationTypes,
		}));
	};

	const walk = async (folder: string): Promise<void> => {
		const entries = await fsp.readdir(folder, { withFileTypes: true }).catch(() => []);
		entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		for (const entry of entries) {
			const full = path.join(folder, entry.name);
			if (entry.isDirectory()) {
				if (isSidecarPath(entry.name)) {
					await checkSidecarFile(full, 'folder');
				}
				if (entry.name === '.corpus') {
					await checkCorpusFolder(full);
				} else if (!isSkippedFolder(entry.name)) {
					await walk(full);
				}
			} else if (isSidecarPath(entry.name)) {
				await checkSidecarFile(full, entry.isFile() ? 'file' : entry.isSymbolicLink() ? 'symlink' : 'other');
			}
		}
	};
	await walk(dir);
	return problems;
}

/** The article next to a sidecar: its text, nothing when it does not exist, or why it cannot be read. */
async function readArticle(articlePath: string, show: (absolutePath: string) => string): Promise<{ text?: string; problem?: CheckProblem }> {
	const stat = await fsp.stat(articlePath).catch(() => undefined);
	if (stat && !stat.isFile()) {
		// Never open a pipe or device: reading it could block the whole check.
		return { problem: { file: show(articlePath), line: 1, column: 1, severity: 'error', code: 'not-a-file', message: 'The article is not a regular file.' } };
	}
	const bytes = await fsp.readFile(articlePath).catch((error: NodeJS.ErrnoException) => error);
	if (bytes instanceof Error) {
		return bytes.code === 'ENOENT' ? {} : {
			problem: { file: show(articlePath), line: 1, column: 1, severity: 'error', code: 'unreadable', message: `Cannot read the article: ${bytes.code ?? bytes.message}.` },
		};
	}
	const decoded = decodeSidecarBytes(bytes);
	if (!decoded.ok) {
		const e = decoded.errors[0];
		return { problem: { file: show(articlePath), line: e.line, column: e.column, severity: 'error', code: e.code, message: 'The article is not valid UTF-8 here; its annotations cannot be checked.' } };
	}
	return { text: decoded.text };
}
