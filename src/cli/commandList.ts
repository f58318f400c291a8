import type { CliCommand } from './cliTypes';
import { agreeCommand } from './commands/agreeCommand';
import { annotateCommand } from './commands/annotateCommand';
import { benchNerCommand } from './commands/benchNerCommand';
import { checkCommand } from './commands/checkCommand';
import { diffCommand } from './commands/diffCommand';
import { entitiesCommand } from './commands/entitiesCommand';
import { evalNerCommand } from './commands/evalNerCommand';
import { exportCommand } from './commands/exportCommand';
import { importCommand } from './commands/importCommand';
import { indexCommand } from './commands/indexCommand';
import { listCommand } from './commands/listCommand';
import { mergeDriverCommand } from './commands/mergeDriverCommand';
import { setupGitCommand } from './commands/setupGitCommand';
import { trainNerCommand } from './commands/trainNerCommand';

/** Every subcommand, in the order `corpus-annotator --help` lists them. One line per command. */
export const commands: readonly CliCommand[] = [
	indexCommand,
	entitiesCommand,
	annotateCommand,
	listCommand,
	trainNerCommand,
	evalNerCommand,
	benchNerCommand,
	diffCommand,
	agreeCommand,
	checkCommand,
	exportCommand,
	importCommand,
	setupGitCommand,
	mergeDriverCommand,
];
