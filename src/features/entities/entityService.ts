import { promises as fs } from 'fs';
import * as vscode from 'vscode';
import { EMPTY_ENTITY_LIST, parseEntityList, type EntityDefinition } from '../../core/entities/entityList';
import { EntityMatcher } from '../../core/entities/entityMatcher';
import type { EntityMention } from '../../core/entities/entityTypes';
import { loadModel, tagText, type NerModel } from '../../core/ner/tagger';
import { positionDiagnostic } from '../../platform/diagnostics';
import { Disposable } from '../../platform/dispose';
import type { Logger } from '../../platform/logger';

/** Where the analysts' entity list lives, relative to a workspace folder. */
export const ENTITY_LIST_PATH = '.corpus/entities.yaml';

/**
 * Finds the entities of an article: the statistical tagger (model loaded lazily, on first use)
 * merged with the analysts' entity list of the article's workspace folder. Results are cached per
 * document version; a change to an entity list invalidates them and fires `onDidChange`.
 */
export class EntityService extends Disposable {
	private model: Promise<NerModel> | undefined;
	private readonly matchers = new Map<string, EntityMatcher>();
	private readonly cache = new Map<string, { version: number; generation: number; mentions: EntityMention[] }>();
	private generation = 0;
	private readonly listProblems = this._register(vscode.languages.createDiagnosticCollection('corpus-entities'));
	private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
	readonly onDidChange = this._onDidChange.event;
	/** Milliseconds the model took to load, once loaded (for the status and benchmarks). */
	modelLoadMs: number | undefined;

	constructor(
		private readonly extensionUri: vscode.Uri,
		private readonly logger: Logger,
	) {
		super();
		const watcher = this._register(vscode.workspace.createFileSystemWatcher(`**/${ENTITY_LIST_PATH}`));
		const invalidate = (uri: vscode.Uri): void => {
			const folder = vscode.workspace.getWorkspaceFolder(uri);
			if (folder) {
				this.matchers.delete(folder.uri.toString());
			}
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
				this.generation++;
				this._onDidChange.fire();
			}),
		);
	}

	/** The entity list file of the folder holding `uri` (may not exist yet). */
	entityListUri(uri: vscode.Uri): vscode.Uri | undefined {
		const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
		return folder ? vscode.Uri.joinPath(folder.uri, ...ENTITY_LIST_PATH.split('/')) : undefined;
	}

	/** Forces the entity lists to be re-read (after we wrote one ourselves, without waiting for the watcher). */
	invalidateLists(): void {
		this.matchers.clear();
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
		const [model, matcher] = await Promise.all([this.getModel(), this.matcherFor(document.uri)]);
		const text = document.getText();
		const mentions = matcher.merge(text, tagText(model, text));
		this.cache.set(key, { version: document.version, generation, mentions });
		return mentions;
	}

	/** The listed entity for a mention's text, if the analysts listed it. */
	async lookup(uri: vscode.Uri, text: string): Promise<EntityDefinition | undefined> {
		return (await this.matcherFor(uri)).lookup(text);
	}

	async matcherFor(uri: vscode.Uri): Promise<EntityMatcher> {
		const listUri = this.entityListUri(uri);
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

	private getModel(): Promise<NerModel> {
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
