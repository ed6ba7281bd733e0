import type { ConsumerGroup } from './consumer-group.js'
import { ErrorCode } from './error-codes.js'

/**
 * Whether a KIP-848 group accepts an offset commit, as Kafka's ConsumerGroup
 * decides: a commit without a member (epoch < 0) only while the group is
 * empty; otherwise the member must exist (UNKNOWN_MEMBER_ID), use OffsetCommit
 * v9+ unless transactional (UNSUPPORTED_VERSION), and name its current member
 * epoch (STALE_MEMBER_EPOCH: it must heartbeat first to learn its new epoch).
 */
export function validateConsumerGroupCommit(
  group: ConsumerGroup,
  memberId: string,
  memberEpoch: number,
  transactional: boolean,
  version: number,
): number {
  if (memberEpoch < 0 && group.members.size === 0) return ErrorCode.NONE
  const member = group.member(memberId)
  if (!member) return ErrorCode.UNKNOWN_MEMBER_ID
  if (!transactional && version < 9) return ErrorCode.UNSUPPORTED_VERSION
  return memberEpoch === member.memberEpoch ? ErrorCode.NONE : ErrorCode.STALE_MEMBER_EPOCH
}

/**
 * Whether a KIP-848 group answers an offset fetch (OffsetFetch v9 names the
 * member): without member id and with epoch -1 (admin, older clients) always;
 * otherwise only for a known member at its current epoch.
 */
export function validateConsumerGroupFetch(group: ConsumerGroup, memberId: string | null, memberEpoch: number): number {
  if (memberId === null && memberEpoch < 0) return ErrorCode.NONE
  const member = memberId === null ? undefined : group.member(memberId)
  if (!member) return ErrorCode.UNKNOWN_MEMBER_ID
  return memberEpoch === member.memberEpoch ? ErrorCode.NONE : ErrorCode.STALE_MEMBER_EPOCH
}
