import { ApiError, type KafkaError } from '@kafkit/protocol'

/**
 * Error codes that mean the client's metadata is out of date (a leader moved,
 * a topic was recreated), so metadata must be refreshed before retrying, as in
 * Java's Metadata handling.
 */
const STALE_METADATA_CODES = new Set([
  3, // UNKNOWN_TOPIC_OR_PARTITION
  5, // LEADER_NOT_AVAILABLE
  6, // NOT_LEADER_OR_FOLLOWER
  56, // KAFKA_STORAGE_ERROR
  74, // FENCED_LEADER_EPOCH
  75, // UNKNOWN_LEADER_EPOCH
  100, // UNKNOWN_TOPIC_ID
  103, // INCONSISTENT_TOPIC_ID
])

export function isStaleMetadataCode(code: number): boolean {
  return STALE_METADATA_CODES.has(code)
}

export function isStaleMetadataError(error: KafkaError): boolean {
  return error instanceof ApiError && STALE_METADATA_CODES.has(error.code)
}

/** Coordinator moved or not ready: look it up again (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE). */
export function isCoordinatorMovedCode(code: number): boolean {
  return code === 15 || code === 16
}
