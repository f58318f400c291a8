/**
 * Hostile input (issue 11, "unreadable means untouchable"): generated invalid sidecars of every
 * kind the validator knows, plus YAML alias bombs and a 10 MB file. Every one must be refused by
 * annotate and list, left alone by the merge driver, and reported by check with a position;
 * afterwards every file is byte-identical. Prints the counts and the slowest check, as CPU time
 * of this process (what the work costs; the wall clock of a shared CI machine mostly measures
 * the other jobs) and as wall time.
 *
 * Its own script (`npm run test:hostile`): about 1 s of CPU per case is too slow for test:unit.
 */
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createAnnotation, makeIdGenerator } from '../../src/core/annotations/factory';
import { openSidecarSession } from '../../src/core/annotations/sidecarSession';
import { prepareText, toEditorRange } from '../../src/core/annotations/anchoring';
import { sidecarOffset } from '../../src/core/annotations/offsets';
import { seededRandom } from '../../src/core/util/seededRandom';
import { checkFolder } from '../../src/cli/commands/checkCommand';
import type { CliIo } from '../../src/cli/cliTypes';
import { main } from '../../src/cli/main';

const ARTICLE_NAME = '001_0a1b2c3d4e5f6071.txt';
const SIDECAR_NAME = '001_0a1b2c3d4e5f6071.ann.yaml';
const ARTICLE = [
	' date 2024-06 De NAVO 🇺🇦 sprak in Brussel met president Zelensky over “luchtverdediging”.',
	'',
	'Volgens Rutte blijft de steun van de bondgenoten onverminderd groot, zo zei hij na afloop.',
	'',
	'‘Harde clash’',
	'',
	'In Kiev werd het bezoek met gemengde gevoelens ontvangen; de Oekraïense regering wil meer Patriot-raketten.',
].join('\r\n');
const COUNT = Number(process.env.HOSTILE_COUNT ?? 1000);
const MAX_MS = 2000;

interface Hostile {
	readonly kind: string;
	readonly bytes: Uint8Array;
	/** Error codes of which check must report at least one. */
	readonly codes: readonly string[];
	/** The line check must name, when the kind fixes it. */
	readonly line?: number;
}

const encoder = new TextEncoder();

/** A valid sidecar of ARTICLE with `n` annotations, as the tools write it. */
function validSidecar(r: () => number, n: number): string {
	const prepared = prepareText(ARTICLE);
	const opened = openSidecarSession({ sidecarText: undefined, articleText: prepared, articleName: ARTICLE_NAME });
	assert.ok(opened.ok);
	const { session } = opened;
	const length = prepared.canonIndex.codePointLength;
	for (let i = 0; i < n; i++) {
		const start = Math.floor(r() * (length - 20));
		const range = toEditorRange(prepared, sidecarOffset(start), sidecarOffset(start + 3 + Math.floor(r() * 15)));
		session.doc.add(createAnnotation(prepared, range.start, range.end, r() < 0.5 ? 'claim' : 'event', {
			now: () => new Date(Date.UTC(2026, 0, 1 + i)),
			author: 'Tester',
			newId: makeIdGenerator(r, (id) => session.doc.get(id) !== undefined),
		}, r() < 0.3 ? { note: 'Controleren: “bron”?' } : {}));
	}
	return session.serialize()!;
}

function lineOfOffset(text: string, offset: number): number {
	return text.slice(0, offset).split('\n').length;
}

/** Lines of the annotation items (the list ends the file): [first, last] line index per item. */
function items(lines: readonly string[]): [number, number][] {
	const starts = lines.flatMap((l, i) => (l.startsWith('  - ') ? [i] : []));
	const end = lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
	return starts.map((s, k) => [s, (starts[k + 1] ?? end) - 1]);
}

const BAD_UTF8: readonly number[][] = [[0x80], [0xc3, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98], [0xff], [0xfe, 0xfe], [0xe2, 0x82]];
const NON_INTEGER = ['1.5', '"12"', '-3', '1e3', '0x10', '12.0', '+4', 'twelve', '[1]', '.inf'];
const SYNTAX = ['  - id: [open\n', 'quote: "never closed\n', '\t- id: tab\n', '  -id:x: y: z\n', 'annotations: ]\n', '{{{{\n', '  - ? [a\n'];

