/**
 * Byte offsets of the record batch (magic 2) header fields. The length, leader
 * epoch and magic come before the CRC so that a broker can assign offsets and
 * epochs without recomputing it; the CRC covers attributes to the end.
 */
export const BASE_OFFSET_OFFSET = 0
export const BATCH_LENGTH_OFFSET = 8
export const PARTITION_LEADER_EPOCH_OFFSET = 12
export const MAGIC_OFFSET = 16
export const CRC_OFFSET = 17
export const ATTRIBUTES_OFFSET = 21
export const LAST_OFFSET_DELTA_OFFSET = 23
export const BASE_TIMESTAMP_OFFSET = 27
export const MAX_TIMESTAMP_OFFSET = 35
export const PRODUCER_ID_OFFSET = 43
export const PRODUCER_EPOCH_OFFSET = 51
export const BASE_SEQUENCE_OFFSET = 53
export const RECORD_COUNT_OFFSET = 57
export const RECORDS_OFFSET = 61

/** Size of the batch header: every batch is at least this long. */
export const RECORD_BATCH_OVERHEAD = RECORDS_OFFSET
/** baseOffset + batchLength: what precedes the length-counted part of every batch or legacy entry. */
export const LOG_OVERHEAD = 12
export const CURRENT_MAGIC = 2

export const COMPRESSION_MASK = 0x07
export const TIMESTAMP_TYPE_FLAG = 0x08
export const TRANSACTIONAL_FLAG = 0x10
export const CONTROL_FLAG = 0x20
export const DELETE_HORIZON_FLAG = 0x40
