import * as vscode from 'vscode';
import { createRelation, makeIdGenerator } from '../../core/annotations/factory';
import { relationFits } from '../../core/annotations/labelSchema';
import type { Relation, RelationTypeDef } from '../../core/annotations/model';
import { CommandId } from '../../constants';
import type { AuthorResolver } from '../../platform/author';
import type { CommandRegistry } from '../../platform/commandRegistry';
import { CancelledError, UserError } from '../../platform/userError';
import { annotationTitle, pickAnnotation, preview, resolveArticle } from './annotationPicks';
import type { AnnotationStore, LiveAnnotation } from './annotationStore';
import type { LabelSchemaService } from './labelSchemaService';

export interface RelationCommandDeps {
	readonly store: AnnotationStore;
	readonly labels: LabelSchemaService;
	readonly author: AuthorResolver;
}

/** What Link Annotation may be told instead of asking (hover links, tests, keybindings with args). */
export interface LinkOptions {
	/** The annotation the relation starts at (default: the one at the cursor). */
	from?: string;
	/** The annotation it points to (default: picked, nearest first). */
	to?: string;
	/** The relation type id (default: picked). */
	type?: string;
	note?: string;
}

export function registerRelationCommands(commands: CommandRegistry, deps: RelationCommandDeps): void {
	const c = new RelationCommands(deps);
	commands.register(CommandId.LinkAnnotation, (uri?: vscode.Uri | string, options?: LinkOptions) => c.link(uri, options));
	commands.register(CommandId.DeleteRelation, (uri?: vscode.Uri | string, id?: string) => c.deleteRelation(uri, id));
}

/** Characters between two spans of the editor text; 0 when they touch or overlap. */
function gap(a: LiveAnnotation, b: LiveAnnotation): number {
	return Math.max(0, Math.max(a.start, b.start) - Math.min(a.end, b.end));
}

class RelationCommands {
	constructor(private readonly deps: RelationCommandDeps) {}

	/** Link Annotation…: from the annotation at the cursor to a picked one, of a picked type. Resolves to the new relation's id. */
	async link(uriArg?: vscode.Uri | string, options: LinkOptions = {}): Promise<string> {
		const document = await resolveArticle(uriArg);
		const { store } = this.deps;
		await store.assertWritable(document);
		const from = await pickAnnotation(store, document, options.from, 'Link from which annotation?', true);
		const to = await this.pickTarget(document, from, options.to);
		const type = await this.pickType(document, from, to, options.type);
		const { relations } = await store.get(document);
		const same = (r: Relation): boolean => r.type === type && r.from === from.annotation.id && r.to === to.annotation.id;
		if (relations.some(same)) {
			throw new UserError(`${annotationTitle(from)} is already linked to ${annotationTitle(to)} as ${type}.`);
		}
		const author = await this.deps.author.resolve(vscode.workspace.getWorkspaceFolder(document.uri)?.uri);
		const created = new Date();
		// Chosen once, so a run again on a sidecar changed meanwhile keeps the id the command returned (unless it is taken there).
		let chosenId: string | undefined;
		const id = await store.modify(document, (doc) => {
			if (doc.relations.some(same)) {
				return undefined; // made meanwhile by someone else: nothing to add
			}
			const taken = new Set([...doc.data.annotations.map((a) => a.id), ...doc.relations.map((r) => r.id)]);
			const newId = makeIdGenerator(Math.random, (candidate) => taken.has(candidate));
			chosenId = chosenId !== undefined && !taken.has(chosenId) ? chosenId : newId();
			const relation = createRelation(type, from.annotation.id, to.annotation.id, { now: () => created, author, newId: () => chosenId! }, { note: options.note });
			// Throws when an end is gone (deleted by another program meanwhile): the change is dropped with that reason.
			doc.addRelation(relation);
			return relation.id;
		});
		void vscode.window.setStatusBarMessage(`Linked ${annotationTitle(from)} ${type} ${annotationTitle(to)} — undo with Ctrl+Alt+Z`, 5000);
		return id ?? '';
	}

	/** Delete Relation: one of the relations of the annotation at the cursor (asked when it has several), or the one `id` names. */
	async deleteRelation(uriArg?: vscode.Uri | string, id?: string): Promise<void> {
		const document = await resolveArticle(uriArg);
		const { store } = this.deps;
		await store.assertWritable(document);
		const { annotations, relations } = await store.get(document);
		let target: Relation | undefined;
		if (id) {
			target = relations.find((r) => r.id === id);
			if (!target) {
				throw new UserError(`There is no relation ${id} in this article (any more).`);
			}
		} else {
			const at = await pickAnnotation(store, document, undefined, 'Delete a relation of which annotation?', true);
			const own = relations.filter((r) => r.from === at.annotation.id || r.to === at.annotation.id);
			if (own.length === 0) {
				throw new UserError(`${annotationTitle(at)} has no relations.`);
			}
			target = own.length === 1 ? own[0] : await this.pickRelation(own, at, annotations);
		}
		const gone = target;
		await store.modify(document, (doc) => doc.removeRelation(gone.id));
		void vscode.window.setStatusBarMessage(`Deleted relation ${gone.type} — undo with Ctrl+Alt+Z`, 5000);
	}

