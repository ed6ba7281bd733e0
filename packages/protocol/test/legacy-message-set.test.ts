import { randomBytes } from 'node:crypto'
import * as zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { CompressionType } from '../src/compression/compression-type.js'
import { lz4Codec } from '../src/compression/lz4.js'
import { xxhash32 } from '../src/compression/xxhash32.js'
import { CorruptRecordError } from '../src/errors.js'
import { crc32, crc32Fallback } from '../src/records/legacy-crc32.js'
import { decodeLegacyEntry } from '../src/records/legacy-message-set.js'
import { decodeRecordBatches } from '../src/records/record-batches.js'
import { TimestampType } from '../src/records/types.js'
import { type LegacyMessage, legacyEntry, legacyWrapper } from './support/legacy-messages.js'

const inner = (magic: 0 | 1, offsets: bigint[]): LegacyMessage[] =>
  offsets.map((offset, i) => ({
    offset,
    magic,
    timestamp: 1000 + i,
    key: i === 0 ? null : Buffer.from(`k${i}`),
    value: i === 2 ? null : Buffer.from(`v${i}`),
  }))

describe('legacy CRC-32', () => {
  it('matches zlib and the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926)
    expect(crc32Fallback(Buffer.from('123456789'))).toBe(0xcbf43926)
    const data = randomBytes(1000)
    expect(crc32Fallback(data)).toBe(zlib.crc32(data))
  })
})

describe('uncompressed legacy messages', () => {
  it('reads a magic 0 message: no timestamp', async () => {
    const batch = await decodeLegacyEntry(legacyEntry({ offset: 41n, magic: 0, key: Buffer.from('k'), value: null }))
    expect(batch).toMatchObject({
      magic: 0,
      baseOffset: 41n,
      lastOffset: 41n,
      timestampType: TimestampType.NoTimestamp,
      compression: CompressionType.None,
      producerId: -1n,
      recordCount: 1,
    })
    expect(batch.records).toEqual([{ offset: 41n, timestamp: -1, key: Buffer.from('k'), value: null, headers: [] }])
  })

  it('reads a magic 1 message with its create time', async () => {
    const batch = await decodeLegacyEntry(
      legacyEntry({ offset: 7n, magic: 1, timestamp: 1234, key: null, value: Buffer.from('v') }),
    )
    expect(batch.timestampType).toBe(TimestampType.CreateTime)
    expect(batch.maxTimestamp).toBe(1234)
    expect(batch.records[0]).toMatchObject({ offset: 7n, timestamp: 1234, key: null })
  })

  it('fails with CorruptRecordError on a CRC mismatch, unless checking is off', async () => {
    const entry = legacyEntry({ offset: 0n, magic: 1, timestamp: 1, key: null, value: Buffer.from('value') })
    entry[entry.length - 1] = 0x58
    await expect(decodeLegacyEntry(entry)).rejects.toThrow(/CRC/)
    expect((await decodeLegacyEntry(entry, { verifyCrc: false })).records[0]!.value!.toString()).toBe('valuX')
  })

  it('fails with CorruptRecordError on lengths that run past the message', async () => {
    const entry = legacyEntry({ offset: 0n, magic: 0, key: null, value: Buffer.from('value') })
    entry.writeInt32BE(50, entry.length - 9) // value length
    await expect(decodeLegacyEntry(entry, { verifyCrc: false })).rejects.toThrow(CorruptRecordError)
  })
})

