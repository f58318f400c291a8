import * as vscode from 'vscode';
import type { Logger } from './logger';
import { CancelledError, UserError } from './userError';

/**
 * The one place commands are registered. Every handler runs through the same wrapper:
 * cancellations end silently, `UserError`s show their message and actions, anything else is
 * logged with its stack and shown as an unexpected error with a "Show Log" action.
 */
export class CommandRegistry implements vscode.Disposable {
	private readonly registrations: vscode.Disposable[] = [];
	private readonly registered = new Set<string>();
	/** Handlers of deferred commands, once the code that registers them has loaded. */
	private readonly deferred = new Map<string, ((...args: never[]) => unknown) | undefined>();

	constructor(private readonly logger: Logger) {}

	register(id: string, handler: (...args: never[]) => unknown): void {
		if (this.deferred.has(id)) {
			this.deferred.set(id, handler);
			return;
		}
		this.registered.add(id);
		this.registrations.push(vscode.commands.registerCommand(id, (...args: unknown[]) => this.run(id, handler, args)));
	}

	/**
	 * Registers the commands among `ids` that nothing registered yet, with handlers still to come:
	 * the first run of any of them calls `load`, which loads the code that `register`s them.
	 */
	defer(ids: readonly string[], load: () => void): void {
		for (const id of ids) {
			if (this.registered.has(id) || this.deferred.has(id)) {
				continue;
			}
			this.deferred.set(id, undefined);
			const handler = (...args: never[]): unknown => {
				load();
				const loaded = this.deferred.get(id);
				if (!loaded) {
					throw new Error(`${id} was not registered by the code loaded for it`);
				}
				return loaded(...args);
			};
			this.registrations.push(vscode.commands.registerCommand(id, (...args: unknown[]) => this.run(id, handler, args)));
		}
	}

	private async run(id: string, handler: (...args: never[]) => unknown, args: unknown[]): Promise<unknown> {
		try {
			return await handler(...(args as never[]));
		} catch (error) {
			if (error instanceof CancelledError || error instanceof vscode.CancellationError) {
				return undefined;
			}
			if (error instanceof UserError) {
				this.logger.warn(`${id}: ${error.message}`);
				// Not awaited: the command ends now; the notification's action runs whenever it is clicked.
				void vscode.window.showErrorMessage(error.message, ...error.actions.map((a) => a.title)).then((picked) => error.actions.find((a) => a.title === picked)?.run());
				return undefined;
			}
			this.logger.error(`${id} failed`, error);
			void vscode.window
				.showErrorMessage(`Corpus Annotator: unexpected error in ${id} (${error instanceof Error ? error.message : String(error)}).`, 'Show Log')
				.then((picked) => {
					if (picked === 'Show Log') {
						this.logger.show();
					}
				});
			return undefined;
		}
	}

	dispose(): void {
		for (const r of this.registrations.splice(0)) {
			r.dispose();
		}
	}
}
