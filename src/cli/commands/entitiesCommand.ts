import * as path from 'node:path';
import { parseArgs, stringOption } from '../args';
import { CliError, type CliCommand } from '../cliTypes';
import { canonicalText, codePointLength, TextIndex } from '../../core/annotations/offsets';
import { EMPTY_ENTITY_LIST, parseEntityList } from '../../core/entities/entityList';
import { EntityMatcher } from '../../core/entities/entityMatcher';
import type { EntityMention, EntityType } from '../../core/entities/entityTypes';
import { tagText, type LoadedModel, type NerModel } from '../../core/ner/tagger';
import { applyCorrections, CORRECTIONS_FILE, type NerCorrection } from '../../core/entities/nerCorrections';
import { adaptToCorrections, readCorrectionsFile } from './nerCorrectionsFile';
import { findWorkspaceFile } from '../../node/corpusFiles';
import { readUtf8 } from '../../node/files';
import { readModel } from './nerCommon';

/** One entity in `entities --json` output. */
export interface EntityJson {
	/** Sidecar offsets (what `annotate --start/--end` takes): code points into the canonical text, end exclusive. */
	readonly start: number;
	readonly end: number;
	readonly text: string;
	readonly type: EntityType;
	/** `list`: a spelling in `.corpus/entities.yaml`; `tagger`: found by the statistical tagger; `correction`: an analyst's correction in this article. */
	readonly source: EntityMention['source'];
	/** The entity list's name for it, or null when it is not listed. */
	readonly canonical: string | null;
}

/** One file in `entities --json` output. */
export interface EntitiesJsonEntry {
	/** As given on the command line. */
	readonly file: string;
	readonly entities: EntityJson[];
}

export const entitiesCommand: CliCommand = {
	name: 'entities',
	summary: 'Tag named entities (PER/LOC/ORG/MISC) in articles; offsets as in sidecars',
	usage: [
		'entities <file>... [--json] [--model <path>]',
		'',
		'  Uses the shipped model plus the analysts\' entity list (.corpus/entities.yaml in the file\'s folder',
		'  or the nearest ancestor): listed spellings get the list\'s type, notEntities are dropped. The model',
		'  first learns from the corrections in the nearest .corpus/ner-corrections.yaml, as the extension does.',
		'  Offsets are the sidecars\' (what annotate --start/--end takes): Unicode code points into the text,',
		'  end exclusive; a BOM is not counted and a CRLF line end counts as one.',
		'  Prints a table per file (type, text, start–end, source); --json prints',
		'  [{ "file", "entities": [{ "start", "end", "text", "type", "source", "canonical" }] }].',
	].join('\n'),
	async run(args, io) {
		const parsed = parseArgs(args, ['model'], ['json']);
		if (parsed.positional.length === 0) {
			throw new CliError('expected at least one file');
		}
		const { model } = readModel(io.cwd, stringOption(parsed, 'model'));
		// Every file is read before anything is printed: an unreadable one fails the command with no partial output.
		const files: { name: string; text: string; matcher: EntityMatcher; learnt: LearntModel }[] = [];
		const matchers = new EntityMatchers();
		const learnt = new LearntModels(model);
		for (const name of parsed.positional) {
			const full = path.resolve(io.cwd, name);
			files.push({ name, text: canonicalText(await readUtf8(full, 'article')), matcher: await matchers.forFolder(path.dirname(full)), learnt: await learnt.forFolder(path.dirname(full)) });
		}
		// One file at a time: output starts at once, and a reader that stops early (`| head`) stops the work.
		const json = parsed.options.has('json');
		io.out(json ? '[\n' : '');
		for (const [i, file] of files.entries()) {
			if (i > 0) {
				// Lets a closed pipe be noticed (the CLI then exits) before the next file is tagged.
				await new Promise((resolve) => setImmediate(resolve));
			}
			const entry: EntitiesJsonEntry = { file: file.name, entities: findEntities(file.learnt, file.matcher, file.text) };
			io.out(json ? indent(JSON.stringify(entry, null, 2)) + (i < files.length - 1 ? ',\n' : '\n') : formatEntityTable(entry, i === 0));
		}
		io.out(json ? ']\n' : '');
		return 0;
	},
};

/** The merged tagger, correction and entity-list mentions of a canonical text, with sidecar offsets. */
function findEntities(learnt: LearntModel, matcher: EntityMatcher, canonical: string): EntityJson[] {
	const index = TextIndex.forCanonical(canonical);
	return applyCorrections(canonical, matcher.merge(canonical, tagText(learnt.model, canonical)), learnt.corrections).map((m) => ({
		start: index.toCodePoint(m.start),
		end: index.toCodePoint(m.end),
		text: m.text,
		type: m.type,
		source: m.source,
		canonical: m.canonical ?? null,
	}));
}

interface LearntModel {
	model: NerModel;
	corrections: readonly NerCorrection[];
}

/** The model adapted from the nearest `.corpus/ner-corrections.yaml`, once per corrections file. */
class LearntModels {
	private readonly byFile = new Map<string, LearntModel>();

	constructor(private readonly shipped: LoadedModel) {}

	async forFolder(dir: string): Promise<LearntModel> {
		const file = await findWorkspaceFile(dir, CORRECTIONS_FILE);
		let learnt = this.byFile.get(file ?? '');
		if (!learnt) {
			const corrections = file ? (await readCorrectionsFile(file)).corrections : [];
			learnt = { model: adaptToCorrections(this.shipped, corrections).model, corrections };
			this.byFile.set(file ?? '', learnt);
		}
		return learnt;
	}
}

/** One matcher per entity list file (or none), shared by every file that list applies to. */
class EntityMatchers {
	private readonly byList = new Map<string, EntityMatcher>();

	async forFolder(dir: string): Promise<EntityMatcher> {
		const listPath = await findWorkspaceFile(dir, 'entities.yaml');
		const key = listPath ?? '';
		let matcher = this.byList.get(key);
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
			this.byList.set(key, matcher);
		}
		return matcher;
	}
}

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
