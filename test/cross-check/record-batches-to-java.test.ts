import { beforeAll, describe, expect, it } from 'vitest'
import { CompressionType } from '../../packages/protocol/src/compression/compression-type.js'
import { ControlRecordType, encodeTransactionMarker } from '../../packages/protocol/src/records/control-record.js'
import {
  encodeRecordBatch,
  RecordBatchBuilder,
  type RecordBatchOptions,
} from '../../packages/protocol/src/records/record-batch-builder.js'
import { decodeRecordBatches } from '../../packages/protocol/src/records/record-batches.js'
import type { RecordInput } from '../../packages/protocol/src/records/types.js'
import { type BatchRecordInput, javaReadBatches, orThrow, type ReadBatches } from '../reference/java-reference.js'
import { viewOfJava, viewOfKafkit } from './support/batch-view.js'
import { javaAvailable } from './support/java.js'
import { recordsWithHeaders, T0 } from './support/sample-records.js'

const available = await javaAvailable('record-batches-to-java')

function toInput(record: BatchRecordInput): RecordInput {
  const bytes = (value: Uint8Array | null) => (value === null ? null : Buffer.from(value))
  return {
    key: bytes(record.key),
    value: bytes(record.value),
    timestamp: Number(record.timestamp),
    headers: record.headers?.map((h) => ({ key: h.key, value: bytes(h.value) })),
  }
}

const RECORDS = recordsWithHeaders().map(toInput)

const COMPRESSIONS = [
  CompressionType.None,
  CompressionType.Gzip,
  CompressionType.Snappy,
  CompressionType.Lz4,
  CompressionType.Zstd,
]

/** Batches kafkit writes, by name. */
const WRITES: Record<string, RecordBatchOptions> = {
  ...Object.fromEntries(
    COMPRESSIONS.map((compression) => [
      `compression ${compression}, idempotent`,
      { compression, baseOffset: 2000n, producerId: 12n, producerEpoch: 1, baseSequence: 2147483000 },
    ]),
  ),
  'gzip level 1': { compression: CompressionType.Gzip, compressionLevel: 1 },
  'zstd level 19': { compression: CompressionType.Zstd, compressionLevel: 19 },
  'lz4, transactional, producer id beyond 2^53': {
    compression: CompressionType.Lz4,
    producerId: 9_007_199_254_740_993n,
    producerEpoch: 32767,
    baseSequence: 0,
    isTransactional: true,
    partitionLeaderEpoch: 8,
  },
  'snappy, LogAppendTime': { compression: CompressionType.Snappy, logAppendTimeMs: T0 + 60_000 },
  'none, compacted with a delete horizon': { deleteHorizonMs: T0 + 86_400_000 },
}

describe.skipIf(!available)('record batches written by kafkit, read by the Java client', () => {
  const cases = Object.entries(WRITES)
  let encoded: Buffer[] = []
  let java: ReadBatches[] = []

  beforeAll(async () => {
    encoded = await Promise.all(cases.map(([, options]) => encodeRecordBatch({ ...options, records: RECORDS })))
    java = orThrow(await javaReadBatches(encoded)) // one JVM for every case
  })

  it.each(cases.map(([name], i) => [name, i] as const))(
    '%s passes Java validation and reads back the same records',
    async (_name, i) => {
      const javaView = java[i]!.batches.map(viewOfJava)
      expect(javaView.map((b) => b.records.map((r) => r.value))).toEqual([
        RECORDS.map((r) => (r.value === null ? null : r.value.toString('hex'))),
      ])
      expect((await decodeRecordBatches(encoded[i]!)).map(viewOfKafkit)).toEqual(javaView)
    },
  )

  it('writes transaction markers that Java reads as COMMIT and ABORT with their coordinator epoch', async () => {
    const markers = Buffer.concat(
      [ControlRecordType.Commit, ControlRecordType.Abort].map((type, i) =>
        encodeTransactionMarker({
          type,
          producerId: 300n,
          producerEpoch: 2,
          coordinatorEpoch: 40 + i,
          baseOffset: 50n + BigInt(i),
          timestamp: T0,
        }),
      ),
    )
    const [java] = orThrow(await javaReadBatches([markers]))
    expect(java!.batches.map((b) => b.records[0]!.control)).toEqual([
      { type: 'COMMIT', coordinatorEpoch: 40 },
      { type: 'ABORT', coordinatorEpoch: 41 },
    ])
    expect((await decodeRecordBatches(markers)).map(viewOfKafkit)).toEqual(java!.batches.map(viewOfJava))
  })

  it('writes batches from the incremental builder that Java reads back to back', async () => {
    const batches: Buffer[] = []
    let builder = new RecordBatchBuilder({ compression: CompressionType.Lz4, maxBatchBytes: 2048 })
    let baseOffset = 0n
    for (let i = 0; i < 200; i++) {
      const record = {
        key: Buffer.from(`key-${i}`),
        value: Buffer.from(`value ${i} `.repeat(i % 20)),
        timestamp: T0 + i,
      }
      if (!builder.append(record)) {
        batches.push(await builder.build())
        baseOffset += BigInt(builder.recordCount)
        builder = new RecordBatchBuilder({ compression: CompressionType.Lz4, maxBatchBytes: 2048, baseOffset })
        builder.append(record)
      }
    }
    batches.push(await builder.build())
    expect(batches.length).toBeGreaterThan(3)
    const [java] = orThrow(await javaReadBatches([Buffer.concat(batches)]))
    const offsets = java!.batches.flatMap((b) => b.records.map((r) => r.offset))
    expect(offsets).toEqual(Array.from({ length: 200 }, (_, i) => BigInt(i)))
  })
})
