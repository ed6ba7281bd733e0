import {
  type ConsumerGroupDescribeResponseAssignment,
  type ConsumerGroupDescribeResponseDescribedGroup,
  type DescribeGroupsResponseDescribedGroup,
  GroupIdNotFoundError,
  UnsupportedVersionError,
} from '@kafkit/protocol'
import { AdminPartialFailureError, unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import { optionalBoolean, requireName, requireNonEmptyArray, requireOptions } from '../arguments.js'
import { type AclOperationName, authorizedOperations } from '../authorized-operations.js'
import { distinct, perEntry } from '../per-entry.js'
import {
  type MemberAssignment,
  type MemberSubscription,
  readAssignment,
  readSubscription,
} from './consumer-protocol-bytes.js'
import { entryError, retriableCode } from './group-errors.js'
import type { TopicPartitionList } from './topic-partitions.js'

const GROUP_ID_NOT_FOUND = 69
const CONSUMER_PROTOCOL_TYPE = 'consumer'

export interface DescribeGroupsOptions {
  /** Ask for the operations the caller may perform on each group. Default false. */
  includeAuthorizedOperations?: boolean
}

/** One member of a group. Fields that only one protocol has are null for the other. */
export interface GroupMemberDescription {
  memberId: string
  /** The static membership id (group.instance.id), or null. */
  groupInstanceId: string | null
  clientId: string
  clientHost: string
  /** classic: the protocol metadata the member joined with (empty for consumer groups). kafkajs's memberMetadata. */
  memberMetadata: Buffer
  /** classic: the assignment bytes the leader gave the member (empty for consumer groups). kafkajs's memberAssignment. */
  memberAssignment: Buffer
  /** The partitions the member owns now: decoded from memberAssignment (classic) or the broker's current assignment (consumer). */
  assignment: TopicPartitionList[]
  /** classic "consumer" protocol: the assignment's user data (null otherwise). */
  assignmentUserData: Buffer | null
  /** classic "consumer" protocol: the decoded subscription (null for other protocols and consumer groups). */
  subscription: MemberSubscription | null
  /** consumer groups: the subscribed topic names (classic: the subscription's topics, [] when unknown). */
  subscribedTopicNames: string[]
  /** consumer groups: the subscribed regex, null when none. */
  subscribedTopicRegex: string | null
  /** consumer groups: the member epoch. */
  memberEpoch: number | null
  /** consumer groups: the partitions the coordinator means the member to own once it has reconciled. */
  targetAssignment: TopicPartitionList[] | null
  /** consumer groups: the member's rack (classic: from a v3 subscription), or null. */
  rackId: string | null
  /** consumer groups: "consumer", or "classic" for a classic member inside a consumer group; null for classic groups. */
  memberType: 'classic' | 'consumer' | null
}

/** A group as its coordinator describes it (Java's ConsumerGroupDescription, kafkajs's GroupDescription). */
export interface GroupDescription {
  groupId: string
  /** classic (DescribeGroups) or consumer (KIP-848, ConsumerGroupDescribe). */
  type: 'classic' | 'consumer'
  /** classic: Empty, PreparingRebalance, CompletingRebalance, Stable; consumer: Empty, Assigning, Reconciling, Stable. */
  state: string
  /** "consumer" for consumer groups of both protocols, "connect", "" for a group that only stores offsets. */
  protocolType: string
  /** The partition assignor in use: the classic protocol selected ("range", "cooperative-sticky"...) or the server assignor ("uniform"). */
  protocol: string
  /** The coordinator's node id. */
  coordinatorId: number
  /** consumer groups: the group epoch (null for classic groups). */
  groupEpoch: number | null
  /** consumer groups: the epoch of the target assignment (null for classic groups). */
  assignmentEpoch: number | null
  /** Operations the caller may perform (READ, DESCRIBE, DELETE...), when asked for and known; otherwise null. */
  authorizedOperations: AclOperationName[] | null
  members: GroupMemberDescription[]
}

export interface DescribeGroupsResult {
  groups: GroupDescription[]
}

/**
 * Describes groups at their coordinators, as Java's describeConsumerGroups:
 * ConsumerGroupDescribe first (consumer-protocol groups, KIP-848), and for a
 * group it does not know (GROUP_ID_NOT_FOUND, "not a consumer group") or a
 * broker without that API, DescribeGroups (classic groups). A group neither
 * knows fails with GroupIdNotFoundError.
 */
export async function describeGroups(
  router: AdminRouter,
  groupIds: readonly string[],
  options: DescribeGroupsOptions = {},
): Promise<DescribeGroupsResult> {
  const ids = distinct(requireNonEmptyArray(groupIds, 'describeGroups groupIds', "['orders-service']"))
  for (const id of ids) requireName(id, 'describeGroups group id')
  requireOptions(options, 'describeGroups options', ['includeAuthorizedOperations'])
  const includeAuthorizedOperations =
    optionalBoolean(options.includeAuthorizedOperations, 'includeAuthorizedOperations') ?? false
  const { succeeded, failures } = await perEntry(
    ids,
    (id) => id,
    async (groupId) => {
      const described = await describeConsumerGroup(router, groupId, includeAuthorizedOperations)
      return described ?? describeClassicGroup(router, groupId, includeAuthorizedOperations)
    },
  )
  return unlessFailures('describeGroups', failures, { groups: [...succeeded.values()] })
}

/** One group's description, or undefined when no coordinator knows the group. */
export async function describeGroupIfExists(
  router: AdminRouter,
  groupId: string,
): Promise<GroupDescription | undefined> {
  try {
    return (await describeGroups(router, [groupId])).groups[0]
  } catch (error) {
    const only = error instanceof AdminPartialFailureError ? error.failures[0]?.error : undefined
    if (only instanceof GroupIdNotFoundError) return undefined
    throw error
  }
}

/** A consumer-protocol group, or undefined when the coordinator has no such group (or no such API). */
async function describeConsumerGroup(
  router: AdminRouter,
  groupId: string,
  includeAuthorizedOperations: boolean,
): Promise<GroupDescription | undefined> {
  let coordinatorId = -1
  let group: ConsumerGroupDescribeResponseDescribedGroup | undefined
  try {
    const response = await router.toCoordinator(
      'group',
      groupId,
      'ConsumerGroupDescribe',
      { groupIds: [groupId], includeAuthorizedOperations },
      (r) => retriableCode(r.groups[0]?.errorCode ?? 0),
    )
    group = response.groups.find((g) => g.groupId === groupId) ?? response.groups[0]
    coordinatorId = await router.client.cluster.findCoordinator('group', groupId)
  } catch (error) {
    if (error instanceof UnsupportedVersionError) return undefined
    throw error
  }
  if (!group || group.errorCode === GROUP_ID_NOT_FOUND) return undefined
  const error = entryError(group.errorCode, 'ConsumerGroupDescribe', groupId, group.errorMessage)
  if (error) throw error
  return {
    groupId,
    type: 'consumer',
    state: group.groupState,
    protocolType: CONSUMER_PROTOCOL_TYPE,
    protocol: group.assignorName,
    coordinatorId,
    groupEpoch: group.groupEpoch,
    assignmentEpoch: group.assignmentEpoch,
    authorizedOperations: operationsIf(includeAuthorizedOperations, group.authorizedOperations),
    members: group.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.instanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: Buffer.alloc(0),
      memberAssignment: Buffer.alloc(0),
      assignment: partitionsOf(m.assignment),
      assignmentUserData: null,
      subscription: null,
      subscribedTopicNames: m.subscribedTopicNames,
      subscribedTopicRegex: m.subscribedTopicRegex === '' ? null : m.subscribedTopicRegex,
      memberEpoch: m.memberEpoch,
      targetAssignment: partitionsOf(m.targetAssignment),
      rackId: m.rackId,
      memberType: m.memberType === 0 ? 'classic' : 'consumer',
    })),
  }
}

