import * as vscode from 'vscode';
import { CommandId, LANGUAGE_ID } from '../../constants';
import { Disposable } from '../../platform/dispose';
import { escapeMarkdown as escape } from '../../platform/markdown';
import type { AnnotationStore } from './annotationStore';
import type { LabelSchemaService } from './labelSchemaService';

/** Hover on an annotated passage: label, note, author and dates, with edit and delete links. */
export class AnnotationHoverProvider extends Disposable implements vscode.HoverProvider {
	constructor(
		private readonly store: AnnotationStore,
		private readonly labels: LabelSchemaService,
	) {
		super();
		this._register(vscode.languages.registerHoverProvider({ language: LANGUAGE_ID }, this));
	}

	async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
		const offset = document.offsetAt(position);
		const { annotations } = await this.store.get(document);
		const hits = annotations.filter((a) => a.status !== 'orphaned' && a.start <= offset && offset < a.end);
		if (hits.length === 0) {
			return undefined;
		}
		const schema = await this.labels.schemaFor(document.uri);
		const md = new vscode.MarkdownString(undefined, true);
		md.isTrusted = { enabledCommands: [CommandId.EditNote, CommandId.ChangeLabel, CommandId.DeleteAnnotation] };
		for (const live of hits) {
			const a = live.annotation;
			const description = schema.labels.find((l) => l.id === a.label)?.description;
			md.appendMarkdown(`$(tag) **${escape(a.label)}**${description ? ` — ${escape(description)}` : ''}  \n`);
			if (a.note) {
				md.appendMarkdown(`${escape(a.note)}  \n`);
			}
			const when = a.modified && a.modified !== a.created ? `${a.created ?? '?'}, changed ${a.modified}` : (a.created ?? '');
			md.appendMarkdown(`_${escape(a.author ?? 'unknown author')}${when ? ` · ${escape(when)}` : ''} · id ${a.id}${live.status !== 'anchored' ? ` · ${live.status}` : ''}_  \n`);
			const args = (id: string): string => encodeURIComponent(JSON.stringify([document.uri.toString(), id]));
			md.appendMarkdown(
				`[Edit note](command:${CommandId.EditNote}?${args(a.id)}) · [Change label](command:${CommandId.ChangeLabel}?${args(a.id)}) · [Delete](command:${CommandId.DeleteAnnotation}?${args(a.id)})\n\n`,
			);
		}
		const first = hits[0];
		return new vscode.Hover(md, new vscode.Range(document.positionAt(first.start), document.positionAt(first.end)));
	}
}
