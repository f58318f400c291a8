import { promises as fs } from 'fs';
import * as vscode from 'vscode';
import { EMPTY_ENTITY_LIST, parseEntityList, type EntityDefinition } from '../../core/entities/entityList';
import { EntityMatcher } from '../../core/entities/entityMatcher';
import type { EntityMention } from '../../core/entities/entityTypes';
import { applyCorrections } from '../../core/entities/nerCorrections';
import { loadModel, tagText, type LoadedModel } from '../../core/ner/tagger';
import { NearestCorpusFiles } from '../../platform/corpusSettingsFiles';
import { positionDiagnostic } from '../../platform/diagnostics';
import { Disposable } from '../../platform/dispose';
import type { Logger } from '../../platform/logger';
import { CorpusVoteIndex } from './corpusVoteIndex';
import { EntityLearner } from './entityLearning';

/** Where the analysts' entity list lives, relative to a workspace folder. */
export const ENTITY_LIST_PATH = '.corpus/entities.yaml';

/**
 * Finds the entities of an article: the statistical tagger (model loaded lazily, on first use,
 * and adapted to the folder's corrections), merged with the analysts' entity list, the
 * corrections made in this article, and the corpus vote for unsure mentions. Results are cached
 * per document version; a change to an entity list, the corrections or the model invalidates them
 * and fires `onDidChange`.
 */
export class EntityService extends Disposable {
	private model: Promise<LoadedModel> | undefined;
	readonly learner: EntityLearner;
	readonly corpus: CorpusVoteIndex;
	private readonly matchers = new Map<string, EntityMatcher>();
	private readonly listUris = new NearestCorpusFiles('entities.yaml');
	private readonly cache = new Map<string, { version: number; generation: number; mentions: EntityMention[] }>();
	private generation = 0;
	private readonly listProblems = this._register(vscode.languages.createDiagnosticCollection('corpus-entities'));
	private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
	readonly onDidChange = this._onDidChange.event;
	/** Milliseconds the model took to load, once loaded (for the status and benchmarks). */
	modelLoadMs: number | undefined;

	private readonly extensionUri: vscode.Uri;

	constructor(
		context: vscode.ExtensionContext,
		private readonly logger: Logger,
	) {
		super();
		this.extensionUri = context.extensionUri;
		this.learner = this._register(new EntityLearner(context, () => this.getModel(), logger));
		this.corpus = this._register(new CorpusVoteIndex((uri, text) => this.baseMentions(uri, text), logger));
		this._register(
			this.learner.onDidLearn(() => {
				this.generation++;
				this._onDidChange.fire();
				this.corpus.reindex();
			}),
		);
		this._register(
			this.corpus.onDidIndex(() => {
				this.generation++;
				this._onDidChange.fire();
			}),
		);
		this._register(
			vscode.workspace.onDidChangeConfiguration((e) => {
				if (e.affectsConfiguration('corpusAnnotator.entities.corpusVote')) {
					this.generation++;
					this._onDidChange.fire();
				}
			}),
		);
		const watcher = this._register(vscode.workspace.createFileSystemWatcher(`**/${ENTITY_LIST_PATH}`));
		const invalidate = (uri: vscode.Uri): void => {
			// Matchers are keyed by their list's URI; a created or deleted list can change which list is nearest.
			this.matchers.delete(uri.toString());
			this.listUris.clear();
			this.generation++;
			this._onDidChange.fire();
		};
		this._register(watcher.onDidChange(invalidate));
		this._register(watcher.onDidCreate(invalidate));
		this._register(watcher.onDidDelete(invalidate));
		this._register(vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())));
		this._register(
			vscode.workspace.onDidChangeWorkspaceFolders(() => {
				this.matchers.clear();
				this.listUris.clear();
				this.generation++;
				this._onDidChange.fire();
			}),
		);
	}

	/**
	 * The entity list that applies to `uri`: the nearest `.corpus/entities.yaml` upward within its
	 * workspace folder, as the CLI finds it; else the folder's own (which may not exist yet).
	 */
	entityListUri(uri: vscode.Uri): Promise<vscode.Uri | undefined> {
		return this.listUris.get(uri);
	}

	/** Forces the entity lists to be re-read (after we wrote one ourselves, without waiting for the watcher). */
	invalidateLists(): void {
		this.matchers.clear();
		this.listUris.clear();
		this.generation++;
		this._onDidChange.fire();
	}

	async mentions(document: vscode.TextDocument): Promise<EntityMention[]> {
		const key = document.uri.toString();
		const hit = this.cache.get(key);
		if (hit && hit.version === document.version && hit.generation === this.generation) {
			return hit.mentions;
		}
		const generation = this.generation;
		const base = await this.baseMentions(document.uri, document.getText());
		this.corpus.update(document.uri, base);
		const voting = vscode.workspace.getConfiguration('corpusAnnotator', document.uri).get<boolean>('entities.corpusVote', true);
		if (voting) {
			void this.corpus.whenIndexed();
		}
		const mentions = voting ? this.corpus.votes.apply(document.uri.toString(), base) : base;
		this.cache.set(key, { version: document.version, generation, mentions });
		return mentions;
	}

	/** Tagger (adapted to the folder's corrections) + entity list + this article's corrections, without the corpus vote. */
	async baseMentions(uri: vscode.Uri, text: string): Promise<EntityMention[]> {
		const [{ model, corrections }, matcher] = await Promise.all([this.learner.modelFor(uri), this.matcherFor(uri)]);
		return applyCorrections(text, matcher.merge(text, tagText(model, text)), corrections);
	}

	/** The listed entity for a mention's text, if the analysts listed it. */
	async lookup(uri: vscode.Uri, text: string): Promise<EntityDefinition | undefined> {
		return (await this.matcherFor(uri)).lookup(text);
	}

	async matcherFor(uri: vscode.Uri): Promise<EntityMatcher> {
		const listUri = await this.entityListUri(uri);
		const key = listUri?.toString() ?? '';
		const cached = this.matchers.get(key);
		if (cached) {
			return cached;
		}
		let list = EMPTY_ENTITY_LIST;
		if (listUri) {
			try {
				const bytes = await vscode.workspace.fs.readFile(listUri);
				const parsed = parseEntityList(new TextDecoder().decode(bytes));
				list = parsed.list;
				// Valid entries still apply; the broken ones are shown where they are.
				this.listProblems.set(listUri, parsed.errors.map(positionDiagnostic));
			} catch (error) {
				if (!(error instanceof vscode.FileSystemError && error.code === 'FileNotFound')) {
					this.logger.error(`could not read ${listUri.fsPath}`, error);
				}
			}
		}
		const matcher = new EntityMatcher(list);
		this.matchers.set(key, matcher);
		return matcher;
	}

	private getModel(): Promise<LoadedModel> {
		this.model ??= (async () => {
			const started = performance.now();
			const uri = vscode.Uri.joinPath(this.extensionUri, 'models', 'nl-ner.model');
			// Local installs read with Node directly: workspace.fs adds a round trip through the file service.
			const bytes = uri.scheme === 'file' ? await fs.readFile(uri.fsPath) : await vscode.workspace.fs.readFile(uri);
			const read = performance.now();
			const model = loadModel(bytes);
			this.modelLoadMs = performance.now() - started;
			this.logger.info(`entity model loaded in ${this.modelLoadMs.toFixed(1)} ms (read ${(read - started).toFixed(1)} ms, parse ${(performance.now() - read).toFixed(1)} ms)`);
			return model;
		})();
		this.model.catch(() => (this.model = undefined));
		return this.model;
	}

}
