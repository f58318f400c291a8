import * as vscode from 'vscode';
import { CONFIG_SECTION } from '../constants';
import { parseCodeLensMode, parseConfig, type CorpusConfig } from '../core/config';
import { Disposable } from './dispose';

/** Holds the current settings snapshot and tells features when it changes. */
export class ConfigurationService extends Disposable {
	private _current: CorpusConfig = this.read();
	private readonly _onDidChange = this._register(new vscode.EventEmitter<CorpusConfig>());
	readonly onDidChange = this._onDidChange.event;

	constructor() {
		super();
		this._register(
			vscode.workspace.onDidChangeConfiguration((e) => {
				if (e.affectsConfiguration(CONFIG_SECTION)) {
					this._current = this.read();
					this._onDidChange.fire(this._current);
				}
			}),
		);
	}

	/**
	 * Rewrites `annotations.codeLens: true/false` (before it had three values) as the string it is
	 * read as, in the scope where it is set, so the settings editor shows no invalid value.
	 */
	async migrateLegacySettings(): Promise<void> {
		const settings = vscode.workspace.getConfiguration(CONFIG_SECTION);
		const inspected = settings.inspect<unknown>('annotations.codeLens');
		const scopes: [unknown, vscode.ConfigurationTarget][] = [
			[inspected?.globalValue, vscode.ConfigurationTarget.Global],
			[inspected?.workspaceValue, vscode.ConfigurationTarget.Workspace],
			[inspected?.workspaceFolderValue, vscode.ConfigurationTarget.WorkspaceFolder],
		];
		for (const [value, target] of scopes) {
			if (typeof value === 'boolean') {
				await settings.update('annotations.codeLens', parseCodeLensMode(value), target);
			}
		}
	}

	get current(): CorpusConfig {
		return this._current;
	}

	private read(): CorpusConfig {
		const raw = vscode.workspace.getConfiguration().get<Record<string, unknown>>(CONFIG_SECTION);
		return parseConfig(raw);
	}
}
