/** 32-bit string hashing and integer hash sets/maps for sparse features (never 0). */

function fmix(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

export function hashString(s: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return fmix(h) || 1;
}

export function hashCombine(a: number, b: number): number {
	return fmix(Math.imul(a, 0x9e3779b1) ^ (b + 0x7f4a7c15)) || 1;
}

/** Open-addressing map from non-zero uint32 keys to int32 values. */
export class U32Map {
	private keys: Uint32Array;
	private vals: Int32Array;
	private mask: number;
	size = 0;

	constructor(capacity = 16) {
		let n = 16;
		while (n < capacity * 2) {
			n *= 2;
		}
		this.keys = new Uint32Array(n);
		this.vals = new Int32Array(n);
		this.mask = n - 1;
	}

	get(key: number): number {
		const keys = this.keys;
		let i = Math.imul(key, 0x9e3779b1) >>> 0 & this.mask;
		for (;;) {
			const k = keys[i];
			if (k === key) {
				return this.vals[i];
			}
			if (k === 0) {
				return -1;
			}
			i = (i + 1) & this.mask;
		}
	}

	set(key: number, value: number): void {
		if ((this.size + 1) * 2 > this.keys.length) {
			this.grow();
		}
		let i = Math.imul(key, 0x9e3779b1) >>> 0 & this.mask;
		for (;;) {
			const k = this.keys[i];
			if (k === key) {
				this.vals[i] = value;
				return;
			}
			if (k === 0) {
				this.keys[i] = key;
				this.vals[i] = value;
				this.size++;
				return;
			}
			i = (i + 1) & this.mask;
		}
	}

	has(key: number): boolean {
		return this.get(key) !== -1;
	}

	forEach(fn: (key: number, value: number) => void): void {
		for (let i = 0; i < this.keys.length; i++) {
			if (this.keys[i] !== 0) {
				fn(this.keys[i], this.vals[i]);
			}
		}
	}

	private grow(): void {
		const oldK = this.keys;
		const oldV = this.vals;
		this.keys = new Uint32Array(oldK.length * 2);
		this.vals = new Int32Array(oldK.length * 2);
		this.mask = this.keys.length - 1;
		this.size = 0;
		for (let i = 0; i < oldK.length; i++) {
			if (oldK[i] !== 0) {
				this.set(oldK[i], oldV[i]);
			}
		}
	}
}

export interface HashSetLike {
	has(key: number): boolean;
}
