/**
 * Tagging one article as `entities` does: the shipped model adapted to the nearest corrections,
 * merged with the nearest entity list. Shared by the command and its worker threads.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { canonicalText, canonicalUtf16Offset, codePointLength, TextIndex } from '../../core/annotations/offsets';
import { parseHeader } from '../../core/article/articleParser';
import { EMPTY_ENTITY_LIST, parseEntityList } from '../../core/entities/entityList';
import { EntityMatcher } from '../../core/entities/entityMatcher';
import type { EntityMention, EntityType } from '../../core/entities/entityTypes';
import { applyCorrections, CORRECTIONS_FILE, type NerCorrection } from '../../core/entities/nerCorrections';
import { tagText, type LoadedModel, type NerModel } from '../../core/ner/tagger';
import { findWorkspaceFile } from '../../node/corpusFiles';
import { fileError } from '../../node/fileErrors';
import { readUtf8 } from '../../node/files';
import { readCanonicalParagraphs } from '../../node/paragraphChunks';
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
	/** The tagger's probability for this span and type (rounded to 0.01); 1 for a list entry or correction. */
	readonly confidence: number;
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
		confidence: Math.round(m.confidence * 100) / 100,
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
		const dir = path.dirname(fullPath);
		const [matcher, learnt] = [await this.matchers.forFolder(dir), await this.learnt.forFolder(dir)];
		if (await isBigFile(fullPath)) {
			return tagBigFile(fullPath, shown, articlesOnly, learnt, matcher);
		}
		const text = canonicalText(await readUtf8(fullPath, 'article'));
		if (articlesOnly && !isArticleText(text)) {
			return undefined;
		}
		return { file: shown, entities: findEntities(learnt, matcher, text) };
	}
}

/**
 * Files from this size on are tagged paragraph chunk by chunk as they are read (a whole year of
 * news pasted into one file), not held as bytes, text and canonical copy at once. An article is
 * far smaller. Names are typed consistently within a chunk, not across the whole file.
 */
export const STREAMED_FILE_BYTES = 1024 * 1024;

/** Whether the file is tagged in chunks; a file that cannot be stat'ed fails as reading it would. */
export async function isBigFile(fullPath: string): Promise<boolean> {
	try {
		return (await fs.stat(fullPath)).size >= STREAMED_FILE_BYTES;
	} catch (error) {
		throw fileError(error, fullPath, 'article');
	}
}

/** {@link findEntities} over a big file, one paragraph chunk at a time, with offsets into the whole file. */
export async function tagBigFile(
	fullPath: string, shown: string, articlesOnly: boolean, learnt: LearntModel, matcher: EntityMatcher,
): Promise<EntitiesJsonEntry | undefined> {
	const entities: EntityJson[] = [];
	let base = 0;
	let first = true;
	for await (const chunk of readCanonicalParagraphs(fullPath)) {
		if (first) {
			first = false;
			if (articlesOnly && !isArticleText(chunk)) {
				return undefined;
			}
		}
		for (const e of findEntities(learnt, matcher, chunk)) {
			entities.push({ ...e, start: base + e.start, end: base + e.end });
		}
		base += codePointLength(chunk);
	}
	return first && articlesOnly ? undefined : { file: shown, entities };
}

function isArticleText(canonical: string): boolean {
	const nl = canonical.indexOf('\n');
	return parseHeader(nl < 0 ? canonical : canonical.slice(0, nl)).header !== null;
}
