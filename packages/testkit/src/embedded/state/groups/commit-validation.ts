import { validateConsumerGroupCommit } from './consumer-group-offsets.js'
import { ErrorCode } from './error-codes.js'
import type { GroupCoordinatorState } from './group-coordinator.js'
import { rescheduleHeartbeat } from './rebalance.js'

export interface CommitIdentity {
  groupId: string
  /** The group generation, or -1 for a commit from outside group management. */
  generationId: number
  memberId: string
  groupInstanceId: string | null
  /** TxnOffsetCommit: not held back by a rebalance, and an unknown group is ILLEGAL_GENERATION at any version. */
  transactional: boolean
  /** The OffsetCommit version: from v9 an unknown group with a generation is GROUP_ID_NOT_FOUND. */
  version: number
}

/**
 * Whether the group accepts a commit from this committer, as Kafka's
 * OffsetMetadataManager decides: generation -1 without member id comes from the
 * admin client or a consumer that assigns itself partitions, accepted only while
 * the group is empty (and creating a "simple" group when there is none); group
 * members must name their member and current generation. A member's commit
 * keeps its session alive. Returns the error for every partition, or NONE.
 */
export function validateOffsetCommit(coordinator: GroupCoordinatorState, commit: CommitIdentity): number {
  const { generationId } = commit
  const consumerGroup = coordinator.consumerGroups.get(commit.groupId)
  if (consumerGroup) {
    return validateConsumerGroupCommit(
      consumerGroup,
      commit.memberId,
      generationId,
      commit.transactional,
      commit.version,
    )
  }
  let group = coordinator.group(commit.groupId)
  if (!group) {
    if (generationId >= 0) {
      return !commit.transactional && commit.version >= 9 ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.ILLEGAL_GENERATION
    }
    group = coordinator.getOrCreate(commit.groupId)
  }
  if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE
  if (generationId < 0 && group.is('Empty')) return ErrorCode.NONE
  if (generationId >= 0 || commit.memberId !== '' || commit.groupInstanceId !== null) {
    const invalid = group.validateMember(commit.memberId, commit.groupInstanceId)
    if (invalid) return invalid
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION
  } else if (!commit.transactional && !group.is('Empty')) {
    return ErrorCode.UNKNOWN_MEMBER_ID
  }
  // The member has its JoinGroup answer but not its assignment yet: it should not be committing.
  if (!commit.transactional && group.is('CompletingRebalance')) return ErrorCode.REBALANCE_IN_PROGRESS
  const member = group.member(commit.memberId)
  if (!commit.transactional && member && (group.is('Stable') || group.is('PreparingRebalance'))) {
    rescheduleHeartbeat(coordinator, group, member)
  }
  return ErrorCode.NONE
}
