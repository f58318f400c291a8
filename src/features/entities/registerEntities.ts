import * as vscode from 'vscode';
import type { CorpusTestingApi } from '../../api';
import type { CommandRegistry } from '../../platform/commandRegistry';
import type { DecorationSetter } from '../../platform/decorationSetter';
import type { Logger } from '../../platform/logger';
import type { TreeViewFactory } from '../../platform/treeViews';
import { EntitiesView } from './entitiesView';
import { registerEntityCommands } from './entityCommands';
import { EntityDecorator } from './entityDecorator';
import { EntityHoverProvider } from './entityHoverProvider';
import { EntityService } from './entityService';

/** Named-entity highlighting: tagger + entity lists, decorations, hover, the Entities view and commands. */
export function registerEntities(
	context: vscode.ExtensionContext,
	commands: CommandRegistry,
	setter: DecorationSetter,
	logger: Logger,
	createView: TreeViewFactory,
): {
	disposable: vscode.Disposable;
	service: EntityService;
	/** Fires when the analyst toggles highlights (other features' highlights follow). */
	onDidToggleHighlights: vscode.Event<void>;
	testing: Pick<CorpusTestingApi, 'entities'> & { repaint(uri: string): Promise<void> };
} {
	const service = new EntityService(context, logger);
	const decorator = new EntityDecorator(service, setter, context.workspaceState, logger);
	const hover = new EntityHoverProvider(service, decorator);
	const view = new EntitiesView(service, createView);
	registerEntityCommands(commands, service, decorator);
	const shown = (): ReturnType<CorpusTestingApi['entities']['shown']> =>
		view.getChildren().map((node) =>
			node.kind === 'type'
				? { type: node.type, count: node.count, entities: node.entities.map((e) => ({ name: e.name, mentions: e.mentions.length })) }
				: { type: '', count: 0, entities: [] },
		);
	return {
		disposable: vscode.Disposable.from(view, hover, decorator, service),
		service,
		onDidToggleHighlights: decorator.onDidToggle,
		testing: {
			repaint: async (uri) => {
				const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
				if (document) {
					await decorator.paintDocument(document);
				}
			},
			entities: {
				view: async () => {
					await view.refresh();
					return shown();
				},
				shown,
				modelLoadMs: () => service.modelLoadMs,
				mentions: async (uri) => {
					const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri) ?? (await vscode.workspace.openTextDocument(vscode.Uri.parse(uri)));
					return (await service.mentions(document)).map(({ start, end, text, type, confidence, source }) => ({ start, end, text, type, confidence, source }));
				},
				whenLearnt: (uri) => service.learner.whenLearnt(vscode.Uri.parse(uri)),
				whenCorpusIndexed: async () => {
					await service.corpus.whenIndexed();
					return service.corpus.votes.articleCount;
				},
			},
		},
	};
}
