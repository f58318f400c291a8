import * as fs from 'fs';
import * as path from 'path';
import { describeConflict, mergeSidecars } from '../../core/review/sidecarMerge';
import { CliError, type CliCommand, type CliIo } from '../cliTypes';

/**
 * `corpus-annotator merge-driver %O %A %B %P`: git merge driver for sidecars. Writes the
 * merge of base (%O), ours (%A) and theirs (%B) to %A. Exit 0: clean; 1: conflicts, marked
 * in the file; 2: could not run (the file is left as git gave it).
 */
export const mergeDriverCommand: CliCommand = {
	name: 'merge-driver',
	summary: 'Git merge driver for sidecars: three-way merge by annotation id',
	failureExitCode: 2,
	usage: [
		'merge-driver BASE OURS THEIRS [PATH]',
		'',
		'  Registered by `corpus-annotator setup-git` as `merge-driver %O %A %B %P`.',
		'  Writes the merge to OURS. Exit 0: merged cleanly; 1: conflicts, both versions of each',
		'  conflicting annotation kept between <<<<<<< ours / ======= / >>>>>>> theirs markers.',
	].join('\n'),
	async run(args: readonly string[], io: CliIo): Promise<number> {
		if (args.length < 3 || args.length > 4) {
			throw new CliError('expected BASE OURS THEIRS [PATH] (git passes %O %A %B %P)', 2);
		}
		const [basePath, oursPath, theirsPath] = args.map((a) => path.resolve(io.cwd, a));
		const shown = args[3] ?? args[1];
		const read = (file: string): string => {
			try {
				return fs.readFileSync(file, 'utf8');
			} catch {
				throw new CliError(`cannot read ${file}`, 2);
			}
		};
		const result = mergeSidecars(read(basePath), read(oursPath), read(theirsPath));
		try {
			fs.writeFileSync(oursPath, result.text, 'utf8');
		} catch {
			throw new CliError(`cannot write ${oursPath}`, 2);
		}
		for (const note of result.notes) {
			io.err(`corpus-annotator merge-driver: ${shown}: ${note}\n`);
		}
		if (result.conflicts.length === 0) {
			return 0;
		}
		io.err(
			`corpus-annotator merge-driver: ${shown}: ${result.conflicts.length} annotation conflict(s):\n` +
				result.conflicts.map((c) => `  - ${describeConflict(c)}\n`).join('') +
				`  Both versions are kept between <<<<<<< ours / >>>>>>> theirs markers: keep one per annotation, delete the markers,\n` +
				`  then run \`corpus-annotator check\` and \`git add ${shown}\`.\n`,
		);
		return 1;
	},
};
