/** Small binary writer/reader (varints, typed arrays) without Node's Buffer. */

export class ByteWriter {
	private buf = new Uint8Array(1024);
	length = 0;

	private ensure(n: number): void {
		if (this.length + n <= this.buf.length) {
			return;
		}
		let size = this.buf.length * 2;
		while (size < this.length + n) {
			size *= 2;
		}
		const bigger = new Uint8Array(size);
		bigger.set(this.buf.subarray(0, this.length));
		this.buf = bigger;
	}

	byte(b: number): void {
		this.ensure(1);
		this.buf[this.length++] = b & 0xff;
	}

	varint(v: number): void {
		if (v < 0 || !Number.isInteger(v)) {
			throw new Error(`varint out of range: ${v}`);
		}
		while (v >= 0x80) {
			this.byte((v % 0x80) | 0x80);
			v = Math.floor(v / 0x80);
		}
		this.byte(v);
	}

	bytes(b: Uint8Array): void {
		this.ensure(b.length);
		this.buf.set(b, this.length);
		this.length += b.length;
	}

	float32s(a: Float32Array): void {
		this.bytes(new Uint8Array(Float32Array.from(a).buffer));
	}

	finish(): Uint8Array {
		return this.buf.slice(0, this.length);
	}
}

export class ByteReader {
	pos = 0;
	constructor(readonly buf: Uint8Array) {}

	byte(): number {
		if (this.pos >= this.buf.length) {
			throw new Error('model data truncated');
		}
		return this.buf[this.pos++];
	}

	varint(): number {
		let v = 0;
		let mul = 1;
		for (;;) {
			const b = this.byte();
			v += (b & 0x7f) * mul;
			if (b < 0x80) {
				return v;
			}
			mul *= 0x80;
		}
	}

	bytes(n: number): Uint8Array {
		if (this.pos + n > this.buf.length) {
			throw new Error('model data truncated');
		}
		const out = this.buf.subarray(this.pos, this.pos + n);
		this.pos += n;
		return out;
	}

	float32s(n: number): Float32Array {
		const out = new Float32Array(n);
		new Uint8Array(out.buffer).set(this.bytes(n * 4));
		return out;
	}
}
