/** A file that cannot be read or written, with a message an analyst can act on. */
export class NodeFileError extends Error {
	constructor(
		message: string,
		/** Node's error code (`ENOENT`, `EACCES`…) when the cause was a system call. */
		readonly code?: string,
	) {
		super(message);
		this.name = 'NodeFileError';
	}
}

const REASONS: Readonly<Record<string, string>> = {
	ENOENT: 'no such file',
	EISDIR: 'is a folder',
	ENOTDIR: 'a part of the path is not a folder',
	EACCES: 'permission denied',
	EPERM: 'permission denied',
	EROFS: 'read-only file system',
	ELOOP: 'too many levels of symbolic links',
	ENOSPC: 'no space left on the disk',
	EMFILE: 'too many open files',
};

/** What went wrong, in words: `no such file`, `is a folder`, `permission denied`, else Node's message. */
export function failureReason(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return (code && REASONS[code]) ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Turns a failed `fs` call into a {@link NodeFileError} saying what and which file
 * (`sidecar /a/b.ann.yaml: no such file`). Errors that already are one pass through.
 */
export function fileError(error: unknown, file: string, what = 'file'): NodeFileError {
	if (error instanceof NodeFileError) {
		return error;
	}
	return new NodeFileError(`${what} ${file}: ${failureReason(error)}`, (error as NodeJS.ErrnoException | undefined)?.code);
}
