/** Reader for CoNLL-style NER files: `WORD [other columns] TAG`, blank lines between sentences,
 * `-DOCSTART-` lines as document boundaries. IOB1 and IOB2 tags are both accepted. */

export interface ConllSentence {
	words: string[];
	tags: string[];
}

export interface ConllDocument {
	sentences: ConllSentence[];
}

export function parseConll(text: string): ConllDocument[] {
	const docs: ConllDocument[] = [];
	let doc: ConllDocument = { sentences: [] };
	let sent: ConllSentence = { words: [], tags: [] };
	const endSentence = (): void => {
		if (sent.words.length > 0) {
			doc.sentences.push(sent);
			sent = { words: [], tags: [] };
		}
	};
	const endDocument = (): void => {
		endSentence();
		if (doc.sentences.length > 0) {
			docs.push(doc);
			doc = { sentences: [] };
		}
	};
	const lines = text.split(/\r\n|\r|\n/);
	for (const raw of lines) {
		const line = raw.trim();
		if (line === '') {
			endSentence();
			continue;
		}
		const cols = line.split(/\s+/);
		if (cols[0] === '-DOCSTART-') {
			endDocument();
			continue;
		}
		sent.words.push(cols[0]);
		sent.tags.push(cols.length > 1 ? cols[cols.length - 1] : 'O');
	}
	endDocument();
	return docs;
}

export function countTokens(docs: readonly ConllDocument[]): number {
	let n = 0;
	for (const d of docs) {
		for (const s of d.sentences) {
			n += s.words.length;
		}
	}
	return n;
}
