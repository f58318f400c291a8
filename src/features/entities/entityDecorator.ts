import * as vscode from 'vscode';
import { ENTITY_TYPES, type EntityType } from '../../core/entities/entityTypes';
import { isArticleDocument } from '../../platform/articleDocuments';
import type { DecorationSetter } from '../../platform/decorationSetter';
import { Disposable } from '../../platform/dispose';
import type { Logger } from '../../platform/logger';
import type { EntityService } from './entityService';

/** Colour ids contributed in package.json, one per entity type. */
export const ENTITY_COLOR_IDS: Readonly<Record<EntityType, { background: string; border: string }>> = {
	PER: { background: 'corpusAnnotator.entity.personBackground', border: 'corpusAnnotator.entity.personBorder' },
	LOC: { background: 'corpusAnnotator.entity.placeBackground', border: 'corpusAnnotator.entity.placeBorder' },
	ORG: { background: 'corpusAnnotator.entity.organisationBackground', border: 'corpusAnnotator.entity.organisationBorder' },
	MISC: { background: 'corpusAnnotator.entity.otherBackground', border: 'corpusAnnotator.entity.otherBorder' },
};

/** Decoration keys as recorded by the test seam: `entity.PER`, `entity.LOC`, … */
export function entityDecorationKey(type: EntityType): string {
	return `entity.${type}`;
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
	private readonly types = new Map<EntityType, vscode.TextEditorDecorationType>();
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
			const colors = ENTITY_COLOR_IDS[type];
			this.types.set(
				type,
				this._register(
					vscode.window.createTextEditorDecorationType({
						backgroundColor: new vscode.ThemeColor(colors.background),
						border: '1px solid',
						borderColor: new vscode.ThemeColor(colors.border),
						borderRadius: '3px',
						overviewRulerColor: new vscode.ThemeColor(colors.border),
						overviewRulerLane: vscode.OverviewRulerLane.Right,
					}),
				),
			);
		}
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
			const byType = new Map<EntityType, vscode.Range[]>(ENTITY_TYPES.map((t) => [t, []]));
			for (const mention of mentions) {
				if (this.isTypeVisible(mention.type)) {
					byType.get(mention.type)!.push(new vscode.Range(document.positionAt(mention.start), document.positionAt(mention.end)));
				}
			}
			for (const type of ENTITY_TYPES) {
				this.setter.set(editor, entityDecorationKey(type), this.types.get(type)!, byType.get(type)!);
			}
		} catch (error) {
			this.logger.error(`could not highlight entities in ${document.uri.fsPath}`, error);
		}
	}
}
