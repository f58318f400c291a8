import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appendCorrectionText, correctionExample, type NerCorrection } from '../../../src/core/entities/nerCorrections';
import { adaptationFromJson, adaptationToJson } from '../../../src/core/ner/overlay';
import { loadModel, tagText, type LoadedModel } from '../../../src/core/ner/tagger';
import { runCli } from '../cli/runCli';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

function correction(sentence: string, text: string, type: NerCorrection['spans'][number]['type']): NerCorrection {
	const start = sentence.indexOf(text);
	return { sentence, spans: [{ text, start, end: start + text.length, type }], author: 'test', time: '2026-12-02T00:00:00.000Z' };
}

const typesOf = (model: LoadedModel, text: string): string[] => tagText(model, text).map((s) => `${s.text}:${s.type}`);

describe('ner adaptation from analysts\' corrections', function () {
	this.timeout(60000);
	let shipped: LoadedModel;
	before(() => {
		shipped = loadModel(fs.readFileSync(path.join(ROOT, 'models', 'nl-ner.model')));
	});

	it('labels the corrected tokens only (BILOU of the type, O for not an entity)', () => {
		const ex = correctionExample(correction('Google DeepMind opent een lab in Parijs.', 'Google DeepMind', 'ORG'));
		assert.deepEqual(ex.words.slice(0, 2), ['Google', 'DeepMind']);
		// B-ORG = 9, L-ORG = 11; the rest unconstrained.
		assert.deepEqual(Array.from(ex.gold), [9, 11, -1, -1, -1, -1, -1, -1]);
		const none = correctionExample(correction('AI-bedrijven groeien snel.', 'AI-bedrijven', 'none'));
		assert.deepEqual(Array.from(none.gold), [0, -1, -1, -1]);
	});

	it('learns a corrected name so that it holds in a new context, and leaves other names alone', () => {
		const before = 'Conner Rousseau sprak in Gent over Kijkwijzer. Bij storm gaat de Krammerkering dicht.';
		assert.deepEqual(typesOf(shipped, before), ['Conner Rousseau:PER', 'Gent:LOC', 'Kijkwijzer:MISC', 'Krammerkering:MISC'], 'the shipped model gets these two wrong');
		const corrections = [correction('Kijkwijzer wil strengere regels voor streamingdiensten.', 'Kijkwijzer', 'ORG'), correction('De Krammerkering werd gesloten.', 'Krammerkering', 'LOC')];
		const { model, report } = shipped.adapt(corrections.map(correctionExample));
		assert.equal(report.stillWrong, 0, JSON.stringify(report));
		assert.deepEqual(typesOf(model, before), ['Conner Rousseau:PER', 'Gent:LOC', 'Kijkwijzer:ORG', 'Krammerkering:LOC']);
		// An article without the corrected names is tagged exactly as before.
		const other = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'ner-modern', 'dev', '025_trump-importheffingen.txt'), 'utf8');
		assert.deepEqual(tagText(model, other), tagText(shipped, other));
	});

	it('is reproducible from the corrections, and a stored adaptation gives the same tags', () => {
		const corrections = [correction('Sparta won zondag van Feyenoord.', 'Sparta', 'ORG'), correction('Ook Oranje speelde.', 'Oranje', 'none')];
		const a = shipped.adapt(corrections.map(correctionExample)).model.adaptation!;
		const b = shipped.adapt(corrections.map(correctionExample)).model.adaptation!;
		assert.equal(adaptationToJson(a, {}), adaptationToJson(b, {}));
		assert.ok(a.keys.length > 0 && a.keys.length <= 16, `adapted rows: ${a.keys.length}`);
		const stored = adaptationFromJson(adaptationToJson(a, { corrections: 'sha' }));
		assert.equal(stored.meta.corrections, 'sha');
		const text = 'Sparta speelt tegen Ajax. Oranje wint.';
		assert.deepEqual(typesOf(shipped.withAdaptation(stored.adaptation), text), typesOf(shipped.withAdaptation(a), text));
		assert.deepEqual(typesOf(shipped.withAdaptation(undefined), text), typesOf(shipped, text));
	});

	it('adapts from 20 corrections well within 10 s', () => {
		const names = ['Maeslantkering', 'Vooruit', 'Viaplay', 'BBTK', 'VivaTech', 'Nieuwsuur', 'Afsluitdijk', 'Thialf', 'Mistral', 'Nvidia'];
		const corrections = names.flatMap((n, i) => [correction(`Volgens ${n} gaat het goed.`, n, i % 2 ? 'ORG' : 'LOC'), correction(`${n} zegt niets.`, n, i % 2 ? 'ORG' : 'LOC')]);
		const t0 = performance.now();
		const { report } = shipped.adapt(corrections.map(correctionExample));
		const ms = performance.now() - t0;
		console.log(`      20 corrections: ${ms.toFixed(0)} ms, ${report.epochs} passes, ${report.stillWrong} still wrong`);
		assert.ok(ms < 10_000);
		assert.equal(report.stillWrong, 0);
	});

	it('train-ner --corrections writes a model that has learnt them; eval-ner --curve prints the learning curve', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ner-corrections-'));
		const doc = '-DOCSTART- -DOCSTART- O\nJan B-PER\nPeeters I-PER\nwoont O\nin O\nGent B-LOC\n. O\n\nMarie B-PER\nwerkt O\nvoor O\nKBC B-ORG\n. O\n\n';
		fs.writeFileSync(path.join(dir, 'tiny.conll'), doc + doc.replace(/Gent/g, 'Leuven'));
		fs.writeFileSync(path.join(dir, 'corrections.yaml'), appendCorrectionText('', correction('Karel werkt voor Vooruit .', 'Vooruit', 'ORG')));
		const run = await runCli(dir, 'train-ner', '--train', 'tiny.conll', '--out', 'm.model', '--epochs', '3', '--epochs2', '2', '--folds', '2', '--second-pass-folds', '2', '--seeds', '1', '--no-lexicon', '--no-knowledge', '--corrections', 'corrections.yaml');
		assert.equal(run.code, 0, run.err);
		assert.match(run.out, /corrections: 1 from corrections.yaml/);
		const model = loadModel(fs.readFileSync(path.join(dir, 'm.model')));
		assert.equal(model.adaptation, undefined, 'the corrections are in the weights, not an overlay');
		assert.ok(typesOf(model, 'Piet werkt voor Vooruit .').includes('Vooruit:ORG'), typesOf(model, 'Piet werkt voor Vooruit .').join());
		const curve = await runCli(ROOT, 'eval-ner', 'test/fixtures/ner-modern/dev', '--curve', '3', '--steps', '0,2');
		assert.equal(curve.code, 0, curve.err);
		const rows = curve.out.split('\n').filter((l) => /^\s+\d+\s+0\.\d{4}/.test(l));
		assert.deepEqual(rows.map((r) => Number(r.trim().split(/\s+/)[0])), [0, 2], curve.out);
	});
});
