/**
 * What `activate()` returns. Other extensions and our integration tests talk to the running
 * extension through this object only (integration tests must not import `src/`).
 */
export interface CorpusApi {
	readonly apiVersion: 1;
	/** Present only when the extension runs in test mode (`ExtensionMode.Test`). */
	readonly testing?: CorpusTestingApi;
}

/** Test seams: handles on live objects that the UI offers no way to read back. */
export interface CorpusTestingApi {
	/** Re-runs article recognition on every open document; resolves to how many were switched. */
	detectArticles(): Promise<number>;
}
