import { type AdminEntryFailure, unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import { requireName, requireOptions } from '../arguments.js'
import { entryError, retriableCode } from './group-errors.js'
import {
  checkTopicSelections,
  partitionName,
  resolveTopicPartitions,
  type TopicPartition,
  type TopicSelection,
} from './topic-partitions.js'

export interface DeleteGroupOffsetsRequest {
  groupId: string
  /** Topics (all their partitions) or { topic, partitions }. */
  topics: readonly TopicSelection[]
}

/**
 * Deletes a group's committed offsets of some partitions (OffsetDelete), Java's
 * deleteConsumerGroupOffsets and kafka-consumer-groups --delete-offsets. Kafka
 * allows it for an empty group, and for an active consumer group on topics it
 * does not subscribe to: partitions of a subscribed topic fail with
 * GroupSubscribedToTopicError (entry `topic-partition`). Group-wide refusals
 * (GroupIdNotFoundError, NonEmptyGroupError) reject the whole call.
 */
export async function deleteGroupOffsets(
  router: AdminRouter,
  request: DeleteGroupOffsetsRequest,
): Promise<TopicPartition[]> {
  requireOptions(request, 'deleteGroupOffsets request', ['groupId', 'topics'])
  const groupId = requireName(request.groupId, 'deleteGroupOffsets groupId')
  const partitions = await resolveTopicPartitions(
    router,
    checkTopicSelections(request.topics, 'deleteGroupOffsets topics'),
  )
  const response = await router.toCoordinator(
    'group',
    groupId,
    'OffsetDelete',
    {
      groupId,
      topics: [...partitions].map(([name, indexes]) => ({
        name,
        partitions: indexes.map((partitionIndex) => ({ partitionIndex })),
      })),
    },
    (r) => retriableCode(r.errorCode),
  )
  const groupError = entryError(response.errorCode, 'OffsetDelete', groupId)
  if (groupError) throw groupError
  const failures: AdminEntryFailure[] = []
  const deleted: TopicPartition[] = []
  for (const topic of response.topics) {
    for (const { partitionIndex: partition, errorCode } of topic.partitions) {
      const entry = partitionName(topic.name, partition)
      const error = entryError(errorCode, 'OffsetDelete', entry)
      if (error) failures.push({ entry, error })
      else deleted.push({ topic: topic.name, partition })
    }
  }
  return unlessFailures('deleteGroupOffsets', failures, deleted)
}
