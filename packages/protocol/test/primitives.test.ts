import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../src/errors.js'
import { Reader } from '../src/primitives/reader.js'
import { randomUuid, ZERO_UUID } from '../src/primitives/uuid.js'
import { Writer } from '../src/primitives/writer.js'

function written(write: (w: Writer) => void): Buffer {
  const w = new Writer(1)
  write(w)
  return Buffer.from(w.bytes())
}

describe('varints', () => {
  it('encode unsigned varints as LEB128', () => {
    expect(written((w) => w.uvarint(0)).toString('hex')).toBe('00')
    expect(written((w) => w.uvarint(127)).toString('hex')).toBe('7f')
    expect(written((w) => w.uvarint(128)).toString('hex')).toBe('8001')
    expect(written((w) => w.uvarint(0xffffffff)).toString('hex')).toBe('ffffffff0f')
  })

  it('zigzag-encode signed varints and varlongs', () => {
    expect(written((w) => w.varint(-1)).toString('hex')).toBe('01')
    expect(written((w) => w.varint(1)).toString('hex')).toBe('02')
    expect(written((w) => w.varint(-2147483648)).toString('hex')).toBe('ffffffff0f')
    expect(written((w) => w.varlong(-1)).toString('hex')).toBe('01')
    expect(written((w) => w.varlong(2 ** 40)).toString('hex')).toBe(written((w) => w.varlong(2 ** 40)).toString('hex'))
  })

  it('round-trip varints and varlongs across their range', () => {
    const ints = [0, 1, -1, 63, -64, 64, 8191, -8192, 2147483647, -2147483648]
    const longs = [
      0,
      -1,
      1,
      2 ** 31,
      -(2 ** 31) - 1,
      2 ** 52,
      -(2 ** 52),
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
    ]
    const bytes = written((w) => {
      for (const n of ints) w.varint(n)
      for (const n of longs) w.varlong(n)
    })
    const r = new Reader(bytes)
    expect(ints.map(() => r.varint())).toEqual(ints)
    expect(longs.map(() => r.varlong())).toEqual(longs)
    expect(r.remaining).toBe(0)
  })

  it('reject varints that are too long or truncated', () => {
    expect(() => new Reader(Buffer.from('ffffffffff01', 'hex')).uvarint()).toThrow(ProtocolError)
    expect(() => new Reader(Buffer.from('ff', 'hex')).uvarint()).toThrow(ProtocolError)
    expect(() => new Reader(Buffer.from('ffffffffffffffffff7f', 'hex')).varlong()).toThrow(ProtocolError)
  })
})

describe('reader bounds', () => {
  it('fails with ProtocolError, not RangeError, past the end', () => {
    const r = new Reader(Buffer.from('0001', 'hex'))
    expect(() => r.int32()).toThrow(ProtocolError)
    expect(() => r.slice(3)).toThrow(ProtocolError)
    expect(() => r.int64()).toThrow(ProtocolError)
  })

  it('refuses an element count that the remaining bytes cannot hold', () => {
    const r = new Reader(Buffer.alloc(100))
    expect(() => r.checkCount(0x7fffffff, 1)).toThrow(ProtocolError)
    expect(() => r.checkCount(26, 4)).toThrow(ProtocolError)
    expect(() => r.checkCount(25, 4)).not.toThrow()
  })

  it('returns byte fields as views of the frame, not copies', () => {
    const frame = Buffer.from('0102030405', 'hex')
    const view = new Reader(frame, 1).slice(3)
    frame[2] = 0xaa
    expect(view.toString('hex')).toBe('02aa04')
  })
})

describe('uuids', () => {
  it("use Kafka's URL-safe base64 text form", () => {
    const bytes = Buffer.from('0123456789abcdef0123456789abcdef', 'hex')
    const w = new Writer()
    w.uuid(bytes.toString('base64url'))
    expect(Buffer.from(w.bytes()).equals(bytes)).toBe(true)
    expect(new Reader(bytes).uuid()).toBe('ASNFZ4mrze8BI0VniavN7w')
    expect(written((x) => x.uuid(ZERO_UUID)).equals(Buffer.alloc(16))).toBe(true)
    expect(randomUuid()).toMatch(/^[A-Za-z0-9_-]{22}$/)
  })
})
