import { promises as fsp } from 'fs';
import * as path from 'path';
import { AuthorAgreement, type AuthorReport } from '../../core/agreement/byAuthor';
import { compareArticle, type SideProblem } from '../../core/agreement/compare';
import { formatAgreement, formatAuthorAgreement } from '../../core/agreement/format';
import { AgreementAccumulator, type AgreementReport } from '../../core/agreement/report';
import { DEFAULT_LABELS, parseLabelSchema } from '../../core/annotations/labelSchema';
import { findWorkspaceFile } from '../../node/corpusFiles';
import { readUtf8 } from '../../node/files';
import { GitBlobReader, openCorpusVersion, readArticleInputs, WORKTREE, type CorpusVersion } from '../../node/gitBatch';
import { GitError, repositoryRoot } from '../../node/git';
import { parseArgs, stringOption } from '../args';
import { CliError, type CliCommand, type CliIo } from '../cliTypes';

/** `corpus-annotator agree [DIR] --a REF --b REF | --by-author [--json] [--labels L1,L2]`: agreement between analysts. */
export const agreeCommand: CliCommand = {
	name: 'agree',
	summary: 'Measure agreement between two analysts (two git refs, or the authors in the sidecars)',
	failureExitCode: 2,
	usage: [
		'agree [DIR] --a REF --b REF [--json] [--labels L1,L2]',
		'agree [DIR] --by-author [--json] [--labels L1,L2]',
		'',
		'  Compares the sidecars of the articles under DIR (default: the current folder) as they are at',
		`  two git refs (a branch per analyst; ${WORKTREE} names the files on disk), or with --by-author the`,
		'  authors found in the working tree\'s sidecars, pairwise and all together. Each side is placed',
		'  in its own article text; when the texts differ both are carried over to the working tree\'s.',
		'  Measures per label and overall: exact_f1, overlap_f1, cohen_kappa, krippendorff_alpha (over',
		'  non-whitespace code points), and counts n_a, n_b, matched_exact, only_a, only_b, label_differs,',
		'  boundary_differs. Articles annotated on one side only, orphaned annotations, unreadable',
		'  sidecars and labels missing from .corpus/labels.yaml are listed apart, never counted.',
		'  --json          print { "a", "b", "overall", "labels", "articles", "orphans", "problems", … }',
		'  --labels L1,L2  compare only these labels',
		'  Prints a Markdown table (for a pull-request comment). Exit 0; 2 on a bad ref or when a sidecar',
		'  cannot be read (the rest is still compared and printed).',
	].join('\n'),
	async run(args: readonly string[], io: CliIo): Promise<number> {
		const parsed = parseArgs(args, ['a', 'b', 'labels'], ['json', 'by-author']);
		if (parsed.positional.length > 1) {
			throw new CliError('expected at most one folder');
		}
		const dir = path.resolve(io.cwd, parsed.positional[0] ?? '.');
		if (!(await fsp.stat(dir).catch(() => undefined))?.isDirectory()) {
			throw new CliError(`not a folder: ${parsed.positional[0] ?? dir}`);
		}
		const labels = labelFilter(stringOption(parsed, 'labels'));
		const schema = await schemaLabels(dir);
		const json = parsed.options.has('json');
		if (parsed.options.has('by-author')) {
			if (parsed.options.has('a') || parsed.options.has('b')) {
				throw new CliError('--by-author compares the authors of the working tree: leave out --a and --b');
			}
			const report = await agreeByAuthor(dir, labels, schema);
			io.out(json ? JSON.stringify(report, null, 2) + '\n' : formatAuthorAgreement(report));
			return exitCode(report.problems);
		}
		const a = stringOption(parsed, 'a');
		const b = stringOption(parsed, 'b');
		if (a === undefined || b === undefined) {
			throw new CliError('give the two versions to compare: --a REF --b REF (or --by-author)');
		}
		const report = await agreeBetweenRefs(dir, a, b, labels, schema);
		io.out(json ? JSON.stringify(report, null, 2) + '\n' : formatAgreement(report));
		return exitCode(report.problems);
	},
};

/** 2 when a file could not be read (everything else was still compared and printed). */
function exitCode(problems: readonly SideProblem[]): number {
	return problems.some((p) => p.kind === 'unreadable') ? 2 : 0;
}

function labelFilter(value: string | undefined): ReadonlySet<string> | undefined {
	if (value === undefined) {
		return undefined;
	}
	const labels = value.split(',').map((l) => l.trim()).filter((l) => l !== '');
	if (labels.length === 0) {
		throw new CliError('--labels needs at least one label, like --labels claim,event');
	}
	return new Set(labels);
}

/** Label ids of the nearest `.corpus/labels.yaml` (the default labels without one). */
async function schemaLabels(dir: string): Promise<ReadonlySet<string>> {
	const file = await findWorkspaceFile(dir, 'labels.yaml');
	const parsed = file ? parseLabelSchema(await readUtf8(file, 'label schema')).labels : [];
	return new Set((parsed.length > 0 ? parsed : DEFAULT_LABELS).map((l) => l.id));
}

/** Compares the sidecars under `dir` at two versions (`WORKTREE` for the files on disk). */
export async function agreeBetweenRefs(dir: string, a: string, b: string, labels: ReadonlySet<string> | undefined, schema: ReadonlySet<string>): Promise<AgreementReport> {
	let reader: GitBlobReader | undefined;
	const needsGit = a !== WORKTREE || b !== WORKTREE;
	if (needsGit && !(await repositoryRoot(dir).catch(rethrowAsCliError))) {
		throw new CliError(`${dir} is not inside a git repository (only ${WORKTREE} can be compared outside one)`);
	}
	try {
		const open = (ref: string): Promise<CorpusVersion> => openCorpusVersion(dir, ref, () => (reader ??= new GitBlobReader(dir))).catch(rethrowAsCliError);
		const [va, vb] = [await open(a), await open(b)];
		const acc = new AgreementAccumulator(a, b);
		await readArticleInputs(dir, va, vb, (input) => acc.add(compareArticle(input, { labels, sideNames: { a, b } })));
		return acc.finish(schema);
	} finally {
		await reader?.close();
	}
}

/** Compares the authors of the working tree's sidecars under `dir`. */
export async function agreeByAuthor(dir: string, labels: ReadonlySet<string> | undefined, schema: ReadonlySet<string>): Promise<AuthorReport> {
	const tree = await openCorpusVersion(dir, WORKTREE, () => {
		throw new Error('the working tree is read from disk');
	});
	const agreement = new AuthorAgreement(labels);
	await readArticleInputs(dir, tree, tree, (input) =>
		agreement.add({ article: input.article, sidecar: input.sidecar, sidecarText: input.a.sidecar, sidecarErrors: input.a.sidecarErrors, articleText: input.a.article }),
	);
	return agreement.finish(schema);
}

function rethrowAsCliError(error: unknown): never {
	if (error instanceof GitError) {
		throw new CliError(error.message, 2);
	}
	throw error;
}
