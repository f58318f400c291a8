import * as fs from 'node:fs';
import * as path from 'node:path';
import { integerOption, parseArgs, stringOption } from '../args';
import { CliError, type CliCommand } from '../cliTypes';
import { canonicalText, TextIndex } from '../../core/annotations/offsets';
import { readSidecarData } from '../../core/annotations/sidecarCodec';
import { sidecarPathFor } from '../../core/corpus/corpusLayout';
import { ConllEvaluator, formatEvalReport } from '../../core/ner/conlleval';
import { countTokens } from '../../core/ner/conllReader';
import { normalizeWord } from '../../core/ner/features';
import { bilouToIob2 } from '../../core/ner/labels';
import { entityTypeOfLabel, formatSpanReport, SpanEvaluator, type ScoredSpan } from '../../core/ner/spanEval';
import { tagText, type LoadedModel, type NerModel, type TagOptions } from '../../core/ner/tagger';
import { CorpusVotes } from '../../core/entities/corpusVotes';
import type { EntityMention } from '../../core/entities/entityTypes';
import { applyCorrections, sentenceAt, type CorrectionType, type NerCorrection } from '../../core/entities/nerCorrections';
import { readConll, readModel } from './nerCommon';
import { adaptToCorrections, nearestCorrections, parseAdaptOptions } from './nerCorrectionsFile';
import type { AdaptOptions } from '../../core/ner/adaptation';

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
	const index = TextIndex.forCanonical(text);
	return typed.map(({ a, type }) => ({ start: index.toUtf16(a.start), end: index.toUtf16(a.end), type }));
}

interface GoldArticle {
	file: string;
	text: string;
	gold: ScoredSpan[];
}

function readGoldArticles(dir: string): GoldArticle[] {
	const articles = goldArticles(dir);
	if (articles.length === 0) {
		throw new CliError(`${dir}: no articles with a sidecar (<name>.ann.yaml) found`);
	}
	return articles.map((file) => {
		const text = canonicalText(fs.readFileSync(file, 'utf8'));
		return { file, text, gold: goldSpans(file, text) };
	});
}

/** Tagger output of an article, with the corrections made in it applied (as the extension shows it). */
function tagArticle(model: NerModel, text: string, options: TagOptions, corrections: readonly NerCorrection[]): EntityMention[] {
	const found = tagText(model, text, options).map((s) => ({ ...s, source: 'tagger' as const }));
	return corrections.length === 0 ? found : applyCorrections(text, found, corrections);
}

function scoreArticles(model: NerModel, articles: readonly GoldArticle[], options: TagOptions, corrections: readonly NerCorrection[] = []): SpanEvaluator {
	const ev = new SpanEvaluator();
	for (const a of articles) {
		ev.add(a.gold, tagArticle(model, a.text, options, corrections));
	}
	return ev;
}

