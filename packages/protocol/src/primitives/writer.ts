import { InvalidMessageError } from '../errors.js'
import { uuidToBytes } from './uuid.js'

const INITIAL_CAPACITY = 256

/**
 * Appends protocol primitives to a growing buffer. Capacity doubles, so
 * encoding a message costs amortised O(size) copies.
 */
export class Writer {
  buffer: Buffer
  offset = 0

  constructor(capacity = INITIAL_CAPACITY) {
    this.buffer = Buffer.allocUnsafe(capacity)
  }

  /** The bytes written so far (a view, valid until the next write). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.offset)
  }

  ensure(size: number): void {
    const needed = this.offset + size
    if (needed <= this.buffer.length) return
    let capacity = this.buffer.length * 2
    while (capacity < needed) capacity *= 2
    const grown = Buffer.allocUnsafe(capacity)
    this.buffer.copy(grown, 0, 0, this.offset)
    this.buffer = grown
  }

  int8(value: number): void {
    this.ensure(1)
    this.buffer.writeInt8(value, this.offset++)
  }

  bool(value: boolean): void {
    this.ensure(1)
    this.buffer[this.offset++] = value ? 1 : 0
  }

  int16(value: number): void {
    this.ensure(2)
    this.offset = this.buffer.writeInt16BE(value, this.offset)
  }

  uint16(value: number): void {
    this.ensure(2)
    this.offset = this.buffer.writeUInt16BE(value, this.offset)
  }

  int32(value: number): void {
    this.ensure(4)
    this.offset = this.buffer.writeInt32BE(value, this.offset)
  }

  uint32(value: number): void {
    this.ensure(4)
    this.offset = this.buffer.writeUInt32BE(value, this.offset)
  }

  int64(value: bigint): void {
    this.ensure(8)
    this.offset = this.buffer.writeBigInt64BE(value, this.offset)
  }

  float64(value: number): void {
    this.ensure(8)
    this.offset = this.buffer.writeDoubleBE(value, this.offset)
  }

  /** Unsigned LEB128 varint of a value in [0, 2^32). */
  uvarint(value: number): void {
    this.ensure(5)
    let v = value >>> 0
    while (v >= 0x80) {
      this.buffer[this.offset++] = (v & 0x7f) | 0x80
      v >>>= 7
    }
    this.buffer[this.offset++] = v
  }

  /** Zigzag signed varint of an int32. */
  varint(value: number): void {
    this.uvarint((value << 1) ^ (value >> 31))
  }

  /** Zigzag signed varlong of a safe integer (record timestamps and deltas). */
  varlong(value: number): void {
    this.ensure(10)
    if (value > 2 ** 51 || value < -(2 ** 51)) {
      this.bigVarlong(value)
      return
    }
    // zigzag without 64-bit integers: non-negative n -> 2n, negative n -> -2n - 1 (exact below 2^52)
    let v = value >= 0 ? value * 2 : -value * 2 - 1
    while (v >= 0x80) {
      this.buffer[this.offset++] = (v % 0x80) | 0x80
      v = Math.floor(v / 0x80)
    }
    this.buffer[this.offset++] = v
  }

  /** The rare varlong whose zigzag form does not fit a double exactly. */
  private bigVarlong(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`varlong ${value} is not a safe integer`)
    const n = BigInt(value)
    let v = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n))
    while (v >= 0x80n) {
      this.buffer[this.offset++] = Number(v & 0x7fn) | 0x80
      v >>= 7n
    }
    this.buffer[this.offset++] = Number(v)
  }

  uuid(value: string): void {
    this.ensure(16)
    uuidToBytes(value, this.buffer, this.offset)
    this.offset += 16
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length)
    this.buffer.set(bytes, this.offset)
    this.offset += bytes.length
  }

  /** UTF-8 bytes of `value` without a length prefix; returns the byte count. */
  utf8(value: string): number {
    const length = Buffer.byteLength(value, 'utf8')
    this.ensure(length)
    this.buffer.write(value, this.offset, length, 'utf8')
    this.offset += length
    return length
  }

  /** STRING / NULLABLE_STRING: int16 length (-1 = null) then UTF-8. */
  string(value: string | null): void {
    if (value === null) {
      this.int16(-1)
      return
    }
    const length = Buffer.byteLength(value, 'utf8')
    if (length > 0x7fff) throw new InvalidMessageError(`string of ${length} bytes exceeds the 32767-byte limit`)
    this.int16(length)
    this.ensure(length)
    this.buffer.write(value, this.offset, length, 'utf8')
    this.offset += length
  }

  /** COMPACT_STRING / COMPACT_NULLABLE_STRING: uvarint length + 1 (0 = null) then UTF-8. */
  compactString(value: string | null): void {
    if (value === null) {
      this.uvarint(0)
      return
    }
    const length = Buffer.byteLength(value, 'utf8')
    if (length > 0x7fff) throw new InvalidMessageError(`string of ${length} bytes exceeds the 32767-byte limit`)
    this.uvarint(length + 1)
    this.ensure(length)
    this.buffer.write(value, this.offset, length, 'utf8')
    this.offset += length
  }

  /** BYTES / NULLABLE_BYTES: int32 length (-1 = null) then the bytes. */
  bytesField(value: Uint8Array | null): void {
    if (value === null) {
      this.int32(-1)
      return
    }
    this.int32(value.length)
    this.raw(value)
  }

  /** COMPACT_BYTES / COMPACT_NULLABLE_BYTES: uvarint length + 1 (0 = null) then the bytes. */
  compactBytes(value: Uint8Array | null): void {
    if (value === null) {
      this.uvarint(0)
      return
    }
    this.uvarint(value.length + 1)
    this.raw(value)
  }

  /** Reserves `size` bytes to fill in later (a length or CRC known only after the body). */
  reserve(size: number): number {
    this.ensure(size)
    const at = this.offset
    this.offset += size
    return at
  }
}

/** Bytes `Writer.varint(value)` writes: sizes are needed before the bytes when a length prefixes them. */
export function varintSize(value: number): number {
  const v = ((value << 1) ^ (value >> 31)) >>> 0
  if (v < 0x80) return 1
  if (v < 0x4000) return 2
  if (v < 0x200000) return 3
  if (v < 0x10000000) return 4
  return 5
}

/** Bytes `Writer.varlong(value)` writes for a safe integer. */
export function varlongSize(value: number): number {
  let v = value >= 0 ? value * 2 : -value * 2 - 1
  let size = 1
  while (v >= 0x80) {
    v = Math.floor(v / 0x80)
    size++
  }
  return size
}
