import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { getApi, workspaceRoot } from './helpers';

interface ExportReportLike { articles: number; annotations: number; lines: string[] }
interface ImportReportLike { articles: { articlePath: string; kind: string; plan: { added: unknown[] } }[]; lines: string[] }

type Window = { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };

/**
 * Stands in for the analyst at the pickers: the format quick pick takes `format`, the folder or
 * file dialog the next path, the modal confirmation the next answer. Everything asked is recorded.
 */
class Pickers implements vscode.Disposable {
	readonly asked: string[] = [];
	readonly infos: string[] = [];
	private readonly original = {
		showQuickPick: vscode.window.showQuickPick, showOpenDialog: vscode.window.showOpenDialog,
		showInformationMessage: vscode.window.showInformationMessage, showWarningMessage: vscode.window.showWarningMessage,
	};

	constructor(format: string, paths: string[], confirm: string[] = []) {
		const window = vscode.window as Window;
		window.showQuickPick = (async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) => {
			const list = await items;
			this.asked.push(`pick: ${options?.title ?? ''}`);
			const found = list.find((i) => i.label === format);
			assert.ok(found, `no format ${format} among ${list.map((i) => i.label).join(', ')}`);
			return found;
		}) as unknown as typeof vscode.window.showQuickPick;
		window.showOpenDialog = (async (options?: vscode.OpenDialogOptions) => {
			this.asked.push(`dialog: ${options?.title ?? ''}`);
			const next = paths.shift();
			assert.ok(next, 'an unexpected open dialog');
			return [vscode.Uri.file(next)];
		}) as typeof vscode.window.showOpenDialog;
		const message = async (text: string, ...rest: unknown[]): Promise<string | undefined> => {
			this.infos.push(text);
			const modal = typeof rest[0] === 'object' && rest[0] !== null && (rest[0] as vscode.MessageOptions).modal === true;
			return modal ? confirm.shift() : undefined;
		};
		window.showInformationMessage = message as unknown as typeof vscode.window.showInformationMessage;
		window.showWarningMessage = message as unknown as typeof vscode.window.showWarningMessage;
	}

	dispose(): void {
		Object.assign(vscode.window, this.original);
	}
}

/** Where this suite keeps its own pristine copy of the fixture articles: earlier suites edit the shared ones. */
const OWN = 'exchange-fixture';
const PRISTINE = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace', 'annotations');

describe('Exchange: Export Corpus… and Import Annotations…', function () {
	this.timeout(60_000);
	let out: string;
	let own: string;
	before(async () => {
		await getApi();
		out = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-exchange-it-'));
		own = path.join(workspaceRoot().fsPath, OWN);
		fs.cpSync(PRISTINE, own, { recursive: true });
	});
	after(() => {
		fs.rmSync(out, { recursive: true, force: true });
		fs.rmSync(own, { recursive: true, force: true });
	});

	it('exports the workspace through the format quick pick and the folder picker', async () => {
		const target = path.join(out, 'brat');
		const pickers = new Pickers('brat', [target]);
		let report: ExportReportLike | undefined;
		try {
			report = await vscode.commands.executeCommand<ExportReportLike>('corpusAnnotator.exportCorpus');
		} finally {
			pickers.dispose();
		}
		assert.ok(report, 'the command returned its report');
		assert.deepStrictEqual(pickers.asked.map((a) => a.split(':')[0]), ['pick', 'dialog']);
		assert.ok(report.articles >= 5, report.lines.join('\n'));
		assert.match(report.lines[0], /^brat: \d+ articles, \d+ annotations?, \d+ relations? exported/);
		assert.ok(fs.existsSync(path.join(target, OWN, '021_bb22cc33dd44ee55.ann')));
		assert.ok(fs.existsSync(path.join(target, 'annotation.conf')));
		// The fixture's broken sidecar is named, not skipped in silence (a warning then).
		const shown = pickers.infos.find((m) => m.startsWith('brat: '));
		assert.ok(shown, pickers.infos.join('\n'));
		assert.match(shown, /022_cc33dd44ee55ff66\.ann\.yaml:\d+:\d+: .*article not exported/);
		assert.ok(report.lines.some((l) => /exchange-fixture\/022_cc33dd44ee55ff66\.ann\.yaml:\d+:\d+: .*article not exported/.test(l)), report.lines.join('\n'));
		assert.ok(report.lines.some((l) => /orphaned annotation/.test(l)), report.lines.join('\n'));
	});

	it('imports a doccano file picked in the dialog into the workspace after the confirmation; a malformed one writes nothing', async () => {
		const exported = path.join(out, 'doccano');
		const report = await vscode.commands.executeCommand<ExportReportLike>('corpusAnnotator.exportCorpus', 'doccano', exported);
		assert.ok(report && report.articles >= 5);
		const file = path.join(exported, 'doccano.jsonl');
		const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
		const index = lines.findIndex((l) => (JSON.parse(l) as { meta: { path: string } }).meta.path === `${OWN}/020_aa11bb22cc33dd44.txt`);
		assert.ok(index >= 0, 'the unannotated article is in the export');
		const line = JSON.parse(lines[index]) as { text: string; entities: { id: number; label: string; start_offset: number; end_offset: number }[] };
		const word = /\p{L}{5,}/u.exec(line.text.slice(14))!;
		const start = [...line.text.slice(0, 14 + word.index)].length;
		line.entities.push({ id: 999, label: 'claim', start_offset: start, end_offset: start + [...word[0]].length });
		lines[index] = JSON.stringify(line);
		fs.writeFileSync(file, lines.join('\n') + '\n');

		const sidecar = path.join(own, '020_aa11bb22cc33dd44.ann.yaml');
		assert.ok(!fs.existsSync(sidecar));
		const pickers = new Pickers('doccano', [file], ['Import']);
		let imported: ImportReportLike | undefined;
		try {
			imported = await vscode.commands.executeCommand<ImportReportLike>('corpusAnnotator.importAnnotations');
		} finally {
			pickers.dispose();
		}
		assert.ok(imported, 'the import ran after the confirmation');
		assert.deepStrictEqual(pickers.asked.map((a) => a.split(':')[0]), ['pick', 'dialog']);
		assert.ok(pickers.infos.some((m) => m === 'Import doccano annotations?'), pickers.infos.join('\n'));
		const changed = imported.articles.filter((a) => a.plan.added.length > 0);
		assert.deepStrictEqual(changed.map((a) => a.articlePath.split(path.sep).join('/').split('/').slice(-2).join('/')), [`${OWN}/020_aa11bb22cc33dd44.txt`]);
		const text = fs.readFileSync(sidecar, 'utf8');
		assert.match(text, /label: claim/);
		assert.ok(text.includes(`quote: ${word[0]}`), text);

		// Malformed: refused with the line, nothing written (the command shows the error and returns nothing).
		const before = fs.readFileSync(sidecar, 'utf8');
		fs.writeFileSync(file, lines.join('\n') + '\n{"text": \n');
		const refused = await vscode.commands.executeCommand<ImportReportLike | undefined>('corpusAnnotator.importAnnotations', 'doccano', file, {});
		assert.strictEqual(refused, undefined);
		assert.strictEqual(fs.readFileSync(sidecar, 'utf8'), before);
	});
});
