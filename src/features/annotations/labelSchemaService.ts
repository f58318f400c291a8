import * as vscode from 'vscode';
import { DEFAULT_LABELS, DEFAULT_RELATION_TYPES, effectiveRelationTypes, parseLabelSchema } from '../../core/annotations/labelSchema';
import type { LabelDef, RelationTypeDef } from '../../core/annotations/model';
import { readTextIfExists } from '../../platform/atomicWrite';
import { articleFolderKey, corpusSettingsFileFor } from '../../platform/corpusSettingsFiles';
import { positionDiagnostic } from '../../platform/diagnostics';
import { Disposable } from '../../platform/dispose';
import type { Logger } from '../../platform/logger';

export const LABEL_SCHEMA_PATH = '.corpus/labels.yaml';

/** Colours for labels that do not set one (the Okabe–Ito palette again, in order). */
const FALLBACK_COLORS = ['#E69F00', '#56B4E9', '#009E73', '#CC79A7', '#0072B2', '#D55E00', '#F0E442', '#999999'];

export interface LabelSchema {
	readonly labels: readonly LabelDef[];
	/** The relation types of the file (`relations:`), or the default ones when it defines none. */
	readonly relationTypes: readonly RelationTypeDef[];
	/** True when the labels come from the built-in default set (no `.corpus/labels.yaml`). */
	readonly isDefault: boolean;
	readonly uri: vscode.Uri | undefined;
}

/**
 * The label schema of each article: the nearest `.corpus/labels.yaml` upward within its workspace
 * folder (as the CLI finds it), or the default set when there is none.
 */
export class LabelSchemaService extends Disposable {
	private readonly schemas = new Map<string, Promise<LabelSchema>>();
	private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
	readonly onDidChange = this._onDidChange.event;
	private readonly diagnostics = this._register(vscode.languages.createDiagnosticCollection('corpus-labels'));

	constructor(private readonly logger: Logger) {
		super();
		const watcher = this._register(vscode.workspace.createFileSystemWatcher(`**/${LABEL_SCHEMA_PATH}`));
		const invalidate = (): void => {
			this.schemas.clear();
			this._onDidChange.fire();
		};
		this._register(watcher.onDidChange(invalidate));
		this._register(watcher.onDidCreate(invalidate));
		this._register(watcher.onDidDelete(invalidate));
		this._register(vscode.workspace.onDidChangeWorkspaceFolders(invalidate));
	}

	schemaFor(uri: vscode.Uri): Promise<LabelSchema> {
		// Cached per folder of the article: every article of a folder shares its nearest schema.
		const key = articleFolderKey(uri);
		let schema = this.schemas.get(key);
		if (!schema) {
			schema = corpusSettingsFileFor(uri, 'labels.yaml').then((schemaUri) => this.load(schemaUri));
			this.schemas.set(key, schema);
		}
		return schema;
	}

	/** The label's colour, from the schema or a stable fallback. */
	static colorOf(schema: LabelSchema, labelId: string): string {
		const index = schema.labels.findIndex((l) => l.id === labelId);
		const label = schema.labels[index];
		if (label?.color) {
			return label.color;
		}
		let h = 0;
		for (const ch of labelId) {
			h = (h * 31 + ch.charCodeAt(0)) >>> 0;
		}
		return FALLBACK_COLORS[(index >= 0 ? index : h) % FALLBACK_COLORS.length];
	}

	private async load(uri: vscode.Uri | undefined): Promise<LabelSchema> {
		const text = uri ? await readTextIfExists(uri).catch(() => undefined) : undefined;
		if (!uri || text === undefined) {
			return { labels: DEFAULT_LABELS, relationTypes: DEFAULT_RELATION_TYPES, isDefault: true, uri };
		}
		const parsed = parseLabelSchema(text);
		const { labels, errors } = parsed;
		this.diagnostics.set(
			uri,
			errors.map(positionDiagnostic),
		);
		if (errors.length > 0) {
			this.logger.warn(`${uri.fsPath}: ${errors.length} problem(s) in the label schema`);
		}
		return { labels: labels.length > 0 ? labels : DEFAULT_LABELS, relationTypes: effectiveRelationTypes(parsed), isDefault: labels.length === 0, uri };
	}
}
