import { beforeAll, describe, expect, it } from 'vitest'
import { CompressionType } from '../../packages/protocol/src/compression/compression-type.js'
import { ControlRecordType, encodeTransactionMarker } from '../../packages/protocol/src/records/control-record.js'
import { encodeRecordBatch } from '../../packages/protocol/src/records/record-batch-builder.js'
import {
  decodeRawBatch,
  decodeRecordBatches,
  splitRecordBatches,
} from '../../packages/protocol/src/records/record-batches.js'
import {
  type CompressionName,
  javaReadBatches,
  javaWriteBatch,
  javaWriteControl,
  orThrow,
  type ReadBatches,
  type WriteBatchRequest,
  type WriteControlRequest,
} from '../reference/java-reference.js'
import { viewOfJava, viewOfKafkit } from './support/batch-view.js'
import { javaAvailable } from './support/java.js'
import { plainRecords, recordsWithHeaders, T0 } from './support/sample-records.js'

const available = await javaAvailable('record-batches-from-java')

const CODECS: CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']
const LEGACY_CODECS: CompressionName[] = ['none', 'gzip', 'snappy', 'lz4']

/** Batches and message sets the Java client writes, by name. */
const WRITES: Record<string, WriteBatchRequest> = {
  ...Object.fromEntries(
    CODECS.map((compression) => [
      `magic 2 ${compression}, idempotent`,
      {
        compression,
        baseOffset: 1000,
        producerId: 77,
        producerEpoch: 3,
        baseSequence: 10,
        partitionLeaderEpoch: 5,
        records: recordsWithHeaders(),
      },
    ]),
  ),
  'magic 2 gzip, transactional': {
    compression: 'gzip',
    producerId: 9_007_199_254_740_993n, // beyond 2^53: must stay exact
    producerEpoch: 1,
    baseSequence: 0,
    transactional: true,
    records: recordsWithHeaders(),
  },
  'magic 2 zstd, LogAppendTime': {
    compression: 'zstd',
    timestampType: 'logAppend',
    logAppendTime: T0 + 99_000,
    records: recordsWithHeaders(),
  },
  'magic 2 none, offset gaps as compaction leaves them': {
    records: plainRecords().map((record, i) => ({ ...record, offset: 5 + i * i })),
  },
  'magic 2 lz4, offset gaps': {
    compression: 'lz4',
    records: plainRecords().map((record, i) => ({ ...record, offset: 100 + 3 * i })),
  },
  'magic 2 none, records without timestamps': {
    records: plainRecords().map(({ timestamp: _unused, ...record }) => record),
  },
  ...Object.fromEntries(
    [0, 1].flatMap((magic) =>
      LEGACY_CODECS.map((compression) => [
        `magic ${magic} ${compression}`,
        { magic: magic as 0 | 1, compression, baseOffset: 300, records: plainRecords() },
      ]),
    ),
  ),
  'magic 1 gzip, LogAppendTime': {
    magic: 1,
    compression: 'gzip',
    timestampType: 'logAppend',
    logAppendTime: T0 + 5,
    records: plainRecords(),
  },
  'magic 1 none, LogAppendTime': {
    magic: 1,
    timestampType: 'logAppend',
    logAppendTime: T0 + 5,
    records: plainRecords(),
  },
}

const CONTROLS: Record<string, WriteControlRequest> = {
  commit: { type: 'commit', coordinatorEpoch: 12, baseOffset: 42, timestamp: T0, producerId: 500, producerEpoch: 4 },
  abort: { type: 'abort', coordinatorEpoch: 0, baseOffset: 43, timestamp: T0 + 1, producerId: 501, producerEpoch: 0 },
}

describe.skipIf(!available)('record batches written by the Java client, read by kafkit', () => {
  const names = [...Object.keys(WRITES), ...Object.keys(CONTROLS).map((name) => `control ${name}`)]
  let bytes: Buffer[] = []
  let javaViews: ReadBatches[] = []

  beforeAll(async () => {
    bytes = [
      ...orThrow(await javaWriteBatch(Object.values(WRITES))).map((r) => Buffer.from(r.bytes)),
      ...orThrow(await javaWriteControl(Object.values(CONTROLS))).map((r) => Buffer.from(r.bytes)),
    ]
    javaViews = orThrow(await javaReadBatches(bytes))
  })

  it.each(names.map((name, i) => [name, i] as const))('%s decodes to what Java reads', async (_name, i) => {
    const raw = [...splitRecordBatches(bytes[i]!)]
    const ours = await Promise.all(raw.map((batch) => decodeRawBatch(batch)))
    expect(ours.length).toBeGreaterThan(0)
    expect(ours.map(viewOfKafkit)).toEqual(javaViews[i]!.batches.map(viewOfJava))
  })

  it('decodes a fetch of many batches ending in a partial one, stopping where Java stops', async () => {
    const whole = names.map((_, i) => bytes[i]!)
    const partial = bytes[0]!.subarray(0, bytes[0]!.length - 100)
    const fetched = Buffer.concat([...whole, partial])
    const [java] = orThrow(await javaReadBatches([fetched]))
    const ours = await decodeRecordBatches(fetched)
    expect(ours.map(viewOfKafkit)).toEqual(java!.batches.map(viewOfJava))
    const consumed = [...splitRecordBatches(fetched)].reduce((sum, batch) => sum + batch.bytes.length, 0)
    expect(fetched.length - consumed).toBe(java!.trailingBytes)
  })

  it('writes the same bytes as Java for an uncompressed batch and for transaction markers', async () => {
    const request = WRITES['magic 2 none, idempotent']!
    const ours = await encodeRecordBatch({
      baseOffset: 1000n,
      producerId: 77n,
      producerEpoch: 3,
      baseSequence: 10,
      partitionLeaderEpoch: 5,
      compression: CompressionType.None,
      records: request.records.map((r) => ({
        key: r.key === null ? null : Buffer.from(r.key),
        value: r.value === null ? null : Buffer.from(r.value),
        timestamp: Number(r.timestamp),
        headers: r.headers?.map((h) => ({ key: h.key, value: h.value === null ? null : Buffer.from(h.value) })),
      })),
    })
    expect(ours.toString('hex')).toBe(bytes[names.indexOf('magic 2 none, idempotent')]!.toString('hex'))

    for (const [name, control] of Object.entries(CONTROLS)) {
      const marker = encodeTransactionMarker({
        type: control.type === 'commit' ? ControlRecordType.Commit : ControlRecordType.Abort,
        coordinatorEpoch: control.coordinatorEpoch!,
        baseOffset: BigInt(control.baseOffset!),
        timestamp: Number(control.timestamp),
        producerId: BigInt(control.producerId),
        producerEpoch: control.producerEpoch!,
      })
      expect(marker.toString('hex')).toBe(bytes[names.indexOf(`control ${name}`)]!.toString('hex'))
    }
  })
})
