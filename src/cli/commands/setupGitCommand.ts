import * as fs from 'fs';
import * as path from 'path';
import { GitError, setupMergeDriver } from '../../node/git';
import { parseArgs, stringOption } from '../args';
import { CliError, type CliCommand, type CliIo } from '../cliTypes';

/** `corpus-annotator setup-git [DIR] [--cli PATH]`: registers the sidecar merge driver in the repository of DIR. */
export const setupGitCommand: CliCommand = {
	name: 'setup-git',
	summary: 'Register the sidecar merge driver in a git repository',
	usage: [
		'setup-git [DIR] [--cli PATH]',
		'',
		'  Appends "*.ann.yaml merge=corpus-annotator" to the repository\'s .gitattributes (once) and sets',
		'  merge.corpus-annotator.name/.driver in its .git/config to "<node> <cli.js> merge-driver %O %A %B %P",',
		'  using the node running this command and this cli.js (override with --cli).',
		'  The driver config is per clone: every analyst runs setup-git once; .gitattributes is committed.',
	].join('\n'),
	async run(args: readonly string[], io: CliIo): Promise<number> {
		const parsed = parseArgs(args, ['cli']);
		if (parsed.positional.length > 1) {
			throw new CliError('expected at most one folder');
		}
		const dir = path.resolve(io.cwd, parsed.positional[0] ?? '.');
		const cli = path.resolve(io.cwd, stringOption(parsed, 'cli') ?? currentCliPath());
		try {
			const result = await setupMergeDriver(dir, { node: process.execPath, cli });
			io.out(
				`${result.attributesAdded ? 'Added' : 'Already present:'} "*.ann.yaml merge=corpus-annotator" in ${result.attributesFile}\n` +
					`Set merge.corpus-annotator.driver = ${result.driver}\n` +
					(result.attributesAdded ? 'Commit .gitattributes so every clone routes sidecars to the driver.\n' : ''),
			);
			return 0;
		} catch (error) {
			throw new CliError(error instanceof GitError ? error.message : String(error));
		}
	},
};

/** The cli.js this process runs (resolving an npm bin symlink). */
function currentCliPath(): string {
	const script = process.argv[1];
	if (!script) {
		throw new CliError('cannot tell where cli.js is; pass --cli PATH');
	}
	try {
		return fs.realpathSync(script);
	} catch {
		return script;
	}
}
