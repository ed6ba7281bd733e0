/**
 * ConsumerGroupDescribe (key 69), versions 0-1. Each KIP-848 group's state
 * (Empty, Assigning, Reconciling, Stable), group and assignment epochs, the
 * assignor in use, and its members with their subscriptions, current and
 * target assignments (topic ids and names) and, from v1, member type
 * (1: consumer protocol). A group this broker does not coordinate gets
 * NOT_COORDINATOR; an unknown group or a classic one GROUP_ID_NOT_FOUND with
 * Kafka's message. Authorized operations, when asked for, are those the ACLs
 * allow on each group answered without error, all of them with ACLs off.
 */
import {
  Apis,
  type ConsumerGroupDescribeResponseAssignment,
  type ConsumerGroupDescribeResponseDescribedGroup,
  createConsumerGroupDescribeResponse,
  createConsumerGroupDescribeResponseDescribedGroup,
} from '@kafkit/protocol'
import { defineHandler, type RequestContext } from '../handler.js'
import { groupAuthorizedOperations } from '../security/authorized-operations.js'
import type { ClusterState } from '../state/cluster-state.js'
import { consumerGroupConfig } from '../state/groups/consumer-group-config.js'
import type { TopicIdPartitions } from '../state/groups/consumer-group-member.js'
import { ErrorCode } from '../state/groups/error-codes.js'
import { groupsOf } from '../state/groups/group-coordinator.js'
import { coordinatorError } from './group-request.js'

/** Kafka's MemberType of a member that speaks the consumer protocol. */
const CONSUMER_MEMBER_TYPE = 1

function assignment(cluster: ClusterState, partitions: TopicIdPartitions): ConsumerGroupDescribeResponseAssignment {
  return {
    topicPartitions: [...partitions]
      .filter(([, set]) => set.size > 0)
      .map(([topicId, set]) => ({
        topicId,
        topicName: cluster.topicsById.get(topicId)?.name ?? '',
        partitions: [...set].sort((a, b) => a - b),
      })),
  }
}

function describe(context: RequestContext, groupId: string): ConsumerGroupDescribeResponseDescribedGroup {
  const notCoordinator = coordinatorError(context, groupId)
  if (notCoordinator) return createConsumerGroupDescribeResponseDescribedGroup({ groupId, errorCode: notCoordinator })
  const coordinator = groupsOf(context.cluster)
  const group = coordinator.consumerGroups.get(groupId)
  if (!group) {
    return createConsumerGroupDescribeResponseDescribedGroup({
      groupId,
      errorCode: ErrorCode.GROUP_ID_NOT_FOUND,
      errorMessage: coordinator.group(groupId)
        ? `Group ${groupId} is not a consumer group.`
        : `Group ${groupId} not found.`,
    })
  }
  return createConsumerGroupDescribeResponseDescribedGroup({
    groupId,
    groupState: group.state,
    groupEpoch: group.groupEpoch,
    assignmentEpoch: group.assignmentEpoch,
    assignorName: group.preferredServerAssignor(consumerGroupConfig(context.cluster).assignors[0]),
    members: [...group.members.values()].map((member) => ({
      memberId: member.memberId,
      instanceId: member.instanceId,
      rackId: member.rackId,
      memberEpoch: member.memberEpoch,
      clientId: member.clientId,
      clientHost: member.clientHost,
      subscribedTopicNames: [...member.subscribedTopicNames],
      // Kafka describes a member without a regex with an empty one.
      subscribedTopicRegex: member.subscribedTopicRegex ?? '',
      assignment: assignment(context.cluster, member.assignedPartitions),
      targetAssignment: assignment(context.cluster, group.targetAssignment.get(member.memberId) ?? new Map()),
      memberType: CONSUMER_MEMBER_TYPE,
    })),
  })
}

export const consumerGroupDescribeHandler = defineHandler({
  api: 'ConsumerGroupDescribe',
  minVersion: Apis.ConsumerGroupDescribe.minVersion,
  maxVersion: Apis.ConsumerGroupDescribe.maxVersion,
  handle(request, context) {
    return createConsumerGroupDescribeResponse({
      groups: request.groupIds.map((groupId) => {
        const group = describe(context, groupId)
        if (!request.includeAuthorizedOperations || group.errorCode !== ErrorCode.NONE) return group
        return { ...group, authorizedOperations: groupAuthorizedOperations(context, groupId) }
      }),
    })
  },
})
