import type { CliCommand } from './cliTypes';

/** Every subcommand, in the order `corpus-annotator --help` lists them. One line per command. */
export const commands: readonly CliCommand[] = [
];
