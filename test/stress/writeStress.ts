/**
 * Sidecar write stress (issue 11): run with `npm run test:concurrency`.
 *
 * 1. Concurrency: ROUNDS rounds of 4 `node dist/cli.js annotate` processes started together on one
 *    article (a fresh article every 50 rounds); every id a process printed must be in the sidecar
 *    afterwards (lost updates: 0).
 * 2. Kills: KILLS child processes, each saving annotations in a loop through the CLI's annotate
 *    command, SIGKILLed at a seeded random moment; after each kill the sidecar must parse
 *    (corrupt: 0), hold every acknowledged id and at most one more (wrong sets: 0), and after the
 *    next write (by this long-lived process, as the extension host would) no temp or lock file
 *    may remain (litter: 0). Half of the sidecars start with a BOM, which must survive.
 *
 * Exit code 1 when any count that must be 0 is not. Options: --rounds N --kills N --seed N.
 */
import { spawn } from 'child_process';
import { appendFileSync, promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CliIo } from '../../src/cli/cliTypes';
import { annotateCommand } from '../../src/cli/commands/annotateCommand';
import { parseSidecar } from '../../src/core/annotations/sidecarCodec';
import { seededRandom } from '../../src/core/util/seededRandom';

const ARTICLE = [
	' date 2024-06 Kabinet-Schoof 🇳🇱 legt eed af op Paleis Huis ten Bosch',
	'',
	'Het nieuwe kabinet onder leiding van Dick Schoof is dinsdag beëdigd door koning Willem-Alexander.',
	'',
	'Mark Rutte vertrekt naar Brussel als secretaris-generaal van de NAVO. 😀 Volgens ingewijden',
	'was dat al langer bekend. Afgelopen week sprak hij met Zelensky in Kiev.',
	'',
].join('\r\n');
const CODE_POINTS = [...ARTICLE.replace(/\r\n/g, '\n')].length;
const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const BOM = '\uFEFF';

function option(name: string, fallback: number): number {
	const at = process.argv.indexOf(`--${name}`);
	return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

function annotateArgs(article: string, random: () => number): string[] {
	const start = Math.floor(random() * (CODE_POINTS - 12));
	const end = start + 1 + Math.floor(random() * 10);
	return ['annotate', article, '--start', String(start), '--end', String(end), '--label', 'claim', '--author', 'stress'];
}

/** Runs a process to its end; resolves its exit code and stdout. */
function run(args: readonly string[]): Promise<{ code: number | null; out: string; err: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		child.stdout.on('data', (chunk) => (out += chunk));
		child.stderr.on('data', (chunk) => (err += chunk));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, out, err }));
	});
}

async function sidecarIds(sidecar: string): Promise<{ ids: Set<string>; bom: boolean } | 'missing' | 'corrupt'> {
	let bytes: Buffer;
	try {
		bytes = await fs.readFile(sidecar);
	} catch {
		return 'missing';
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
	} catch {
		return 'corrupt';
	}
	const bom = text.startsWith(BOM);
	const parsed = parseSidecar(bom ? text.slice(1) : text);
	return parsed.ok ? { ids: new Set(parsed.doc.data.annotations.map((a) => a.id)), bom } : 'corrupt';
}

async function litter(dir: string): Promise<string[]> {
	return (await fs.readdir(dir)).filter((name) => name.endsWith('.tmp') || name.endsWith('.lock'));
}

/**
 * Rounds are run in batches of {@link ROUNDS_PER_SIDECAR}, each on a fresh article: contention is
 * the same, while each annotate's cost (linear in the sidecar's size, serialized by the lock)
 * stays bounded instead of growing through all the rounds.
 */
const ROUNDS_PER_SIDECAR = 50;

