import * as path from 'path';
import { articlePathFor } from '../../core/corpus/corpusLayout';
import type { Annotation, Relation } from '../../core/annotations/model';
import { formatDiffLines, isEmptyDiff, type SidecarDiff } from '../../core/review/annotationDiff';
import { diffSidecarTexts } from '../../core/review/sidecarTextDiff';
import { GitError, repositoryRoot } from '../../node/git';
import { changedSidecars } from '../../node/sidecarChanges';
import { parseArgs, stringOption } from '../args';
import { CliError, type CliCommand, type CliIo } from '../cliTypes';

/** One article in `diff --json` output. */
export interface DiffJsonEntry {
	/** Article path relative to DIR (forward slashes). */
	readonly article: string;
	/** Sidecar path relative to DIR. */
	readonly sidecar: string;
	readonly added: Annotation[];
	readonly removed: Annotation[];
	readonly changed: { id: string; fields: string[]; before: Annotation; after: Annotation }[];
	/** Header fields that changed (`textHash`, `date`, `article`). */
	readonly header: { field: string; before: string | null; after: string | null }[];
	/** Relations added, removed and changed, by relation id (empty lists when none changed). */
	readonly relations: {
		readonly added: Relation[];
		readonly removed: Relation[];
		readonly changed: { id: string; fields: string[]; before: Relation; after: Relation }[];
	};
	/** Label and quote of the annotations those relations name, by annotation id (absent: in neither version). */
	readonly endpoints: Record<string, { label: string; quote: string }>;
	/** Why a version could not be read (e.g. unresolved merge conflict); that side counts as empty. */
	readonly errors?: string[];
}

/** `corpus-annotator diff [--from REF] [--to REF] [DIR] [--json] [--exit-code]`: annotation changes between two versions. */
export const diffCommand: CliCommand = {
	name: 'diff',
	summary: 'Show annotations added, removed and changed between two git versions',
	failureExitCode: 2,
	usage: [
		'diff [--from REF] [--to REF] [DIR] [--json] [--exit-code]',
		'',
		'  Compares every sidecar (*.ann.yaml) under DIR (default: the current folder) by annotation id.',
		'  --from REF    the old version (default HEAD)',
		'  --to REF      the new version (default: the working tree, untracked sidecars included)',
		'  Relations are compared by relation id too, and printed with the quotes of their two annotations.',
		'  --json        print [{ "article", "sidecar", "added", "removed", "changed": [{ "id", "fields", "before", "after" }], "header",',
		'                "relations": { "added", "removed", "changed" }, "endpoints": { "<annotation id>": { "label", "quote" } } }]',
		'  --exit-code   exit 1 when there are changes (like git diff --exit-code); errors exit 2',
	].join('\n'),
	async run(args: readonly string[], io: CliIo): Promise<number> {
		const parsed = parseArgs(args, ['from', 'to'], ['json', 'exit-code']);
		if (parsed.positional.length > 1) {
			throw new CliError('expected at most one folder', 2);
		}
		const dir = path.resolve(io.cwd, parsed.positional[0] ?? '.');
		let root: string | undefined;
		try {
			root = await repositoryRoot(dir);
		} catch (error) {
			throw new CliError(error instanceof Error ? error.message : String(error), 2);
		}
		if (!root) {
			throw new CliError(`${dir} is not inside a git repository`, 2);
		}
		const from = stringOption(parsed, 'from') ?? 'HEAD';
		const to = stringOption(parsed, 'to');
		let files;
		try {
			files = await changedSidecars(dir, from, to);
		} catch (error) {
			throw new CliError(error instanceof GitError ? error.message : String(error), 2);
		}
		const entries = files
			.map((f) => ({ file: f, diff: diffSidecarTexts(f.before, f.after) }))
			.filter((e) => !isEmptyDiff(e.diff) || e.diff.errors);
		if (parsed.options.has('json')) {
			io.out(JSON.stringify(entries.map((e) => toJson(e.file.path, e.diff)), null, 2) + '\n');
		} else {
			io.out(formatDiffText(entries.map((e) => ({ sidecar: e.file.path, diff: e.diff })), from, to));
		}
		return parsed.options.has('exit-code') && entries.length > 0 ? 1 : 0;
	},
};

function toJson(sidecar: string, diff: SidecarDiff): DiffJsonEntry {
	const entry: DiffJsonEntry = {
		article: articlePathFor(sidecar) ?? sidecar,
		sidecar,
		added: [...diff.added],
		removed: [...diff.removed],
		changed: diff.changed.map((c) => ({ id: c.id, fields: [...c.fields], before: c.before, after: c.after })),
		header: diff.header.map((h) => ({ ...h })),
		relations: {
			added: [...diff.relations.added],
			removed: [...diff.relations.removed],
			changed: diff.relations.changed.map((c) => ({ id: c.id, fields: [...c.fields], before: c.before, after: c.after })),
		},
		endpoints: Object.fromEntries([...diff.endpoints].map(([id, a]) => [id, { label: a.label, quote: a.quote }])),
	};
	return diff.errors ? { ...entry, errors: diff.errors.errors.map((e) => `${diff.errors!.side}: line ${e.line}: ${e.message}`) } : entry;
}

/** Markdown-ish text for a pull-request comment: a heading per article, one line per change. */
export function formatDiffText(entries: readonly { sidecar: string; diff: SidecarDiff }[], from: string, to: string | undefined): string {
	const target = to ?? 'working tree';
	if (entries.length === 0) {
		return `No annotation changes between ${from} and ${target}.\n`;
	}
	const lines: string[] = [`Annotation changes ${from} → ${target}`];
	let added = 0, removed = 0, changed = 0;
	const relations = { added: 0, removed: 0, changed: 0 };
	for (const { sidecar, diff } of entries) {
		added += diff.added.length;
		removed += diff.removed.length;
		changed += diff.changed.length;
		relations.added += diff.relations.added.length;
		relations.removed += diff.relations.removed.length;
		relations.changed += diff.relations.changed.length;
		lines.push('', `### ${articlePathFor(sidecar) ?? sidecar}`, '');
		if (diff.errors) {
			lines.push(`! ${diff.errors.side} version unreadable: line ${diff.errors.errors[0]?.line ?? 1}: ${diff.errors.errors[0]?.message ?? ''}`);
		}
		lines.push(...formatDiffLines(diff));
	}
	const relationTotals = relations.added + relations.removed + relations.changed > 0
		? `; relations: ${relations.added} added, ${relations.removed} removed, ${relations.changed} changed`
		: '';
	lines.push('', `${entries.length} article(s): ${added} added, ${removed} removed, ${changed} changed${relationTotals}`);
	return lines.join('\n') + '\n';
}
