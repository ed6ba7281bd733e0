import { describe, expect, it } from 'vitest'
import { CompressionType } from '../src/compression/compression-type.js'
import { crc32c } from '../src/crc32c/crc32c.js'
import { CorruptRecordError, InvalidMessageError, KafkaError } from '../src/errors.js'
import { readBatchHeader } from '../src/records/batch-header.js'
import { encodeRecordBatch, encodeRecordBatchSync, RecordBatchBuilder } from '../src/records/record-batch-builder.js'
import { decodeRecordBatch } from '../src/records/record-batch-decoder.js'
import { type RecordInput, TimestampType } from '../src/records/types.js'

const T0 = 1_700_000_000_000

const RECORDS: RecordInput[] = [
  { key: Buffer.from('k1'), value: Buffer.from('v1'), timestamp: T0 },
  { key: null, value: Buffer.from('no key'), timestamp: T0 + 5 },
  { key: Buffer.from('tombstone'), value: null, timestamp: T0 - 1000 }, // earlier than the first: negative delta
  { key: Buffer.alloc(0), value: Buffer.alloc(0), timestamp: T0 + 2 },
  {
    key: Buffer.from('h'),
    value: Buffer.from('with headers'),
    timestamp: T0 + 3,
    headers: [
      { key: 'trace', value: Buffer.from('a') },
      { key: 'trace', value: Buffer.from('b') }, // repeated keys are kept, in order
      { key: 'nullable', value: null },
      { key: 'ünïcødé ✓', value: Buffer.alloc(0) },
    ],
  },
  { value: Buffer.alloc(300, 1), timestamp: T0 + 4 }, // key omitted = null; 300 bytes needs a 2-byte varint
]

function expectRecords(
  actual: { key: Buffer | null; value: Buffer | null; timestamp: number }[],
  expected: RecordInput[],
) {
  expect(actual.map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp }))).toEqual(
    expected.map((r) => ({ key: r.key ?? null, value: r.value, timestamp: r.timestamp })),
  )
}

describe('record batch encoding', () => {
  it('writes the 61-byte header fields at their documented offsets', async () => {
    const batch = await encodeRecordBatch({
      records: RECORDS,
      baseOffset: 1234n,
      partitionLeaderEpoch: 7,
      producerId: 99n,
      producerEpoch: 3,
      baseSequence: 42,
      isTransactional: true,
    })
    expect(batch.readBigInt64BE(0)).toBe(1234n)
    expect(batch.readInt32BE(8)).toBe(batch.length - 12)
    expect(batch.readInt32BE(12)).toBe(7)
    expect(batch.readInt8(16)).toBe(2)
    expect(batch.readUInt32BE(17)).toBe(crc32c(batch.subarray(21)))
    expect(batch.readInt16BE(21)).toBe(0x10) // transactional, no compression, CreateTime
    expect(batch.readInt32BE(23)).toBe(RECORDS.length - 1)
    expect(batch.readBigInt64BE(27)).toBe(BigInt(T0)) // first record's timestamp
    expect(batch.readBigInt64BE(35)).toBe(BigInt(T0 + 5)) // the largest
    expect(batch.readBigInt64BE(43)).toBe(99n)
    expect(batch.readInt16BE(51)).toBe(3)
    expect(batch.readInt32BE(53)).toBe(42)
    expect(batch.readInt32BE(57)).toBe(RECORDS.length)
  })

  it('encodes a record exactly as the format specifies', async () => {
    const batch = await encodeRecordBatch({
      records: [
        { key: Buffer.from('k'), value: Buffer.from('vv'), timestamp: T0, headers: [{ key: 'h', value: null }] },
      ],
    })
    // length 12, attributes 0, timestampDelta 0, offsetDelta 0, key len 1 'k', value len 2 'vv',
    // 1 header: key len 1 'h', value len -1 (all varints zigzag)
    expect(batch.subarray(61).toString('hex')).toBe(
      ['18', '00', '00', '00', '02', '6b', '04', '7676', '02', '02', '68', '01'].join(''),
    )
  })

  it.each([
    CompressionType.None,
    CompressionType.Gzip,
    CompressionType.Snappy,
    CompressionType.Lz4,
    CompressionType.Zstd,
  ])('round-trips records, null keys and values, and headers with compression %i', async (compression) => {
    const batch = await encodeRecordBatch({ records: RECORDS, compression, baseOffset: 500n })
    const decoded = await decodeRecordBatch(batch)
    expect(decoded.compression).toBe(compression)
    expect(decoded.recordCount).toBe(RECORDS.length)
    expect(decoded.records.map((r) => r.offset)).toEqual(RECORDS.map((_, i) => 500n + BigInt(i)))
    expect(decoded.lastOffset).toBe(500n + BigInt(RECORDS.length - 1))
    expectRecords(decoded.records, RECORDS)
    expect(decoded.records[4]!.headers).toEqual(RECORDS[4]!.headers)
    expect(decoded.records[0]!.headers).toEqual([])
  })

  it('gives the same bytes from the sync and async paths', async () => {
    for (const compression of [CompressionType.None, CompressionType.Gzip, CompressionType.Lz4]) {
      const options = { records: RECORDS, compression }
      expect(encodeRecordBatchSync(options).equals(await encodeRecordBatch(options))).toBe(true)
    }
  })

  it('stamps "now" on records without a timestamp', async () => {
    const before = Date.now()
    const decoded = await decodeRecordBatch(await encodeRecordBatch({ records: [{ value: Buffer.from('x') }] }))
    expect(decoded.records[0]!.timestamp).toBeGreaterThanOrEqual(before)
    expect(decoded.records[0]!.timestamp).toBeLessThanOrEqual(Date.now())
  })

  it('rejects a non-integer timestamp and header values out of range', async () => {
    expect(() => new RecordBatchBuilder().append({ value: null, timestamp: 1.5 })).toThrow(InvalidMessageError)
    await expect(encodeRecordBatch({ records: RECORDS, producerEpoch: 40_000 })).rejects.toThrow(InvalidMessageError)
    await expect(encodeRecordBatch({ records: [] })).rejects.toThrow(InvalidMessageError)
  })
})

