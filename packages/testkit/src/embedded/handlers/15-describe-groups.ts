/**
 * DescribeGroups (key 15), versions 0-6. Each group's state, protocol type,
 * selected protocol and members (client id, host, group instance id from v4,
 * and assignment; member metadata only once the group is Stable, as Kafka
 * reports it). A group this broker does not coordinate gets NOT_COORDINATOR;
 * an unknown group is reported Dead, from v6 with GROUP_ID_NOT_FOUND (KIP-1043).
 * A KIP-848 consumer group is not a classic group: Dead as well, from v6 with
 * GROUP_ID_NOT_FOUND "Group <id> is not a classic group.", as Kafka answers.
 * Authorized operations (v3+, when asked for) are those the ACLs allow on
 * each group answered without error, all of them with ACLs off.
 */
import {
  Apis,
  createDescribeGroupsResponse,
  createDescribeGroupsResponseDescribedGroup,
  type DescribeGroupsResponseDescribedGroup,
} from '@kafkit/protocol'
import { defineHandler, type RequestContext } from '../handler.js'
import { groupAuthorizedOperations } from '../security/authorized-operations.js'
import { ErrorCode } from '../state/groups/error-codes.js'
import { groupsOf } from '../state/groups/group-coordinator.js'
import { EMPTY_ASSIGNMENT } from '../state/groups/group-member.js'
import { coordinatorError } from './group-request.js'

function describe(context: RequestContext, groupId: string): DescribeGroupsResponseDescribedGroup {
  const notCoordinator = coordinatorError(context, groupId)
  if (notCoordinator) return createDescribeGroupsResponseDescribedGroup({ groupId, errorCode: notCoordinator })
  const coordinator = groupsOf(context.cluster)
  const group = coordinator.group(groupId)
  if (!group) {
    const notFound = context.version >= 6
    const consumerGroup = coordinator.consumerGroups.has(groupId)
    return createDescribeGroupsResponseDescribedGroup({
      groupId,
      groupState: 'Dead',
      errorCode: notFound ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.NONE,
      errorMessage: notFound
        ? consumerGroup
          ? `Group ${groupId} is not a classic group.`
          : `Group ${groupId} not found.`
        : null,
    })
  }
  const stable = group.is('Stable')
  return createDescribeGroupsResponseDescribedGroup({
    groupId,
    groupState: group.state,
    protocolType: group.protocolType ?? '',
    protocolData: stable ? (group.protocolName ?? '') : '',
    members: [...group.members.values()].map((member) => ({
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId,
      clientId: member.clientId,
      clientHost: member.clientHost,
      memberMetadata: stable ? member.metadataFor(group.protocolName ?? '') : EMPTY_ASSIGNMENT,
      memberAssignment: member.assignment,
    })),
  })
}

export const describeGroupsHandler = defineHandler({
  api: 'DescribeGroups',
  minVersion: Apis.DescribeGroups.minVersion,
  maxVersion: Apis.DescribeGroups.maxVersion,
  handle(request, context) {
    const withOperations = context.version >= 3 && request.includeAuthorizedOperations
    const groups = request.groups.map((groupId) => {
      const group = describe(context, groupId)
      if (!withOperations || group.errorCode !== ErrorCode.NONE) return group
      return { ...group, authorizedOperations: groupAuthorizedOperations(context, groupId) }
    })
    return createDescribeGroupsResponse({ groups })
  },
})
