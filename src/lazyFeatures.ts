/**
 * Second half of the composition root, bundled apart as dist/lazy-features.js: the features that
 * need `yaml`, the tagger or git — entities, annotations, review, agreement, exchange. Activation
 * (src/extension.ts) does not load them; it require()s this bundle the first time one of them is
 * needed. This bundle holds its own copy of the platform modules it uses: objects cross between
 * the bundles, module state and classes must not (see platform/userError.ts).
 */
import type * as vscode from 'vscode';
import type { CorpusTestingApi } from './api';
import { registerAgreement } from './features/agreement/registerAgreement';
import type { AnnotationStore } from './features/annotations/annotationStore';
import { registerAnnotations } from './features/annotations/registerAnnotations';
import { registerEntities } from './features/entities/registerEntities';
import { registerExchange } from './features/exchange/registerExchange';
import { registerReview } from './features/review/registerReview';
import type { ArticleDocumentCache } from './platform/articleDocuments';
import { AuthorResolver } from './platform/author';
import type { CommandRegistry } from './platform/commandRegistry';
import type { ConfigurationService } from './platform/configuration';
import type { DecorationSetter } from './platform/decorationSetter';
import type { Logger } from './platform/logger';
import type { TreeViewFactory } from './platform/treeViews';

/** What the features get from activation: the services built there, shared by both bundles. */
export interface FeatureServices {
	readonly context: vscode.ExtensionContext;
	readonly commands: CommandRegistry;
	readonly config: ConfigurationService;
	readonly documents: ArticleDocumentCache;
	readonly setter: DecorationSetter;
	readonly logger: Logger;
	readonly createView: TreeViewFactory;
}

export interface LoadedFeatures extends vscode.Disposable {
	/** Offsets still pending in memory are written through it on deactivation. */
	readonly annotationStore: AnnotationStore;
	readonly testing: Pick<CorpusTestingApi, 'entities' | 'annotations' | 'review' | 'agreement'> & { repaint(uri: string): Promise<void> };
}

export function registerFeatures({ context, commands, config, documents, setter, logger, createView }: FeatureServices): LoadedFeatures {
	// The old setting is the code lenses' (annotations), so it is rewritten when they load.
	config.migrateLegacySettings().catch((error: unknown) => logger.warn(`could not rewrite old settings: ${String(error)}`));
	const entities = registerEntities(context, commands, setter, logger, createView);
	const annotations = registerAnnotations(context, commands, config, documents, setter, logger, async (document, offset) =>
		(await entities.service.mentions(document)).find((m) => m.start <= offset && offset <= m.end),
	);
	const review = registerReview(context, commands, setter, logger, createView);
	// Settled disagreements are written through the annotation store: the one, undoable write path for annotation changes.
	const agreement = registerAgreement(context, commands, setter, logger, annotations.store, new AuthorResolver(() => config.current.annotations.author), createView);
	registerExchange(commands, logger);
	// Toggling highlights clears every highlight the analyst did not ask for again, review ones included.
	const reviewFollowsToggle = entities.onDidToggleHighlights(() => review.clearHighlights());
	return {
		dispose: () => {
			for (const d of [entities.disposable, annotations.disposable, review.disposable, agreement.disposable, reviewFollowsToggle]) {
				d.dispose();
			}
		},
		annotationStore: annotations.store,
		testing: {
			repaint: entities.testing.repaint,
			entities: entities.testing.entities,
			annotations: annotations.testing,
			review: review.testing,
			agreement: agreement.testing,
		},
	};
}
