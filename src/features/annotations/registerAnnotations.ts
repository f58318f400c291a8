import * as vscode from 'vscode';
import type { CorpusTestingApi } from '../../api';
import type { ArticleDocumentCache } from '../../platform/articleDocuments';
import { AuthorResolver } from '../../platform/author';
import type { CommandRegistry } from '../../platform/commandRegistry';
import type { ConfigurationService } from '../../platform/configuration';
import type { DecorationSetter } from '../../platform/decorationSetter';
import type { Logger } from '../../platform/logger';
import { AnnotationCodeLensProvider } from './annotationCodeLensProvider';
import { registerAnnotationCommands, type EntityAtOffset } from './annotationCommands';
import { AnnotationDecorator } from './annotationDecorator';
import { AnnotationDiagnostics } from './annotationDiagnostics';
import { AnnotationHoverProvider } from './annotationHoverProvider';
import { AnnotationStore } from './annotationStore';
import { LabelSchemaService } from './labelSchemaService';
import { registerRelationCommands } from './relationCommands';

export interface AnnotationsFeature {
	readonly disposable: vscode.Disposable;
	readonly store: AnnotationStore;
	readonly testing: CorpusTestingApi['annotations'];
}

/** Annotations: sidecar store, decorations, code lenses, hover, problems and commands (relations between annotations included). */
export function registerAnnotations(
	context: vscode.ExtensionContext,
	commands: CommandRegistry,
	config: ConfigurationService,
	documents: ArticleDocumentCache,
	setter: DecorationSetter,
	logger: Logger,
	entityAt: (document: vscode.TextDocument, offset: number) => Promise<EntityAtOffset | undefined>,
): AnnotationsFeature {
	const store = new AnnotationStore(logger);
	const labels = new LabelSchemaService(logger);
	const decorator = new AnnotationDecorator(store, labels, setter, logger);
	const lenses = new AnnotationCodeLensProvider(store, documents, config);
	const hover = new AnnotationHoverProvider(store, labels);
	const diagnostics = new AnnotationDiagnostics(store);
	const author = new AuthorResolver(() => config.current.annotations.author);
	registerAnnotationCommands(commands, { store, labels, documents, author, memento: context.workspaceState, entityAt });
	registerRelationCommands(commands, { store, labels, author });
	return {
		disposable: vscode.Disposable.from(diagnostics, hover, lenses, decorator, labels, store),
		store,
		testing: {
			list: async (uri) => {
				const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
				const { annotations, errors, pendingChanges } = await store.get(document);
				return {
					errors: errors?.map((e) => `${e.line}:${e.column} ${e.message}`),
					pendingChanges,
					annotations: annotations.map((a) => ({
						id: a.annotation.id,
						label: a.annotation.label,
						status: a.status,
						start: a.start,
						end: a.end,
						text: document.getText(new vscode.Range(document.positionAt(a.start), document.positionAt(a.end))),
						quote: a.annotation.quote,
						note: a.annotation.note,
					})),
				};
			},
		},
	};
}
