import * as vscode from 'vscode';

/** The extension's log, shown as the "Corpus Annotator" output channel. */
export interface Logger {
	info(message: string): void;
	warn(message: string): void;
	error(message: string, error?: unknown): void;
	show(): void;
}

export class OutputLogger implements Logger, vscode.Disposable {
	private readonly channel = vscode.window.createOutputChannel('Corpus Annotator', { log: true });

	info(message: string): void {
		this.channel.info(message);
	}
	warn(message: string): void {
		this.channel.warn(message);
	}
	error(message: string, error?: unknown): void {
		this.channel.error(error instanceof Error ? `${message}: ${error.stack ?? error.message}` : message);
	}
	show(): void {
		this.channel.show(true);
	}
	dispose(): void {
		this.channel.dispose();
	}
}
