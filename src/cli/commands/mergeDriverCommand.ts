import * as fs from 'fs';
import * as path from 'path';
import { prepareText } from '../../core/annotations/anchoring';
import { hashArticleText } from '../../core/annotations/textHash';
import { decodeSidecarBytes, type ArticleFacts } from '../../core/annotations/sidecarValidator';
import { articlePathFor } from '../../core/corpus/corpusLayout';
import { describeConflict, mergeSidecars } from '../../core/review/sidecarMerge';
import { CliError, type CliCommand, type CliIo } from '../cliTypes';

/**
 * `corpus-annotator merge-driver %O %A %B %P`: git merge driver for sidecars. Writes the
 * merge of base (%O), ours (%A) and theirs (%B) to %A. Exit 0: clean; 1: conflicts, marked
 * in the file; 2: could not run (the file is left as git gave it).
 */
export const mergeDriverCommand: CliCommand = {
	name: 'merge-driver',
	summary: 'Git merge driver for sidecars: three-way merge by annotation and relation id',
	failureExitCode: 2,
	usage: [
		'merge-driver BASE OURS THEIRS [PATH]',
		'',
		'  Registered by `corpus-annotator setup-git` as `merge-driver %O %A %B %P`.',
		'  Writes the merge to OURS. Exit 0: merged cleanly; 1: conflicts, both versions of each',
		'  conflicting annotation or relation kept between <<<<<<< ours / ======= / >>>>>>> theirs markers.',
		'  A relation one side added or changed whose annotation the other side deleted is a conflict too:',
		'  the annotation and the relation are kept between markers (keep both or neither).',
	].join('\n'),
	async run(args: readonly string[], io: CliIo): Promise<number> {
		if (args.length < 3 || args.length > 4) {
			throw new CliError('expected BASE OURS THEIRS [PATH] (git passes %O %A %B %P)', 2);
		}
		const [basePath, oursPath, theirsPath] = args.map((a) => path.resolve(io.cwd, a));
		const shown = args[3] ?? args[1];
		const read = (file: string, side: string): { text: string; bom: boolean } => {
			let bytes: Uint8Array;
			try {
				bytes = fs.readFileSync(file);
			} catch {
				throw new CliError(`cannot read ${file}`, 2);
			}
			const decoded = decodeSidecarBytes(bytes);
			if (!decoded.ok) {
				const e = decoded.errors[0];
				throw new CliError(`${shown} (${side}):${e.line}:${e.column}: ${e.message} [${e.code}] — not merged, ${shown} left as git gave it`, 2);
			}
			return decoded;
		};
		const ours = read(oursPath, 'ours');
		const article = args[3] === undefined ? undefined : readArticleFacts(path.resolve(io.cwd, args[3]));
		const result = mergeSidecars(read(basePath, 'base').text, ours.text, read(theirsPath, 'theirs').text, { article });
		const unreadable = result.conflicts.find((c) => c.kind === 'unreadable' && c.side === 'ours');
		if (unreadable) {
			const e = unreadable.errors?.[0];
			io.err(`corpus-annotator merge-driver: ${shown}${e ? `:${e.line}:${e.column}: ${e.message} [${e.code}]` : ''} — our version cannot be read; it was left unchanged. Fix it, then merge again.\n`);
			return 1;
		}
		if (result.text !== ours.text) {
			try {
				fs.writeFileSync(oursPath, ours.bom ? `\uFEFF${result.text}` : result.text, 'utf8');
			} catch {
				throw new CliError(`cannot write ${oursPath}`, 2);
			}
		}
		for (const note of result.notes) {
			io.err(`corpus-annotator merge-driver: ${shown}: ${note}\n`);
		}
		if (result.conflicts.length === 0) {
			return 0;
		}
		io.err(
			`corpus-annotator merge-driver: ${shown}: ${result.conflicts.length} conflict(s):\n` +
				result.conflicts.map((c) => `  - ${describeConflict(c)}\n`).join('') +
				`  Both versions are kept between <<<<<<< ours / >>>>>>> theirs markers: keep one per annotation or relation, delete the markers,\n` +
				`  then run \`corpus-annotator check\` and \`git add ${shown}\`.\n`,
		);
		return 1;
	},
};

/**
 * What the validator needs of the article in the work tree next to the sidecar (git runs the
 * driver at the top of the work tree, %P relative to it), or undefined when it cannot be read.
 */
function readArticleFacts(sidecarPath: string): ArticleFacts | undefined {
	const articlePath = articlePathFor(sidecarPath);
	let bytes: Uint8Array;
	try {
		if (articlePath === undefined || !fs.statSync(articlePath).isFile()) {
			return undefined;
		}
		bytes = fs.readFileSync(articlePath);
	} catch {
		return undefined;
	}
	const decoded = decodeSidecarBytes(bytes);
	if (!decoded.ok) {
		return undefined;
	}
	const prepared = prepareText(decoded.text);
	return { codePointLength: prepared.canonIndex.codePointLength, textHash: hashArticleText(prepared.raw) };
}
