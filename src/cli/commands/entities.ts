import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, stringOption } from '../args';
import { CliError, type CliCommand } from '../cliTypes';
import { tagText } from '../../core/ner/tagger';
import { utf16OffsetsToCodePoints } from '../../core/text/codePoints';
import { readModel } from './nerCommon';

export const entitiesCommand: CliCommand = {
	name: 'entities',
	summary: 'Tag named entities (PER/LOC/ORG/MISC) in text files; offsets in code points',
	usage: 'entities <file>... --json [--model <path>]',
	async run(args, io) {
		const parsed = parseArgs(args, ['model'], ['json']);
		if (parsed.positional.length === 0) {
			throw new CliError('expected at least one file');
		}
		if (!parsed.options.has('json')) {
			throw new CliError('only --json output is supported; add --json');
		}
		const { model } = readModel(io.cwd, stringOption(parsed, 'model'));
		const result = parsed.positional.map((file) => {
			let text: string;
			try {
				text = fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
			} catch {
				throw new CliError(`cannot read ${file}`);
			}
			const spans = tagText(model, text);
			const offsets = utf16OffsetsToCodePoints(text, spans.flatMap((s) => [s.start, s.end]));
			return {
				file,
				entities: spans.map((s, i) => ({ start: offsets[2 * i], end: offsets[2 * i + 1], text: s.text, type: s.type })),
			};
		});
		io.out(JSON.stringify(result, null, 2) + '\n');
		return 0;
	},
};