async function concurrency(dir: string, rounds: number, random: () => number): Promise<number> {
	let printedCount = 0;
	let storedCount = 0;
	let lost = 0;
	let failedRuns = 0;
	let corrupt = 0;
	const started = Date.now();
	for (let batch = 0; batch * ROUNDS_PER_SIDECAR < rounds; batch++) {
		const article = path.join(dir, `concurrent-${batch}.txt`);
		await fs.writeFile(article, ARTICLE);
		const sidecar = article.replace(/\.txt$/, '.ann.yaml');
		const printed: string[] = [];
		for (let round = batch * ROUNDS_PER_SIDECAR; round < Math.min(rounds, (batch + 1) * ROUNDS_PER_SIDECAR); round++) {
			const runs = await Promise.all([0, 1, 2, 3].map(() => run([CLI, ...annotateArgs(article, random)])));
			for (const r of runs) {
				if (r.code !== 0) {
					failedRuns++;
					console.log(`  round ${round}: exit ${r.code}: ${r.err.trim()}`);
				}
				printed.push(...r.out.split('\n').filter((l) => l !== ''));
			}
		}
		const found = await sidecarIds(sidecar);
		const ids = typeof found === 'string' ? new Set<string>() : found.ids;
		lost += printed.filter((id) => !ids.has(id)).length;
		printedCount += printed.length;
		storedCount += ids.size;
		corrupt += found === 'corrupt' ? 1 : 0;
	}
	const left = await litter(dir);
	console.log(
		`concurrency: ${rounds} rounds × 4 CLI processes (${ROUNDS_PER_SIDECAR} rounds per sidecar): ${printedCount} ids printed, ${storedCount} in the sidecars, ` +
			`lost ${lost}, failed runs ${failedRuns}, corrupt sidecars ${corrupt}, temp/lock files left ${left.length} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
	);
	return lost + failedRuns + left.length + corrupt;
}

/** Child mode: save annotations in a loop, acknowledging each written id in the ack file. */
async function saveLoop(article: string, ack: string, seed: number): Promise<void> {
	const random = seededRandom(seed);
	const io: CliIo = { cwd: path.dirname(article), out: (text) => appendFileSync(ack, text), err: (text) => process.stderr.write(text) };
	for (;;) {
		try {
			await annotateCommand.run(annotateArgs(article, random).slice(1), io);
		} catch (error) {
			process.stderr.write(`save loop: ${error instanceof Error ? error.message : String(error)}\n`);
			process.exit(3);
		}
	}
}

async function waitFor(file: string, deadlineMs: number): Promise<boolean> {
	const deadline = Date.now() + deadlineMs;
	while (Date.now() < deadline) {
		if (await fs.access(file).then(() => true, () => false)) {
			return true;
		}
		await new Promise((resolve) => setTimeout(resolve, 2));
	}
	return false;
}

async function kills(dir: string, count: number, random: () => number): Promise<number> {
	const article = path.join(dir, 'killed.txt');
	await fs.writeFile(article, ARTICLE);
	const sidecar = article.replace(/\.txt$/, '.ann.yaml');
	const ack = path.join(os.tmpdir(), `corpus-stress-ack-${process.pid}`);
	const io: CliIo = { cwd: dir, out: () => undefined, err: (text) => process.stderr.write(text) };
	const counts = { corrupt: 0, wrongSets: 0, litterAfterNextWrite: 0, bomLost: 0, leftLock: 0, leftTemp: 0, notStarted: 0, diedEarly: 0 };
	let acknowledged = new Set<string>();
	let withBom = false;
	const started = Date.now();
	for (let kill = 0; kill < count; kill++) {
		if (kill % 25 === 0) {
			// A new sidecar now and then keeps each save small; every other one starts with a BOM.
			await fs.rm(sidecar, { force: true });
			acknowledged = new Set();
			withBom = (kill / 25) % 2 === 1;
			if (withBom) {
				await annotateCommand.run(annotateArgs(article, random).slice(1), { ...io, out: (id) => acknowledged.add(id.trim()) });
				await fs.writeFile(sidecar, BOM + (await fs.readFile(sidecar, 'utf8')));
			}
		}
		await fs.rm(ack, { force: true });
		const child = spawn(process.execPath, [__filename, '--save-loop', article, ack, String(Math.floor(random() * 2 ** 31))], { stdio: ['ignore', 'ignore', 'inherit'] });
		const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
		// The kill moment: after the loop's first save (start-up and warm-up are not a save),
		// somewhere within the next few.
		if (!(await waitFor(ack, 10_000))) {
			counts.notStarted++;
		}
		await new Promise((resolve) => setTimeout(resolve, random() * 80));
		child.kill('SIGKILL');
		if ((await exited) !== 'SIGKILL') {
			counts.diedEarly++;
		}
		const ackText = await fs.readFile(ack, 'utf8').catch(() => '');
		const lines = ackText.split('\n');
		const partial = lines.pop() ?? ''; // an id whose acknowledgement was cut off
		for (const id of lines) {
			acknowledged.add(id);
		}
		const left = await litter(dir);
		counts.leftLock += left.some((n) => n.endsWith('.lock')) ? 1 : 0;
		counts.leftTemp += left.some((n) => n.endsWith('.tmp')) ? 1 : 0;
		const found = await sidecarIds(sidecar);
		if (found === 'corrupt') {
			counts.corrupt++;
			console.log(`  kill ${kill}: corrupt sidecar`);
			await fs.rm(sidecar, { force: true });
			acknowledged = new Set();
			continue;
		}
		const ids = found === 'missing' ? new Set<string>() : found.ids;
		const missing = [...acknowledged].filter((id) => !ids.has(id));
		const extra = [...ids].filter((id) => !acknowledged.has(id) && id !== partial);
		if (missing.length > 0 || extra.length > 1) {
			counts.wrongSets++;
			console.log(`  kill ${kill}: ${missing.length} acknowledged ids missing, ${extra.length} unacknowledged ids present`);
		}
		for (const id of ids) {
			acknowledged.add(id);
		}
		if (withBom && found !== 'missing' && !found.bom) {
			counts.bomLost++;
		}
		// The next write, by a long-lived process: it must break the dead writer's lock and clear its temp files.
		await annotateCommand.run(annotateArgs(article, random).slice(1), { ...io, out: (id) => acknowledged.add(id.trim()) });
		const after = await litter(dir);
		if (after.length > 0) {
			counts.litterAfterNextWrite++;
			console.log(`  kill ${kill}: left after the next write: ${after.join(', ')}`);
		}
	}
	console.log(
		`kills: ${count} SIGKILLs during saves: corrupt ${counts.corrupt}, wrong sets ${counts.wrongSets}, ` +
			`temp/lock files left after the next write ${counts.litterAfterNextWrite}, BOM lost ${counts.bomLost}; ` +
			`the kill left a lock ${counts.leftLock} times and a temp file ${counts.leftTemp} times; children not started ${counts.notStarted}, ended before the kill ${counts.diedEarly} ` +
			`(${((Date.now() - started) / 1000).toFixed(1)} s)`,
	);
	await fs.rm(ack, { force: true });
	return counts.corrupt + counts.wrongSets + counts.litterAfterNextWrite + counts.bomLost + counts.notStarted + counts.diedEarly;
}

async function stress(): Promise<void> {
	const seed = option('seed', 11);
	const random = seededRandom(seed);
	const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'corpus-stress-')));
	try {
		await fs.access(CLI).catch(() => {
			throw new Error(`${CLI} is missing: run node esbuild.config.mjs first`);
		});
		console.log(`seed ${seed}, folder ${dir}`);
		const failures = (await concurrency(dir, option('rounds', 200), random)) + (await kills(dir, option('kills', 500), random));
		console.log(failures === 0 ? 'write stress: passed' : `write stress: FAILED (${failures})`);
		process.exitCode = failures === 0 ? 0 : 1;
	} finally {
		await fs.rm(dir, { recursive: true, force: true });
	}
}

if (process.argv[2] === '--save-loop') {
	void saveLoop(process.argv[3], process.argv[4], Number(process.argv[5]));
} else {
	stress().catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	});
}
