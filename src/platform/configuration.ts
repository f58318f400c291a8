import * as vscode from 'vscode';
import { CONFIG_SECTION } from '../constants';
import { parseConfig, type CorpusConfig } from '../core/config';
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

	get current(): CorpusConfig {
		return this._current;
	}

	private read(): CorpusConfig {
		const raw = vscode.workspace.getConfiguration().get<Record<string, unknown>>(CONFIG_SECTION);
		return parseConfig(raw);
	}
}
