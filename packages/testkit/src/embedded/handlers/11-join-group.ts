/**
 * JoinGroup (key 11), versions 0-9, classic groups. Checks the coordinator,
 * group id and session timeout range, then joins (see state/groups/join-group.ts):
 * a new dynamic member gets MEMBER_ID_REQUIRED with its id from v4, a static
 * member (v5+) replaces its instance's previous member, and the request waits
 * until the rebalance completes: every member rejoined, or the longest
 * rebalance timeout passed (v0 has none: its session timeout serves). The
 * leader's answer lists the members with their metadata for the selected
 * protocol: the most preferred one all members support. The wait ends early
 * when the connection closes. An empty KIP-848 group becomes a classic group;
 * a live one answers INCONSISTENT_GROUP_PROTOCOL.
 */
import { Apis, type JoinGroupResponse } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { ErrorCode } from '../state/groups/error-codes.js'
import { groupsOf } from '../state/groups/group-coordinator.js'
import { memberProtocols } from '../state/groups/group-member.js'
import { joinError } from '../state/groups/group-responses.js'
import { joinGroup } from '../state/groups/join-group.js'
import { CLIENT_HOST, coordinatorError, untilAnswered } from './group-request.js'

/** Below v7 the protocol name may not be null: Kafka sends '' instead. */
function forVersion(response: JoinGroupResponse, version: number): JoinGroupResponse {
  if (version >= 7 || response.protocolName !== null) return response
  return { ...response, protocolName: '' }
}

export const joinGroupHandler = defineHandler({
  api: 'JoinGroup',
  minVersion: Apis.JoinGroup.minVersion,
  maxVersion: Apis.JoinGroup.maxVersion,
  async handle(request, context) {
    const { version } = context
    const coordinator = groupsOf(context.cluster)
    const config = coordinator.config
    // In Kafka's order: the group coordinator service validates before its runtime finds the group's owner.
    const rejected =
      (request.groupId === '' ? ErrorCode.INVALID_GROUP_ID : ErrorCode.NONE) ||
      (request.sessionTimeoutMs < config.minSessionTimeoutMs || request.sessionTimeoutMs > config.maxSessionTimeoutMs
        ? ErrorCode.INVALID_SESSION_TIMEOUT
        : ErrorCode.NONE) ||
      coordinatorError(context, request.groupId)
    if (rejected) return forVersion(joinError(request.memberId, rejected), version)
    const consumerGroup = coordinator.consumerGroups.get(request.groupId)
    if (consumerGroup) {
      // Kafka lets classic members join a live consumer group (KIP-848 migration); the embedded broker does not (SKIPPED.md).
      if (consumerGroup.members.size > 0) {
        return forVersion(joinError(request.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL), version)
      }
      // An empty consumer group becomes a classic group, keeping its offsets, as Kafka converts it.
      coordinator.consumerGroups.delete(request.groupId)
    }
    const answer = await untilAnswered<JoinGroupResponse>(context.signal, (respond) =>
      joinGroup(
        coordinator,
        {
          groupId: request.groupId,
          memberId: request.memberId,
          groupInstanceId: request.groupInstanceId,
          protocolType: request.protocolType,
          protocols: memberProtocols(request.protocols),
          sessionTimeoutMs: request.sessionTimeoutMs,
          rebalanceTimeoutMs: version === 0 ? request.sessionTimeoutMs : request.rebalanceTimeoutMs,
          clientId: context.header.clientId ?? '',
          clientHost: CLIENT_HOST,
          version,
        },
        respond,
      ),
    )
    return answer === null ? null : forVersion(answer, version)
  },
})