async function describeClassicGroup(
  router: AdminRouter,
  groupId: string,
  includeAuthorizedOperations: boolean,
): Promise<GroupDescription> {
  const response = await router.toCoordinator(
    'group',
    groupId,
    'DescribeGroups',
    { groups: [groupId], includeAuthorizedOperations },
    (r) => retriableCode(r.groups[0]?.errorCode ?? 0),
  )
  const coordinatorId = await router.client.cluster.findCoordinator('group', groupId)
  const group: DescribeGroupsResponseDescribedGroup | undefined =
    response.groups.find((g) => g.groupId === groupId) ?? response.groups[0]
  if (!group)
    throw new GroupIdNotFoundError({ api: 'DescribeGroups', entity: groupId, detail: 'no answer for the group' })
  const error = entryError(group.errorCode, 'DescribeGroups', groupId, group.errorMessage)
  if (error) throw error
  // Before DescribeGroups v6 (Kafka 4.0) an unknown group came back Dead without an error.
  if (group.groupState === 'Dead' && group.members.length === 0 && group.protocolType === '') {
    throw new GroupIdNotFoundError({
      api: 'DescribeGroups',
      entity: groupId,
      detail: `group ${groupId} does not exist`,
    })
  }
  const consumerProtocol = group.protocolType === CONSUMER_PROTOCOL_TYPE
  return {
    groupId,
    type: 'classic',
    state: group.groupState,
    protocolType: group.protocolType,
    protocol: group.protocolData,
    coordinatorId,
    groupEpoch: null,
    assignmentEpoch: null,
    authorizedOperations: operationsIf(includeAuthorizedOperations, group.authorizedOperations),
    members: group.members.map((m) => {
      const subscription = consumerProtocol ? readSubscription(m.memberMetadata) : null
      const assignment: MemberAssignment | null = consumerProtocol ? readAssignment(m.memberAssignment) : null
      return {
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: m.memberMetadata,
        memberAssignment: m.memberAssignment,
        assignment: assignment?.topicPartitions ?? [],
        assignmentUserData: assignment?.userData ?? null,
        subscription,
        subscribedTopicNames: subscription?.topics ?? [],
        subscribedTopicRegex: null,
        memberEpoch: null,
        targetAssignment: null,
        rackId: subscription?.rackId ?? null,
        memberType: null,
      }
    }),
  }
}

function partitionsOf(assignment: ConsumerGroupDescribeResponseAssignment): TopicPartitionList[] {
  return assignment.topicPartitions.map((t) => ({
    topic: t.topicName,
    partitions: [...t.partitions].sort((a, b) => a - b),
  }))
}

function operationsIf(requested: boolean, bits: number): AclOperationName[] | null {
  return requested ? (authorizedOperations(bits) ?? null) : null
}