describe('compressed legacy message sets', () => {
  it.each([CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4])(
    'magic 1 with codec %i: relative inner offsets become absolute from the wrapper offset',
    async (compression) => {
      // The wrapper carries the absolute offset of the last inner message (here 102).
      const entry = await legacyWrapper({
        offset: 102n,
        magic: 1,
        compression,
        timestamp: 1002,
        inner: inner(1, [0n, 1n, 2n]),
      })
      const batch = await decodeLegacyEntry(entry)
      expect(batch.compression).toBe(compression)
      expect(batch.baseOffset).toBe(100n)
      expect(batch.lastOffset).toBe(102n)
      expect(
        batch.records.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.toString() ?? null]),
      ).toEqual([
        [100n, 1000, null, 'v0'],
        [101n, 1001, 'k1', 'v1'],
        [102n, 1002, 'k2', null],
      ])
    },
  )

  it('magic 1 with LogAppendTime: every inner message takes the wrapper timestamp', async () => {
    const entry = await legacyWrapper({
      offset: 12n,
      magic: 1,
      compression: CompressionType.Gzip,
      timestamp: 9999,
      logAppendTime: true,
      inner: inner(1, [0n, 1n, 2n]),
    })
    const batch = await decodeLegacyEntry(entry)
    expect(batch.timestampType).toBe(TimestampType.LogAppendTime)
    expect(batch.records.map((r) => r.timestamp)).toEqual([9999, 9999, 9999])
  })

  it('magic 1 with a zero wrapper offset (librdkafka produce data): inner offsets used as they are', async () => {
    const entry = await legacyWrapper({
      offset: 0n,
      magic: 1,
      compression: CompressionType.Gzip,
      inner: inner(1, [0n, 1n, 2n]),
    })
    expect((await decodeLegacyEntry(entry)).records.map((r) => r.offset)).toEqual([0n, 1n, 2n])
  })

  it('magic 0: inner offsets are already absolute', async () => {
    const entry = await legacyWrapper({
      offset: 52n,
      magic: 0,
      compression: CompressionType.Gzip,
      inner: inner(0, [50n, 51n, 52n]),
    })
    const batch = await decodeLegacyEntry(entry)
    expect(batch.records.map((r) => [r.offset, r.timestamp])).toEqual([
      [50n, -1],
      [51n, -1],
      [52n, -1],
    ])
  })

  it('magic 0 lz4 with the pre-0.10 descriptor checksum (computed over the magic too)', async () => {
    const set = Buffer.concat(inner(0, [5n, 6n]).map(legacyEntry))
    const frame = await lz4Codec.compress(set)
    frame[6] = (xxhash32(frame, 0, 0, 6) >>> 8) & 0xff
    const entry = legacyEntry({ offset: 6n, magic: 0, attributes: CompressionType.Lz4, key: null, value: frame })
    expect((await decodeLegacyEntry(entry)).records.map((r) => r.offset)).toEqual([5n, 6n])
  })

  it('fails with CorruptRecordError when the wrapper offset is below the last relative offset', async () => {
    const entry = await legacyWrapper({
      offset: 1n,
      magic: 1,
      compression: CompressionType.Gzip,
      inner: inner(1, [0n, 1n, 2n]),
    })
    await expect(decodeLegacyEntry(entry)).rejects.toThrow(CorruptRecordError)
  })

  it('fails with CorruptRecordError on nested compression, a null wrapper value and an empty inner set', async () => {
    const nestedInner = await legacyWrapper({
      offset: 0n,
      magic: 1,
      compression: CompressionType.Gzip,
      inner: inner(1, [0n]),
    })
    const nested = legacyEntry({
      offset: 0n,
      magic: 1,
      attributes: CompressionType.Gzip,
      key: null,
      value: zlib.gzipSync(nestedInner),
    })
    await expect(decodeLegacyEntry(nested)).rejects.toThrow(/contains a compressed message/)
    const nullValue = legacyEntry({ offset: 0n, magic: 1, attributes: CompressionType.Gzip, key: null, value: null })
    await expect(decodeLegacyEntry(nullValue)).rejects.toThrow(/null value/)
    const empty = legacyEntry({
      offset: 0n,
      magic: 1,
      attributes: CompressionType.Gzip,
      key: null,
      value: zlib.gzipSync(Buffer.alloc(0)),
    })
    await expect(decodeLegacyEntry(empty)).rejects.toThrow(/no inner messages/)
  })

  it('fails with CorruptRecordError when the inner set is truncated', async () => {
    const set = Buffer.concat(inner(1, [0n, 1n]).map(legacyEntry))
    const entry = legacyEntry({
      offset: 1n,
      magic: 1,
      attributes: CompressionType.Gzip,
      key: null,
      value: zlib.gzipSync(set.subarray(0, set.length - 3)),
    })
    await expect(decodeLegacyEntry(entry)).rejects.toThrow(CorruptRecordError)
  })

  it('are found by decodeRecordBatches in a fetched buffer', async () => {
    const records = Buffer.concat([
      await legacyWrapper({ offset: 2n, magic: 1, compression: CompressionType.Snappy, inner: inner(1, [0n, 1n, 2n]) }),
      legacyEntry({ offset: 3n, magic: 1, timestamp: 5, key: null, value: Buffer.from('last') }),
    ])
    const batches = await decodeRecordBatches(records)
    expect(batches.flatMap((b) => b.records.map((r) => r.offset))).toEqual([0n, 1n, 2n, 3n])
  })
})
