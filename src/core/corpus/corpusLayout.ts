/**
 * How a corpus sits on disk: which files are articles and sidecars, how their paths pair up,
 * and which folders nobody walks. The one definition for the indexer, the extension's watchers,
 * `check`, `diff` and the store. Works on file paths and URI paths (`/` or `\` separated).
 */

export const ARTICLE_EXTENSION = '.txt';
/** `articles/000_abc.txt` ↔ `articles/000_abc.ann.yaml`; always written in lower case. */
export const SIDECAR_SUFFIX = '.ann.yaml';
/** Every sidecar below a folder (file watchers, `findFiles`). */
export const SIDECAR_GLOB = '**/*.ann.yaml';
/** Every article and sidecar below a folder. */
export const CORPUS_FILES_GLOB = '**/*.{txt,ann.yaml}';
/** Git pathspec of the sidecars (`.gitattributes`, `git diff -- …`). */
export const SIDECAR_PATHSPEC = '*.ann.yaml';

/** Folders never walked besides dot folders: dependencies (and, by name, version control and our settings). */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn', '.corpus', '.vscode']);

/** True for a folder name no walk enters: dot folders (`.git`, `.corpus`…) and `node_modules`. */
export function isSkippedFolder(name: string): boolean {
	return name.startsWith('.') || SKIPPED_FOLDERS.has(name);
}

/** `.txt` in any case (`A.TXT` is an article too). */
export function isArticlePath(path: string): boolean {
	return path.toLowerCase().endsWith(ARTICLE_EXTENSION);
}

/** Exactly `.ann.yaml`: the spelling {@link sidecarPathFor} writes, so the only one read. */
export function isSidecarPath(path: string): boolean {
	return path.endsWith(SIDECAR_SUFFIX);
}

/** `x.txt` → `x.ann.yaml` (same folder). */
export function sidecarPathFor(articlePath: string): string {
	return articlePath.replace(/\.txt$/i, '') + SIDECAR_SUFFIX;
}

/** `x.ann.yaml` → `x.txt`; undefined for a path that is not a sidecar. */
export function articlePathFor(sidecarPath: string): string | undefined {
	return isSidecarPath(sidecarPath) ? sidecarPath.slice(0, -SIDECAR_SUFFIX.length) + ARTICLE_EXTENSION : undefined;
}

/** The file name part of a path. */
export function baseName(path: string): string {
	return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
