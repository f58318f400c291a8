import * as path from 'node:path';
import { parseArgs, stringOption } from '../args';
import { CliError, type CliCommand } from '../cliTypes';
import { canonicalText, codePointLength } from '../../core/annotations/offsets';
import { readUtf8 } from '../../node/files';
import { readCanonicalParagraphs } from '../../node/paragraphChunks';
import { readModel } from './nerCommon';
import { EntityMatchers, findEntities, isBigFile, LearntModels, tagBigFile, type EntitiesJsonEntry, type LearntModel } from './entityTagging';
import type { EntityMatcher } from '../../core/entities/entityMatcher';
import { runEntitiesJsonl } from './entitiesJsonl';

export type { EntitiesJsonEntry, EntityJson } from './entityTagging';

export const entitiesCommand: CliCommand = {
	name: 'entities',
	summary: 'Tag named entities (PER/LOC/ORG/MISC) in articles; offsets as in sidecars',
	usage: [
		'entities <file>... [--json] [--model <path>]',
		'entities <file or folder>... --jsonl [--jobs N] [--shard I/N] [--model <path>]',
		'',
		'  Uses the shipped model plus the analysts\' entity list (.corpus/entities.yaml in the file\'s folder',
		'  or the nearest ancestor): listed spellings get the list\'s type, notEntities are dropped. The model',
		'  first learns from the corrections in the nearest .corpus/ner-corrections.yaml, as the extension does.',
		'  Offsets are the sidecars\' (what annotate --start/--end takes): Unicode code points into the text,',
		'  end exclusive; a BOM is not counted and a CRLF line end counts as one.',
		'  Prints a table per file (type, text, start–end, source); --json prints',
		'  [{ "file", "entities": [{ "start", "end", "text", "type", "source", "canonical", "confidence" }] }].',
		'',
		'  A file of 1 MiB or more is read and tagged in paragraph chunks (names typed consistently within a',
		'  chunk), never held whole.',
		'  --jsonl      one line {"file", "entities": […]} per article, written as each is tagged (memory stays',
		'               bounded whatever the corpus size), in path order. A folder stands for every article',
		'               (.txt with a date header) below it; dot folders and node_modules are skipped. A file that',
		'               cannot be read gives {"file", "error"} and exit 1 once the rest is done.',
		'  --jobs N     tag in N worker threads (default: the number of cores; 1 tags in this thread)',
		'  --shard I/N  only the I-th of N disjoint parts (1 ≤ I ≤ N), chosen by a stable hash of each',
		'               article\'s path relative to the folder given (a file: its path as given), so the same',
		'               command runs as an array job on many machines and the outputs concatenate into one result',
	].join('\n'),
	async run(args, io) {
		const parsed = parseArgs(args, ['model', 'jobs', 'shard'], ['json', 'jsonl']);
		if (parsed.positional.length === 0) {
			throw new CliError('expected at least one file');
		}
		if (parsed.options.has('jsonl')) {
			if (parsed.options.has('json')) {
				throw new CliError('give --json or --jsonl, not both');
			}
			return runEntitiesJsonl(io, parsed.positional, { model: stringOption(parsed, 'model'), jobs: stringOption(parsed, 'jobs'), shard: stringOption(parsed, 'shard') });
		}
		for (const flag of ['jobs', 'shard']) {
			if (parsed.options.has(flag)) {
				throw new CliError(`--${flag} goes with --jsonl`);
			}
		}
		const { model } = readModel(io.cwd, stringOption(parsed, 'model'));
		// Every file is read before anything is printed: an unreadable one fails the command with no partial output.
		// A big file is only checked here (read through once) and tagged chunk by chunk below, never held whole.
		const files: { name: string; full: string; text: string | undefined; matcher: EntityMatcher; learnt: LearntModel }[] = [];
		const matchers = new EntityMatchers();
		const learnt = new LearntModels(model);
		for (const name of parsed.positional) {
			const full = path.resolve(io.cwd, name);
			let text: string | undefined;
			if (await isBigFile(full)) {
				for await (const chunk of readCanonicalParagraphs(full)) {
					void chunk;
				}
			} else {
				text = canonicalText(await readUtf8(full, 'article'));
			}
			files.push({ name, full, text, matcher: await matchers.forFolder(path.dirname(full)), learnt: await learnt.forFolder(path.dirname(full)) });
		}
		// One file at a time: output starts at once, and a reader that stops early (`| head`) stops the work.
		const json = parsed.options.has('json');
		io.out(json ? '[\n' : '');
		for (const [i, file] of files.entries()) {
			if (i > 0) {
				// Lets a closed pipe be noticed (the CLI then exits) before the next file is tagged.
				await new Promise((resolve) => setImmediate(resolve));
			}
			const entry: EntitiesJsonEntry = file.text === undefined
				? (await tagBigFile(file.full, file.name, false, file.learnt, file.matcher))!
				: { file: file.name, entities: findEntities(file.learnt, file.matcher, file.text) };
			io.out(json ? indent(JSON.stringify(entry, null, 2)) + (i < files.length - 1 ? ',\n' : '\n') : formatEntityTable(entry, i === 0));
		}
		io.out(json ? ']\n' : '');
		return 0;
	},
};

/**
 * A file's entities as a table: a heading with the file and count, then one row per entity
 * (type, text, start–end, source), columns aligned. `first` omits the blank line between files.
 */
function formatEntityTable(entry: EntitiesJsonEntry, first: boolean): string {
	const count = entry.entities.length;
	const heading = `${first ? '' : '\n'}${entry.file} (${count === 0 ? 'no entities' : count === 1 ? '1 entity' : `${count} entities`})\n`;
	if (count === 0) {
		return heading;
	}
	const rows = [
		['type', 'text', 'start–end', 'source'],
		...entry.entities.map((e) => [
			e.type,
			// A name broken over lines stays on its row.
			e.text.replace(/\s+/g, ' '),
			`${e.start}–${e.end}`,
			e.canonical !== null && e.canonical !== e.text ? `${e.source} (${e.canonical})` : e.source,
		]),
	];
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => codePointLength(row[column]))));
	const lines = rows.map((row) => '  ' + row.map((cell, column) => (column === row.length - 1 ? cell : cell + ' '.repeat(widths[column] - codePointLength(cell)))).join('  '));
	return heading + lines.join('\n') + '\n';
}

function indent(json: string): string {
	return '  ' + json.replace(/\n/g, '\n  ');
}
