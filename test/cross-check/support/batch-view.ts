import { compressionName } from '../../../packages/protocol/src/compression/compression-type.js'
import { ControlRecordType, decodeControlRecord } from '../../../packages/protocol/src/records/control-record.js'
import { type RecordBatch, TimestampType } from '../../../packages/protocol/src/records/types.js'
import type { ReadBatch, ReadRecord } from '../../reference/java-reference.js'

/**
 * One plain shape for a batch as kafkit decodes it and as the Java client reads
 * it, with bytes as hex so that Buffer and Uint8Array compare equal.
 */
export interface BatchView {
  magic: number
  baseOffset: bigint
  lastOffset: bigint
  compression: string
  timestampType: string
  isTransactional: boolean
  isControl: boolean
  producerId: bigint
  producerEpoch: number
  baseSequence: number
  partitionLeaderEpoch: number
  maxTimestamp: bigint
  crc: number
  sizeInBytes: number
  records: RecordView[]
}

export interface RecordView {
  offset: bigint
  timestamp: bigint
  key: string | null
  value: string | null
  headers: { key: string; value: string | null }[]
  control?: { type: string; coordinatorEpoch?: number }
}

const hex = (bytes: Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString('hex'))

const TIMESTAMP_TYPE_NAMES: Record<TimestampType, string> = {
  [TimestampType.NoTimestamp]: 'none',
  [TimestampType.CreateTime]: 'create',
  [TimestampType.LogAppendTime]: 'logAppend',
}

const CONTROL_TYPE_NAMES: Record<number, string> = {
  [ControlRecordType.Abort]: 'ABORT',
  [ControlRecordType.Commit]: 'COMMIT',
}

export function viewOfKafkit(batch: RecordBatch): BatchView {
  return {
    magic: batch.magic,
    baseOffset: batch.baseOffset,
    lastOffset: batch.lastOffset,
    compression: compressionName(batch.compression),
    timestampType: TIMESTAMP_TYPE_NAMES[batch.timestampType],
    isTransactional: batch.isTransactional,
    isControl: batch.isControl,
    producerId: batch.producerId,
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.baseSequence,
    partitionLeaderEpoch: batch.partitionLeaderEpoch,
    maxTimestamp: BigInt(batch.maxTimestamp),
    crc: batch.crc,
    sizeInBytes: batch.batchLength + 12,
    records: batch.records.map((record) => {
      const view: RecordView = {
        offset: record.offset,
        timestamp: BigInt(record.timestamp),
        key: hex(record.key),
        value: hex(record.value),
        headers: record.headers.map((h) => ({ key: h.key, value: hex(h.value) })),
      }
      if (batch.isControl) {
        const control = decodeControlRecord(record)
        view.control = { type: CONTROL_TYPE_NAMES[control.type] ?? 'UNKNOWN' }
        if (control.coordinatorEpoch !== null) view.control.coordinatorEpoch = control.coordinatorEpoch
      }
      return view
    }),
  }
}

export function viewOfJava(batch: ReadBatch): BatchView {
  return {
    magic: batch.magic,
    baseOffset: batch.baseOffset,
    lastOffset: batch.lastOffset,
    compression: batch.compression,
    timestampType: batch.timestampType,
    isTransactional: batch.isTransactional,
    isControl: batch.isControl,
    producerId: batch.producerId,
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.baseSequence,
    partitionLeaderEpoch: batch.partitionLeaderEpoch,
    maxTimestamp: batch.maxTimestamp,
    // Java's checksum() is a signed-looking long for legacy messages and an unsigned int for v2; both fit >>> 0.
    crc: Number(batch.crc) >>> 0,
    sizeInBytes: batch.sizeInBytes,
    records: batch.records.map((record: ReadRecord) => {
      const view: RecordView = {
        offset: record.offset,
        timestamp: record.timestamp,
        key: hex(record.key),
        value: hex(record.value),
        headers: record.headers.map((h) => ({ key: h.key, value: hex(h.value) })),
      }
      if (record.control !== undefined) view.control = { ...record.control }
      return view
    }),
  }
}
