import * as vscode from 'vscode';
import { ENTITY_TYPES, type EntityMention, type EntityType } from '../../core/entities/entityTypes';
import { isArticleDocument } from '../../platform/articleDocuments';
import type { DecorationSetter } from '../../platform/decorationSetter';
import { Disposable } from '../../platform/dispose';
import type { Logger } from '../../platform/logger';
import type { EntityService } from './entityService';

const COLOR_NAMES: Readonly<Record<EntityType, string>> = { PER: 'person', LOC: 'place', ORG: 'organisation', MISC: 'other' };

/** Colour ids contributed in package.json, per entity type; `…Faint` for mentions below the minimum confidence. */
export function entityColorIds(type: EntityType, faint: boolean): { background: string; border: string } {
	const suffix = faint ? 'Faint' : '';
	return { background: `corpusAnnotator.entity.${COLOR_NAMES[type]}Background${suffix}`, border: `corpusAnnotator.entity.${COLOR_NAMES[type]}Border${suffix}` };
}

/** Decoration keys as recorded by the test seam: `entity.PER`, `entity.LOC`, …; `entity.PER.faint` for unsure ones. */
export function entityDecorationKey(type: EntityType, faint = false): string {
	return faint ? `entity.${type}.faint` : `entity.${type}`;
}

/** The confidence settings: below `minimum` a mention is drawn fainter, or not at all when `hide`. */
function confidenceSettings(): { minimum: number; hide: boolean } {
	const config = vscode.workspace.getConfiguration('corpusAnnotator.entities');
	return { minimum: config.get<number>('minimumConfidence', 0.6), hide: config.get<boolean>('hideBelowThreshold', false) };
}

const STATE_KEY = 'corpusAnnotator.entityHighlights';
const EDIT_DELAY_MS = 150;

interface HighlightState {
	enabled: boolean;
	hidden: EntityType[];
}

/**
 * Paints entity highlights in the visible article editors only: one decoration type per entity
 * type, created once. Edits re-highlight after a short per-document delay; toggles repaint at once.
 */
export class EntityDecorator extends Disposable {
	private readonly types = new Map<string, vscode.TextEditorDecorationType>();
	private confidence = confidenceSettings();
	private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
	private state: HighlightState;
	private readonly _onDidToggle = this._register(new vscode.EventEmitter<void>());
	/** Fires when highlights are switched on or off, or a type is shown or hidden. */
	readonly onDidToggle = this._onDidToggle.event;

	constructor(
		private readonly entities: EntityService,
		private readonly setter: DecorationSetter,
		private readonly memento: vscode.Memento,
		private readonly logger: Logger,
	) {
		super();
		this.state = memento.get<HighlightState>(STATE_KEY) ?? { enabled: true, hidden: [] };
		for (const type of ENTITY_TYPES) {
			for (const faint of [false, true]) {
				const colors = entityColorIds(type, faint);
				this.types.set(
					entityDecorationKey(type, faint),
					this._register(
						vscode.window.createTextEditorDecorationType({
							backgroundColor: new vscode.ThemeColor(colors.background),
							border: faint ? '1px dashed' : '1px solid',
							borderColor: new vscode.ThemeColor(colors.border),
							borderRadius: '3px',
							overviewRulerColor: faint ? undefined : new vscode.ThemeColor(colors.border),
							overviewRulerLane: vscode.OverviewRulerLane.Right,
						}),
					),
				);
			}
		}
		this._register(
			vscode.workspace.onDidChangeConfiguration((e) => {
				if (e.affectsConfiguration('corpusAnnotator.entities')) {
					this.confidence = confidenceSettings();
					this.paintAll();
				}
			}),
		);
		this._register({ dispose: () => this.timers.forEach((t) => clearTimeout(t)) });
		this._register(vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.paintSoon(e.document, 0))));
		this._register(vscode.workspace.onDidChangeTextDocument((e) => this.paintSoon(e.document, EDIT_DELAY_MS)));
		this._register(vscode.workspace.onDidOpenTextDocument((d) => this.paintSoon(d, 0)));
		this._register(entities.onDidChange(() => this.paintAll()));
		void this.updateContext();
		this.paintAll();
	}

	get isEnabled(): boolean {
		return this.state.enabled;
	}

	isTypeVisible(type: EntityType): boolean {
		return this.state.enabled && !this.state.hidden.includes(type);
	}

	/** Whether a mention is drawn (its type shown and, with hideBelowThreshold, confident enough). */
	isShown(mention: EntityMention): boolean {
		return this.isTypeVisible(mention.type) && !(this.confidence.hide && this.isFaint(mention));
	}

	/** Whether a mention is below the minimum confidence (drawn fainter). */
	isFaint(mention: EntityMention): boolean {
		return mention.confidence < this.confidence.minimum;
	}

	get minimumConfidence(): number {
		return this.confidence.minimum;
	}

	async toggle(enabled = !this.state.enabled): Promise<void> {
		this.state = { ...this.state, enabled };
		await this.saveAndRepaint();
	}

	async toggleType(type: EntityType, visible = this.state.hidden.includes(type)): Promise<void> {
		const hidden = this.state.hidden.filter((t) => t !== type);
		if (!visible) {
			hidden.push(type);
		}
		this.state = { enabled: visible ? true : this.state.enabled, hidden };
		await this.saveAndRepaint();
	}

	paintAll(): void {
		for (const editor of vscode.window.visibleTextEditors) {
			void this.paint(editor);
		}
	}

	/** Repaints the visible editors of `document` now; resolves when they are painted. */
	async paintDocument(document: vscode.TextDocument): Promise<void> {
		await Promise.all(vscode.window.visibleTextEditors.filter((e) => e.document === document).map((e) => this.paint(e)));
	}

	private async saveAndRepaint(): Promise<void> {
		this._onDidToggle.fire();
		await this.memento.update(STATE_KEY, this.state);
		await this.updateContext();
		this.paintAll();
	}

	private async updateContext(): Promise<void> {
		await vscode.commands.executeCommand('setContext', 'corpusAnnotator.entityHighlightsOn', this.state.enabled);
	}

	private paintSoon(document: vscode.TextDocument, delay: number): void {
		if (!isArticleDocument(document)) {
			return;
		}
		const key = document.uri.toString();
		clearTimeout(this.timers.get(key));
		this.timers.set(
			key,
			setTimeout(() => {
				this.timers.delete(key);
				void this.paintDocument(document);
			}, delay),
		);
	}

	private async paint(editor: vscode.TextEditor): Promise<void> {
		const document = editor.document;
		if (!isArticleDocument(document) || this.isDisposed) {
			return;
		}
		try {
			const version = document.version;
			const mentions = this.state.enabled ? await this.entities.mentions(document) : [];
			if (document.version !== version || this.isDisposed) {
				return; // a newer paint is scheduled by the edit that changed the version
			}
			const byKey = new Map<string, vscode.Range[]>([...this.types.keys()].map((k) => [k, []]));
			for (const mention of mentions) {
				if (this.isShown(mention)) {
					byKey.get(entityDecorationKey(mention.type, this.isFaint(mention)))!.push(new vscode.Range(document.positionAt(mention.start), document.positionAt(mention.end)));
				}
			}
			for (const [key, type] of this.types) {
				this.setter.set(editor, key, type, byKey.get(key)!);
			}
		} catch (error) {
			this.logger.error(`could not highlight entities in ${document.uri.fsPath}`, error);
		}
	}
}
