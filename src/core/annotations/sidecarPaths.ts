/** Sidecar naming: `articles/000_abc.txt` → `articles/000_abc.ann.yaml`. Works on paths and URI paths. */
export const SIDECAR_SUFFIX = '.ann.yaml';

export function sidecarPathFor(articlePath: string): string {
	return articlePath.replace(/\.txt$/i, '') + SIDECAR_SUFFIX;
}

export function articlePathFor(sidecarPath: string): string | undefined {
	return sidecarPath.endsWith(SIDECAR_SUFFIX) ? sidecarPath.slice(0, -SIDECAR_SUFFIX.length) + '.txt' : undefined;
}

export function isSidecarPath(path: string): boolean {
	return path.endsWith(SIDECAR_SUFFIX);
}

/** The file name part of a path (`/` or `\` separated). */
export function baseName(path: string): string {
	return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
