import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, stringOption } from '../args';
import { CliError, type CliCommand } from '../cliTypes';
import { canonicalText } from '../../core/annotations/offsets';
import { readSidecarData } from '../../core/annotations/sidecarCodec';
import { sidecarPathFor } from '../../core/corpus/corpusLayout';
import { ConllEvaluator, formatEvalReport } from '../../core/ner/conlleval';
import { countTokens } from '../../core/ner/conll';
import { normalizeWord } from '../../core/ner/features';
import { bilouToIob2 } from '../../core/ner/labels';
import { entityTypeOfLabel, formatSpanReport, SpanEvaluator, type ScoredSpan } from '../../core/ner/spanEval';
import { tagText, type NerModel, type TagOptions } from '../../core/ner/tagger';
import { codePointsToUtf16Offsets } from '../../core/text/codePoints';
import { readConll, readModel } from './nerCommon';

/** Article files under `dir` (hidden folders such as .corpus skipped) that have a sidecar. */
function goldArticles(dir: string): string[] {
	const out: string[] = [];
	const walk = (d: string): void => {
		for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
			if (e.name.startsWith('.')) {
				continue;
			}
			const p = path.join(d, e.name);
			if (e.isDirectory()) {
				walk(p);
			} else if (e.name.endsWith('.txt') && fs.existsSync(sidecarPathFor(p))) {
				out.push(p);
			}
		}
	};
	walk(dir);
	return out;
}

/** Gold entity spans of one article (UTF-16 offsets into its canonical text); other labels ignored. */
function goldSpans(article: string, text: string): ScoredSpan[] {
	const sidecar = sidecarPathFor(article);
	const parsed = readSidecarData(fs.readFileSync(sidecar, 'utf8'));
	if (!parsed.ok) {
		throw new CliError(`${sidecar}: ${parsed.errors[0]?.message ?? 'invalid sidecar'}`);
	}
	const typed = parsed.data.annotations.flatMap((a) => {
		const type = entityTypeOfLabel(a.label);
		return type ? [{ a, type }] : [];
	});
	const offsets = codePointsToUtf16Offsets(text, typed.flatMap(({ a }) => [a.start, a.end]));
	return typed.map(({ type }, i) => ({ start: offsets[2 * i], end: offsets[2 * i + 1], type }));
}

function evalFolder(model: NerModel, dir: string, io: { out(t: string): void }, verbose: boolean, options: TagOptions): void {
	const articles = goldArticles(dir);
	if (articles.length === 0) {
		throw new CliError(`${dir}: no articles with a sidecar (<name>.ann.yaml) found`);
	}
	const ev = new SpanEvaluator();
	for (const file of articles) {
		const text = canonicalText(fs.readFileSync(file, 'utf8'));
		const gold = goldSpans(file, text);
		const found = tagText(model, text, options);
		ev.add(gold, found);
		if (verbose) {
			const key = (s: ScoredSpan): string => `${s.start}:${s.end}:${s.type}`;
			const goldKeys = new Set(gold.map(key));
			const foundKeys = new Set(found.map(key));
			const rel = path.relative(dir, file);
			for (const s of found) {
				if (!goldKeys.has(key(s))) {
					io.out(`${rel}\tfalse\t${s.type}\t${text.slice(s.start, s.end)}\n`);
				}
			}
			for (const s of gold) {
				if (!foundKeys.has(key(s))) {
					io.out(`${rel}\tmissed\t${s.type}\t${text.slice(s.start, s.end)}\n`);
				}
			}
		}
	}
	io.out(formatSpanReport(ev.result()));
}

export const evalNerCommand: CliCommand = {
	name: 'eval-ner',
	summary: 'Score the NER tagger on a CoNLL file (conlleval table) or a folder of articles with gold sidecars',
	usage: [
		'eval-ner <conll-file | folder> [--model <path>] [--errors] [--no-consistency]',
		'',
		'  A CoNLL file: conlleval-style table, last line "F1 xx.xx".',
		'  A folder: every article (.txt) with a sidecar; annotations labelled per/loc/org/misc are the gold',
		'  entities. Strict PER/LOC/ORG, per type, all four types and span-only scores; last line',
		'  "F1 PER/LOC/ORG 0.xxxx". --errors also lists every false and missed span.',
		'  --no-consistency: without the one-type-per-name step over each article.',
	].join('\n'),
	async run(args, io) {
		const parsed = parseArgs(args, ['model'], ['errors', 'no-consistency']);
		const options: TagOptions = { consistency: !parsed.options.has('no-consistency') };
		if (parsed.positional.length !== 1) {
			throw new CliError('expected one CoNLL file or one folder of articles');
		}
		const { model } = readModel(io.cwd, stringOption(parsed, 'model'));
		const target = path.resolve(io.cwd, parsed.positional[0]);
		if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
			evalFolder(model, target, io, parsed.options.has('errors'), options);
			return 0;
		}
		const docs = readConll(io.cwd, parsed.positional[0]);
		if (countTokens(docs) === 0) {
			throw new CliError(`${parsed.positional[0]}: no tokens to score`);
		}
		const ev = new ConllEvaluator();
		for (const d of docs) {
			const labels = model.labelSentences(d.sentences.map((s) => s.words.map(normalizeWord)), options);
			d.sentences.forEach((s, i) => ev.add(s.tags, bilouToIob2(labels[i])));
		}
		io.out(formatEvalReport(ev.result()));
		return 0;
	},
};
