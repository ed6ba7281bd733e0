import {
  createJoinGroupResponse,
  createSyncGroupResponse,
  type JoinGroupResponse,
  type SyncGroupResponse,
} from '@kafkit/protocol'
import type { ClassicGroup } from './classic-group.js'
import { EMPTY_ASSIGNMENT } from './group-member.js'

/** A JoinGroup answer carrying only an error (protocol name and type null, as Kafka leaves them). */
export function joinError(memberId: string, errorCode: number): JoinGroupResponse {
  return createJoinGroupResponse({ errorCode, memberId, protocolName: null, protocolType: null })
}

/** A successful JoinGroup answer: the current generation, with the members' metadata when `members` is set (the leader's). */
export function joinAnswer(
  group: ClassicGroup,
  memberId: string,
  options: { withMembers: boolean; leader?: string | null; skipAssignment?: boolean },
): JoinGroupResponse {
  return createJoinGroupResponse({
    errorCode: 0,
    memberId,
    generationId: group.generationId,
    protocolType: group.protocolType,
    protocolName: group.protocolName,
    leader: (options.leader === undefined ? group.leaderId : options.leader) ?? '',
    skipAssignment: options.skipAssignment ?? false,
    members: options.withMembers ? group.joinedMembers() : [],
  })
}

export function syncError(errorCode: number): SyncGroupResponse {
  return createSyncGroupResponse({ errorCode, assignment: EMPTY_ASSIGNMENT })
}

export function syncAnswer(group: ClassicGroup, assignment: Buffer): SyncGroupResponse {
  return createSyncGroupResponse({
    errorCode: 0,
    protocolType: group.protocolType,
    protocolName: group.protocolName,
    assignment,
  })
}
