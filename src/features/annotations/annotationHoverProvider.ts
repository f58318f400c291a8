import * as vscode from 'vscode';
import { CommandId } from '../../constants';
import { ARTICLE_SELECTOR } from '../../platform/articleDocuments';
import { Disposable } from '../../platform/dispose';
import { escapeMarkdown as escape } from '../../platform/markdown';
import type { Relation } from '../../core/annotations/model';
import { preview } from './annotationPicks';
import type { AnnotationStore, LiveAnnotation } from './annotationStore';
import type { LabelSchemaService } from './labelSchemaService';
import { readableTimestamp } from './timeText';

/** Hover on an annotated passage: label, note, author and dates, with its actions (the lenses no longer carry them). */
export class AnnotationHoverProvider extends Disposable implements vscode.HoverProvider {
	constructor(
		private readonly store: AnnotationStore,
		private readonly labels: LabelSchemaService,
		/** The clock for "3 days ago" (injected so tests can fix it). */
		private readonly now: () => Date = () => new Date(),
	) {
		super();
		this._register(vscode.languages.registerHoverProvider(ARTICLE_SELECTOR, this));
	}

	async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
		const offset = document.offsetAt(position);
		const { annotations, relations, pendingChanges } = await this.store.get(document);
		const hits = annotations.filter((a) => a.status !== 'orphaned' && a.start <= offset && offset < a.end);
		if (hits.length === 0) {
			return undefined;
		}
		const schema = await this.labels.schemaFor(document.uri);
		const now = this.now();
		const md = new vscode.MarkdownString(undefined, true);
		md.isTrusted = {
			enabledCommands: [
				CommandId.EditNote, CommandId.ChangeLabel, CommandId.DeleteAnnotation, CommandId.ReanchorToSelection,
				CommandId.LinkAnnotation, CommandId.DeleteRelation, CommandId.SelectAnnotation,
			],
		};
		const byId = new Map(annotations.map((a) => [a.annotation.id, a]));
		const args = (...values: unknown[]): string => encodeURIComponent(JSON.stringify([document.uri.toString(), ...values]));
		for (const live of hits) {
			const a = live.annotation;
			const description = schema.labels.find((l) => l.id === a.label)?.description;
			md.appendMarkdown(`$(tag) **${escape(a.label)}**${description ? ` — ${escape(description)}` : ''}  \n`);
			if (a.note) {
				md.appendMarkdown(`${escape(a.note)}  \n`);
			}
			const created = a.created ? readableTimestamp(a.created, now, vscode.env.language) : undefined;
			const changed = a.modified && a.modified !== a.created ? readableTimestamp(a.modified, now, vscode.env.language) : undefined;
			const when = [created, changed ? `changed ${changed}` : undefined].filter((w) => w !== undefined).join(', ');
			md.appendMarkdown(`_${escape(a.author ?? 'unknown author')}${when ? ` · ${escape(when)}` : ''} · id ${a.id}${live.status !== 'anchored' ? ` · ${live.status}` : ''}_  \n`);
			for (const r of relations.filter((rel) => rel.from === a.id || rel.to === a.id)) {
				md.appendMarkdown(`${this.relationLine(r, a.id, byId, args)}  \n`);
			}
			md.appendMarkdown(
				`[$(edit) Edit note](command:${CommandId.EditNote}?${args(a.id)}) · [$(tag) Change label](command:${CommandId.ChangeLabel}?${args(a.id)}) · ` +
					`[$(trash) Delete](command:${CommandId.DeleteAnnotation}?${args(a.id)}) · [$(target) Move to selection](command:${CommandId.ReanchorToSelection}?${args(a.id)}) · ` +
					`[$(link) Link…](command:${CommandId.LinkAnnotation}?${args({ from: a.id })})\n\n`,
			);
		}
		if (pendingChanges > 0) {
			md.appendMarkdown(`$(circle-filled) _${pendingChanges} annotation change${pendingChanges === 1 ? '' : 's'} written when the article is saved_\n\n`);
		}
		const first = hits[0];
		return new vscode.Hover(md, new vscode.Range(document.positionAt(first.start), document.positionAt(first.end)));
	}

	/** `→ source-of claim “…”` (or `←` for one pointing here), the other end a link that goes to it, and a delete link. */
	private relationLine(r: Relation, self: string, byId: ReadonlyMap<string, LiveAnnotation>, args: (...values: unknown[]) => string): string {
		const outgoing = r.from === self;
		const otherId = outgoing ? r.to : r.from;
		const other = byId.get(otherId);
		const end = other ? `${escape(other.annotation.label)} “${escape(preview(other.annotation.quote))}”` : `annotation ${escape(otherId)}`;
		const jump = other && other.status !== 'orphaned' ? `[${end}](command:${CommandId.SelectAnnotation}?${args(otherId)} "Go to it")` : `${end}${other ? ' (not found in the text)' : ''}`;
		const arrow = outgoing ? '$(arrow-right)' : '$(arrow-left)';
		const note = r.note ? ` — ${escape(r.note)}` : '';
		return `${arrow} _${escape(r.type)}_ ${outgoing ? '→' : '←'} ${jump}${note} [$(close)](command:${CommandId.DeleteRelation}?${args(r.id)} "Delete this relation")`;
	}
}
