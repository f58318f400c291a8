import * as path from 'path';
import * as vscode from 'vscode';
import { CommandId, ContextKey, LANGUAGE_ID, ViewId } from '../../constants';
import { applyDecision, type Decision, type DecisionRecord, type Disagreement, type SpanKey } from '../../core/agreement/curation';
import { formatNumber } from '../../core/agreement/format';
import type { PreparedText } from '../../core/annotations/anchoring';
import { prepareText } from '../../core/annotations/anchoring';
import { editorOffset } from '../../core/annotations/offsets';
import { isoTimestamp, makeIdGenerator } from '../../core/annotations/factory';
import type { Annotation } from '../../core/annotations/model';
import type { SidecarDocument } from '../../core/annotations/sidecarCodec';
import { SIDECAR_GLOB } from '../../core/corpus/corpusLayout';
import { Disposable } from '../../platform/dispose';
import type { Logger } from '../../platform/logger';
import type { TreeViewFactory } from '../../platform/treeViews';
import { UserError } from '../../platform/userError';
import { AgreementSession, pairKey, workingTreeFromDisk, type AnalystPair, type SessionArticle, type WorkingSpan } from './agreementSession';
import { DisagreementDecorator } from './disagreementDecorator';

/**
 * What this feature needs from the annotation store (passed in by the composition root; the
 * store is another feature's): the live annotations of an open article, the one write path for
 * annotation changes (undoable, held while the article has unsaved edits), and its change event.
 */
export interface AnnotationEditing {
	get(document: vscode.TextDocument): Promise<{
		readonly annotations: readonly { readonly annotation: Annotation; readonly start: number; readonly end: number; readonly status: string }[];
		readonly errors?: readonly unknown[];
	}>;
	modify<T>(document: vscode.TextDocument, change: (doc: SidecarDocument, text: PreparedText) => T): Promise<T>;
	readonly onDidChange: vscode.Event<vscode.Uri>;
}

export type DisagreementNode =
	| { readonly kind: 'article'; readonly article: SessionArticle }
	| { readonly kind: 'disagreement'; readonly article: SessionArticle; readonly index: number };

const KIND_TEXT: Readonly<Record<Disagreement['kind'], string>> = {
	'only-a': '', 'only-b': '', 'label-differs': 'label differs', 'boundary-differs': 'boundaries differ',
};
const DECISION_TEXT: Readonly<Record<Decision, string>> = {
	'accept-a': 'accepted A', 'accept-b': 'accepted B', 'keep-both': 'kept both', 'reject-both': 'rejected both', edit: 'edited',
};
const RECORDS_KEY = 'corpusAnnotator.agreement.decisions';
const DEBOUNCE_MS = 300;

/**
 * The Disagreements view: for a pair of analysts (two refs, or two authors), every article's
 * disagreements, drawn in the article when one is opened, and settled one by one into the working
 * tree's sidecar. The agreement figures of the pair are the view's message; the progress
 * ("12 of 40 settled") its description.
 */
