import * as fs from 'fs';
import * as vscode from 'vscode';
import { Worker } from 'worker_threads';
import { hashArticleText } from '../../core/annotations/textHash';
import { correctionExample, parseCorrections, type NerCorrection } from '../../core/entities/nerCorrections';
import { adaptationFromJson, adaptationToJson } from '../../core/ner/overlay';
import type { LoadedModel } from '../../core/ner/tagger';
import { NearestCorpusFiles } from '../../platform/corpusSettingsFiles';
import { positionDiagnostic } from '../../platform/diagnostics';
import { Disposable } from '../../platform/dispose';
import type { Logger } from '../../platform/logger';
import type { AdaptRequest, AdaptWorkerMessage } from './nerAdaptWorker';

/** Where the analysts' tagger corrections live, relative to a workspace folder. */
export const CORRECTIONS_PATH = '.corpus/ner-corrections.yaml';

const RESET_KEY = 'corpusAnnotator.entityModelReset';

/** What the learner holds for one workspace folder. */
interface FolderState {
	corrections: NerCorrection[];
	/** sha256 of the model, the corrections file and the adaptation code version. */
	key: string;
	/** The adapted model once learnt (undefined: the shipped model applies). */
	model?: LoadedModel;
	learning?: Promise<void>;
	/** Adapted rows, passes and milliseconds of the last adaptation (status and tests). */
	stats?: { rows: number; passes: number; ms: number; fromStorage: boolean };
}

/** Bump when adaptation.ts changes what it learns, so stored adaptations are redone. */
const ADAPTATION_CODE_VERSION = 1;

/**
 * The workspace model: the shipped model adapted from each folder's corrections file. Adapting
 * runs in a worker thread (the extension host stays responsive) with progress in the status bar;
 * the result is kept in the extension's workspace storage under the key of the corrections it came
 * from, so reopening the workspace reuses it, and it can always be rebuilt from the committed file.
 */
export class EntityLearner extends Disposable {
	private readonly folders = new Map<string, FolderState>();
	private readonly problems = this._register(vscode.languages.createDiagnosticCollection('corpus-entity-corrections'));
	private readonly _onDidLearn = this._register(new vscode.EventEmitter<void>());
	/** Fires when a folder's model or corrections changed (highlights must be recomputed). */
	readonly onDidLearn = this._onDidLearn.event;

	constructor(
		private readonly context: vscode.ExtensionContext,
		private readonly shipped: () => Promise<LoadedModel>,
		private readonly logger: Logger,
	) {
		super();
		const watcher = this._register(vscode.workspace.createFileSystemWatcher(`**/${CORRECTIONS_PATH}`));
		const changed = (uri: vscode.Uri): void => void this.invalidate(uri);
		// A created or deleted file can change which corrections file is nearest to an article.
		const moved = (): void => {
			this.nearest.clear();
			this.folders.clear();
			this._onDidLearn.fire();
		};
		this._register(watcher.onDidChange(changed));
		this._register(watcher.onDidCreate(moved));
		this._register(watcher.onDidDelete(moved));
	}

	private readonly nearest = new NearestCorpusFiles('ner-corrections.yaml');

	/**
	 * The corrections file that applies to `uri`: the nearest `.corpus/ner-corrections.yaml` upward
	 * within its workspace folder, as `entities` and `eval-ner` find it; else the folder's own
	 * (which may not exist yet).
	 */
	correctionsUri(uri: vscode.Uri): Promise<vscode.Uri | undefined> {
		return this.nearest.get(uri);
	}

	/** The corrections and the model to tag `uri` with right now (adaptation starts in the background if due). */
	async modelFor(uri: vscode.Uri): Promise<{ model: LoadedModel; corrections: readonly NerCorrection[] }> {
		const state = await this.state(uri);
		if (state.corrections.length > 0 && !state.model && !state.learning && !this.isReset(state)) {
			state.learning = this.learn(uri, state).finally(() => (state.learning = undefined));
		}
		return { model: state.model ?? (await this.shipped()), corrections: state.corrections };
	}

	/** Resolves when the folder's adaptation (if one is running or due) has finished. */
	async whenLearnt(uri: vscode.Uri): Promise<FolderState['stats']> {
		for (;;) {
			await this.modelFor(uri);
			const state = await this.state(uri);
			await state.learning;
			if (this.folders.get(await this.folderKey(uri)) === state) {
				return state.stats;
			}
		}
	}

	/** Re-reads the folder's corrections file (after a change on disk or our own write); forgets what was learnt if it changed. */
	async invalidate(uri: vscode.Uri): Promise<void> {
		const key = await this.folderKey(uri);
		const before = this.folders.get(key);
		if (!before) {
			return;
		}
		const text = await this.readCorrections(uri);
		if (before.key !== (await this.keyOf(text)) && this.folders.get(key) === before) {
			this.folders.delete(key);
			this._onDidLearn.fire();
		}
	}

	/** Articles that share a corrections file share their learnt model. */
	private async folderKey(uri: vscode.Uri): Promise<string> {
		return (await this.correctionsUri(uri))?.toString() ?? '';
	}

	private async keyOf(text: string): Promise<string> {
		return hashArticleText(`${(await this.shipped()).header.created}\n${ADAPTATION_CODE_VERSION}\n${text}`);
	}

	private async readCorrections(uri: vscode.Uri): Promise<string> {
		const file = await this.correctionsUri(uri);
		if (!file) {
			return '';
		}
		try {
			return new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
		} catch (error) {
			if (!(error instanceof vscode.FileSystemError && error.code === 'FileNotFound')) {
				this.logger.error(`could not read ${file.fsPath}`, error);
			}
			return '';
		}
	}

