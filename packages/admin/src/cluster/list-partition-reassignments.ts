import type { ListPartitionReassignmentsResponse } from '@kafkit/protocol'
import type { AdminRouter } from '../admin-router.js'
import { optionalInteger, requireNonEmptyArray, requireOptions } from '../arguments.js'
import { byTopic, topicPartitions } from './elect-leaders.js'

export interface ListPartitionReassignmentsRequest {
  /** kafkajs's shape: `[{ topic, partitions: [0, 1] }]`; omitted: every partition being reassigned. */
  topics?: readonly { topic: string; partitions: readonly number[] }[]
  /** How long the controller may take, in milliseconds. Default 60 000. */
  timeoutMs?: number
}

export interface OngoingReassignment {
  partition: number
  /** Every replica now: the target ones first, then those being removed. */
  replicas: number[]
  /** Replicas being added (catching up). */
  addingReplicas: number[]
  /** Replicas to drop once the added ones are in sync. */
  removingReplicas: number[]
}

export interface PartitionReassignments {
  /** Only topics with an ongoing reassignment; a finished one is no longer listed. */
  topics: { topic: string; partitions: OngoingReassignment[] }[]
}

/**
 * ListPartitionReassignments on the controller: the reassignments still in
 * progress (kafkajs's result shape). Partitions without one, unknown ones
 * included, are simply absent.
 */
export async function listPartitionReassignments(
  router: AdminRouter,
  request: ListPartitionReassignmentsRequest = {},
): Promise<PartitionReassignments> {
  requireOptions(request, 'listPartitionReassignments()', ['topics', 'timeoutMs'])
  const partitions =
    request.topics === undefined
      ? null
      : topicPartitions(
          requireNonEmptyArray(
            request.topics,
            'listPartitionReassignments topics',
            "[{ topic: 'orders', partitions: [0] }]",
          ).flatMap((t, i) =>
            requireNonEmptyArray(t?.partitions, `listPartitionReassignments topics[${i}].partitions`, '[0, 1]').map(
              (partition) => ({ topic: t.topic, partition }),
            ),
          ),
          'listPartitionReassignments topics (as topic-partition pairs)',
        )
  const timeoutMs = optionalInteger(request.timeoutMs, 'listPartitionReassignments timeoutMs', 1) ?? 60_000
  const response: ListPartitionReassignmentsResponse = await router.toController(
    'ListPartitionReassignments',
    {
      timeoutMs,
      topics:
        partitions === null
          ? null
          : [...byTopic(partitions)].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
    },
    (r) => r.errorCode,
  )
  return {
    topics: response.topics.map((topic) => ({
      topic: topic.name,
      partitions: topic.partitions.map((p) => ({
        partition: p.partitionIndex,
        replicas: p.replicas,
        addingReplicas: p.addingReplicas,
        removingReplicas: p.removingReplicas,
      })),
    })),
  }
}
