import { promises as fs } from 'fs';
import * as vscode from 'vscode';
import { canonicalText } from '../../core/annotations/offsets';
import { CorpusVotes } from '../../core/entities/corpusVotes';
import type { EntityMention } from '../../core/entities/entityTypes';
import { Disposable } from '../../platform/dispose';
import type { Logger } from '../../platform/logger';

const ARTICLE_HEADER = /^\uFEFF?[ \t]*date[ \t]+\d/;
/** Longest stretch of tagging before the indexer yields to the extension host. */
const SLICE_MS = 15;

/**
 * Keeps the corpus vote current: tags every article of the workspace once in the background (in
 * short slices, so the extension host stays responsive), then only the files that change. Open
 * documents report their own mentions as they are highlighted.
 */
export class CorpusVoteIndex extends Disposable {
	readonly votes = new CorpusVotes();
	private indexing: Promise<void> | undefined;
	private generation = 0;
	private readonly _onDidIndex = this._register(new vscode.EventEmitter<void>());
	/** Fires when a full pass over the corpus has finished. */
	readonly onDidIndex = this._onDidIndex.event;

	constructor(
		private readonly mentionsOf: (uri: vscode.Uri, text: string) => Promise<EntityMention[]>,
		private readonly logger: Logger,
	) {
		super();
		const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/*.txt'));
		this._register(watcher.onDidChange((uri) => void this.indexFile(uri)));
		this._register(watcher.onDidCreate((uri) => void this.indexFile(uri)));
		this._register(watcher.onDidDelete((uri) => this.votes.removeArticle(uri.toString())));
	}

	/** Starts (or returns) the background pass over the corpus. */
	whenIndexed(): Promise<void> {
		this.indexing ??= this.indexAll(this.generation);
		return this.indexing;
	}

	/** The model or the corrections changed: every article votes again. */
	reindex(): void {
		this.generation++;
		this.indexing = undefined;
		void this.whenIndexed();
	}

	/** Records the mentions of an article just computed elsewhere (an open document). */
	update(uri: vscode.Uri, mentions: readonly EntityMention[]): void {
		this.votes.setArticle(uri.toString(), mentions);
	}

	private async indexAll(generation: number): Promise<void> {
		const started = performance.now();
		const files = await vscode.workspace.findFiles('**/*.txt', '**/{node_modules,.git,.vscode-test}/**');
		let slice = performance.now();
		for (const uri of files) {
			if (generation !== this.generation || this.isDisposed) {
				return;
			}
			await this.indexFile(uri);
			if (performance.now() - slice > SLICE_MS) {
				await new Promise((resolve) => setImmediate(resolve));
				slice = performance.now();
			}
		}
		this.logger.info(`corpus vote: ${this.votes.articleCount} articles tagged in ${(performance.now() - started).toFixed(0)} ms`);
		this._onDidIndex.fire();
	}

	private async indexFile(uri: vscode.Uri): Promise<void> {
		try {
			const raw = uri.scheme === 'file' ? await fs.readFile(uri.fsPath, 'utf8') : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
			if (!ARTICLE_HEADER.test(raw)) {
				return;
			}
			this.votes.setArticle(uri.toString(), await this.mentionsOf(uri, canonicalText(raw)));
		} catch (error) {
			this.logger.warn(`corpus vote: could not read ${uri.toString(true)}: ${String(error)}`);
		}
	}
}
