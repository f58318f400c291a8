/**
 * Tagging one article as `entities` does: the shipped model adapted to the nearest corrections,
 * merged with the nearest entity list. Shared by the command and its worker threads.
 */
import * as path from 'node:path';
import { canonicalText, canonicalUtf16Offset, TextIndex } from '../../core/annotations/offsets';
import { parseHeader } from '../../core/article/articleParser';
import { EMPTY_ENTITY_LIST, parseEntityList } from '../../core/entities/entityList';
import { EntityMatcher } from '../../core/entities/entityMatcher';
import type { EntityMention, EntityType } from '../../core/entities/entityTypes';
import { applyCorrections, CORRECTIONS_FILE, type NerCorrection } from '../../core/entities/nerCorrections';
import { tagText, type LoadedModel, type NerModel } from '../../core/ner/tagger';
import { findWorkspaceFile } from '../../node/corpusFiles';
import { readUtf8 } from '../../node/files';
import { CliError } from '../cliTypes';
import { adaptToCorrections, readCorrectionsFile } from './nerCorrectionsFile';

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

/** The merged tagger, correction and entity-list mentions of a canonical text, with sidecar offsets. */
export function findEntities(learnt: LearntModel, matcher: EntityMatcher, canonical: string): EntityJson[] {
	const index = TextIndex.forCanonical(canonical);
	return applyCorrections(canonical, matcher.merge(canonical, tagText(learnt.model, canonical)), learnt.corrections).map((m) => ({
		start: index.toCodePoint(canonicalUtf16Offset(m.start)),
		end: index.toCodePoint(canonicalUtf16Offset(m.end)),
		text: m.text,
		type: m.type,
		source: m.source,
		canonical: m.canonical ?? null,
	}));
}

export interface LearntModel {
	model: NerModel;
	corrections: readonly NerCorrection[];
}

/** The model adapted from the nearest `.corpus/ner-corrections.yaml`, once per corrections file. */
export class LearntModels {
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
export class EntityMatchers {
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
 * Tags files one at a time with per-folder caches (one adapted model per corrections file, one
 * matcher per entity list): what a worker thread or the command's own thread holds.
 */
export class FileTagger {
	private readonly matchers = new EntityMatchers();
	private readonly learnt: LearntModels;

	constructor(shipped: LoadedModel) {
		this.learnt = new LearntModels(shipped);
	}

	/**
	 * The article's entities, or undefined when the file is not an article (no ` date YYYY-MM`
	 * first line: a README beside the articles).
	 */
	async tag(fullPath: string, shown: string, articlesOnly: boolean): Promise<EntitiesJsonEntry | undefined> {
		const text = canonicalText(await readUtf8(fullPath, 'article'));
		if (articlesOnly && !isArticleText(text)) {
			return undefined;
		}
		const dir = path.dirname(fullPath);
		const [matcher, learnt] = [await this.matchers.forFolder(dir), await this.learnt.forFolder(dir)];
		return { file: shown, entities: findEntities(learnt, matcher, text) };
	}
}

function isArticleText(canonical: string): boolean {
	const nl = canonical.indexOf('\n');
	return parseHeader(nl < 0 ? canonical : canonical.slice(0, nl)).header !== null;
}
