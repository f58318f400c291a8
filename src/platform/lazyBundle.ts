import * as vscode from 'vscode';
import type { Logger } from './logger';

/**
 * A bundle of dist/ beside dist/extension.js, require()d the first time it is needed. esbuild
 * cannot split a CommonJS bundle, so code that activation does not need is built into files of its
 * own (esbuild.config.mjs); require() is synchronous, so the event that needs the code is served by it.
 */
export class LazyBundle<T extends vscode.Disposable> implements vscode.Disposable {
	private loaded: T | undefined;

	constructor(
		private readonly extensionUri: vscode.Uri,
		private readonly logger: Logger,
		/** File name in dist/. */
		private readonly file: string,
		/** Builds what the bundle offers from its exports (typed by the caller with `typeof import(…)`). */
		private readonly start: (exports: never) => T,
	) {}

	/** What the bundle offers if it was loaded, without loading it. */
	get ifLoaded(): T | undefined {
		return this.loaded;
	}

	/** Loads the bundle once; `reason` goes to the log with the time it took. */
	load(reason: string): T {
		if (!this.loaded) {
			const started = performance.now();
			const path = vscode.Uri.joinPath(this.extensionUri, 'dist', this.file).fsPath;
			// eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous on purpose (see the class comment)
			this.loaded = this.start(require(path) as never);
			this.logger.info(`${this.file} loaded in ${(performance.now() - started).toFixed(1)} ms (${reason})`);
		}
		return this.loaded;
	}

	dispose(): void {
		this.loaded?.dispose();
	}
}