	/** The other end: `id`, or picked among the article's other annotations, nearest first. */
	private async pickTarget(document: vscode.TextDocument, from: LiveAnnotation, id: string | undefined): Promise<LiveAnnotation> {
		const { annotations } = await this.deps.store.get(document);
		const others = annotations.filter((a) => a.annotation.id !== from.annotation.id);
		if (id) {
			const found = others.find((a) => a.annotation.id === id);
			if (!found) {
				throw new UserError(`There is no other annotation ${id} in this article to link to.`);
			}
			return found;
		}
		if (others.length === 0) {
			throw new UserError('This article has no other annotation to link to: tag the other end first.');
		}
		// Nearest first; orphans (no place in the text) last.
		const distance = (a: LiveAnnotation): number => (a.status === 'orphaned' || from.status === 'orphaned' ? Number.MAX_SAFE_INTEGER : gap(from, a));
		const sorted = others.map((a) => ({ a, d: distance(a) })).sort((x, y) => x.d - y.d || x.a.start - y.a.start);
		const picked = await vscode.window.showQuickPick(
			sorted.map(({ a }) => ({
				label: annotationTitle(a),
				description: a.status === 'orphaned' ? 'not found in the text' : `line ${document.positionAt(a.start).line + 1}`,
				detail: a.annotation.note,
				id: a.annotation.id,
			})),
			{ title: `Link ${annotationTitle(from)} to…`, placeHolder: 'The annotation the relation points to (nearest first)', matchOnDescription: true },
		);
		if (!picked) {
			throw new CancelledError();
		}
		return others.find((a) => a.annotation.id === picked.id)!;
	}

	/** The relation type: `given`, or picked; types not meant for these two labels come last, marked. */
	private async pickType(document: vscode.TextDocument, from: LiveAnnotation, to: LiveAnnotation, given: string | undefined): Promise<string> {
		const schema = await this.deps.labels.schemaFor(document.uri);
		const types = schema.relationTypes;
		if (given) {
			if (!types.some((t) => t.id === given)) {
				throw new UserError(`There is no relation type “${given}” in ${schema.isDefault ? 'the default relation types' : vscode.workspace.asRelativePath(schema.uri!)}.`);
			}
			return given;
		}
		const [fromLabel, toLabel] = [from.annotation.label, to.annotation.label];
		const fitting = types.filter((t) => relationFits(t, fromLabel, toLabel));
		const other = types.filter((t) => !relationFits(t, fromLabel, toLabel));
		type Item = vscode.QuickPickItem & { id?: string };
		const item = (t: RelationTypeDef, fits: boolean): Item => ({
			label: t.id,
			description: fits ? undefined : `$(warning) meant from ${t.from?.join(', ') ?? 'any label'} to ${t.to?.join(', ') ?? 'any label'}`,
			detail: t.description,
			id: t.id,
		});
		const items: Item[] = [
			...fitting.map((t) => item(t, true)),
			...(other.length > 0 ? [{ label: `not meant for ${fromLabel} → ${toLabel}`, kind: vscode.QuickPickItemKind.Separator }] : []),
			...other.map((t) => item(t, false)),
		];
		const picked = await vscode.window.showQuickPick(items, {
			title: `${annotationTitle(from)} → ${annotationTitle(to)}`,
			placeHolder: 'Relation type',
			matchOnDetail: true,
		});
		if (!picked?.id) {
			throw new CancelledError();
		}
		return picked.id;
	}

	private async pickRelation(own: readonly Relation[], at: LiveAnnotation, annotations: readonly LiveAnnotation[]): Promise<Relation> {
		const quote = (id: string): string => {
			const other = annotations.find((a) => a.annotation.id === id);
			return other ? annotationTitle(other) : id;
		};
		const picked = await vscode.window.showQuickPick(
			own.map((r) => ({
				label: r.from === at.annotation.id ? `$(arrow-right) ${r.type} → ${quote(r.to)}` : `$(arrow-left) ${r.type} ← ${quote(r.from)}`,
				detail: r.note ? preview(r.note) : undefined,
				r,
			})),
			{ title: `Delete which relation of ${annotationTitle(at)}?` },
		);
		if (!picked) {
			throw new CancelledError();
		}
		return picked.r;
	}
}
