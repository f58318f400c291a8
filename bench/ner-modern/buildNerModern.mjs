// Builds the modern-news NER evaluation corpus (test/fixtures/ner-modern) from its
// authoring sources: each source/<name>.md holds one article with inline gold markup
// ⟦TYPE text⟧; this writes {dev,test}/<name>.txt (markup removed) and the gold sidecar
// <name>.ann.yaml, and refreshes the entity counts in the folder's README.
//
//   node bench/ner-modern/buildNerModern.mjs            write the generated files
//   node bench/ner-modern/buildNerModern.mjs --check    exit 1 if any generated file is stale
//   node bench/ner-modern/buildNerModern.mjs --review   also list capitalised words left unmarked
//
// Deterministic: the output depends only on the sources (ids come from offsets), so a
// rerun without source changes rewrites nothing.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, Scalar } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = path.join(ROOT, 'test/fixtures/ner-modern');
const SOURCES = path.join(CORPUS, 'source');
const SPLITS = ['dev', 'test'];
const TYPES = ['PER', 'LOC', 'ORG', 'MISC'];
/** Context stored before and after a quote, as CONTEXT_LENGTH in src/core/annotations/model.ts. */
const CONTEXT_LENGTH = 32;
/**
 * SIDECAR_STRINGIFY_OPTIONS of src/core/annotations/sidecarCodec.ts (a TypeScript module this
 * plain-Node script cannot import); test/unit/fixtures/nerModernCorpus.test.ts checks that every
 * generated sidecar is byte-identical to the codec's own print.
 */
const YAML_OPTIONS = { lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: true, flowCollectionPadding: false,
	doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' };
const SOURCE_NAME_RE = /^(\d{3})_[a-z0-9-]+\.md$/;
const HEADER_RE = /^ date (\d{4})-(0[1-9]|1[0-2]) \S/;
/** " date YYYY-MM ": the lead paragraph starts after it. */
const HEADER_LENGTH = 14;
const SPAN_RE = /⟦(PER|LOC|ORG|MISC) ([^⟦⟧\n]+)⟧/y;
/** Optional last line of a source: how the article file is encoded (`⟦! crlf⟧`, `⟦! bom⟧`, `⟦! bom crlf⟧`). */
const DIRECTIVE_RE = /\n⟦!((?: (?:bom|crlf))+)⟧\n*$/;
const WORD_CHAR_RE = /[\p{L}\p{N}\p{M}]/u;
/** Characters that join two words into one token (as in src/core/ner/tokenizer.ts): Patriot-raketten, CD&V, Zelensky's. */
const JOINER_RE = /[-'’‐‑&.@]/u;
const COUNTS_BEGIN = '<!-- entity-counts:begin (written by bench/ner-modern/buildNerModern.mjs) -->';
const COUNTS_END = '<!-- entity-counts:end -->';

class SourceError extends Error {}

/** Line and column (1-based) of UTF-16 offset `at` in `text`. */
function lineCol(text, at) {
	const before = text.slice(0, at).split('\n');
	return `${before.length}:${before[before.length - 1].length + 1}`;
}

/**
 * Article text and gold spans of one source. Spans are UTF-16 offsets into the canonical
 * text (LF line ends, no BOM); `bom`/`crlf` say how the article file is written.
 */
export function parseSource(sourceText, file) {
	let src = sourceText.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
	const flags = new Set();
	const directive = DIRECTIVE_RE.exec(src);
	if (directive) {
		for (const f of directive[1].trim().split(' ')) {
			flags.add(f);
		}
		src = src.slice(0, directive.index);
	}
	src = src.replace(/\n+$/, '');
	let text = '';
	const spans = [];
	let i = 0;
	while (i < src.length) {
		const c = src[i];
		if (c === '⟦') {
			SPAN_RE.lastIndex = i;
			const m = SPAN_RE.exec(src);
			if (!m) {
				throw new SourceError(`${file}:${lineCol(src, i)}: "⟦" must start ⟦TYPE text⟧ with TYPE one of ${TYPES.join(', ')}`);
			}
			const quote = m[2];
			if (quote !== quote.trim()) {
				throw new SourceError(`${file}:${lineCol(src, i)}: span “${quote}” starts or ends with a space`);
			}
			spans.push({ type: m[1], start: text.length, end: text.length + quote.length, where: lineCol(src, i) });
			text += quote;
			i = SPAN_RE.lastIndex;
		} else if (c === '⟧') {
			throw new SourceError(`${file}:${lineCol(src, i)}: "⟧" without a matching "⟦"`);
		} else {
			text += c;
			i++;
		}
	}
	const header = HEADER_RE.exec(text);
	if (!header) {
		throw new SourceError(`${file}:1:1: the first line must be " date YYYY-MM <lead paragraph>"`);
	}
	const year = Number(header[1]);
	if (year < 2022 || year > 2026) {
		throw new SourceError(`${file}:1:7: articles are dated 2022–2026, not ${year}`);
	}
	const isWord = (at) => WORD_CHAR_RE.test(text[at] ?? '');
	for (const s of spans) {
		// A span must cover whole tokens: "⟦PER Trump⟧s" would leave the possessive outside,
		// "⟦ORG NAVO⟧-top" half a compound.
		const cutsBefore = isWord(s.start - 1) || (JOINER_RE.test(text[s.start - 1] ?? '') && isWord(s.start - 2));
		const cutsAfter = isWord(s.end) || (JOINER_RE.test(text[s.end] ?? '') && isWord(s.end + 1));
		if (cutsBefore || cutsAfter) {
			throw new SourceError(`${file}:${s.where}: span “${text.slice(s.start, s.end)}” cuts a word (put the whole word inside)`);
		}
	}
	return { text, spans, bom: flags.has('bom'), crlf: flags.has('crlf'), date: `${header[1]}-${header[2]}` };
}

/** Code-point offsets of UTF-16 offsets in `text` (the sidecar counts code points). */
function codePointOffset(text, utf16) {
	let n = 0;
	for (let i = 0; i < utf16; i++) {
		const c = text.charCodeAt(i);
		if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff)) {
			n++;
		}
	}
	return n;
}