	/** Learn again now (after a reset, or to see it happen). */
	async relearn(uri: vscode.Uri): Promise<FolderState['stats']> {
		const state = await this.state(uri);
		await state.learning;
		await this.context.workspaceState.update(RESET_KEY, undefined);
		await this.deleteStored(state);
		state.model = undefined;
		return this.whenLearnt(uri);
	}

	/** Back to the shipped model until the corrections change or Learn from Corrections runs. */
	async reset(uri: vscode.Uri): Promise<void> {
		const state = await this.state(uri);
		await state.learning;
		await this.context.workspaceState.update(RESET_KEY, state.key);
		await this.deleteStored(state);
		state.model = undefined;
		state.stats = undefined;
		this._onDidLearn.fire();
	}

	private isReset(state: FolderState): boolean {
		return this.context.workspaceState.get<string>(RESET_KEY) === state.key;
	}

	private async state(uri: vscode.Uri): Promise<FolderState> {
		const folderKey = await this.folderKey(uri);
		let state = this.folders.get(folderKey);
		if (!state) {
			const text = await this.readCorrections(uri);
			const parsed = parseCorrections(text);
			const file = await this.correctionsUri(uri);
			if (file) {
				this.problems.set(file, parsed.errors.map((e) => positionDiagnostic({ ...e, column: 1 })));
			}
			const key = await this.keyOf(text);
			// Another caller may have read it meanwhile: keep the first state.
			state = this.folders.get(folderKey) ?? { corrections: parsed.corrections, key };
			this.folders.set(folderKey, state);
		}
		return state;
	}

	private async deleteStored(state: FolderState): Promise<void> {
		const file = await this.storageFile(state);
		if (file) {
			await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
		}
	}

	private async storageFile(state: FolderState): Promise<vscode.Uri | undefined> {
		const dir = this.context.storageUri;
		if (!dir) {
			return undefined;
		}
		await vscode.workspace.fs.createDirectory(dir);
		return vscode.Uri.joinPath(dir, `ner-adaptation-${state.key.replace(/^sha256:/, '').slice(0, 16)}.json`);
	}

	private async learn(uri: vscode.Uri, state: FolderState): Promise<void> {
		const shipped = await this.shipped();
		const file = await this.storageFile(state);
		if (file) {
			try {
				const stored = adaptationFromJson(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)));
				if (stored.meta.key === state.key) {
					state.model = shipped.withAdaptation(stored.adaptation);
					state.stats = { rows: stored.adaptation.keys.length, passes: Number(stored.meta.passes), ms: 0, fromStorage: true };
					this._onDidLearn.fire();
					return;
				}
			} catch {
				// none stored yet (or unreadable): learn it
			}
		}
		const started = performance.now();
		const n = state.corrections.length;
		const result = await vscode.window.withProgress(
			{ location: vscode.ProgressLocation.Window, title: `Corpus Annotator: learning from ${n} entity correction${n === 1 ? '' : 's'}` },
			(progress) => this.adaptInWorker(shipped, state.corrections, (epoch, epochs) => progress.report({ message: `pass ${epoch} of at most ${epochs}` })),
		);
		if (this.folders.get(await this.folderKey(uri)) !== state) {
			return; // the corrections changed meanwhile; the next request learns from the new ones
		}
		const { adaptation } = adaptationFromJson(result.json);
		state.model = shipped.withAdaptation(adaptation);
		state.stats = { rows: adaptation.keys.length, passes: result.passes, ms: performance.now() - started, fromStorage: false };
		this.logger.info(`entity model adapted from ${n} corrections in ${state.stats.ms.toFixed(0)} ms (${result.passes} passes, ${adaptation.keys.length} rows)`);
		if (file) {
			await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(adaptationToJson(adaptation, { key: state.key, passes: result.passes, corrections: n })));
		}
		this._onDidLearn.fire();
	}

	/** Runs the adaptation in dist/nerAdaptWorker.js; in-process when the worker bundle is missing (tests from out/). */
	private adaptInWorker(shipped: LoadedModel, corrections: readonly NerCorrection[], onProgress: (epoch: number, epochs: number) => void): Promise<{ json: string; passes: number }> {
		const script = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'nerAdaptWorker.js').fsPath;
		const modelPath = vscode.Uri.joinPath(this.context.extensionUri, 'models', 'nl-ner.model').fsPath;
		if (!fs.existsSync(script)) {
			this.logger.warn(`${script} not found: adapting the entity model in the extension host`);
			const { model, report } = shipped.adapt(corrections.map(correctionExample), { onProgress });
			return Promise.resolve({ json: adaptationToJson(model.adaptation ?? { keys: new Uint32Array(0), pass1: new Float32Array(0), pass2: new Float32Array(0) }, {}), passes: report.epochs });
		}
		const request: AdaptRequest = { modelPath, corrections: [...corrections] };
		return new Promise((resolve, reject) => {
			const worker = new Worker(script, { workerData: request });
			worker.on('message', (message: AdaptWorkerMessage) => {
				if (message.kind === 'progress') {
					onProgress(message.epoch, message.epochs);
				} else if (message.kind === 'done') {
					resolve({ json: message.json, passes: message.passes });
					void worker.terminate();
				} else {
					reject(new Error(message.message));
				}
			});
			worker.on('error', reject);
			worker.on('exit', (code) => (code !== 0 ? reject(new Error(`the adaptation worker exited with code ${code}`)) : undefined));
		});
	}
}
