/**
 * OffsetCommit (key 8), versions 2-9. Partitions of unknown topics get
 * UNKNOWN_TOPIC_OR_PARTITION; the others are committed by the group's
 * coordinator with their leader epoch (v6+) and metadata, after Kafka's checks:
 * members of a group commit with their generation (ILLEGAL_GENERATION,
 * UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID, REBALANCE_IN_PROGRESS before SyncGroup);
 * generation -1 outside group management is accepted only while the group is
 * empty, and creates a "simple" group when there is none. A commit for a group
 * that does not exist with a generation gets GROUP_ID_NOT_FOUND from v9,
 * ILLEGAL_GENERATION before. A group member's commit also extends its session.
 */
import {
  Apis,
  createOffsetCommitResponse,
  type OffsetCommitRequestOffsetCommitRequestPartition,
  type OffsetCommitResponse,
  ZERO_UUID,
} from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { validateOffsetCommit } from '../state/groups/commit-validation.js'
import { ErrorCode } from '../state/groups/error-codes.js'
import { groupsOf } from '../state/groups/group-coordinator.js'
import { coordinatorError } from './group-request.js'

export const offsetCommitHandler = defineHandler({
  api: 'OffsetCommit',
  minVersion: Apis.OffsetCommit.minVersion,
  maxVersion: Apis.OffsetCommit.maxVersion,
  handle(request, context): OffsetCommitResponse {
    const { cluster } = context
    const coordinator = groupsOf(cluster)
    const results = new Map<string, { partitionIndex: number; errorCode: number }[]>()
    const answer = (topic: string, partitionIndex: number, errorCode: number) => {
      const partitions = results.get(topic) ?? []
      results.set(topic, partitions)
      partitions.push({ partitionIndex, errorCode })
    }
    const known: { topic: string; partition: OffsetCommitRequestOffsetCommitRequestPartition }[] = []
    for (const topic of request.topics) {
      const state = cluster.topics.get(topic.name)
      for (const partition of topic.partitions) {
        if (state?.partitions[partition.partitionIndex]) known.push({ topic: topic.name, partition })
        else answer(topic.name, partition.partitionIndex, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
      }
    }
    // As in Kafka, a commit naming only unknown partitions never reaches the coordinator.
    const groupError =
      known.length === 0
        ? ErrorCode.NONE
        : coordinatorError(context, request.groupId) ||
          validateOffsetCommit(coordinator, {
            groupId: request.groupId,
            generationId: request.generationIdOrMemberEpoch,
            memberId: request.memberId,
            groupInstanceId: request.groupInstanceId,
            transactional: false,
            version: context.version,
          })
    const maxMetadata = coordinator.config.offsetMetadataMaxBytes
    const now = Date.now()
    for (const { topic, partition } of known) {
      const metadata = partition.committedMetadata ?? ''
      if (groupError) {
        answer(topic, partition.partitionIndex, groupError)
      } else if (metadata.length > maxMetadata) {
        answer(topic, partition.partitionIndex, ErrorCode.OFFSET_METADATA_TOO_LARGE)
      } else {
        coordinator.offsets.commit(request.groupId, topic, partition.partitionIndex, {
          offset: partition.committedOffset,
          leaderEpoch: partition.committedLeaderEpoch,
          metadata,
          commitTimestampMs: now,
        })
        answer(topic, partition.partitionIndex, ErrorCode.NONE)
      }
    }
    return createOffsetCommitResponse({
      topics: [...results].map(([name, partitions]) => ({ name, topicId: ZERO_UUID, partitions })),
    })
  },
})
