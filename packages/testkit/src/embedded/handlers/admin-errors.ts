/**
 * Error codes the admin handlers answer with, and the rules they share about
 * topic names, so that every handler words the same failure the same way.
 */
import { ERROR_DEFINITIONS } from '@kafkit/protocol'
import { invalidTopicName } from '../state/topic-names.js'

export const AdminError = {
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  REQUEST_TIMED_OUT: 7,
  INVALID_TOPIC_EXCEPTION: 17,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REPLICA_ASSIGNMENT: 39,
  INVALID_CONFIG: 40,
  INVALID_REQUEST: 42,
  POLICY_VIOLATION: 44,
  UNKNOWN_TOPIC_ID: 100,
  MISMATCHED_ENDPOINT_TYPE: 114,
  UNSUPPORTED_ENDPOINT_TYPE: 115,
} as const

/** The message Kafka gives an error when it has nothing more specific to say. */
export function defaultMessage(errorCode: number): string | null {
  return ERROR_DEFINITIONS.find((definition) => definition.code === errorCode)?.message ?? null
}

/** Kafka's InvalidTopicException message for a bad name, or undefined when the name is valid. */
export function topicNameError(name: string): string | undefined {
  const why = invalidTopicName(name)
  return why === undefined ? undefined : `Topic name is invalid: ${why}`
}

/**
 * A request to change topics must leave the controller time to act: a KRaft
 * broker answers every topic of one whose timeoutMs is 0 or less with
 * REQUEST_TIMED_OUT, and changes nothing.
 */
export function expiredOnArrival(timeoutMs: number): boolean {
  return timeoutMs <= 0
}

/** Kafka's internal topics (Topic.isInternal): not every name starting with "__" is one. */
export const INTERNAL_TOPICS: ReadonlySet<string> = new Set([
  '__consumer_offsets',
  '__transaction_state',
  '__share_group_state',
])

/**
 * Kafka refuses to create more partitions than this in one request (the
 * controller's per-operation record limit), which also keeps a test's typo
 * from building millions of partition logs.
 */
export const MAX_PARTITIONS_PER_REQUEST = 10_000

export { AUTHORIZED_OPERATIONS_OMITTED } from '@kafkit/protocol'
