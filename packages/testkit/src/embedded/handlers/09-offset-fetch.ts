/**
 * OffsetFetch (key 9), versions 1-9. The committed offset, leader epoch and
 * metadata of the asked partitions (-1 for none), or of every partition the
 * group committed when topics is null (v2+). v8+ ask for several groups at once
 * with an error per group; before, one group with a top-level error (v2+, on
 * each partition in v1). A group this broker does not coordinate gets
 * NOT_COORDINATOR; an unknown group has no offsets. With requireStable (v7+),
 * a partition with a TxnOffsetCommit offset waiting for its transaction gets
 * UNSTABLE_OFFSET_COMMIT (the consumer retries until the transaction ends).
 * A KIP-848 group checks the v9 member id and epoch (UNKNOWN_MEMBER_ID,
 * STALE_MEMBER_EPOCH).
 */
import {
  Apis,
  createOffsetFetchResponse,
  type OffsetFetchResponse,
  type OffsetFetchResponseOffsetFetchResponseGroup,
  type OffsetFetchResponseOffsetFetchResponsePartitions,
  ZERO_UUID,
} from '@kafkit/protocol'
import { defineHandler, type RequestContext } from '../handler.js'
import { validateConsumerGroupFetch } from '../state/groups/consumer-group-offsets.js'
import { ErrorCode } from '../state/groups/error-codes.js'
import { groupsOf } from '../state/groups/group-coordinator.js'
import type { CommittedOffset } from '../state/groups/offset-store.js'
import { hasPendingOffset } from '../state/transactions/transaction-coordinator.js'
import { transactionsOf } from '../state/transactions/transaction-state.js'
import { coordinatorError } from './group-request.js'

interface GroupFetch {
  groupId: string
  /** v9: the member asking, validated by KIP-848 groups. */
  memberId?: string | null
  memberEpoch?: number
  /** Null for every committed partition. */
  topics: { name: string; partitionIndexes: number[] }[] | null
}

const UNSTABLE_OFFSET_COMMIT = 88

function partitionAnswer(
  partitionIndex: number,
  committed: CommittedOffset | undefined,
): OffsetFetchResponseOffsetFetchResponsePartitions {
  return {
    partitionIndex,
    committedOffset: committed?.offset ?? -1n,
    committedLeaderEpoch: committed?.leaderEpoch ?? -1,
    metadata: committed?.metadata ?? '',
    errorCode: ErrorCode.NONE,
  }
}

function fetchGroup(
  context: RequestContext,
  fetch: GroupFetch,
  requireStable: boolean,
): OffsetFetchResponseOffsetFetchResponseGroup {
  const { groupId } = fetch
  const notCoordinator = coordinatorError(context, groupId)
  if (notCoordinator) return { groupId, topics: [], errorCode: notCoordinator }
  const coordinator = groupsOf(context.cluster)
  const group = coordinator.group(groupId)
  const consumerGroup = coordinator.consumerGroups.get(groupId)
  if (consumerGroup) {
    const invalid = validateConsumerGroupFetch(consumerGroup, fetch.memberId ?? null, fetch.memberEpoch ?? -1)
    if (invalid) return { groupId, topics: [], errorCode: invalid }
  }
  const exists = consumerGroup !== undefined || (group !== undefined && !group.is('Dead'))
  if (fetch.topics === null) {
    const all = exists ? coordinator.offsets.all(groupId) : new Map<string, ReadonlyMap<number, CommittedOffset>>()
    const topics = [...all].map(([name, partitions]) => ({
      name,
      topicId: ZERO_UUID,
      partitions: [...partitions].map(([index, committed]) => partitionAnswer(index, committed)),
    }))
    return { groupId, topics, errorCode: ErrorCode.NONE }
  }
  const topics = fetch.topics.map((topic) => ({
    name: topic.name,
    topicId: ZERO_UUID,
    partitions: topic.partitionIndexes.map((index) => {
      if (requireStable && hasPendingOffset(transactionsOf(context.cluster), groupId, topic.name, index))
        return { ...partitionAnswer(index, undefined), errorCode: UNSTABLE_OFFSET_COMMIT }
      return partitionAnswer(index, exists ? coordinator.offsets.get(groupId, topic.name, index) : undefined)
    }),
  }))
  return { groupId, topics, errorCode: ErrorCode.NONE }
}

export const offsetFetchHandler = defineHandler({
  api: 'OffsetFetch',
  minVersion: Apis.OffsetFetch.minVersion,
  maxVersion: Apis.OffsetFetch.maxVersion,
  handle(request, context): OffsetFetchResponse {
    const { version } = context
    if (version >= 8)
      return createOffsetFetchResponse({
        groups: request.groups.map((g) => fetchGroup(context, g, request.requireStable)),
      })
    const result = fetchGroup(
      context,
      { groupId: request.groupId, topics: request.topics },
      version >= 7 && request.requireStable,
    )
    if (result.errorCode !== ErrorCode.NONE && version < 2) {
      // v1 has no top-level error code: the error goes on every asked partition.
      const topics = (request.topics ?? []).map((topic) => ({
        name: topic.name,
        partitions: topic.partitionIndexes.map((index) => ({
          ...partitionAnswer(index, undefined),
          errorCode: result.errorCode,
        })),
      }))
      return createOffsetFetchResponse({ topics })
    }
    const topics = result.topics.map(({ name, partitions }) => ({ name, partitions }))
    return createOffsetFetchResponse({ errorCode: result.errorCode, topics })
  },
})
