import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_LABELS, DEFAULT_RELATION_TYPES, effectiveLabels, effectiveRelationTypes, parseLabelSchema } from '../../core/annotations/labelSchema';
import type { RelationTypeDef } from '../../core/annotations/model';
import { decodeSidecarBytes } from '../../core/annotations/sidecarValidator';
import { articlePathFor, baseName, isSidecarPath, isSkippedFolder } from '../../core/corpus/corpusLayout';
import { checkEntityList, checkLabelSchema, checkSidecar, compareProblems, formatProblem, type CheckProblem } from '../../core/review/sidecarCheck';
import { WorkerPool, WorkerPoolError } from '../../node/workerPool';
import { jobsOption, parseArgs } from '../args';
import { CliError, type CliCommand, type CliIo } from '../cliTypes';

/** `corpus-annotator check [DIR] [--json] [--strict] [--jobs N]`: validates every sidecar under DIR, for CI. */
export const checkCommand: CliCommand = {
	name: 'check',
	summary: 'Validate sidecars, labels and entity lists (for CI)',
	failureExitCode: 2,
	usage: [
		'check [DIR] [--json] [--strict] [--jobs N]',
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
		'  --jobs N  check the sidecars in N worker threads (default: the number of cores); the output is the same',
		'  Exit 0: no errors (and no warnings with --strict); 1: problems found; 2: cannot run.',
	].join('\n'),
	async run(args: readonly string[], io: CliIo): Promise<number> {
		const parsed = parseArgs(args, ['jobs'], ['json', 'strict']);
		const jobs = jobsOption(parsed, 2);
		if (parsed.positional.length > 1) {
			throw new CliError('expected at most one folder', 2);
		}
		const dir = path.resolve(io.cwd, parsed.positional[0] ?? '.');
		const stat = statOf(dir);
		if (!stat?.isDirectory()) {
			throw new CliError(`not a folder: ${parsed.positional[0] ?? dir}`, 2);
		}
		const problems = await checkFolder(dir, (p) => path.relative(io.cwd, p).split(path.sep).join('/') || '.', jobs);
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

/** What one sidecar's check finds; problems name files by absolute path (the caller shows them). */
export interface CheckTask {
	readonly full: string;
	readonly kind: 'file' | 'symlink' | 'folder' | 'other';
}

/** Sidecars sent to a worker at once (one message each way per batch). */
const BATCH = 16;

/**
 * Checks a folder tree; `show` turns absolute paths into the paths printed. `jobs` > 1 checks the
 * sidecars in that many worker threads; the problems are the same, in the same order.
 */
export async function checkFolder(dir: string, show: (absolutePath: string) => string, jobs = 1): Promise<CheckProblem[]> {
	const problems: CheckProblem[] = [];
	const checkCorpusFolder = (corpusDir: string): void => {
		for (const [name, check] of [['labels.yaml', checkLabelSchema], ['entities.yaml', checkEntityList]] as const) {
			const file = path.join(corpusDir, name);
			const text = readText(file);
			if (text !== undefined) {
				problems.push(...check(file, text));
			}
		}
	};
	// The label schema that applies to DIR may live in an ancestor: check it too.
	const hasOwn = isFolder(path.join(dir, '.corpus'));
	for (let folder = path.dirname(dir); !hasOwn; folder = path.dirname(folder)) {
		if (isFolder(path.join(folder, '.corpus'))) {
			checkCorpusFolder(path.join(folder, '.corpus'));
			break;
		}
		if (path.dirname(folder) === folder) {
			break;
		}
	}
	// The walk (names only) stays here; the per-sidecar work is what fans out.
	const tasks: CheckTask[] = [];
	const walk = (folder: string): void => {
		let entries: fs.Dirent[];
		try {
			entries = fs.readdirSync(folder, { withFileTypes: true });
		} catch {
			return;
		}
		entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		for (const entry of entries) {
			const full = path.join(folder, entry.name);
			if (entry.isDirectory()) {
				if (isSidecarPath(entry.name)) {
					tasks.push({ full, kind: 'folder' });
				}
				if (entry.name === '.corpus') {
					checkCorpusFolder(full);
				} else if (!isSkippedFolder(entry.name)) {
					walk(full);
				}
			} else if (isSidecarPath(entry.name)) {
				tasks.push({ full, kind: entry.isFile() ? 'file' : entry.isSymbolicLink() ? 'symlink' : 'other' });
			}
		}
	};
	walk(dir);
	const script = path.join(__dirname, 'checkWorker.js');
	const threads = Math.min(jobs, Math.ceil(tasks.length / BATCH));
	if (threads > 1 && fs.existsSync(script)) {
		problems.push(...await checkInWorkers(script, threads, tasks));
	} else {
		const checker = new SidecarChecker();
		for (const task of tasks) {
			problems.push(...checker.check(task));
		}
	}
	return problems.map((p) => ({ ...p, file: show(p.file) }));
}

/** Batches of {@link BATCH} tasks over the pool; results in task order. */
async function checkInWorkers(script: string, threads: number, tasks: readonly CheckTask[]): Promise<CheckProblem[]> {
	const batches: CheckTask[][] = [];
	for (let i = 0; i < tasks.length; i += BATCH) {
		batches.push(tasks.slice(i, i + BATCH));
	}
	const pool = new WorkerPool(script, threads, 'check');
	try {
		return (await pool.run<CheckTask[], CheckProblem[]>(batches)).answers.flat();
	} catch (error) {
		throw error instanceof WorkerPoolError ? new CliError(error.message, 2) : error;
	} finally {
		await pool.close();
	}
}

/** Checks sidecars one at a time (in this thread or a worker), keeping the label schema per folder. */
export class SidecarChecker {
	private readonly schemas = new Map<string, Schema>();

	check(task: CheckTask): CheckProblem[] {
		const { full, kind } = task;
		const notAFile = (message: string, code: string): CheckProblem[] => [{ file: full, line: 1, column: 1, severity: 'error', code, message }];
		if (kind === 'folder') {
			return notAFile('A folder is named like a sidecar: a sidecar must be a file.', 'not-a-file');
		}
		if (kind === 'other') {
			return notAFile('Named like a sidecar but not a regular file (a pipe, socket or device); not opened.', 'not-a-file');
		}
		if (kind === 'symlink') {
			// A symlink to a sidecar file is followed, like every writer does; anything else is reported.
			const target = statOf(full);
			if (!target) {
				return notAFile('A symbolic link whose target does not exist.', 'dangling-symlink');
			}
			if (!target.isFile()) {
				return notAFile(`A symbolic link to a ${target.isDirectory() ? 'folder' : 'special file'}, not to a sidecar file.`, 'not-a-file');
			}
		}
		let bytes: Uint8Array;
		try {
			bytes = fs.readFileSync(full);
		} catch (error) {
			return notAFile(`Cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, 'unreadable');
		}
		const articlePath = articlePathFor(full)!;
		const article = readArticle(articlePath);
		const schema = this.schemaFor(path.dirname(full));
		return [
			...(article.problem ? [article.problem] : []),
			...checkSidecar({
				file: full, text: bytes, articleName: baseName(articlePath), articleText: article.text,
				articleUnreadable: article.problem !== undefined, labels: schema.labels, relationTypes: schema.relationTypes,
			}),
		];
	}

	/** The labels and relation types in force in a folder (the nearest labels.yaml, else the defaults). */
	private schemaFor(folder: string): Schema {
		let schema = this.schemas.get(folder);
		if (!schema) {
			const text = readText(path.join(folder, '.corpus', 'labels.yaml'));
			const parent = path.dirname(folder);
			if (text !== undefined) {
				const parsed = parseLabelSchema(text);
				schema = { labels: new Set(effectiveLabels(parsed).map((l) => l.id)), relationTypes: effectiveRelationTypes(parsed) };
			} else {
				schema = parent === folder ? { labels: new Set(DEFAULT_LABELS.map((l) => l.id)), relationTypes: DEFAULT_RELATION_TYPES } : this.schemaFor(parent);
			}
			this.schemas.set(folder, schema);
		}
		return schema;
	}
}

type Schema = { labels: ReadonlySet<string>; relationTypes: readonly RelationTypeDef[] };

function statOf(file: string): fs.Stats | undefined {
	try {
		return fs.statSync(file);
	} catch {
		return undefined;
	}
}

function isFolder(file: string): boolean {
	return statOf(file)?.isDirectory() ?? false;
}

function readText(file: string): string | undefined {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}
}

/** The article next to a sidecar: its text, nothing when it does not exist, or why it cannot be read. */
function readArticle(articlePath: string): { text?: string; problem?: CheckProblem } {
	const stat = statOf(articlePath);
	if (stat && !stat.isFile()) {
		// Never open a pipe or device: reading it could block the whole check.
		return { problem: { file: articlePath, line: 1, column: 1, severity: 'error', code: 'not-a-file', message: 'The article is not a regular file.' } };
	}
	let bytes: Uint8Array;
	try {
		bytes = fs.readFileSync(articlePath);
	} catch (error) {
		const e = error as NodeJS.ErrnoException;
		return e.code === 'ENOENT' ? {} : {
			problem: { file: articlePath, line: 1, column: 1, severity: 'error', code: 'unreadable', message: `Cannot read the article: ${e.code ?? e.message}.` },
		};
	}
	const decoded = decodeSidecarBytes(bytes);
	if (!decoded.ok) {
		const e = decoded.errors[0];
		return { problem: { file: articlePath, line: e.line, column: e.column, severity: 'error', code: e.code, message: 'The article is not valid UTF-8 here; its annotations cannot be checked.' } };
	}
	return { text: decoded.text };
}
