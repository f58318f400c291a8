import { wholeNamePattern } from '../text/namePattern';
import { spellingsOf, type EntityDefinition, type EntityList } from './entityList';
import type { EntityMention, EntityType } from './entityTypes';

interface Spelling {
	readonly entity: EntityDefinition;
}

/**
 * Finds the analysts' listed entities in a text and merges them with the tagger's mentions.
 * Listed spellings always win (type and canonical name); names on the `notEntities` list are
 * never reported, whoever found them.
 */
export class EntityMatcher {
	private readonly pattern: RegExp | undefined;
	private readonly bySpelling = new Map<string, Spelling>();
	private readonly notEntities: ReadonlySet<string>;

	constructor(readonly list: EntityList) {
		for (const entity of list.entities) {
			for (const spelling of spellingsOf(entity)) {
				if (!this.bySpelling.has(spelling)) {
					this.bySpelling.set(spelling, { entity });
				}
			}
		}
		this.notEntities = new Set(list.notEntities);
		this.pattern = wholeNamePattern(this.bySpelling.keys());
	}

	/** The listed entity a spelling belongs to, if any. */
	lookup(text: string): EntityDefinition | undefined {
		return this.bySpelling.get(text)?.entity;
	}

	/** Mentions of listed entities in `text`, from `from` to `to` (UTF-16 offsets). */
	findListed(text: string, from = 0, to = text.length): EntityMention[] {
		if (!this.pattern) {
			return [];
		}
		const found: EntityMention[] = [];
		const re = new RegExp(this.pattern.source, this.pattern.flags);
		re.lastIndex = from;
		for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
			const entity = this.bySpelling.get(m[0])!.entity;
			if (!this.notEntities.has(m[0])) {
				found.push({ start: m.index, end: m.index + m[0].length, type: entity.type, text: m[0], canonical: entity.name, source: 'list', confidence: 1 });
			}
		}
		return found;
	}

	/**
	 * Combines tagger output with the list: listed mentions replace overlapping tagger mentions,
	 * tagger mentions of listed spellings take the list's type and canonical name, and
	 * `notEntities` are dropped. The result is sorted and non-overlapping.
	 */
	merge(text: string, tagged: readonly { start: number; end: number; type: EntityType; confidence?: number }[], from = 0, to = text.length): EntityMention[] {
		const listed = this.findListed(text, from, to);
		const result: EntityMention[] = [...listed];
		let li = 0;
		for (const span of tagged) {
			while (li < listed.length && listed[li].end <= span.start) {
				li++;
			}
			if (li < listed.length && listed[li].start < span.end) {
				continue;
			}
			const mentionText = text.slice(span.start, span.end);
			if (this.notEntities.has(mentionText)) {
				continue;
			}
			const entity = this.bySpelling.get(mentionText)?.entity;
			result.push({
				start: span.start,
				end: span.end,
				type: entity?.type ?? span.type,
				text: mentionText,
				canonical: entity?.name,
				source: 'tagger',
				confidence: entity ? 1 : (span.confidence ?? 1),
			});
		}
		return result.sort((a, b) => a.start - b.start || b.end - a.end);
	}
}
