export { computeBatchCrc, readBatchHeader, verifyBatchCrc } from './batch-header.js'
export * from './batch-layout.js'
export {
  type ControlRecord,
  ControlRecordType,
  decodeControlRecord,
  encodeTransactionMarker,
  type TransactionMarkerOptions,
} from './control-record.js'
export { decodeLegacyEntry } from './legacy-message-set.js'
export {
  type BatchIdentity,
  encodeRecordBatch,
  encodeRecordBatchSync,
  RecordBatchBuilder,
  type RecordBatchBuilderOptions,
  type RecordBatchOptions,
} from './record-batch-builder.js'
export { decodeRecordBatch, type RecordDecodeOptions } from './record-batch-decoder.js'
export { decodeRawBatch, decodeRecordBatches, type RawBatch, splitRecordBatches } from './record-batches.js'
export {
  type KafkaRecord,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  NO_TIMESTAMP,
  type RecordBatch,
  type RecordBatchHeader,
  type RecordHeader,
  type RecordInput,
  TimestampType,
} from './types.js'
