import { ProtocolError } from '../errors.js'
import { uuidFromBytes } from './uuid.js'

const utf8 = new TextDecoder('utf-8', { fatal: false })

/**
 * A cursor over bytes received from the network. Every read is bounds-checked
 * against the end of the frame and fails with a `ProtocolError`, never a
 * RangeError: a frame that lies about a length is a protocol error, not a crash.
 * Byte fields are returned as views into the frame (no copy).
 */
export class Reader {
  offset: number
  readonly end: number

  constructor(
    readonly buffer: Buffer,
    offset = 0,
    end = buffer.length,
  ) {
    this.offset = offset
    this.end = end
  }

  get remaining(): number {
    return this.end - this.offset
  }

  /** Fails unless `size` more bytes are available. */
  need(size: number): void {
    if (size > this.end - this.offset || size < 0) {
      throw new ProtocolError(`truncated message: need ${size} bytes at offset ${this.offset}, ${this.remaining} left`)
    }
  }

  int8(): number {
    this.need(1)
    return this.buffer.readInt8(this.offset++)
  }

  uint8(): number {
    this.need(1)
    return this.buffer[this.offset++]!
  }

  bool(): boolean {
    return this.int8() !== 0
  }

  int16(): number {
    this.need(2)
    const value = this.buffer.readInt16BE(this.offset)
    this.offset += 2
    return value
  }

  uint16(): number {
    this.need(2)
    const value = this.buffer.readUInt16BE(this.offset)
    this.offset += 2
    return value
  }

  int32(): number {
    this.need(4)
    const value = this.buffer.readInt32BE(this.offset)
    this.offset += 4
    return value
  }

  uint32(): number {
    this.need(4)
    const value = this.buffer.readUInt32BE(this.offset)
    this.offset += 4
    return value
  }

  int64(): bigint {
    this.need(8)
    const value = this.buffer.readBigInt64BE(this.offset)
    this.offset += 8
    return value
  }

  float64(): number {
    this.need(8)
    const value = this.buffer.readDoubleBE(this.offset)
    this.offset += 8
    return value
  }

  /** Unsigned LEB128 varint of at most 32 bits (Kafka's UNSIGNED_VARINT). */
  uvarint(): number {
    let result = 0
    let shift = 0
    for (;;) {
      if (this.offset >= this.end) throw new ProtocolError('truncated varint')
      const byte = this.buffer[this.offset++]!
      if (shift === 28) {
        if (byte > 0x0f) throw new ProtocolError('varint longer than 5 bytes')
        return (result + byte * 2 ** 28) >>> 0
      }
      result |= (byte & 0x7f) << shift
      if (byte < 0x80) return result >>> 0
      shift += 7
    }
  }

  /** Zigzag-encoded signed varint of at most 32 bits (record fields). */
  varint(): number {
    const raw = this.uvarint()
    return (raw >>> 1) ^ -(raw & 1)
  }

  /**
   * Zigzag-encoded signed varlong, returned as a number. Record timestamps and
   * deltas fit in 53 bits; larger values fail rather than lose precision.
   */
  varlong(): number {
    let low = 0
    let high = 0
    let shift = 0
    for (let i = 0; i < 10; i++) {
      if (this.offset >= this.end) throw new ProtocolError('truncated varlong')
      const byte = this.buffer[this.offset++]!
      const bits = byte & 0x7f
      if (shift < 28) low |= bits << shift
      else if (shift === 28) {
        low |= (bits & 0x0f) << 28
        high |= bits >>> 4
      } else if (shift < 56) high |= bits << (shift - 32)
      else if (bits !== 0) throw new ProtocolError('varlong exceeds 53 bits')
      if (byte < 0x80) {
        // zigzag: the low bit is the sign, the rest the magnitude (exact while below 2^53)
        if (high >>> 0 >= 2 ** 22) throw new ProtocolError('varlong exceeds 53 bits')
        const magnitude = (high >>> 0) * 2 ** 31 + (low >>> 1)
        return (low & 1) === 0 ? magnitude : -magnitude - 1
      }
      shift += 7
    }
    throw new ProtocolError('varlong longer than 10 bytes')
  }

  uuid(): string {
    this.need(16)
    const value = uuidFromBytes(this.buffer, this.offset)
    this.offset += 16
    return value
  }

  /** A view of the next `length` bytes, advancing past them. */
  slice(length: number): Buffer {
    this.need(length)
    const view = this.buffer.subarray(this.offset, this.offset + length)
    this.offset += length
    return view
  }

  utf8(length: number): string {
    this.need(length)
    const start = this.offset
    this.offset += length
    // Short strings decode faster through Buffer's latin1 fast path when ASCII;
    // TextDecoder handles the general case.
    return length < 64
      ? this.buffer.toString('utf8', start, start + length)
      : utf8.decode(this.buffer.subarray(start, start + length))
  }

  /** Length of a STRING / NULLABLE_STRING (int16, -1 = null). */
  stringLength(): number {
    const length = this.int16()
    if (length < -1) throw new ProtocolError(`invalid string length ${length}`)
    return length
  }

  /** Length of a COMPACT_STRING / COMPACT_BYTES / COMPACT_ARRAY (uvarint length + 1, -1 = null). */
  compactLength(): number {
    return this.uvarint() - 1
  }

  /** Length of BYTES / ARRAY (int32, -1 = null). */
  int32Length(): number {
    const length = this.int32()
    if (length < -1) throw new ProtocolError(`invalid length ${length}`)
    return length
  }

  /**
   * Validates an array element count before anything is allocated for it: every
   * element takes at least `minElementBytes` bytes, so a count the remaining
   * bytes cannot hold is a lie (a 2 GB count in a 100-byte frame).
   */
  checkCount(count: number, minElementBytes: number): void {
    if (count > this.remaining / Math.max(minElementBytes, 1)) {
      throw new ProtocolError(`array of ${count} elements cannot fit in ${this.remaining} remaining bytes`)
    }
  }
}
