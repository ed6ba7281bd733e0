import { CorruptRecordError } from '../errors.js'
import { RecordBatchBuilder } from './record-batch-builder.js'
import type { KafkaRecord } from './types.js'

/**
 * Control record types (key field `type`). ABORT and COMMIT are transaction
 * markers; the others are KRaft's and appear only in the metadata log.
 */
export const ControlRecordType = {
  Abort: 0,
  Commit: 1,
  LeaderChange: 2,
  SnapshotHeader: 3,
  SnapshotFooter: 4,
  KRaftVersion: 5,
  KRaftVoters: 6,
} as const

export type ControlRecordType = (typeof ControlRecordType)[keyof typeof ControlRecordType]

export interface ControlRecord {
  /** Key schema version; 0 today, and newer versions only add fields. */
  version: number
  /** A `ControlRecordType`, or a number this client does not know (to be ignored, as Java does). */
  type: number
  /** Coordinator epoch of a transaction marker; null for other control types. */
  coordinatorEpoch: number | null
}

const KEY_BYTES = 4
const MARKER_VALUE_BYTES = 6

/** Reads the key (and, for transaction markers, the value) of a record from a control batch. */
export function decodeControlRecord(record: KafkaRecord): ControlRecord {
  const key = record.key
  if (key === null || key.length < KEY_BYTES) {
    throw new CorruptRecordError(
      `control record at offset ${record.offset} has a key of ${key?.length ?? 'null'} bytes, expected at least ${KEY_BYTES}`,
    )
  }
  const version = key.readInt16BE(0)
  if (version < 0)
    throw new CorruptRecordError(`control record at offset ${record.offset} has invalid key version ${version}`)
  const type = key.readInt16BE(2)
  if (type !== ControlRecordType.Abort && type !== ControlRecordType.Commit)
    return { version, type, coordinatorEpoch: null }
  const value = record.value
  if (value === null || value.length < MARKER_VALUE_BYTES) {
    throw new CorruptRecordError(
      `transaction marker at offset ${record.offset} has a value of ${value?.length ?? 'null'} bytes, expected at least ${MARKER_VALUE_BYTES}`,
    )
  }
  // Value: version int16 (newer versions append fields, so read only what v0 has), coordinator epoch int32.
  if (value.readInt16BE(0) < 0)
    throw new CorruptRecordError(`transaction marker at offset ${record.offset} has an invalid version`)
  return { version, type, coordinatorEpoch: value.readInt32BE(2) }
}

export interface TransactionMarkerOptions {
  type: typeof ControlRecordType.Abort | typeof ControlRecordType.Commit
  producerId: bigint
  producerEpoch: number
  coordinatorEpoch: number
  baseOffset?: bigint
  partitionLeaderEpoch?: number
  timestamp?: number
}

/**
 * The control batch a transaction coordinator's WriteTxnMarkers makes a leader
 * append: transactional, control, one record with key (0, type) and value
 * (0, coordinator epoch).
 */
export function encodeTransactionMarker(options: TransactionMarkerOptions): Buffer {
  const key = Buffer.alloc(KEY_BYTES)
  key.writeInt16BE(options.type, 2)
  const value = Buffer.alloc(MARKER_VALUE_BYTES)
  value.writeInt32BE(options.coordinatorEpoch, 2)
  const builder = new RecordBatchBuilder({
    baseOffset: options.baseOffset,
    partitionLeaderEpoch: options.partitionLeaderEpoch,
    producerId: options.producerId,
    producerEpoch: options.producerEpoch,
    isTransactional: true,
    isControl: true,
  })
  builder.append({ key, value, timestamp: options.timestamp })
  return builder.buildSync()
}