function generate(count: number): Hostile[] {
	const r = seededRandom(20261202);
	const out: Hostile[] = [];
	const pickInt = (n: number): number => Math.floor(r() * n);
	const kinds = [
		'invalid-utf8', 'nul', 'control', 'truncated-header', 'truncated-annotation', 'truncated-time', 'missing-key',
		'missing-header', 'zero-length', 'inverted', 'duplicate-id', 'past-text', 'non-integer', 'yaml-syntax',
		'alias-bomb', 'merge-conflict', 'wrong-type', 'unknown-version', 'empty', 'deep-nesting', 'bad-date',
	] as const;
	for (let k = 0; out.length < count; k++) {
		const kind = kinds[k % kinds.length];
		const text = validSidecar(r, 3 + pickInt(6));
		const lines = text.split('\n');
		const its = items(lines);
		const item = its[pickInt(its.length)];
		const textBytes = (t: string): Uint8Array => encoder.encode(t);
		const at = 1 + pickInt(text.length - 2);
		const withLines = (ls: string[]): string => ls.join('\n');
		const lineIndex = (prefix: string, from = 0): number => lines.findIndex((l, i) => i >= from && l.startsWith(prefix));
		const setLine = (i: number, value: string): string => withLines(lines.map((l, j) => (j === i ? value : l)));
		switch (kind) {
			case 'invalid-utf8': {
				const head = textBytes(text.slice(0, at));
				const bad = BAD_UTF8[pickInt(BAD_UTF8.length)];
				const bytes = new Uint8Array([...head, ...bad, ...textBytes(text.slice(at))]);
				out.push({ kind, bytes, codes: ['invalid-utf8'], line: lineOfOffset(text, at) });
				break;
			}
			case 'nul':
			case 'control': {
				const ch = kind === 'nul' ? '\0' : String.fromCharCode([1, 2, 7, 8, 0x0b, 0x0c, 0x1b, 0x1f, 0x7f][pickInt(9)]);
				out.push({ kind, bytes: textBytes(text.slice(0, at) + ch + text.slice(at)), codes: ['invalid-character'], line: lineOfOffset(text, at) });
				break;
			}
			case 'truncated-header': {
				// Cut inside the article name: nothing after it, so no annotations list.
				const start = text.indexOf('article: ') + 'article: '.length;
				out.push({ kind, bytes: textBytes(text.slice(0, start + pickInt(ARTICLE_NAME.length))), codes: ['missing-field'] });
				break;
			}
			case 'truncated-annotation': {
				// Cut anywhere from the item's dash to just after its `quote:` key: a required field is
				// gone. (A cut before the dash leaves a shorter valid file: nothing shows it was cut.)
				const dash = lines.slice(0, item[0]).join('\n').length + 1 + '  -'.length;
				const quoteKey = text.indexOf('quote:', dash) + 'quote:'.length;
				out.push({ kind, bytes: textBytes(text.slice(0, dash + pickInt(quoteKey - dash + 1))), codes: ['missing-field', 'yaml-syntax', 'invalid-field'] });
				break;
			}
			case 'truncated-time': {
				const i = lines.lastIndexOf(lines.filter((l) => l.startsWith('    modified: ')).pop()!);
				const value = lines[i].slice('    modified: '.length);
				const cut = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 17, 18][pickInt(16)];
				out.push({ kind, bytes: textBytes(withLines([...lines.slice(0, i), `    modified: ${value.slice(0, cut)}`])), codes: ['invalid-field', 'yaml-syntax'], line: i + 1 });
				break;
			}
			case 'missing-key': {
				const key = ['id', 'label', 'start', 'end', 'quote'][pickInt(5)];
				const i = key === 'id' ? item[0] : lineIndex(`    ${key}: `, item[0]);
				const replacement = key === 'id' ? lines[item[0] + 1].replace(/^ {4}/, '  - ') : undefined;
				const next = key === 'id'
					? withLines([...lines.slice(0, i), replacement!, ...lines.slice(i + 2)])
					: withLines([...lines.slice(0, i), ...lines.slice(i + 1)]);
				out.push({ kind, bytes: textBytes(next), codes: ['missing-field'] });
				break;
			}
			case 'missing-header': {
				const key = ['version', 'article', 'annotations'][pickInt(3)];
				const i = lineIndex(`${key}:`);
				const next = key === 'annotations' ? withLines(lines.slice(0, i)) + '\n' : withLines([...lines.slice(0, i), ...lines.slice(i + 1)]);
				out.push({ kind, bytes: textBytes(next), codes: key === 'annotations' ? ['missing-field', 'yaml-syntax'] : ['missing-field'] });
				break;
			}
			case 'zero-length':
			case 'inverted': {
				const s = Number(/(\d+)/.exec(lines[lineIndex('    start: ', item[0])])![1]);
				const e = kind === 'zero-length' ? s : Math.max(0, s - 1 - pickInt(s));
				const i = lineIndex('    end: ', item[0]);
				out.push({ kind, bytes: textBytes(setLine(i, `    end: ${e}`)), codes: ['invalid-range'] });
				break;
			}
			case 'duplicate-id': {
				const other = its[(its.indexOf(item) + 1) % its.length];
				if (other === item) {
					continue;
				}
				const id = lines[item[0]].slice('  - id: '.length);
				out.push({ kind, bytes: textBytes(setLine(other[0], `  - id: ${id}`)), codes: ['duplicate-id'], line: Math.max(item[0], other[0]) + 1 });
				break;
			}
			case 'past-text': {
				const length = [...ARTICLE.replace(/\r\n/g, '\n')].length;
				const i = lineIndex('    end: ', item[0]);
				const si = lineIndex('    start: ', item[0]);
				const next = withLines(lines.map((l, j) => (j === si ? `    start: ${length + 2}` : j === i ? `    end: ${length + 9 + pickInt(100)}` : l)));
				out.push({ kind, bytes: textBytes(next), codes: ['offset-past-text'], line: i + 1 });
				break;
			}
			case 'non-integer': {
				const key = r() < 0.5 ? 'start' : 'end';
				const i = lineIndex(`    ${key}: `, item[0]);
				out.push({ kind, bytes: textBytes(setLine(i, `    ${key}: ${NON_INTEGER[pickInt(NON_INTEGER.length)]}`)), codes: ['invalid-field', 'yaml-syntax'], line: i + 1 });
				break;
			}
			case 'yaml-syntax': {
				const i = item[0] + pickInt(item[1] - item[0] + 1);
				out.push({ kind, bytes: textBytes(withLines([...lines.slice(0, i), SYNTAX[pickInt(SYNTAX.length)].trimEnd(), ...lines.slice(i)])), codes: ['yaml-syntax', 'invalid-field', 'missing-field', 'not-a-map'] });
				break;
			}
			case 'alias-bomb': {
				const depth = 5 + pickInt(6);
				const bomb = ['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
				for (let d = 1; d < depth; d++) {
					bomb.push(`lol${d}: &l${d} [${Array(9).fill(`*l${d - 1}`).join(', ')}]`);
				}
				const i = lineIndex('annotations:');
				out.push({ kind, bytes: textBytes(withLines([...lines.slice(0, i), ...bomb, ...lines.slice(i)])), codes: ['unsupported-yaml'] });
				break;
			}
			case 'merge-conflict': {
				const i = item[0];
				const marked = [...lines.slice(0, i), '<<<<<<< ours', ...lines.slice(i, item[1] + 1), '=======', ...lines.slice(i, item[1] + 1), '>>>>>>> theirs', ...lines.slice(item[1] + 1)];
				out.push({ kind, bytes: textBytes(withLines(marked)), codes: ['merge-conflict'], line: i + 1 });
				break;
			}
			case 'wrong-type': {
				const variants: [string, number][] = [
					[setLine(lineIndex('    label: ', item[0]), '    label: [claim, event]'), lineIndex('    label: ', item[0]) + 1],
					// The items that follow make this a syntax error on a later line.
					[setLine(lineIndex('annotations:'), 'annotations: {a: 1}'), -1],
					[setLine(lineIndex('    quote: ', item[0]), '    quote: {nested: map}'), lineIndex('    quote: ', item[0]) + 1],
					['- version: 1\n- article: x\n', 1],
					['just a sentence\n', 1],
					[setLine(item[0], '  - 42'), -1],
				];
				const [next, known] = variants[pickInt(variants.length)];
				const line = known < 0 ? undefined : known;
				out.push({ kind, bytes: textBytes(next), codes: ['invalid-field', 'not-a-map', 'yaml-syntax'], line });
				break;
			}
			case 'unknown-version': {
				const i = lineIndex('version:');
				out.push({ kind, bytes: textBytes(setLine(i, `version: ${['2', '0', '"1"', '1.1', 'one'][pickInt(5)]}`)), codes: ['unknown-version'], line: i + 1 });
				break;
			}
			case 'empty':
				out.push({ kind, bytes: textBytes(['', '\n', '   \n\n', '\t\n', '# only a comment\n'][pickInt(5)]), codes: ['empty', 'not-a-map', 'invalid-character'] });
				break;
			case 'deep-nesting': {
				const depth = 500 + pickInt(8000);
				out.push({ kind, bytes: textBytes(`version: 1\narticle: ${ARTICLE_NAME}\nx: ${'['.repeat(depth)}\nannotations: []\n`), codes: ['yaml-syntax'] });
				break;
			}
			case 'bad-date': {
				const i = lineIndex('date:');
				out.push({ kind, bytes: textBytes(setLine(i, `date: ${['2025-13', '25-07', '2025-7', 'juli', '2025-07-01'][pickInt(5)]}`)), codes: ['invalid-field'], line: i + 1 });
				break;
			}
		}
	}
	// One 10 MB file: a valid head followed by many more annotations than any article holds.
	const head = validSidecar(r, 5);
	const block = head.slice(head.indexOf('  - id: '));
	let big = head;
	while (big.length < 10 * 1024 * 1024) {
		big += block.replace(/id: ([a-z0-9]+)/g, (_m, id: string) => `id: ${id}${big.length.toString(36)}`);
	}
	out.push({ kind: 'ten-megabytes', bytes: encoder.encode(big), codes: ['too-large'] });
	return out;
}

