import * as vscode from 'vscode';
import { formatArticleDate, MONTH_NAMES_NL } from '../../core/article/articleParser';
import { LEAD_EXCERPT_LENGTH } from '../../core/corpus/articleSummary';
import type { CorpusEntry } from '../../core/corpus/corpusIndex';
import type { ArticleTreeNode } from './articleTreeNodes';

/** What `toTreeItem` needs besides the node: counts, entries and how to name things. */
export interface TreeItemContext {
	count(node: ArticleTreeNode): number;
	entry(id: string): CorpusEntry | undefined;
	uriOf(entry: CorpusEntry): vscode.Uri;
	/** Workspace folder name, shown only when the workspace has more than one folder. */
	folderName(entry: CorpusEntry): string | undefined;
}

export function articleCount(n: number): string {
	return `${n} article${n === 1 ? '' : 's'}`;
}

/** `07 · juli`: the number sorts and matches `YYYY-MM`, the Dutch name reads. */
export function monthLabel(month: number): string {
	return `${String(month).padStart(2, '0')} · ${MONTH_NAMES_NL[month - 1]}`;
}

/** The 3-digit sequence of `NNN_<hash>.txt` (any `NNN_` prefix), else the first 8 characters of the file name. */
export function shortId(path: string): string {
	const name = path.slice(path.lastIndexOf('/') + 1).replace(/\.txt$/i, '');
	const m = /^(\d{3})_/.exec(name);
	return m ? m[1] : name.slice(0, 8);
}

/**
 * The row's description: the annotation count first and then the id, so both are seen at the
 * default side-bar width (the label, the headline, is what gets cut); the lead is in the tooltip.
 */
export function articleDescription(entry: CorpusEntry, folderName: string | undefined): string {
	const parts: string[] = [];
	if (entry.annotationCount > 0) {
		parts.push(`${entry.annotationCount} ✎`);
	}
	parts.push(shortId(entry.path));
	if (entry.problem) {
		parts.push(entry.problem);
	}
	if (folderName) {
		parts.push(folderName);
	}
	return parts.join(' · ');
}

/** Builds a fresh `TreeItem` for a node (the model stays plain data). */
export function toTreeItem(node: ArticleTreeNode, context: TreeItemContext): vscode.TreeItem {
	switch (node.kind) {
		case 'year': {
			const item = new vscode.TreeItem(String(node.year), vscode.TreeItemCollapsibleState.Collapsed);
			item.id = node.id;
			item.description = articleCount(context.count(node));
			item.contextValue = 'year';
			item.iconPath = new vscode.ThemeIcon('calendar');
			return item;
		}
		case 'month': {
			const item = new vscode.TreeItem(monthLabel(node.month), vscode.TreeItemCollapsibleState.Collapsed);
			item.id = node.id;
			item.description = articleCount(context.count(node));
			item.tooltip = `${MONTH_NAMES_NL[node.month - 1]} ${node.year}`;
			item.contextValue = 'month';
			return item;
		}
		case 'undated': {
			const item = new vscode.TreeItem('Undated', vscode.TreeItemCollapsibleState.Collapsed);
			item.id = node.id;
			item.description = articleCount(context.count(node));
			item.tooltip = 'Articles whose first line is not a valid " date YYYY-MM " header: impossible dates, empty files, files that are not UTF-8.';
			item.contextValue = 'undated';
			item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
			return item;
		}
		case 'article': {
			const entry = context.entry(node.entryId);
			const item = new vscode.TreeItem(entry?.title ?? node.entryId, vscode.TreeItemCollapsibleState.None);
			item.id = node.id;
			if (!entry) {
				return item;
			}
			const uri = context.uriOf(entry);
			const folder = context.folderName(entry);
			item.description = articleDescription(entry, folder);
			item.tooltip = articleTooltip(entry, folder);
			item.resourceUri = uri;
			item.contextValue = entry.problem ? 'article.undated' : entry.annotationCount > 0 ? 'article.annotated' : 'article';
			item.iconPath = entry.problem
				? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
				: new vscode.ThemeIcon(entry.annotationCount > 0 ? 'note' : 'file-text');
			item.command = { command: 'vscode.open', title: 'Open Article', arguments: [uri] };
			return item;
		}
	}
}

function articleTooltip(entry: CorpusEntry, folderName: string | undefined): vscode.MarkdownString {
	const md = new vscode.MarkdownString(undefined, true);
	if (entry.date) {
		md.appendMarkdown(`**${formatArticleDate(entry.date)}** · ${MONTH_NAMES_NL[entry.date.month - 1]} ${entry.date.year}`);
	} else {
		md.appendMarkdown(`$(warning) **Undated**: ${escapeMarkdown(entry.problem ?? 'no valid header')}`);
	}
	md.appendMarkdown('\n\n');
	md.appendMarkdown(`\`${entry.path.replace(/`/g, "'")}\``);
	if (folderName) {
		md.appendMarkdown(` in ${escapeMarkdown(folderName)}`);
	}
	if (entry.annotationCount > 0) {
		md.appendMarkdown(` · ${entry.annotationCount} annotation${entry.annotationCount === 1 ? '' : 's'}`);
	}
	if (entry.leadExcerpt.length > 0) {
		md.appendMarkdown('\n\n');
		md.appendMarkdown(escapeMarkdown(entry.leadExcerpt.length >= LEAD_EXCERPT_LENGTH ? `${entry.leadExcerpt}…` : entry.leadExcerpt));
	}
	return md;
}

/** Escapes Markdown syntax but keeps spaces (`appendText` turns them into `&nbsp;`, which breaks wrapping). */
function escapeMarkdown(text: string): string {
	return text.replace(/[\\`*_{}[\]<>#|~$]/g, '\\$&');
}