/** The sidecar text for an article, printed as the project's sidecar codec prints it. */
export function sidecarText(name, parsed) {
	const { text, spans, date } = parsed;
	const points = Array.from(text);
	const annotations = spans.map((s) => {
		const start = codePointOffset(text, s.start);
		const end = codePointOffset(text, s.end);
		return {
			id: `g${start}`,
			label: s.type.toLowerCase(),
			start,
			end,
			quote: points.slice(start, end).join(''),
			prefix: points.slice(Math.max(0, start - CONTEXT_LENGTH), start).join(''),
			suffix: points.slice(end, end + CONTEXT_LENGTH).join(''),
		};
	});
	const doc = new Document({
		version: 1,
		article: `${name}.txt`,
		date,
		textHash: 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex'),
		annotations,
	});
	doc.commentBefore = ` Gold entities for ${name}.txt, generated by bench/ner-modern/buildNerModern.mjs from source/${name}.md: edit the source, not this file.`;
	// As the codec does: strings with line breaks go double-quoted on one line.
	for (const item of doc.get('annotations').items) {
		for (const pair of item.items) {
			if (pair.value instanceof Scalar && typeof pair.value.value === 'string' && /[\n\r]/.test(pair.value.value)) {
				pair.value.type = Scalar.QUOTE_DOUBLE;
			}
		}
	}
	return doc.toString(YAML_OPTIONS);
}

/** The article file's text: canonical text with the declared BOM and line ends. */
export function articleText(parsed) {
	const body = parsed.crlf ? parsed.text.replace(/\n/g, '\r\n') : parsed.text;
	return (parsed.bom ? '\uFEFF' : '') + body;
}

/** dev for odd numbers, test for even: consecutive numbers share a topic, so topics split evenly. */
export function splitOf(name) {
	return Number(name.slice(0, 3)) % 2 === 1 ? 'dev' : 'test';
}

