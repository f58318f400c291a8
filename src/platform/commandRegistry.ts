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

	constructor(private readonly logger: Logger) {}

	register(id: string, handler: (...args: never[]) => unknown): void {
		this.registrations.push(vscode.commands.registerCommand(id, (...args: unknown[]) => this.run(id, handler, args)));
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
