/** How long ago `then` was, in words ("just now", "5 minutes ago", "yesterday", "3 days ago", "in 2 hours"). */
export function relativeTime(then: Date, now: Date): string {
	const seconds = Math.round((then.getTime() - now.getTime()) / 1000);
	if (Math.abs(seconds) < 45) {
		return 'just now';
	}
	const units: [Intl.RelativeTimeFormatUnit, number][] = [
		['year', 365 * 86400],
		['month', 30 * 86400],
		['week', 7 * 86400],
		['day', 86400],
		['hour', 3600],
		['minute', 60],
	];
	const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
	for (const [unit, size] of units) {
		if (Math.abs(seconds) >= size) {
			return format.format(Math.round(seconds / size), unit);
		}
	}
	return format.format(Math.round(seconds / 60), 'minute');
}

/**
 * An ISO timestamp as an analyst reads it: the local date and time plus how long ago
 * (`2 Dec 2026, 08:27 (3 days ago)`); a value that is not a date is shown as it is.
 */
export function readableTimestamp(iso: string, now: Date, locale?: string, timeZone?: string): string {
	const then = new Date(iso);
	if (Number.isNaN(then.getTime())) {
		return iso;
	}
	const local = then.toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone });
	return `${local} (${relativeTime(then, now)})`;
}