describe('record batch builder', () => {
  it('accepts records while they fit under maxBatchBytes, and always the first', async () => {
    const builder = new RecordBatchBuilder({ maxBatchBytes: 200 })
    const record = { value: Buffer.alloc(50), timestamp: T0 }
    const accepted: boolean[] = []
    for (let i = 0; i < 5; i++) accepted.push(builder.append(record))
    expect(accepted).toEqual([true, true, false, false, false])
    const batch = await builder.build()
    expect(batch.length).toBeLessThanOrEqual(200)
    expect(batch.length).toBe(builder.estimatedSizeBytes) // exact without compression

    const big = new RecordBatchBuilder({ maxBatchBytes: 10 })
    expect(big.append(record)).toBe(true) // an oversized record still gets its own batch
    expect(big.append(record)).toBe(false)
  })

  it('estimates compressed size with the given ratio', async () => {
    const builder = new RecordBatchBuilder({
      compression: CompressionType.Gzip,
      maxBatchBytes: 1000,
      estimatedCompressionRatio: 0.1,
    })
    let count = 0
    while (builder.append({ value: Buffer.alloc(100, 7), timestamp: T0 })) count++
    expect(count).toBeGreaterThan(50) // ~110 bytes per record at a 0.1 ratio fits far more than 10
    const decoded = await decodeRecordBatch(await builder.build())
    expect(decoded.recordCount).toBe(count)
  })

  it('cannot be built twice or appended to after building', async () => {
    const builder = new RecordBatchBuilder()
    builder.append({ value: null, timestamp: T0 })
    await builder.build()
    await expect(builder.build()).rejects.toThrow(KafkaError)
    expect(() => builder.append({ value: null })).toThrow(/already built/)
  })

  it('refuses buildSync for zstd, whose codec is asynchronous only', () => {
    const builder = new RecordBatchBuilder({ compression: CompressionType.Zstd })
    builder.append({ value: null, timestamp: T0 })
    expect(() => builder.buildSync()).toThrow(/build\(\)/)
  })
})

