import * as vscode from 'vscode';
import type { AgreementTestingApi } from '../../api';
import { CommandId, ViewId } from '../../constants';
import { DECISIONS, type Decision, type SpanKey } from '../../core/agreement/curation';
import { readSidecarDataFast } from '../../core/agreement/fastSidecarRead';
import type { PreparedText } from '../../core/annotations/anchoring';
import { editorOffset, sidecarOffset } from '../../core/annotations/offsets';
import { DEFAULT_LABELS, parseLabelSchema } from '../../core/annotations/labelSchema';
import { isSidecarPath } from '../../core/corpus/corpusLayout';
import { findWorkspaceFile } from '../../node/corpusFiles';
import { readUtf8 } from '../../node/files';
import { listRefs, repositoryRoot } from '../../node/git';
import { openCorpusVersion, WORKTREE } from '../../node/gitBatch';
import type { AuthorResolver } from '../../platform/author';
import type { CommandRegistry } from '../../platform/commandRegistry';
import type { DecorationSetter } from '../../platform/decorationSetter';
import type { Logger } from '../../platform/logger';
import type { TreeViewFactory } from '../../platform/treeViews';
import { CancelledError, UserError } from '../../platform/userError';
import type { AnalystPair } from './agreementSession';
import { DisagreementDecorator } from './disagreementDecorator';
import { DisagreementsView, type AnnotationEditing } from './disagreementsView';

export type { AnnotationEditing } from './disagreementsView';

const DECISION_ITEMS: Readonly<Record<Decision, (a: string, b: string) => string>> = {
	'accept-a': (a) => `Accept ${a}`,
	'accept-b': (_a, b) => `Accept ${b}`,
	'keep-both': () => 'Keep both',
	'reject-both': () => 'Reject both',
	edit: () => 'Edit… (the span selected in the editor, then a label)',
};

/** Agreement between analysts: the Disagreements view and its commands. */
export function registerAgreement(
	context: vscode.ExtensionContext,
	commands: CommandRegistry,
	setter: DecorationSetter,
	logger: Logger,
	store: AnnotationEditing,
	author: AuthorResolver,
	createView: TreeViewFactory,
): { disposable: vscode.Disposable; testing: AgreementTestingApi } {
	const decorator = new DisagreementDecorator(setter);
	const view = new DisagreementsView(store, decorator, context.workspaceState, (folder) => author.resolve(folder), logger, createView);

	const root = async (): Promise<string> => {
		const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
		if (!folder) {
			throw new UserError('Open a folder of articles to compare analysts.');
		}
		return (await repositoryRoot(folder.uri.fsPath).catch(() => undefined)) ?? folder.uri.fsPath;
	};
	const compare = async (pair: AnalystPair): Promise<void> => {
		const dir = await root();
		const schema = await schemaLabels(dir);
		await vscode.window.withProgress({ location: { viewId: ViewId.Disagreements }, title: 'Comparing…' }, () => view.compare(dir, pair, schema));
	};
	const settle = async (decision?: Decision, edited?: SpanKey): Promise<void> => {
		const { article, index } = await view.target();
		const pair = view.pair!;
		const chosen = decision ?? (await pickDecision(pair));
		let span = edited;
		if (chosen === 'edit' && !span) {
			span = await pickEdit(article.disagreements[index], article.comparison.text!, await schemaLabels(await root()));
		}
		await view.settle(article, index, chosen, span);
		await view.go(1).catch(() => undefined);
	};

	commands.register(CommandId.CompareAnalysts, async (a?: string, b?: string, mode?: 'refs' | 'authors') => {
		const pair = typeof a === 'string' && typeof b === 'string' ? { mode: mode ?? 'refs', a, b } : await pickPair(await root());
		// The result is in the Disagreements view: show it, even when the analyst had folded it.
		await vscode.commands.executeCommand(`${ViewId.Disagreements}.focus`);
		return compare(pair);
	});
	commands.register(CommandId.RefreshDisagreements, () => view.refresh());
	commands.register(CommandId.OpenDisagreement, (article: string, key: string) => view.open(article, key));
	commands.register(CommandId.NextDisagreement, () => view.go(1));
	commands.register(CommandId.PreviousDisagreement, () => view.go(-1));
	commands.register(CommandId.SettleDisagreement, (decision?: Decision) => settle(DECISIONS.includes(decision as Decision) ? decision : undefined));

	return {
		disposable: vscode.Disposable.from(view, decorator),
		testing: {
			compare: (a, b, mode) => compare({ mode, a, b }),
			view: () => ({
				message: view.message,
				progress: view.progress,
				articles: view.articles.map((x) => ({
					article: x.article,
					disagreements: x.disagreements.map((d, i) => ({ key: d.key, kind: d.kind, settled: x.settled[i], a: d.a?.quote, b: d.b?.quote })),
				})),
			}),
			open: async (article, index) => {
				const found = view.articles.find((x) => x.article === article);
				const d = found?.disagreements[index];
				return d ? (await view.open(article, d.key))?.document.uri.toString() : undefined;
			},
			settle: (decision, edited) => settle(decision, edited),
			whenSettled: () => view.reevaluate(),
		},
	};
}

