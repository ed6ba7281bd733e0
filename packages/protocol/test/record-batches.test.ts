import { describe, expect, it } from 'vitest'
import { CompressionType } from '../src/compression/compression-type.js'
import { CorruptRecordError } from '../src/errors.js'
import { encodeRecordBatch } from '../src/records/record-batch-builder.js'
import { decodeRecordBatches, splitRecordBatches } from '../src/records/record-batches.js'
import { legacyEntry } from './support/legacy-messages.js'

async function batchAt(baseOffset: bigint, values: string[], compression: CompressionType = CompressionType.None) {
  return encodeRecordBatch({
    baseOffset,
    compression,
    records: values.map((value, i) => ({ value: Buffer.from(value), timestamp: 1000 + i })),
  })
}

describe('splitting a fetched records buffer', () => {
  it('yields each batch as a view, in order', async () => {
    const parts = [
      await batchAt(0n, ['a', 'b']),
      await batchAt(2n, ['c'], CompressionType.Gzip),
      await batchAt(3n, ['d']),
    ]
    const records = Buffer.concat(parts)
    const raw = [...splitRecordBatches(records)]
    expect(raw.map((b) => [b.offset, b.magic, b.bytes.length])).toEqual(
      parts.map((p, i) => [[0n, 2n, 3n][i], 2, p.length]),
    )
    expect(raw[1]!.bytes.buffer).toBe(records.buffer)
  })

  it('ignores a truncated last batch, however little of it arrived', async () => {
    const whole = Buffer.concat([await batchAt(0n, ['a']), await batchAt(1n, ['b'])])
    const last = await batchAt(2n, ['c', 'd', 'e'])
    for (const cut of [1, 11, 12, 17, 61, last.length - 1]) {
      const records = Buffer.concat([whole, last.subarray(0, cut)])
      const batches = await decodeRecordBatches(records)
      expect(batches.map((b) => b.baseOffset)).toEqual([0n, 1n])
    }
  })

  it('returns nothing for an empty buffer', async () => {
    expect(await decodeRecordBatches(Buffer.alloc(0))).toEqual([])
  })

  it('returns a batch that starts before the fetched offset whole', async () => {
    // Fetching offset 5 from a broker can return the batch 3..7; skipping 3 and 4 is the consumer's job.
    const [batch] = await decodeRecordBatches(await batchAt(3n, ['3', '4', '5', '6', '7']))
    expect(batch!.records.map((r) => r.offset)).toEqual([3n, 4n, 5n, 6n, 7n])
  })

  it('reads legacy entries and record batches from the same buffer', async () => {
    const records = Buffer.concat([
      legacyEntry({ offset: 0n, magic: 0, key: null, value: Buffer.from('v0') }),
      legacyEntry({ offset: 1n, magic: 1, timestamp: 500, key: Buffer.from('k'), value: Buffer.from('v1') }),
      await batchAt(2n, ['v2']),
    ])
    const batches = await decodeRecordBatches(records)
    expect(batches.map((b) => b.magic)).toEqual([0, 1, 2])
    expect(batches.flatMap((b) => b.records.map((r) => r.value!.toString()))).toEqual(['v0', 'v1', 'v2'])
  })

  it('fails with CorruptRecordError on a size below the smallest message', async () => {
    const records = await batchAt(0n, ['a'])
    records.writeInt32BE(13, 8)
    expect(() => [...splitRecordBatches(records)]).toThrow(CorruptRecordError)
  })

  it('fails with CorruptRecordError on an unknown magic', async () => {
    const records = await batchAt(0n, ['a'])
    records.writeInt8(3, 16)
    expect(() => [...splitRecordBatches(records)]).toThrow(/magic 3/)
  })

  it('fails with CorruptRecordError on a magic 2 batch shorter than its header', () => {
    const records = Buffer.alloc(40)
    records.writeInt32BE(28, 8)
    records.writeInt8(2, 16)
    expect(() => [...splitRecordBatches(records)]).toThrow(CorruptRecordError)
  })
})
