import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CorpusTestingApi } from '../../api';
import { CommandId } from '../../constants';
import type { CommandRegistry } from '../../platform/commandRegistry';
import type { DecorationSetter } from '../../platform/decorationSetter';
import { listRefs, setupMergeDriver, type CliLauncher } from '../../node/git';
import type { Logger } from '../../platform/logger';
import type { TreeViewFactory } from '../../platform/treeViews';
import { CancelledError, UserError } from '../../platform/userError';
import { AnnotationChangesView, NOT_A_REPOSITORY_MESSAGE } from './annotationChangesView';
import { ReviewDecorator } from './reviewDecorator';

/** Review in source control: the Annotation Changes view, Compare With…, and merge-driver setup. */
export function registerReview(
	context: vscode.ExtensionContext,
	commands: CommandRegistry,
	setter: DecorationSetter,
	logger: Logger,
	createView: TreeViewFactory,
): { disposable: vscode.Disposable; clearHighlights(): void; testing: CorpusTestingApi['review'] } {
	const decorator = new ReviewDecorator(setter);
	const view = new AnnotationChangesView(decorator, logger, createView);

	commands.register(CommandId.RefreshAnnotationChanges, () => view.refresh());
	commands.register(CommandId.OpenAnnotationChange, (articlePath: string, id: string) => view.open(articlePath, id));
	commands.register(CommandId.CompareAnnotationChanges, async (from?: string, to?: string | null) => {
		if (typeof from === 'string') {
			return view.compare(from, to ?? undefined);
		}
		const roots = await view.roots();
		if (roots.length === 0) {
			throw new UserError(NOT_A_REPOSITORY_MESSAGE);
		}
		const refs = await listRefs(roots[0]);
		const base = await pickRef(refs, 'Compare annotations of… (the old version)', [{ label: 'HEAD', description: 'current commit' }]);
		const target = await pickRef(refs, `…with (the new version, compared with ${base})`, [{ label: 'Working Tree', description: 'files on disk, uncommitted changes included' }]);
		return view.compare(base, target === 'Working Tree' ? undefined : target);
	});
	commands.register(CommandId.SetupGitMergeDriver, async () => {
		const roots = await view.roots();
		if (roots.length === 0) {
			throw new UserError(NOT_A_REPOSITORY_MESSAGE);
		}
		const launcher = cliLauncher(context.extensionUri);
		const done: string[] = [];
		for (const root of roots) {
			const result = await setupMergeDriver(root, launcher);
			logger.info(`Merge driver for ${root}: ${result.driver} (.gitattributes ${result.attributesAdded ? 'updated' : 'already set'})`);
			done.push(`${path.basename(root)}${result.attributesAdded ? ' (commit the new .gitattributes)' : ''}`);
		}
		void vscode.window.showInformationMessage(`Corpus Annotator: sidecar merge driver registered for ${done.join(', ')}. Re-run this command after updating the extension.`);
		return roots;
	});

	return {
		disposable: vscode.Disposable.from(view, decorator),
		clearHighlights: () => decorator.clear(),
		testing: {
			refresh: () => view.refresh(),
			compare: (from, to) => view.compare(from, to),
			view: async () => {
				await view.refresh();
				return view.repositories.flatMap((repo) =>
					repo.articles.map((a) => ({ article: a.article, changes: a.changes.map((c) => ({ kind: c.kind, id: c.id, label: c.label })) })),
				);
			},
			message: () => view.message,
			open: async (article, id) => {
				const found = view.repositories.flatMap((r) => r.articles).find((a) => a.article === article);
				const editor = found ? await view.open(found.articlePath, id) : undefined;
				return editor?.document.uri.toString();
			},
		},
	};
}

async function pickRef(refs: readonly { ref: string; kind: string; description: string }[], title: string, first: vscode.QuickPickItem[]): Promise<string> {
	const icons: Record<string, string> = { branch: '$(git-branch)', remote: '$(cloud)', tag: '$(tag)', commit: '$(git-commit)' };
	const items: (vscode.QuickPickItem & { ref?: string })[] = [
		...first,
		...refs.map((r) => ({ label: `${icons[r.kind] ?? ''} ${r.ref}`, description: r.description, ref: r.ref })),
	];
	const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Branch, tag or commit', matchOnDescription: true });
	if (!picked) {
		throw new CancelledError();
	}
	return picked.ref ?? picked.label;
}

/**
 * How git should start the CLI. The extension host's `process.execPath` is VS Code's (or
 * code-server's) executable, which only behaves as Node with `ELECTRON_RUN_AS_NODE=1`; so a
 * `node` found on PATH is preferred, and Electron with that variable is the fallback.
 */
export function cliLauncher(extensionUri: vscode.Uri): CliLauncher {
	const cli = vscode.Uri.joinPath(extensionUri, 'dist', 'cli.js').fsPath;
	const node = findOnPath(process.platform === 'win32' ? 'node.exe' : 'node');
	if (node) {
		return { node, cli };
	}
	const isNode = path.basename(process.execPath).toLowerCase().startsWith('node');
	return isNode ? { node: process.execPath, cli } : { node: process.execPath, cli, env: { ELECTRON_RUN_AS_NODE: '1' } };
}

function findOnPath(name: string): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		if (!dir) {
			continue;
		}
		const candidate = path.join(dir, name);
		try {
			fs.accessSync(candidate, fs.constants.X_OK);
			if (fs.statSync(candidate).isFile()) {
				return candidate;
			}
		} catch {
			// not here
		}
	}
	return undefined;
}
