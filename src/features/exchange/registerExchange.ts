import * as vscode from 'vscode';
import { CommandId } from '../../constants';
import type { ExchangeFormat } from '../../core/exchange/exchangeFormat';
import { EXCHANGE_FORMATS, exchangeFormat } from '../../core/exchange/formats';
import { isArticleMonth } from '../../core/exchange/migration';
import { ExchangeCancelled, ExchangeRefused, exportCorpus, importAnnotations, type ExchangeProgress, type ExportReport, type ImportReport } from '../../node/exchangeRunner';
import type { CommandRegistry } from '../../platform/commandRegistry';
import type { Logger } from '../../platform/logger';
import { CancelledError, UserError } from '../../platform/userError';

/**
 * Export Corpus… and Import Annotations…: the command line's `export` and `import` (the same
 * code in `node/exchangeRunner.ts`) behind a format quick pick and folder pickers, with progress
 * and cancellation. Arguments let tests and keybindings skip the pickers:
 * `corpusAnnotator.exportCorpus(formatId?, outFolder?)`,
 * `corpusAnnotator.importAnnotations(formatId?, input?, { date?, into? })`.
 */
export function registerExchange(commands: CommandRegistry, logger: Logger): void {
	commands.register(CommandId.ExportCorpus, async (formatId?: string, out?: vscode.Uri | string): Promise<ExportReport> => {
		const corpus = corpusFolder();
		const format = await pickFormat(formatId, 'Export Corpus: format');
		const outDir = out !== undefined ? fsPathOf(out) : await pickFolder({ title: `Export Corpus as ${format.id}: folder to write to`, openLabel: 'Export Here', canSelectFolders: true, canSelectFiles: false });
		const report = await withProgress(`Exporting as ${format.id}`, (progress) => exportCorpus({ corpusDir: corpus.uri.fsPath, outDir, format, progress }));
		report.lines.forEach((l) => logger.info(l));
		const [summary, ...rest] = report.lines;
		void (report.skipped.length > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(
			[summary, ...rest.slice(0, 3), ...(rest.length > 3 ? [`… (${rest.length - 3} more lines in the log)`] : [])].join(' · '),
		);
		return report;
	});

	commands.register(CommandId.ImportAnnotations, async (formatId?: string, input?: vscode.Uri | string, options?: { date?: string; into?: string }): Promise<ImportReport> => {
		const corpus = corpusFolder();
		const format = await pickFormat(formatId, 'Import Annotations: format');
		const inputPath = input !== undefined ? fsPathOf(input) : await pickFolder({
			title: `Import Annotations from ${format.id}: a ${format.inputExtensions.join(' / ')} file or a folder of them`,
			openLabel: 'Import', canSelectFolders: true, canSelectFiles: true, filters: { [format.id]: format.inputExtensions.map((e) => e.replace(/^\./, '')) },
		});
		const intoDir = options?.into ?? corpus.uri.fsPath;
		const show = (p: string): string => vscode.workspace.asRelativePath(p, false);
		let date = options?.date;
		// First a dry run: problems are shown before anything is written, and the analyst confirms the changes.
		let plan: ImportReport;
		for (;;) {
			try {
				plan = await withProgress(`Checking the ${format.id} import`, (progress) => importAnnotations({ input: inputPath, format, intoDir, date, dryRun: true, progress, show }));
				break;
			} catch (error) {
				if (error instanceof ExchangeRefused && date === undefined && error.problems.every((p) => /give --date/.test(p))) {
					date = await askMonth(error.problems.length);
					continue;
				}
				throw refusedAsUserError(error, logger);
			}
		}
		plan.lines.forEach((l) => logger.info(l));
		if (options === undefined || input === undefined) {
			const summary = plan.lines.filter((l) => !l.startsWith('dry run')).slice(-3).join('\n');
			const go = await vscode.window.showInformationMessage(`Import ${format.id} annotations?`, { modal: true, detail: summary }, 'Import');
			if (go !== 'Import') {
				throw new CancelledError();
			}
		}
		const report = await withProgress(`Importing ${format.id}`, (progress) => importAnnotations({ input: inputPath, format, intoDir, date, progress, show }))
			.catch((error: unknown) => {
				throw refusedAsUserError(error, logger);
			});
		report.lines.forEach((l) => logger.info(l));
		void vscode.window.showInformationMessage(report.lines.filter((l) => /^(\S+: \d+ article|created|added)/.test(l)).join(' · '));
		return report;
	});
}

function corpusFolder(): vscode.WorkspaceFolder {
	const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
	if (!folder) {
		throw new UserError('Open a folder of articles first: export and import work on the corpus on disk.');
	}
	return folder;
}

function fsPathOf(target: vscode.Uri | string): string {
	return typeof target === 'string' ? target : target.fsPath;
}

async function pickFormat(formatId: string | undefined, title: string): Promise<ExchangeFormat> {
	if (formatId !== undefined) {
		const format = exchangeFormat(formatId);
		if (!format) {
			throw new UserError(`Unknown exchange format "${formatId}"; known: ${EXCHANGE_FORMATS.map((f) => f.id).join(', ')}.`);
		}
		return format;
	}
	const picked = await vscode.window.showQuickPick(
		EXCHANGE_FORMATS.map((f) => ({ label: f.id, detail: f.description, format: f })),
		{ title, placeHolder: 'The tool the files are for (or from)', matchOnDetail: true },
	);
	if (!picked) {
		throw new CancelledError();
	}
	return picked.format;
}

async function pickFolder(options: vscode.OpenDialogOptions): Promise<string> {
	const picked = await vscode.window.showOpenDialog({ canSelectMany: false, ...options });
	if (!picked || picked.length === 0) {
		throw new CancelledError();
	}
	return picked[0].fsPath;
}

async function askMonth(texts: number): Promise<string> {
	const month = await vscode.window.showInputBox({
		title: `${texts} imported text(s) are not articles yet`,
		prompt: 'Month to put in their header (" date YYYY-MM "); a dates.csv (path,date) beside the input sets it per file',
		placeHolder: 'YYYY-MM',
		validateInput: (v) => (isArticleMonth(v.trim()) ? undefined : 'A month YYYY-MM, for example 2024-05'),
	});
	if (month === undefined) {
		throw new CancelledError();
	}
	return month.trim();
}

/** Runs `work` under a cancellable notification that counts articles. */
function withProgress<T>(title: string, work: (progress: ExchangeProgress) => Promise<T>): Promise<T> {
	return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
		let last = 0;
		let lastStage = '';
		const reporter: ExchangeProgress = {
			report(done, total, stage) {
				const percent = total === 0 ? 100 : (100 * done) / total;
				const increment = stage === lastStage ? percent - last : undefined;
				if (stage !== lastStage || percent - last >= 1 || done === total) {
					progress.report({ message: `${stage} ${done}/${total}`, increment });
					last = percent;
					lastStage = stage;
				}
			},
			isCancelled: () => token.isCancellationRequested,
		};
		try {
			return await work(reporter);
		} catch (error) {
			if (error instanceof ExchangeCancelled) {
				void vscode.window.showInformationMessage(`${title}: ${error.message}.`);
				throw new CancelledError();
			}
			throw error;
		}
	}));
}

function refusedAsUserError(error: unknown, logger: Logger): unknown {
	if (!(error instanceof ExchangeRefused)) {
		return error;
	}
	error.problems.forEach((p) => logger.warn(p));
	const more = error.problems.length > 1 ? ` (and ${error.problems.length - 1} more problem(s): see the log)` : '';
	return new UserError(`${error.problems[0]}${more}. Nothing was written.`, [{ title: 'Show Log', run: () => logger.show() }]);
}
