/** The error codes the transaction coordinator answers with, named as in Kafka's Errors enum. */
export const TxnError = {
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  INVALID_REQUEST: 42,
  INVALID_PRODUCER_EPOCH: 47,
  INVALID_TXN_STATE: 48,
  INVALID_PRODUCER_ID_MAPPING: 49,
  INVALID_TRANSACTION_TIMEOUT: 50,
  CONCURRENT_TRANSACTIONS: 51,
  OPERATION_NOT_ATTEMPTED: 55,
  PRODUCER_FENCED: 90,
  TRANSACTION_ABORTABLE: 120,
} as const

/**
 * A write the transaction does not cover (a partition or group not added to
 * it) as a request version can carry it: from the versions that know
 * TRANSACTION_ABORTABLE (KIP-890: Produce v11, TxnOffsetCommit v4) Kafka 4.1
 * answers that instead of INVALID_TXN_STATE, so clients abort rather than die.
 */
export function abortableFor(errorCode: number, version: number, firstVersion: number): number {
  return errorCode === TxnError.INVALID_TXN_STATE && version >= firstVersion
    ? TxnError.TRANSACTION_ABORTABLE
    : errorCode
}

/**
 * PRODUCER_FENCED (KIP-588) as a request version can carry it: clients that
 * predate it (below `firstVersion` of the API) get INVALID_PRODUCER_EPOCH, as
 * Kafka's KafkaApis converts it.
 */
export function fencedFor(errorCode: number, version: number, firstVersion: number): number {
  return errorCode === TxnError.PRODUCER_FENCED && version < firstVersion ? TxnError.INVALID_PRODUCER_EPOCH : errorCode
}
