import { type AlterPartitionReassignmentsResponse, errorFromCode, InvalidMessageError } from '@kafkit/protocol'
import type { AdminRouter } from '../admin-router.js'
import {
  optionalBoolean,
  optionalInteger,
  requireInteger,
  requireName,
  requireNonEmptyArray,
  requireOptions,
} from '../arguments.js'
import type { TopicPartition } from '../groups/topic-partitions.js'
import { partitionResults } from './partition-results.js'

export interface PartitionReassignmentTarget {
  partition: number
  /** The new replica list (first = preferred leader), or null to cancel the partition's ongoing reassignment. */
  replicas: readonly number[] | null
}

export interface AlterPartitionReassignmentsRequest {
  /** kafkajs's shape: `[{ topic, partitionAssignment: [{ partition, replicas }] }]`. */
  topics: readonly { topic: string; partitionAssignment: readonly PartitionReassignmentTarget[] }[]
  /**
   * Whether a reassignment may change a partition's replica count (KIP-860).
   * Default true; false needs AlterPartitionReassignments v1 (Kafka 4.1+).
   */
  allowReplicationFactorChange?: boolean
  /** How long the controller may take, in milliseconds. Default 60 000. */
  timeoutMs?: number
}

const UNSUPPORTED_VERSION = 35

function targets(request: AlterPartitionReassignmentsRequest): Map<string, Map<number, readonly number[] | null>> {
  const topics = new Map<string, Map<number, readonly number[] | null>>()
  requireNonEmptyArray(
    request.topics,
    'alterPartitionReassignments topics',
    "[{ topic: 'orders', partitionAssignment: [{ partition: 0, replicas: [1, 2, 3] }] }]",
  ).forEach((entry, i) => {
    const topic = requireName(entry?.topic, `alterPartitionReassignments topics[${i}].topic`)
    const partitions = topics.get(topic) ?? new Map<number, readonly number[] | null>()
    requireNonEmptyArray(
      entry.partitionAssignment,
      `alterPartitionReassignments topics[${i}].partitionAssignment`,
      '[{ partition: 0, replicas: [1, 2, 3] }]',
    ).forEach((target, j) => {
      const what = `alterPartitionReassignments topics[${i}].partitionAssignment[${j}]`
      const partition = requireInteger(target?.partition, `${what}.partition`, 0)
      if (partitions.has(partition))
        throw new InvalidMessageError(`${what} names ${topic}-${partition} a second time; give each partition once`)
      const { replicas } = target
      if (replicas !== null && !Array.isArray(replicas)) {
        throw new InvalidMessageError(
          `${what}.replicas must be an array of broker ids, or null to cancel; got ${String(replicas)}`,
        )
      }
      partitions.set(
        partition,
        replicas === null ? null : replicas.map((id, k) => requireInteger(id, `${what}.replicas[${k}]`, 0)),
      )
    })
    topics.set(topic, partitions)
  })
  return topics
}

/**
 * AlterPartitionReassignments on the controller: moves partitions to new
 * replicas (Kafka copies the data, then drops the old replicas; watch with
 * listPartitionReassignments) or cancels ongoing moves (replicas null).
 * Resolves with the partitions accepted; rejects with AdminPartialFailureError
 * naming each `topic-partition` refused: InvalidReplicaAssignmentError,
 * InvalidReplicationFactorError, NoReassignmentInProgressError (a cancel with
 * nothing to cancel), UnknownTopicOrPartitionError.
 */
export async function alterPartitionReassignments(
  router: AdminRouter,
  request: AlterPartitionReassignmentsRequest,
): Promise<TopicPartition[]> {
  requireOptions(request, 'alterPartitionReassignments()', ['topics', 'allowReplicationFactorChange', 'timeoutMs'])
  const topics = targets(request)
  const allowReplicationFactorChange =
    optionalBoolean(request.allowReplicationFactorChange, 'alterPartitionReassignments allowReplicationFactorChange') ??
    true
  const timeoutMs = optionalInteger(request.timeoutMs, 'alterPartitionReassignments timeoutMs', 1) ?? 60_000
  const response: AlterPartitionReassignmentsResponse = await router.toController(
    'AlterPartitionReassignments',
    (version) => {
      if (version < 1 && !allowReplicationFactorChange) {
        throw errorFromCode(UNSUPPORTED_VERSION, {
          api: 'AlterPartitionReassignments',
          detail: `allowReplicationFactorChange: false needs AlterPartitionReassignments v1 (Kafka 4.1+); the broker speaks v${version}`,
        })!
      }
      return {
        timeoutMs,
        allowReplicationFactorChange,
        topics: [...topics].map(([name, partitions]) => ({
          name,
          partitions: [...partitions].map(([partitionIndex, replicas]) => ({
            partitionIndex,
            replicas: replicas === null ? null : [...replicas],
          })),
        })),
      }
    },
    (r) => r.errorCode,
  )
  return partitionResults(
    'alterPartitionReassignments',
    'AlterPartitionReassignments',
    response.responses.flatMap(({ name, partitions }) =>
      partitions.map((r) => ({
        topic: name,
        partition: r.partitionIndex,
        errorCode: r.errorCode,
        errorMessage: r.errorMessage,
      })),
    ),
  )
}