/** Capitalised words not inside a span and not sentence-initial: candidates for a missed entity. */
function unmarkedCapitalised(parsed) {
	const { text, spans } = parsed;
	const covered = new Uint8Array(text.length);
	for (const s of spans) {
		covered.fill(1, s.start, s.end);
	}
	const found = [];
	for (const m of text.matchAll(/[\p{Lu}][\p{L}\p{N}'’-]*/gu)) {
		if (covered[m.index] || m.index <= HEADER_LENGTH) {
			continue;
		}
		const before = text.slice(Math.max(0, m.index - 3), m.index);
		if (/(?:[.!?:]["”’']?\s+|\n|["“‘'(]\s*)$/u.test(before) || /^[\p{L}\p{N}]/u.test(text[m.index - 1] ?? '')) {
			continue;
		}
		found.push(m[0]);
	}
	return found;
}

function renderCounts(counts, articles) {
	const lines = ['| split | articles | PER | LOC | ORG | MISC | all |', '|---|---|---|---|---|---|---|'];
	for (const split of [...SPLITS, 'total']) {
		const c = counts[split];
		const all = TYPES.reduce((sum, t) => sum + c[t], 0);
		lines.push(`| ${split} | ${articles[split]} | ${TYPES.map((t) => c[t]).join(' | ')} | ${all} |`);
	}
	return lines.join('\n');
}

function main(argv) {
	const check = argv.includes('--check');
	const review = argv.includes('--review');
	const sources = readdirSync(SOURCES).filter((f) => f.endsWith('.md')).sort();
	const wanted = new Map();
	const counts = Object.fromEntries([...SPLITS, 'total'].map((s) => [s, Object.fromEntries(TYPES.map((t) => [t, 0]))]));
	const articles = Object.fromEntries([...SPLITS, 'total'].map((s) => [s, 0]));
	const problems = [];
	for (const file of sources) {
		if (!SOURCE_NAME_RE.test(file)) {
			problems.push(`${file}: source names are NNN_slug.md (lowercase letters, digits, "-")`);
			continue;
		}
		const name = file.slice(0, -3);
		let parsed;
		try {
			parsed = parseSource(readFileSync(path.join(SOURCES, file), 'utf8'), `source/${file}`);
		} catch (e) {
			if (e instanceof SourceError) {
				problems.push(e.message);
				continue;
			}
			throw e;
		}
		const split = splitOf(name);
		wanted.set(path.join(split, `${name}.txt`), articleText(parsed));
		wanted.set(path.join(split, `${name}.ann.yaml`), sidecarText(name, parsed));
		articles[split]++;
		articles.total++;
		const types = new Map();
		for (const s of parsed.spans) {
			counts[split][s.type]++;
			counts.total[s.type]++;
			const q = parsed.text.slice(s.start, s.end);
			types.set(q, new Set([...(types.get(q) ?? []), s.type]));
		}
		if (review) {
			const mixed = [...types].filter(([, t]) => t.size > 1).map(([q, t]) => `${q} (${[...t].join('/')})`);
			const unmarked = unmarkedCapitalised(parsed);
			if (mixed.length > 0 || unmarked.length > 0) {
				console.log(`${name}:${mixed.length ? ` types differ: ${mixed.join(', ')};` : ''}${unmarked.length ? ` unmarked: ${unmarked.join(', ')}` : ''}`);
			}
		}
	}
	if (problems.length > 0) {
		for (const p of problems) {
			console.error(p);
		}
		console.error(`buildNerModern: ${problems.length} problem(s) in the sources; nothing written`);
		return 1;
	}
	const readme = path.join(CORPUS, 'README.md');
	if (existsSync(readme)) {
		const old = readFileSync(readme, 'utf8');
		const b = old.indexOf(COUNTS_BEGIN);
		const e = old.indexOf(COUNTS_END);
		if (b >= 0 && e > b) {
			wanted.set('README.md', old.slice(0, b + COUNTS_BEGIN.length) + '\n' + renderCounts(counts, articles) + '\n' + old.slice(e));
		}
	}
	let stale = 0;
	for (const [rel, content] of wanted) {
		const file = path.join(CORPUS, rel);
		const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
		if (current === content) {
			continue;
		}
		stale++;
		if (check) {
			console.error(`stale: ${rel}`);
		} else {
			mkdirSync(path.dirname(file), { recursive: true });
			writeFileSync(file, content);
		}
	}
	// Generated files whose source is gone.
	for (const split of SPLITS) {
		const dir = path.join(CORPUS, split);
		for (const f of existsSync(dir) ? readdirSync(dir) : []) {
			const rel = path.join(split, f);
			if (!wanted.has(rel)) {
				stale++;
				if (check) {
					console.error(`not generated from a source: ${rel}`);
				} else {
					rmSync(path.join(CORPUS, rel));
				}
			}
		}
	}
	console.log(renderCounts(counts, articles));
	if (check) {
		console.log(stale === 0 ? 'buildNerModern --check: generated files are up to date' : `buildNerModern --check: ${stale} file(s) stale; run npm run build:ner-modern`);
		return stale === 0 ? 0 : 1;
	}
	console.log(`buildNerModern: ${stale} file(s) written or removed`);
	return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	process.exitCode = main(process.argv.slice(2));
}