async function run(cwd: string, args: string[]): Promise<{ code: number; err: string }> {
	let err = '';
	const io: CliIo = { cwd, out: () => undefined, err: (t) => (err += t) };
	return { code: await main(args, io), err };
}

describe('hostile sidecars (unreadable means untouchable)', function () {
	this.timeout(20 * 60 * 1000);
	// Mocha raises the stack trace limit to Infinity; the YAML parser recurses once per nesting
	// level and records a stack per error, so deep nesting would cost 20 times what it costs in
	// the command line, which runs with Node's default of 10 frames.
	let stackTraceLimit: number;
	before(() => {
		stackTraceLimit = Error.stackTraceLimit;
		Error.stackTraceLimit = 10;
	});
	after(() => {
		Error.stackTraceLimit = stackTraceLimit;
	});

	it(`refuses ${COUNT}+ invalid sidecars everywhere, reports each with a position, changes none`, async () => {
		const cases = generate(COUNT);
		const root = await fs.mkdtemp(path.join(os.tmpdir(), 'corpus-hostile-'));
		try {
			const r = seededRandom(7);
			const base = validSidecar(r, 4);
			const theirs = validSidecar(r, 5);
			const failures: string[] = [];
			const byKind = new Map<string, number>();
			let slowestCheck = { ms: 0, kind: '' };
			let slowestCheckWall = { ms: 0, kind: '' };
			let slowestAny = { ms: 0, kind: '', path: '' };
			const timed = async <T>(kind: string, what: string, task: () => Promise<T>): Promise<T> => {
				const t0 = performance.now();
				const result = await task();
				const ms = performance.now() - t0;
				if (ms > slowestAny.ms) {
					slowestAny = { ms, kind, path: what };
				}
				return result;
			};
			for (const [n, c] of cases.entries()) {
				byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
				const dir = path.join(root, String(n));
				await fs.mkdir(dir);
				await fs.writeFile(path.join(dir, ARTICLE_NAME), ARTICLE);
				const sidecar = path.join(dir, SIDECAR_NAME);
				await fs.writeFile(sidecar, c.bytes);
				await fs.writeFile(path.join(dir, 'base.yaml'), base);
				await fs.writeFile(path.join(dir, 'theirs.yaml'), theirs);
				const fail = (what: string): void => {
					failures.push(`#${n} ${c.kind}: ${what}`);
				};

				const annotate = await timed(c.kind, 'annotate', () => run(dir, ['annotate', ARTICLE_NAME, '--start', '1', '--end', '5', '--label', 'claim', '--author', 'T']));
				if (annotate.code === 0) {
					fail('annotate accepted it');
				} else if (!/:\d+:\d+: /.test(annotate.err)) {
					fail(`annotate gave no position: ${annotate.err.trim()}`);
				}
				const list = await timed(c.kind, 'list', () => run(dir, ['list', ARTICLE_NAME, '--json']));
				if (list.code === 0) {
					fail('list accepted it');
				} else if (/was not changed/.test(list.err)) {
					fail('list talks about changing the sidecar');
				}
				const merge = await timed(c.kind, 'merge-driver', () => run(dir, ['merge-driver', 'base.yaml', SIDECAR_NAME, 'theirs.yaml', SIDECAR_NAME]));
				if (merge.code === 0) {
					fail('merge driver merged it cleanly');
				}
				const cpu0 = process.cpuUsage();
				const t0 = performance.now();
				const problems = await checkFolder(dir, (p) => path.relative(dir, p));
				const wall = performance.now() - t0;
				const cpu = process.cpuUsage(cpu0);
				const ms = (cpu.user + cpu.system) / 1000;
				if (ms > slowestCheck.ms) {
					slowestCheck = { ms, kind: c.kind };
				}
				if (wall > slowestCheckWall.ms) {
					slowestCheckWall = { ms: wall, kind: c.kind };
				}
				const errors = problems.filter((p) => p.file === SIDECAR_NAME && p.severity === 'error');
				if (errors.length === 0) {
					fail('check reported nothing');
				} else if (!errors.every((e) => Number.isInteger(e.line) && e.line >= 1 && Number.isInteger(e.column) && e.column >= 1)) {
					fail('check gave no line:column');
				} else if (!errors.some((e) => c.codes.includes(e.code))) {
					fail(`check reported ${errors.map((e) => e.code).join(', ')}, expected one of ${c.codes.join(', ')}`);
				} else if (c.line !== undefined && !errors.some((e) => c.codes.includes(e.code) && e.line === c.line)) {
					fail(`check named line ${errors.map((e) => e.line).join(', ')}, expected ${c.line}`);
				}
				const after = await fs.readFile(sidecar);
				if (!Buffer.from(c.bytes).equals(after)) {
					fail('the file was modified');
				}
				await fs.rm(dir, { recursive: true, force: true });
			}
			const kinds = [...byKind].map(([k, v]) => `${k} ${v}`).join(', ');
			console.log(`      hostile sidecars: ${cases.length} (${kinds}); failures ${failures.length}; ` +
				`slowest check ${slowestCheck.ms.toFixed(0)} ms CPU (${slowestCheck.kind}), ${slowestCheckWall.ms.toFixed(0)} ms wall (${slowestCheckWall.kind}); ` +
				`slowest other command ${slowestAny.ms.toFixed(0)} ms wall (${slowestAny.path}, ${slowestAny.kind})`);
			assert.deepStrictEqual(failures.slice(0, 20), [], `${failures.length} failures`);
			assert.ok(slowestCheck.ms < MAX_MS, `slowest check ${slowestCheck.ms.toFixed(0)} ms of CPU`);
		} finally {
			await fs.rm(root, { recursive: true, force: true });
		}
	});
});
