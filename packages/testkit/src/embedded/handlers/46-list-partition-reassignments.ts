/**
 * ListPartitionReassignments (key 46), version 0: the ongoing reassignments
 * (replicas, adding and removing replicas) of the partitions asked for, or of
 * every partition when topics is null. Partitions without one, and unknown
 * topics and partitions, are left out, as Kafka does; a reassignment that
 * completed is no longer listed.
 */
import { Apis, type ListPartitionReassignmentsResponseOngoingTopicReassignment } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import type { TopicState } from '../state/cluster-state.js'
import { isReassigning } from '../state/reassignments.js'
import { AdminError } from './admin-errors.js'

function ongoing(
  topic: TopicState,
  indexes: readonly number[],
): ListPartitionReassignmentsResponseOngoingTopicReassignment {
  const partitions = indexes.flatMap((index) => {
    const partition = topic.partitions[index]
    if (!partition || !isReassigning(partition)) return []
    return [
      {
        partitionIndex: index,
        replicas: [...partition.replicas],
        addingReplicas: [...(partition.addingReplicas ?? [])],
        removingReplicas: [...(partition.removingReplicas ?? [])],
      },
    ]
  })
  return { name: topic.name, partitions }
}

export const listPartitionReassignmentsHandler = defineHandler({
  api: 'ListPartitionReassignments',
  minVersion: Apis.ListPartitionReassignments.minVersion,
  maxVersion: Apis.ListPartitionReassignments.maxVersion,
  handle(request, { cluster }) {
    const wanted =
      request.topics === null
        ? [...cluster.topics.values()].map((topic) => ({ topic, indexes: topic.partitions.map((p) => p.partition) }))
        : request.topics.flatMap(({ name, partitionIndexes }) => {
            const topic = cluster.topics.get(name)
            return topic ? [{ topic, indexes: partitionIndexes }] : []
          })
    return {
      throttleTimeMs: 0,
      errorCode: AdminError.NONE,
      errorMessage: null,
      topics: wanted.map(({ topic, indexes }) => ongoing(topic, indexes)).filter((t) => t.partitions.length > 0),
    }
  },
})
