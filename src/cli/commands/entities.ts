import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, stringOption } from '../args';
import { CliError, type CliCommand } from '../cliTypes';
import { EMPTY_ENTITY_LIST, parseEntityList } from '../../core/entities/entityList';
import { EntityMatcher } from '../../core/entities/entityMatcher';
import { tagText } from '../../core/ner/tagger';
import { utf16OffsetsToCodePoints } from '../../core/text/codePoints';
import { findWorkspaceFile } from '../../node/corpusFiles';
import { readUtf8 } from '../../node/files';
import { readModel } from './nerCommon';

export const entitiesCommand: CliCommand = {
	name: 'entities',
	summary: 'Tag named entities (PER/LOC/ORG/MISC) in text files; offsets in code points',
	usage: [
		'entities <file>... --json [--model <path>]',
		'',
		'  Uses the shipped model plus the analysts\' entity list (.corpus/entities.yaml in the file\'s folder',
		'  or the nearest ancestor): listed spellings get the list\'s type, notEntities are dropped.',
		'  Offsets are Unicode code points from the start of the file, end exclusive.',
	].join('\n'),
	async run(args, io) {
		const parsed = parseArgs(args, ['model'], ['json']);
		if (parsed.positional.length === 0) {
			throw new CliError('expected at least one file');
		}
		if (!parsed.options.has('json')) {
			throw new CliError('only --json output is supported; add --json');
		}
		const { model } = readModel(io.cwd, stringOption(parsed, 'model'));
		const matchers = new Map<string, EntityMatcher>();
		const matcherFor = async (dir: string): Promise<EntityMatcher> => {
			const listPath = await findWorkspaceFile(dir, 'entities.yaml');
			const key = listPath ?? '';
			let matcher = matchers.get(key);
			if (!matcher) {
				let list = EMPTY_ENTITY_LIST;
				if (listPath) {
					const parsedList = parseEntityList(await readUtf8(listPath, 'entity list'));
					if (parsedList.errors.length > 0) {
						const e = parsedList.errors[0];
						throw new CliError(`${listPath}:${e.line}:${e.column}: ${e.message}`);
					}
					list = parsedList.list;
				}
				matcher = new EntityMatcher(list);
				matchers.set(key, matcher);
			}
			return matcher;
		};
		const result = [];
		for (const file of parsed.positional) {
			let text: string;
			try {
				text = fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
			} catch {
				throw new CliError(`cannot read ${file}`);
			}
			const matcher = await matcherFor(path.dirname(path.resolve(io.cwd, file)));
			const spans = matcher.merge(text, tagText(model, text));
			const offsets = utf16OffsetsToCodePoints(text, spans.flatMap((s) => [s.start, s.end]));
			result.push({
				file,
				entities: spans.map((s, i) => ({ start: offsets[2 * i], end: offsets[2 * i + 1], text: s.text, type: s.type })),
			});
		}
		io.out(JSON.stringify(result, null, 2) + '\n');
		return 0;
	},
};
