/**
 * The agreement report as Markdown for a pull-request comment: a table of the measures per
 * label and overall, the articles that disagree most, and everything that was not compared
 * (one-sided articles, orphans, unreadable files, labels missing from the schema).
 */
import type { Measures } from './compare';
import type { AuthorReport } from './byAuthor';
import type { AgreementReport, ArticleReport } from './report';

/** Articles listed in the per-article table at most (the JSON has all of them). */
export const ARTICLE_ROWS = 20;
/** Orphans and problems listed at most. */
const LIST_ROWS = 50;

export function formatNumber(v: number | null): string {
	return v === null ? '–' : v.toFixed(3);
}

const MEASURE_HEAD = '| Exact F1 | Overlap F1 | κ | α | Same | Only A | Only B | Label ≠ | Bounds ≠ |';
const MEASURE_ALIGN = '--:|--:|--:|--:|--:|--:|--:|--:|--:|';

function measureCells(m: Measures): string {
	return [
		formatNumber(m.exact_f1), formatNumber(m.overlap_f1), formatNumber(m.cohen_kappa), formatNumber(m.krippendorff_alpha),
		m.matched_exact, m.only_a, m.only_b, m.label_differs, m.boundary_differs,
	].join(' | ');
}

/** Markdown table and lists for one comparison (two refs, or one pair of authors). */
export function formatAgreement(r: AgreementReport, heading = '##'): string {
	const compared = r.articles.filter((a) => a.status === 'compared');
	const count = (status: ArticleReport['status']): ArticleReport[] => r.articles.filter((a) => a.status === status);
	const lines = [`${heading} Agreement: ${r.a} ↔ ${r.b}`, ''];
	const summary = [`${compared.length} article${compared.length === 1 ? '' : 's'} compared`];
	for (const [status, text] of [['only-in-a', `only in ${r.a}`], ['only-in-b', `only in ${r.b}`], ['unreadable', 'unreadable'], ['article-missing', 'article missing']] as const) {
		const n = count(status).length;
		if (n > 0) {
			summary.push(`${n} ${text}`);
		}
	}
	if (r.orphans.length > 0) {
		summary.push(`${r.orphans.length} orphaned annotation${r.orphans.length === 1 ? '' : 's'} not compared`);
	}
	lines.push(summary.join(' · '), '');
	lines.push(`| Label | ${r.a} | ${r.b} ${MEASURE_HEAD}`, `|:--|--:|--:|${MEASURE_ALIGN}`);
	for (const [label, m] of Object.entries(r.labels)) {
		lines.push(`| ${escapeCell(label)}${m.in_schema ? '' : ' ⚠'} | ${m.n_a} | ${m.n_b} | ${measureCells(m)} |`);
	}
	lines.push(`| **Overall** | ${r.overall.n_a} | ${r.overall.n_b} | ${measureCells(r.overall)} |`);
	if (r.labels_not_in_schema.length > 0) {
		lines.push('', `⚠ Not in the label schema (counted under their name): ${r.labels_not_in_schema.map((l) => `\`${l}\``).join(', ')}`);
	}
	const disagreeing = compared
		.filter((a): a is Extract<ArticleReport, { status: 'compared' }> => a.status === 'compared' && a.matched_exact < Math.max(a.n_a, a.n_b))
		.sort((x, y) => (x.exact_f1 ?? 1) - (y.exact_f1 ?? 1) || (x.article < y.article ? -1 : 1));
	if (disagreeing.length > 0) {
		lines.push('', `Articles that disagree most (${Math.min(ARTICLE_ROWS, disagreeing.length)} of ${disagreeing.length}):`, '');
		lines.push(`| Article | ${r.a} | ${r.b} ${MEASURE_HEAD}`, `|:--|--:|--:|${MEASURE_ALIGN}`);
		for (const a of disagreeing.slice(0, ARTICLE_ROWS)) {
			lines.push(`| ${escapeCell(a.article)} | ${a.n_a} | ${a.n_b} | ${measureCells(a)} |`);
		}
	}
	for (const [status, title] of [['only-in-a', `Annotated only in ${r.a}`], ['only-in-b', `Annotated only in ${r.b}`]] as const) {
		const list = count(status);
		if (list.length > 0) {
			lines.push('', `${title} (not compared): ${list.slice(0, LIST_ROWS).map((a) => a.article).join(', ')}${more(list.length)}`);
		}
	}
	if (r.orphans.length > 0) {
		lines.push('', 'Orphaned annotations (could not be placed in the compared text; not compared):');
		for (const o of r.orphans.slice(0, LIST_ROWS)) {
			lines.push(`- ${o.side}: ${o.article} \`${o.id}\` ${o.label} “${shorten(o.quote)}” (${o.reason})`);
		}
		pushMore(lines, r.orphans.length);
	}
	if (r.problems.length > 0) {
		lines.push('', 'Not readable (not compared):');
		for (const p of r.problems.slice(0, LIST_ROWS)) {
			lines.push(`- ${p.side}: ${p.file}:${p.line}:${p.column}: ${p.message}`);
		}
		pushMore(lines, r.problems.length);
	}
	return lines.join('\n') + '\n';
}

/** Markdown for `--by-author`: α over all authors, then each pair. */
export function formatAuthorAgreement(r: AuthorReport): string {
	const lines = ['## Agreement between authors', ''];
	if (r.authors.length < 2) {
		lines.push(`${r.authors.length === 0 ? 'No author' : `Only one author (${r.authors[0]})`} found in the sidecars: nothing to compare.`);
	} else {
		lines.push(`Authors: ${r.authors.join(', ')}`, '', `Krippendorff's α over all authors (an author who did not annotate an article is missing there): **${formatNumber(r.krippendorff_alpha.overall)}**`, '');
		lines.push('| Label | α |', '|:--|--:|');
		for (const [label, a] of Object.entries(r.krippendorff_alpha.labels)) {
			lines.push(`| ${escapeCell(label)} | ${formatNumber(a)} |`);
		}
	}
	if (r.unattributed > 0 || r.curated > 0) {
		lines.push('', `Not compared: ${r.unattributed} annotation(s) without an author, ${r.curated} settled by a curator.`);
	}
	for (const pair of r.pairs) {
		lines.push('', formatAgreement({ ...pair, problems: [] }, '###').trimEnd());
	}
	if (r.problems.length > 0) {
		lines.push('', 'Not readable (not compared):');
		for (const p of r.problems.slice(0, LIST_ROWS)) {
			lines.push(`- ${p.file}:${p.line}:${p.column}: ${p.message}`);
		}
		pushMore(lines, r.problems.length);
	}
	return lines.join('\n') + '\n';
}

function escapeCell(s: string): string {
	return s.replace(/\|/g, '\\|');
}

function shorten(s: string, max = 60): string {
	const flat = s.replace(/\s+/g, ' ');
	return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

function more(n: number): string {
	return n > LIST_ROWS ? ` … and ${n - LIST_ROWS} more` : '';
}

function pushMore(lines: string[], n: number): void {
	if (n > LIST_ROWS) {
		lines.push(`- … and ${n - LIST_ROWS} more (see --json)`);
	}
}