/** Label ids of the nearest `.corpus/labels.yaml` (the default labels without one). */
async function schemaLabels(dir: string): Promise<ReadonlySet<string>> {
	const file = await findWorkspaceFile(dir, 'labels.yaml', dir);
	const parsed = file ? parseLabelSchema(await readUtf8(file, 'label schema').catch(() => '')).labels : [];
	return new Set((parsed.length > 0 ? parsed : DEFAULT_LABELS).map((l) => l.id));
}

/** Authors found in the working tree's sidecars under `dir`. */
async function authorsIn(dir: string): Promise<string[]> {
	const tree = await openCorpusVersion(dir, WORKTREE, () => {
		throw new Error('the working tree is read from disk');
	});
	const authors = new Set<string>();
	for (const p of tree.paths.filter(isSidecarPath)) {
		const bytes = await tree.read(p);
		const read = bytes ? readSidecarDataFast(new TextDecoder().decode(bytes)) : undefined;
		for (const a of read?.ok ? read.data.annotations : []) {
			if (a.author !== undefined && a.curated === undefined) {
				authors.add(a.author);
			}
		}
	}
	return [...authors].sort();
}

type PairItem = vscode.QuickPickItem & { value?: string; mode?: 'refs' | 'authors' };

async function pickPair(dir: string): Promise<AnalystPair> {
	const [refs, authors] = await Promise.all([listRefs(dir).catch(() => []), authorsIn(dir)]);
	const items: PairItem[] = [
		...(authors.length > 0 ? [{ label: 'Authors in the sidecars', kind: vscode.QuickPickItemKind.Separator }] : []),
		...authors.map((a) => ({ label: `$(person) ${a}`, description: 'author', value: a, mode: 'authors' as const })),
		{ label: 'Versions', kind: vscode.QuickPickItemKind.Separator },
		{ label: `$(files) ${WORKTREE}`, description: 'the files on disk', value: WORKTREE, mode: 'refs' },
		...refs.filter((r) => r.kind !== 'commit').map((r) => ({ label: `$(git-branch) ${r.ref}`, description: r.description, value: r.ref, mode: 'refs' as const })),
	];
	const first = await vscode.window.showQuickPick(items, { title: 'Compare analysts: the first (A)', placeHolder: 'A branch per analyst, or an author of the sidecars', matchOnDescription: true });
	if (!first?.value || !first.mode) {
		throw new CancelledError();
	}
	const second = await vscode.window.showQuickPick(items.filter((i) => i.kind === vscode.QuickPickItemKind.Separator || (i.mode === first.mode && i.value !== first.value)), {
		title: `Compare analysts: ${first.value} with… (B)`, matchOnDescription: true,
	});
	if (!second?.value) {
		throw new CancelledError();
	}
	return { mode: first.mode, a: first.value, b: second.value };
}

/** The five decisions, numbered: typing the number picks it at once. */
function pickDecision(pair: AnalystPair): Promise<Decision> {
	return new Promise((resolve, reject) => {
		const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { decision: Decision }>();
		pick.title = 'Settle the disagreement (1–5)';
		pick.placeholder = 'Type 1–5, or pick one';
		pick.items = DECISIONS.map((decision, i) => ({ label: `${i + 1}  ${DECISION_ITEMS[decision](pair.a, pair.b)}`, decision }));
		let done = false;
		const finish = (decision: Decision | undefined): void => {
			if (done) {
				return;
			}
			done = true;
			pick.dispose();
			if (decision) {
				resolve(decision);
			} else {
				reject(new CancelledError());
			}
		};
		pick.onDidChangeValue((value) => {
			const n = Number(value.trim());
			if (Number.isInteger(n) && n >= 1 && n <= DECISIONS.length) {
				finish(DECISIONS[n - 1]);
			}
		});
		pick.onDidAccept(() => finish(pick.selectedItems[0]?.decision));
		pick.onDidHide(() => finish(undefined));
		pick.show();
	});
}

/** Edit: the editor's selection (when it overlaps the disagreement) or both spans together, with a label picked. */
async function pickEdit(
	d: { start: number; end: number; a?: { label: string }; b?: { label: string } },
	text: PreparedText,
	labels: ReadonlySet<string>,
): Promise<SpanKey> {
	const editor = vscode.window.activeTextEditor;
	let start = sidecarOffset(d.start);
	let end = sidecarOffset(d.end);
	if (editor && !editor.selection.isEmpty) {
		const s = text.rawIndex.toCodePoint(editorOffset(editor.document.offsetAt(editor.selection.start)));
		const e = text.rawIndex.toCodePoint(editorOffset(editor.document.offsetAt(editor.selection.end)));
		if (s < d.end && e > d.start) {
			start = s;
			end = e;
		}
	}
	const first = [d.a?.label, d.b?.label].filter((l): l is string => l !== undefined);
	const names = [...new Set([...first, ...labels])];
	const label = await vscode.window.showQuickPick(names, { title: `Label for “${text.canonical.slice(text.canonIndex.toUtf16(start), text.canonIndex.toUtf16(end))}”` });
	if (!label) {
		throw new CancelledError();
	}
	return { label, start, end };
}