describe('record batch decoding', () => {
  it('returns keys and values as views into the batch, not copies', async () => {
    const batch = await encodeRecordBatch({ records: RECORDS })
    const decoded = await decodeRecordBatch(batch)
    const key = decoded.records[0]!.key!
    expect(key.buffer).toBe(batch.buffer)
    batch[key.byteOffset - batch.byteOffset] = 0x4b // 'K'
    expect(key.toString()).toBe('K1')
  })

  it('fails with CorruptRecordError when the CRC does not match, unless checking is off', async () => {
    const batch = await encodeRecordBatch({ records: RECORDS })
    batch[batch.length - 2] = batch[batch.length - 2]! ^ 1 // inside the last value
    await expect(decodeRecordBatch(batch)).rejects.toThrow(CorruptRecordError)
    await expect(decodeRecordBatch(batch)).rejects.toThrow(/CRC/)
    const unchecked = await decodeRecordBatch(batch, { verifyCrc: false })
    expect(unchecked.recordCount).toBe(RECORDS.length)
  })

  it('does not cover the partition leader epoch with the CRC, so a broker can set it', async () => {
    const batch = await encodeRecordBatch({ records: RECORDS })
    batch.writeInt32BE(12, 12)
    expect((await decodeRecordBatch(batch)).partitionLeaderEpoch).toBe(12)
  })

  /** Rewrites header fields of a valid batch and fixes its CRC, to test structure checks behind the CRC. */
  function tamper(batch: Buffer, change: (b: Buffer) => void): Buffer {
    const copy = Buffer.from(batch)
    change(copy)
    copy.writeUInt32BE(crc32c(copy.subarray(21)), 17)
    return copy
  }

  it('rejects a record count that disagrees with the records', async () => {
    const batch = await encodeRecordBatch({ records: RECORDS })
    await expect(decodeRecordBatch(tamper(batch, (b) => b.writeInt32BE(RECORDS.length - 1, 57)))).rejects.toThrow(
      /bytes after its/,
    )
    await expect(decodeRecordBatch(tamper(batch, (b) => b.writeInt32BE(RECORDS.length + 1, 57)))).rejects.toThrow(
      CorruptRecordError,
    )
    await expect(decodeRecordBatch(tamper(batch, (b) => b.writeInt32BE(-1, 57)))).rejects.toThrow(/record count/)
  })

  it('rejects an unknown compression type, a wrong magic and a length that disagrees', async () => {
    const batch = await encodeRecordBatch({ records: RECORDS })
    await expect(decodeRecordBatch(tamper(batch, (b) => b.writeInt16BE(5, 21)))).rejects.toThrow(/compression type 5/)
    await expect(decodeRecordBatch(tamper(batch, (b) => b.writeInt8(1, 16)))).rejects.toThrow(/magic 1/)
    await expect(decodeRecordBatch(tamper(batch, (b) => b.writeInt32BE(5, 8)))).rejects.toThrow(CorruptRecordError)
    await expect(decodeRecordBatch(batch.subarray(0, 40))).rejects.toThrow(CorruptRecordError)
  })

  it('rejects a record whose length disagrees with its fields', async () => {
    const batch = await encodeRecordBatch({
      records: [{ key: Buffer.from('k'), value: Buffer.from('vv'), timestamp: T0 }],
    })
    // The record's length varint: 0x12 (9) -> 0x14 (10), one more than its fields take.
    await expect(decodeRecordBatch(tamper(batch, (b) => b.writeUInt8(0x14, 61)))).rejects.toThrow(/invalid record size/)
  })

  it('fails with CorruptRecordError when compressed records are garbage', async () => {
    const batch = await encodeRecordBatch({ records: RECORDS, compression: CompressionType.Snappy })
    await expect(decodeRecordBatch(tamper(batch, (b) => b.fill(0x33, 61 + 20)))).rejects.toThrow(CorruptRecordError)
  })

  it('gives every record the batch time under LogAppendTime', async () => {
    const logAppendTimeMs = T0 + 60_000
    const decoded = await decodeRecordBatch(await encodeRecordBatch({ records: RECORDS, logAppendTimeMs }))
    expect(decoded.timestampType).toBe(TimestampType.LogAppendTime)
    expect(decoded.maxTimestamp).toBe(logAppendTimeMs)
    expect(decoded.records.every((r) => r.timestamp === logAppendTimeMs)).toBe(true)
  })

  it('reads a compacted batch whose base timestamp is the delete horizon', async () => {
    const deleteHorizonMs = T0 + 86_400_000
    const decoded = await decodeRecordBatch(await encodeRecordBatch({ records: RECORDS, deleteHorizonMs }))
    expect(decoded.hasDeleteHorizon).toBe(true)
    expect(decoded.baseTimestamp).toBe(deleteHorizonMs)
    expectRecords(decoded.records, RECORDS) // record timestamps are unaffected
  })

  it('reports the header fields and flags', async () => {
    const batch = await encodeRecordBatch({
      records: RECORDS,
      compression: CompressionType.Lz4,
      producerId: 1n << 40n,
      producerEpoch: 5,
      baseSequence: 2147483647,
      isTransactional: true,
    })
    const header = readBatchHeader(batch)
    expect(header).toMatchObject({
      magic: 2,
      compression: CompressionType.Lz4,
      isTransactional: true,
      isControl: false,
      hasDeleteHorizon: false,
      timestampType: TimestampType.CreateTime,
      producerId: 1n << 40n,
      producerEpoch: 5,
      baseSequence: 2147483647,
      baseTimestamp: T0,
      maxTimestamp: T0 + 5,
      partitionLeaderEpoch: -1,
      batchLength: batch.length - 12,
      crc: crc32c(batch.subarray(21)),
    })
  })
})
