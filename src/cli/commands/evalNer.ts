import { parseArgs, stringOption } from '../args';
import { CliError, type CliCommand } from '../cliTypes';
import { ConllEvaluator, formatEvalReport } from '../../core/ner/conlleval';
import { normalizeWord } from '../../core/ner/features';
import { bilouToIob2 } from '../../core/ner/labels';
import { readConll, readModel } from './nerCommon';

export const evalNerCommand: CliCommand = {
	name: 'eval-ner',
	summary: 'Score the NER tagger on a CoNLL file (conlleval-style table; last line "F1 xx.xx")',
	usage: 'eval-ner <conll-file> [--model <path>]',
	async run(args, io) {
		const parsed = parseArgs(args, ['model']);
		if (parsed.positional.length !== 1) {
			throw new CliError('expected one CoNLL file');
		}
		const { model } = readModel(io.cwd, stringOption(parsed, 'model'));
		const docs = readConll(io.cwd, parsed.positional[0]);
		const ev = new ConllEvaluator();
		for (const d of docs) {
			const labels = model.labelSentences(d.sentences.map((s) => s.words.map(normalizeWord)));
			d.sentences.forEach((s, i) => ev.add(s.tags, bilouToIob2(labels[i])));
		}
		io.out(formatEvalReport(ev.result()));
		return 0;
	},
};
