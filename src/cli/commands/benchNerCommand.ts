import * as os from 'node:os';
import { parseArgs, stringOption } from '../args';
import { CliError, type CliCommand } from '../cliTypes';
import { tagText } from '../../core/ner/tagger';
import { tokenizeDocument } from '../../core/ner/tokenizer';
import { readConll, readModel } from './nerCommon';

/** Timed passes over the file after the warm-up pass. */
const RUNS = 5;

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

export const benchNerCommand: CliCommand = {
	name: 'bench-ner',
	summary: 'Measure NER speed: model load ms, tokens/s of the whole pipeline, ms to tag 5 KB',
	usage: 'bench-ner <conll-file> [--model <path>]',
	async run(args, io) {
		const parsed = parseArgs(args, ['model']);
		if (parsed.positional.length !== 1) {
			throw new CliError('expected one CoNLL file (its words are joined into article texts)');
		}
		const loads: number[] = [];
		let info = readModel(io.cwd, stringOption(parsed, 'model'));
		loads.push(info.loadMs);
		for (let i = 0; i < 4; i++) {
			info = readModel(io.cwd, stringOption(parsed, 'model'));
			loads.push(info.loadMs);
		}
		const model = info.model;
		const docs = readConll(io.cwd, parsed.positional[0]);
		const texts = docs.map((d) => d.sentences.map((s) => s.words.join(' ')).join('\n'));
		const tokens = docs.reduce((a, d) => a + d.sentences.reduce((b, s) => b + s.words.length, 0), 0);
		const load0 = os.loadavg();
		// First run: cold word-feature caches and JIT warm-up; then timed runs with warm caches.
		const cold0 = performance.now();
		for (const t of texts) {
			tagText(model, t);
		}
		const cold = performance.now() - cold0;
		// Tagger and floor alternate, so both see the same load (the machine may be shared).
		const runs: number[] = [];
		const cpu: number[] = [];
		const floor: number[] = [];
		for (let r = 0; r < RUNS; r++) {
			const t0 = performance.now();
			const c0 = process.cpuUsage();
			for (const t of texts) {
				tagText(model, t);
			}
			const c1 = process.cpuUsage(c0);
			runs.push(performance.now() - t0);
			cpu.push((c1.user + c1.system) / 1000);
			// Floor: tokenizing the same texts alone.
			const f0 = performance.now();
			for (const t of texts) {
				tokenizeDocument(t);
			}
			floor.push(performance.now() - f0);
		}
		const all = texts.join('\n');
		const kb5 = all.slice(0, 5120);
		const small: number[] = [];
		for (let r = 0; r < 21; r++) {
			const t0 = performance.now();
			tagText(model, kb5);
			small.push(performance.now() - t0);
		}
		io.out(`model: ${info.path} (${info.bytes} bytes)\n`);
		io.out(`model load: first ${loads[0].toFixed(1)} ms, median ${median(loads).toFixed(1)} ms\n`);
		const rate = (ms: number): number => Math.round((tokens / ms) * 1000);
		io.out(`load average before ${load0.map((x) => x.toFixed(2)).join(' / ')}, after ${os.loadavg().map((x) => x.toFixed(2)).join(' / ')} (1/5/15 min; ${os.cpus().length} CPUs)\n`);
		io.out(`tagging: ${tokens} tokens in ${median(runs).toFixed(0)} ms = ${rate(median(runs))} tokens/s (median of ${RUNS}, after warm-up; best ${rate(Math.min(...runs))}); CPU time ${median(cpu).toFixed(0)} ms = ${rate(median(cpu))} tokens/s (user + system, GC threads included)\n`);
		io.out(`floor, tokenizing alone (alternating with the tagger runs): ${median(floor).toFixed(0)} ms = ${rate(median(floor))} tokens/s; the whole pipeline takes ${(median(runs) / median(floor)).toFixed(1)}× as long\n`);
		io.out(`first run (cold caches, JIT warm-up): ${cold.toFixed(0)} ms = ${Math.round((tokens / cold) * 1000)} tokens/s\n`);
		io.out(`5 KB text: ${median(small).toFixed(2)} ms (median of 21)\n`);
		return 0;
	},
};
