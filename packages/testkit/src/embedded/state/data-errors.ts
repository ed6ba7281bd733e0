/**
 * The error codes the data APIs (produce, fetch, offsets, producer ids)
 * answer with, named as in Kafka's Errors enum so that the handlers read like
 * their reference.
 */
export const ErrorCode = {
  NONE: 0,
  UNKNOWN_SERVER_ERROR: -1,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  NOT_LEADER_OR_FOLLOWER: 6,
  MESSAGE_TOO_LARGE: 10,
  COORDINATOR_NOT_AVAILABLE: 15,
  INVALID_TOPIC_EXCEPTION: 17,
  NOT_ENOUGH_REPLICAS: 19,
  INVALID_REQUIRED_ACKS: 21,
  INVALID_TIMESTAMP: 32,
  UNSUPPORTED_VERSION: 35,
  INVALID_REQUEST: 42,
  POLICY_VIOLATION: 44,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  INVALID_PRODUCER_EPOCH: 47,
  INVALID_TXN_STATE: 48,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 53,
  FETCH_SESSION_ID_NOT_FOUND: 70,
  INVALID_FETCH_SESSION_EPOCH: 71,
  FENCED_LEADER_EPOCH: 74,
  UNKNOWN_LEADER_EPOCH: 75,
  UNSUPPORTED_COMPRESSION_TYPE: 76,
  INVALID_RECORD: 87,
  UNKNOWN_TOPIC_ID: 100,
  FETCH_SESSION_TOPIC_ID_ERROR: 106,
} as const

/** One record a produce was rejected for (ProduceResponse recordErrors, v8+). */
export interface RecordError {
  batchIndex: number
  message: string
}

/**
 * A partition-level failure: the code goes into the partition's answer, the
 * message (and record errors) into the fields that carry them.
 */
export class DataError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly recordErrors: RecordError[] = [],
  ) {
    super(message)
    this.name = 'DataError'
  }
}