export class DisagreementsView extends Disposable implements vscode.TreeDataProvider<DisagreementNode> {
	private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<void>());
	readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
	private readonly view: vscode.TreeView<DisagreementNode>;
	private readonly decorator: DisagreementDecorator;
	private session: AgreementSession | undefined;
	/** The disagreement last opened: where next/previous and Settle start. */
	private current: { article: string; key: string } | undefined;
	private readonly dirtyArticles = new Set<string>();
	private timer: ReturnType<typeof setTimeout> | undefined;
	private evaluating: Promise<void> = Promise.resolve();

	constructor(
		private readonly store: AnnotationEditing,
		decorator: DisagreementDecorator,
		private readonly memento: vscode.Memento,
		private readonly curator: (folder: vscode.Uri | undefined) => Promise<string>,
		private readonly logger: Logger,
		createView: TreeViewFactory,
	) {
		super();
		this.decorator = decorator;
		this.view = this._register(createView(ViewId.Disagreements, this));
		this.view.message = 'Compare two analysts (two branches, or two authors in the sidecars) to settle their disagreements.';
		this._register(store.onDidChange((uri) => this.articleChanged(uri.fsPath)));
		const sidecars = this._register(vscode.workspace.createFileSystemWatcher(SIDECAR_GLOB));
		for (const event of [sidecars.onDidChange, sidecars.onDidCreate, sidecars.onDidDelete]) {
			this._register(event((uri) => this.articleChanged(uri.fsPath.replace(/\.ann\.yaml$/, '.txt'))));
		}
		this._register(this.view.onDidChangeVisibility((e) => {
			if (!e.visible) {
				this.decorator.clear();
			}
		}));
		this._register({ dispose: () => clearTimeout(this.timer) });
	}

	get pair(): AnalystPair | undefined {
		return this.session?.pair;
	}

	get message(): string | undefined {
		return this.view.message;
	}

	get progress(): string | undefined {
		return this.view.description as string | undefined;
	}

	get articles(): readonly SessionArticle[] {
		return this.session?.articles ?? [];
	}

	/** Compares a pair under `root` and shows the result (settledness from the working tree). */
	async compare(root: string, pair: AnalystPair, schema?: ReadonlySet<string>): Promise<void> {
		this.view.message = `Comparing ${pair.a} and ${pair.b}…`;
		this.decorator.clear();
		this.session = await AgreementSession.load(root, pair, undefined, schema);
		this.current = undefined;
		for (const article of this.session.articles) {
			await this.evaluate(article);
		}
		await vscode.commands.executeCommand('setContext', ContextKey.HasDisagreements, true);
		this.render();
	}

	/** Compares the same pair again (the refs may have moved). */
	async refresh(): Promise<void> {
		if (this.session) {
			await this.compare(this.session.root, this.session.pair);
		}
	}

	private render(): void {
		const s = this.session;
		if (!s) {
			return;
		}
		const o = s.report.overall;
		const compared = s.report.articles.filter((a) => a.status === 'compared').length;
		const apart = s.report.articles.length - compared;
		this.view.message = `${s.pair.a} ↔ ${s.pair.b}: exact F1 ${formatNumber(o.exact_f1)} · overlap F1 ${formatNumber(o.overlap_f1)} · κ ${formatNumber(o.cohen_kappa)} · α ${formatNumber(o.krippendorff_alpha)} · ${compared} article${compared === 1 ? '' : 's'} compared${apart > 0 ? `, ${apart} not (one side only or unreadable)` : ''}${s.report.orphans.length > 0 ? `, ${s.report.orphans.length} orphaned` : ''}`;
		this.view.description = `${s.settledCount} of ${s.total} settled`;
		this._onDidChangeTreeData.fire();
		this.paintCurrentArticle();
	}

	// ---- settledness -----------------------------------------------------------------------

	private records(): Record<string, DecisionRecord[]> {
		const s = this.session!;
		const all = this.memento.get<Record<string, Record<string, DecisionRecord[]>>>(RECORDS_KEY) ?? {};
		return all[pairKey(s.pair)] ?? {};
	}

	private async saveRecord(article: string, record: DecisionRecord): Promise<void> {
		const s = this.session!;
		const all = this.memento.get<Record<string, Record<string, DecisionRecord[]>>>(RECORDS_KEY) ?? {};
		const forPair = { ...(all[pairKey(s.pair)] ?? {}) };
		forPair[article] = [...(forPair[article] ?? []).filter((r) => r.key !== record.key), record];
		await this.memento.update(RECORDS_KEY, { ...all, [pairKey(s.pair)]: forPair });
	}

	/** Reads the working tree's annotations of the article (the open editor's when open) and marks what is settled. */
	private async evaluate(article: SessionArticle): Promise<void> {
		const s = this.session;
		const text = article.comparison.text;
		if (!s || !text) {
			return;
		}
		const document = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === article.articlePath && d.languageId === LANGUAGE_ID);
		let spans: WorkingSpan[];
		if (document) {
			const prepared = prepareText(document.getText());
			if (prepared.canonical !== text.canonical) {
				return; // unsaved edits: settled again once saved
			}
			const live = await this.store.get(document);
			spans = live.annotations.filter((a) => a.status !== 'orphaned').map((a) => ({
				label: a.annotation.label, start: prepared.rawIndex.toCodePoint(editorOffset(a.start)), end: prepared.rawIndex.toCodePoint(editorOffset(a.end)), curated: a.annotation.curated !== undefined,
			}));
		} else {
			spans = await workingTreeFromDisk(article.articlePath, text.raw);
		}
		s.evaluate(article, spans, this.records()[article.article] ?? []);
	}

	private articleChanged(articlePath: string): void {
		if (!this.session?.articles.some((a) => a.articlePath === articlePath)) {
			return;
		}
		this.dirtyArticles.add(articlePath);
		clearTimeout(this.timer);
		this.timer = setTimeout(() => void this.reevaluate(), DEBOUNCE_MS);
	}

	/** Re-reads the articles whose sidecars changed; resolves when the view shows the result. */
	reevaluate(): Promise<void> {
		clearTimeout(this.timer);
		this.evaluating = this.evaluating.then(async () => {
			const changed = [...this.dirtyArticles];
			this.dirtyArticles.clear();
			for (const article of this.session?.articles.filter((a) => changed.includes(a.articlePath)) ?? []) {
				await this.evaluate(article);
			}
			this.render();
		}).catch((error: unknown) => this.logger.error('Disagreements: could not re-read the working tree', error));
		return this.evaluating;
	}

	// ---- tree ------------------------------------------------------------------------------

	getChildren(node?: DisagreementNode): DisagreementNode[] {
		if (!node) {
			return this.articles.map((article) => ({ kind: 'article', article }));
		}
		if (node.kind === 'article') {
			return node.article.disagreements.map((_, index) => ({ kind: 'disagreement', article: node.article, index }));
		}
		return [];
	}

	getParent(node: DisagreementNode): DisagreementNode | undefined {
		return node.kind === 'disagreement' ? { kind: 'article', article: node.article } : undefined;
	}

	getTreeItem(node: DisagreementNode): vscode.TreeItem {
		const { article } = node;
		if (node.kind === 'article') {
			const settled = article.settled.filter((x) => x).length;
			const item = new vscode.TreeItem(path.posix.basename(article.article), vscode.TreeItemCollapsibleState.Expanded);
			item.id = `article:${article.article}`;
			item.resourceUri = vscode.Uri.file(article.articlePath);
			item.description = `${settled} of ${article.disagreements.length} settled`;
			item.tooltip = article.article;
			item.contextValue = 'disagreements.article';
			return item;
		}
		const d = article.disagreements[node.index];
		const settled = article.settled[node.index];
		const item = new vscode.TreeItem(disagreementLabel(d, this.session!.pair), vscode.TreeItemCollapsibleState.None);
		item.id = `disagreement:${article.article}:${d.key}`;
		const record = this.records()[article.article]?.find((r) => r.key === d.key);
		item.description = settled ? (record ? DECISION_TEXT[record.decision] : 'settled') : KIND_TEXT[d.kind];
		item.iconPath = settled
			? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'))
			: new vscode.ThemeIcon(d.kind === 'only-a' || d.kind === 'only-b' ? 'diff-single' : d.kind === 'label-differs' ? 'tag' : 'arrow-both');
		item.contextValue = settled ? 'disagreements.settled' : 'disagreements.open';
		item.command = { command: CommandId.OpenDisagreement, title: 'Show Disagreement', arguments: [article.article, d.key] };
		return item;
	}

	// ---- opening and moving ----------------------------------------------------------------

	private find(article: string, key: string): { article: SessionArticle; index: number } | undefined {
		const a = this.session?.articles.find((x) => x.article === article);
		const index = a?.disagreements.findIndex((d) => d.key === key) ?? -1;
		return a && index >= 0 ? { article: a, index } : undefined;
	}

	/** Opens the article with its open disagreements drawn and this one selected. */
	async open(article: string, key: string): Promise<vscode.TextEditor | undefined> {
		const found = this.find(article, key);
		if (!found) {
			return undefined;
		}
		this.current = { article, key };
		const editor = await this.showArticle(found.article);
		const d = found.article.disagreements[found.index];
		const text = found.article.comparison.text!;
		const range = DisagreementDecorator.range(editor.document, text, d.start, d.end);
		editor.selection = new vscode.Selection(range.start, range.end);
		editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
		await this.view.reveal({ kind: 'disagreement', article: found.article, index: found.index }, { select: true, focus: false }).then(undefined, () => undefined);
		return editor;
	}

	private async showArticle(article: SessionArticle): Promise<vscode.TextEditor> {
		let document = await vscode.workspace.openTextDocument(vscode.Uri.file(article.articlePath));
		if (document.languageId !== LANGUAGE_ID) {
			// The article language is what the annotation store writes for; opening does not always set it in time.
			document = await vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
		}
		if (!this.session!.recompare(article, document.getText())) {
			throw new UserError(`${article.article} changed since the comparison; run Refresh in the Disagreements view.`);
		}
		await this.evaluate(article);
		const editor = await vscode.window.showTextDocument(document, { preserveFocus: false });
		this.render();
		this.paint(article);
		return editor;
	}

	private paint(article: SessionArticle): void {
		const open = article.disagreements.filter((_, i) => !article.settled[i]);
		this.decorator.show(vscode.Uri.file(article.articlePath), { text: article.comparison.text!, open, names: { a: this.session!.pair.a, b: this.session!.pair.b } });
	}

	private paintCurrentArticle(): void {
		const shown = this.decorator.shownArticle;
		const article = this.session?.articles.find((a) => vscode.Uri.file(a.articlePath).toString() === shown);
		if (article) {
			this.paint(article);
		}
	}

	/** Opens the next (or previous) open disagreement after the current one, across articles. */
	async go(direction: 1 | -1): Promise<vscode.TextEditor | undefined> {
		const flat = this.articles.flatMap((article) => article.disagreements.map((d, index) => ({ article, d, index })));
		if (flat.length === 0) {
			throw new UserError('No disagreements to move to: compare two analysts first.');
		}
		const at = this.current ? flat.findIndex((x) => x.article.article === this.current!.article && x.d.key === this.current!.key) : -1;
		for (let step = 1; step <= flat.length; step++) {
			const i = (((at < 0 && direction < 0 ? 0 : at) + direction * step) % flat.length + flat.length) % flat.length;
			const target = flat[i];
			if (!target.article.settled[target.index]) {
				return this.open(target.article.article, target.d.key);
			}
		}
		void vscode.window.showInformationMessage(`All ${flat.length} disagreements are settled.`);
		return undefined;
	}

	// ---- settling --------------------------------------------------------------------------

	/** The disagreement Settle acts on: the current one, else the first open one. */
	async target(): Promise<{ article: SessionArticle; index: number }> {
		const found = this.current ? this.find(this.current.article, this.current.key) : undefined;
		if (found) {
			return found;
		}
		await this.go(1);
		const next = this.current ? this.find(this.current.article, this.current.key) : undefined;
		if (!next) {
			throw new UserError('No open disagreement: compare two analysts first.');
		}
		return next;
	}

	/**
	 * Writes the decision into the working tree's sidecar through the annotation store (an
	 * ordinary, undoable annotation change), records it, and moves on to the next open one.
	 */
	async settle(article: SessionArticle, index: number, decision: Decision, edited?: SpanKey): Promise<void> {
		const s = this.session!;
		const d = article.disagreements[index];
		const editor = await this.showArticle(article);
		if (editor.document.isDirty) {
			throw new UserError(`Save ${path.basename(article.articlePath)} before settling its disagreements: they were compared in the saved text.`);
		}
		const curator = await this.curator(vscode.workspace.getWorkspaceFolder(editor.document.uri)?.uri);
		const record = await this.store.modify(editor.document, (doc, text) => {
			const newId = makeIdGenerator(Math.random, (id) => doc.get(id) !== undefined);
			return applyDecision(doc, text, d, decision, { curator, now: isoTimestamp(new Date()), newId }, edited);
		});
		await this.saveRecord(article.article, record);
		this.current = { article: article.article, key: d.key };
		await this.evaluate(article);
		this.render();
		this.logger.info(`Disagreements: ${DECISION_TEXT[decision]} (${d.kind}) in ${article.article}; ${s.settledCount} of ${s.total} settled`);
	}
}

function disagreementLabel(d: Disagreement, pair: AnalystPair): string {
	const quote = (q: string): string => {
		const flat = q.replace(/\s+/g, ' ');
		return `“${flat.length > 40 ? flat.slice(0, 39) + '…' : flat}”`;
	};
	switch (d.kind) {
		case 'only-a': return `only ${pair.a}: ${d.a!.label} ${quote(d.a!.quote)}`;
		case 'only-b': return `only ${pair.b}: ${d.b!.label} ${quote(d.b!.quote)}`;
		case 'label-differs': return `${d.a!.label} (${pair.a}) ≠ ${d.b!.label} (${pair.b}) ${quote(d.a!.quote)}`;
		case 'boundary-differs': return `${d.a!.label}: ${quote(d.a!.quote)} ↔ ${quote(d.b!.quote)}`;
	}
}