function evalFolder(model: NerModel, dir: string, io: { out(t: string): void }, verbose: boolean, options: TagOptions, corrections: readonly NerCorrection[], corpusVote: boolean): void {
	const articles = readGoldArticles(dir);
	const ev = new SpanEvaluator();
	const tagged = articles.map((a) => tagArticle(model, a.text, options, corrections));
	const votes = new CorpusVotes();
	if (corpusVote) {
		articles.forEach((a, i) => votes.setArticle(a.file, tagged[i]));
	}
	for (const [i, { file, text, gold }] of articles.entries()) {
		const found = corpusVote ? votes.apply(file, tagged[i]) : tagged[i];
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

/**
 * The corrections an analyst would make with Change Entity Type on the highlights of `articles`:
 * a highlight with the right boundaries and the wrong type gets the gold type, one overlapping no
 * gold name is "not an entity". Errors are grouped by text and corrected type and ranked by how
 * often they occur (then by first occurrence); each group is corrected once, where it first occurs.
 * Missed names and wrong boundaries cannot be corrected on a highlight and are left out.
 */
export function simulatedCorrections(model: NerModel, articles: readonly GoldArticle[], count: number): { correction: NerCorrection; occurrences: number; was: string }[] {
	const groups = new Map<string, { correction: NerCorrection; occurrences: number; was: string }>();
	for (const a of articles) {
		for (const f of tagText(model, a.text)) {
			const same = a.gold.find((g) => g.start === f.start && g.end === f.end);
			const overlapping = a.gold.some((g) => g.start < f.end && f.start < g.end);
			const type: CorrectionType | undefined = same ? (same.type !== f.type ? same.type : undefined) : overlapping ? undefined : 'none';
			if (type === undefined) {
				continue;
			}
			const key = `${f.text}\u0000${type}`;
			const group = groups.get(key);
			if (group) {
				group.occurrences++;
				continue;
			}
			const where = sentenceAt(a.text, f.start);
			if (!where) {
				continue;
			}
			const span = { text: f.text, start: f.start - where.start, end: f.end - where.start, type };
			groups.set(key, { correction: { sentence: where.sentence, spans: [span], article: path.basename(a.file), author: 'simulated', time: '2026-12-02T00:00:00.000Z' }, occurrences: 1, was: f.type });
		}
	}
	return [...groups.values()].sort((x, y) => y.occurrences - x.occurrences).slice(0, count);
}

function learningCurve(model: LoadedModel, dir: string, io: { out(t: string): void }, seenCount: number, steps: readonly number[], adapt: Partial<AdaptOptions>): void {
	const articles = readGoldArticles(dir);
	if (seenCount >= articles.length) {
		throw new CliError(`--curve ${seenCount}: the folder has only ${articles.length} articles`);
	}
	const seen = articles.slice(0, seenCount);
	const others = articles.slice(seenCount);
	const simulated = simulatedCorrections(model, seen, Math.max(...steps));
	io.out(`corrections from ${seen.length} articles (${seen.map((a) => path.basename(a.file)).join(', ')}), scored on the other ${others.length}\n`);
	simulated.forEach((s, i) => io.out(`  ${String(i + 1).padStart(2)}. ${s.correction.spans[0].text}: ${s.was} → ${s.correction.spans[0].type} (${s.occurrences}×)\n`));
	io.out('corrections  F1 PER/LOC/ORG (others)  F1 (corrected articles)  adapt ms  passes\n');
	for (const k of steps) {
		const corrections = simulated.slice(0, k).map((s) => s.correction);
		const adapted = adaptToCorrections(model, corrections, adapt);
		const other = scoreArticles(adapted.model, others, {}).result().perLocOrg.f1;
		const own = scoreArticles(adapted.model, seen, {}, corrections).result().perLocOrg.f1;
		io.out(`${String(corrections.length).padStart(11)}  ${other.toFixed(4).padStart(23)}  ${own.toFixed(4).padStart(23)}  ${adapted.ms.toFixed(0).padStart(8)}  ${adapted.report?.epochs ?? 0}\n`);
	}
}

export const evalNerCommand: CliCommand = {
	name: 'eval-ner',
	summary: 'Score the NER tagger on a CoNLL file (conlleval table) or a folder of articles with gold sidecars',
	usage: [
		'eval-ner <conll-file | folder> [--model <path>] [--errors] [--no-consistency] [--corrections FILE | --no-corrections] [--corpus-vote]',
		'eval-ner <folder> --curve N [--steps 0,5,10,20] [--model <path>] [--adapt epochs=40,margin=3,step=0.25,contextShare=0]',
		'',
		'  A CoNLL file: conlleval-style table, last line "F1 xx.xx".',
		'  A folder: every article (.txt) with a sidecar; annotations labelled per/loc/org/misc are the gold',
		'  entities. Strict PER/LOC/ORG, per type, all four types and span-only scores; last line',
		'  "F1 PER/LOC/ORG 0.xxxx". --errors also lists every false and missed span.',
		'  --no-consistency: without the one-type-per-name step over each article.',
		'  --corpus-vote: unsure mentions take the type the other articles of the folder vote for (as the extension does).',
		'  The model first learns from the corrections in the nearest .corpus/ner-corrections.yaml above the',
		'  target (or --corrections FILE), as the extension does; --no-corrections scores the shipped model.',
		'  --curve N: the learning curve: the corrections an analyst would make on the highlights of the first',
		'  N articles (the most frequent errors first), and strict PER/LOC/ORG F1 on the other articles after',
		'  learning from the first 0, 5, 10, 20 (--steps) of them.',
	].join('\n'),
	async run(args, io) {
		const parsed = parseArgs(args, ['model', 'corrections', 'curve', 'steps', 'adapt'], ['errors', 'no-consistency', 'no-corrections', 'corpus-vote']);
		const options: TagOptions = { consistency: !parsed.options.has('no-consistency') };
		if (parsed.positional.length !== 1) {
			throw new CliError('expected one CoNLL file or one folder of articles');
		}
		const shipped = readModel(io.cwd, stringOption(parsed, 'model')).model;
		const target = path.resolve(io.cwd, parsed.positional[0]);
		const isFolder = fs.existsSync(target) && fs.statSync(target).isDirectory();
		const curve = integerOption(parsed, 'curve');
		if (curve !== undefined) {
			if (!isFolder) {
				throw new CliError('--curve needs a folder of articles with gold sidecars');
			}
			const steps = (stringOption(parsed, 'steps') ?? '0,5,10,20').split(',').map(Number);
			if (steps.some((n) => !Number.isInteger(n) || n < 0)) {
				throw new CliError('--steps must be a comma-separated list of correction counts');
			}
			learningCurve(shipped, target, io, curve, steps, parseAdaptOptions(stringOption(parsed, 'adapt')));
			return 0;
		}
		const loaded = parsed.options.has('no-corrections') ? undefined : await nearestCorrections(isFolder ? target : path.dirname(target), stringOption(parsed, 'corrections'), io.cwd);
		const corrections = loaded?.corrections ?? [];
		const adapted = adaptToCorrections(shipped, corrections, parseAdaptOptions(stringOption(parsed, 'adapt')));
		if (loaded && corrections.length > 0) {
			io.out(`learnt from ${corrections.length} correction${corrections.length === 1 ? '' : 's'} in ${path.relative(io.cwd, loaded.file)} (${adapted.ms.toFixed(0)} ms)\n`);
		}
		const model = adapted.model;
		if (isFolder) {
			evalFolder(model, target, io, parsed.options.has('errors'), options, corrections, parsed.options.has('corpus-vote'));
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
