import type { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse } from '@kafkit/protocol'
import { ConsumerGroup, sameMetadata } from './consumer-group.js'
import { consumerGroupConfig } from './consumer-group-config.js'
import {
  type ConsumerGroupMember,
  LEAVE_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
  newConsumerGroupMember,
  samePartitions,
  type TopicIdPartitions,
} from './consumer-group-member.js'
import { reconcile } from './current-assignment.js'
import { ErrorCode } from './error-codes.js'
import type { GroupCoordinatorState } from './group-coordinator.js'
import { SERVER_ASSIGNORS } from './server-assignors.js'
import { matchesSubscriptionRegex } from './subscription-regex.js'

/** Answered with an error code and Kafka's message instead of a heartbeat response. */
export class ConsumerGroupError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message)
  }
}

export interface HeartbeatOrigin {
  clientId: string
  clientHost: string
  version: number
}

export const sessionKey = (groupId: string, memberId: string) => `consumer-session/${groupId}/${memberId}`
export const rebalanceKey = (groupId: string, memberId: string) => `consumer-rebalance/${groupId}/${memberId}`

/**
 * The consumer group (KIP-848) heartbeat, as Kafka's GroupMetadataManager
 * handles it: join (epoch 0), heartbeat, leave (-1, static -2), with the
 * group epoch bumped on membership, subscription and topic changes, a new
 * target assignment computed when the group epoch passes the assignment
 * epoch, and the member reconciled toward it (revocation before
 * reassignment). Throws ConsumerGroupError for what Kafka answers with an
 * error.
 */
export function consumerGroupHeartbeat(
  coordinator: GroupCoordinatorState,
  request: ConsumerGroupHeartbeatRequest,
  origin: HeartbeatOrigin,
): ConsumerGroupHeartbeatResponse {
  if (request.memberEpoch === LEAVE_GROUP_MEMBER_EPOCH || request.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
    return leave(coordinator, request)
  }
  const config = consumerGroupConfig(coordinator.cluster)
  const group = groupFor(coordinator, request.groupId, request.memberEpoch === 0)
  const memberId = request.memberId === '' ? crypto.randomUUID() : request.memberId
  const existing = memberFor(group, request, memberId)
  const isNew = existing === undefined
  if (isNew && group.members.size >= config.maxSize) {
    throw new ConsumerGroupError(
      ErrorCode.GROUP_MAX_SIZE_REACHED,
      `The consumer group has reached its maximum capacity of ${config.maxSize} members.`,
    )
  }
  const member = existing ?? newConsumerGroupMember(memberId)
  const updated: ConsumerGroupMember = {
    ...member,
    instanceId: request.instanceId ?? member.instanceId,
    rackId: request.rackId ?? member.rackId,
    rebalanceTimeoutMs: request.rebalanceTimeoutMs === -1 ? member.rebalanceTimeoutMs : request.rebalanceTimeoutMs,
    serverAssignor: request.serverAssignor ?? member.serverAssignor,
    subscribedTopicNames: request.subscribedTopicNames ?? member.subscribedTopicNames,
    subscribedTopicRegex:
      request.subscribedTopicRegex === null
        ? member.subscribedTopicRegex
        : request.subscribedTopicRegex === ''
          ? null
          : request.subscribedTopicRegex,
    clientId: origin.clientId,
    clientHost: origin.clientHost,
  }
  let bump =
    group.groupEpoch === 0 ||
    isNew ||
    updated.subscribedTopicRegex !== member.subscribedTopicRegex ||
    !sameNames(updated.subscribedTopicNames, member.subscribedTopicNames)
  group.putMember(updated)
  // Kafka refreshes the subscribed topics' metadata on a timer and on metadata changes; here on every heartbeat.
  const metadata = group.computeSubscriptionMetadata(coordinator.cluster)
  if (!sameMetadata(metadata, group.subscriptionMetadata)) {
    group.subscriptionMetadata = metadata
    bump = true
  }
  if (bump) group.groupEpoch += 1
  if (group.groupEpoch > group.assignmentEpoch) updateTargetAssignment(coordinator, group, config.assignors[0])

  const owned = request.topicPartitions === null ? null : toPartitions(request.topicPartitions)
  const target = group.targetAssignment.get(memberId) ?? new Map()
  const current = group.member(memberId) as ConsumerGroupMember
  const reconciled = reconcile(current, group.assignmentEpoch, target, owned, (topicId, partition) =>
    group.partitionEpoch(topicId, partition, memberId),
  )
  group.putMember(reconciled)
  maybeScheduleRebalanceTimeout(coordinator, group, current, reconciled)
  scheduleSessionTimeout(coordinator, group.groupId, memberId, config.sessionTimeoutMs)

  const fullRequest =
    request.memberEpoch === 0 ||
    (request.rebalanceTimeoutMs !== -1 &&
      (request.subscribedTopicNames !== null || request.subscribedTopicRegex !== null) &&
      request.topicPartitions !== null)
  const changed = !samePartitions(member.assignedPartitions, reconciled.assignedPartitions)
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    memberId,
    memberEpoch: reconciled.memberEpoch,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    assignment:
      fullRequest || changed || isNew
        ? {
            topicPartitions: [...reconciled.assignedPartitions]
              .filter(([, set]) => set.size > 0)
              .map(([topicId, set]) => ({ topicId, partitions: [...set].sort((a, b) => a - b) })),
          }
        : null,
  }
}

/** The consumer group, created on a join; an empty classic group is converted, a live one refused. */
function groupFor(coordinator: GroupCoordinatorState, groupId: string, create: boolean): ConsumerGroup {
  const existing = coordinator.consumerGroups.get(groupId)
  if (existing) return existing
  const classic = coordinator.group(groupId)
  if (classic && !(classic.is('Empty') && create)) {
    throw new ConsumerGroupError(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${groupId} is not a consumer group.`)
  }
  if (!create) throw new ConsumerGroupError(ErrorCode.GROUP_ID_NOT_FOUND, `Consumer group ${groupId} not found.`)
  // An empty classic group (possibly a "simple" one holding only offsets) becomes a consumer group, keeping its offsets.
  if (classic) coordinator.groups.delete(groupId)
  const group = new ConsumerGroup(groupId)
  coordinator.consumerGroups.set(groupId, group)
  return group
}

function memberFor(
  group: ConsumerGroup,
  request: ConsumerGroupHeartbeatRequest,
  memberId: string,
): ConsumerGroupMember | undefined {
  const { instanceId, memberEpoch } = request
  if (instanceId !== null) {
    const previous = group.staticMember(instanceId)
    if (memberEpoch === 0) {
      if (!previous || previous.memberId === memberId) return previous
      if (previous.memberEpoch !== LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
        throw new ConsumerGroupError(
          ErrorCode.UNRELEASED_INSTANCE_ID,
          `Static member ${memberId} with instance id ${instanceId} cannot join the group because the instance id is owned by ${previous.memberId} member.`,
        )
      }
      return group.replaceStaticMember(previous, memberId)
    }
    if (!previous) throw new ConsumerGroupError(ErrorCode.UNKNOWN_MEMBER_ID, `Instance id ${instanceId} is unknown.`)
    if (previous.memberId !== memberId) {
      throw new ConsumerGroupError(
        ErrorCode.FENCED_INSTANCE_ID,
        `Static member ${memberId} with instance id ${instanceId} was fenced by member ${previous.memberId}.`,
      )
    }
    validateEpoch(previous, memberEpoch, request)
    return previous
  }
  const member = group.member(memberId)
  if (memberEpoch === 0) return member
  if (!member) {
    throw new ConsumerGroupError(
      ErrorCode.UNKNOWN_MEMBER_ID,
      `Member ${memberId} is not a member of group ${group.groupId}.`,
    )
  }
  validateEpoch(member, memberEpoch, request)
  return member
}

/** A member one epoch behind is accepted when it owns nothing outside its assignment: the answer that moved it on was lost. */
function validateEpoch(member: ConsumerGroupMember, received: number, request: ConsumerGroupHeartbeatRequest): void {
  const fenced = (relation: string) =>
    new ConsumerGroupError(
      ErrorCode.FENCED_MEMBER_EPOCH,
      `The consumer group member has a ${relation} member epoch (${received}) than the one known by the group coordinator (${member.memberEpoch}). The member must abandon all its partitions and rejoin.`,
    )
  if (received > member.memberEpoch) throw fenced('greater')
  if (received < member.memberEpoch) {
    const owned = request.topicPartitions === null ? null : toPartitions(request.topicPartitions)
    if (received !== member.previousMemberEpoch || owned === null || !isSubset(owned, member.assignedPartitions)) {
      throw fenced('smaller')
    }
  }
}

function isSubset(owned: TopicIdPartitions, assigned: TopicIdPartitions): boolean {
  for (const [topicId, set] of owned) {
    const mine = assigned.get(topicId)
    if ([...set].some((p) => !mine?.has(p))) return false
  }
  return true
}

function leave(
  coordinator: GroupCoordinatorState,
  request: ConsumerGroupHeartbeatRequest,
): ConsumerGroupHeartbeatResponse {
  const group = coordinator.consumerGroups.get(request.groupId)
  if (!group) {
    if (coordinator.group(request.groupId)) {
      throw new ConsumerGroupError(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${request.groupId} is not a consumer group.`)
    }
    throw new ConsumerGroupError(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${request.groupId} not found.`)
  }
  let member: ConsumerGroupMember | undefined
  if (request.instanceId !== null) {
    member = group.staticMember(request.instanceId)
    if (!member)
      throw new ConsumerGroupError(ErrorCode.UNKNOWN_MEMBER_ID, `Instance id ${request.instanceId} is unknown.`)
    if (member.memberId !== request.memberId) {
      throw new ConsumerGroupError(
        ErrorCode.FENCED_INSTANCE_ID,
        `Static member ${request.memberId} with instance id ${request.instanceId} was fenced by member ${member.memberId}.`,
      )
    }
  } else {
    member = group.member(request.memberId)
    if (!member) {
      throw new ConsumerGroupError(
        ErrorCode.UNKNOWN_MEMBER_ID,
        `Member ${request.memberId} is not a member of group ${group.groupId}.`,
      )
    }
  }
  coordinator.timers.cancel(rebalanceKey(group.groupId, member.memberId))
  if (request.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
    // A static member leaving for now keeps its partitions until its session expires; nobody gets them meanwhile.
    group.putMember({
      ...member,
      previousMemberEpoch: member.memberEpoch,
      memberEpoch: LEAVE_GROUP_STATIC_MEMBER_EPOCH,
    })
  } else {
    removeMember(coordinator, group, member.memberId)
  }
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    memberId: member.memberId,
    memberEpoch: request.memberEpoch,
    heartbeatIntervalMs: 0,
    assignment: null,
  }
}

/** Removes a member (left, session expired, rebalance timed out) and bumps the group epoch so the rest rebalance. */
export function removeMember(coordinator: GroupCoordinatorState, group: ConsumerGroup, memberId: string): void {
  coordinator.timers.cancel(sessionKey(group.groupId, memberId))
  coordinator.timers.cancel(rebalanceKey(group.groupId, memberId))
  group.removeMember(memberId)
  group.subscriptionMetadata = group.computeSubscriptionMetadata(coordinator.cluster)
  group.groupEpoch += 1
}

function updateTargetAssignment(
  coordinator: GroupCoordinatorState,
  group: ConsumerGroup,
  defaultAssignor?: string,
): void {
  const cluster = coordinator.cluster
  const assignor =
    SERVER_ASSIGNORS.get(group.preferredServerAssignor(defaultAssignor)) ?? SERVER_ASSIGNORS.get('uniform')
  const topics = new Map<string, number>()
  const idOf = new Map<string, string>()
  for (const [name, count] of group.subscriptionMetadata) {
    const topic = cluster.topics.get(name)
    if (!topic) continue
    topics.set(topic.topicId, count)
    idOf.set(name, topic.topicId)
  }
  const members = [...group.members.values()].map((member) => {
    const subscribed = new Set<string>()
    for (const name of group.subscriptionMetadata.keys()) {
      const id = idOf.get(name)
      if (id === undefined) continue
      if (member.subscribedTopicNames.includes(name)) subscribed.add(id)
      else if (member.subscribedTopicRegex !== null && matchesSubscriptionRegex(member.subscribedTopicRegex, name)) {
        subscribed.add(id)
      }
    }
    return {
      memberId: member.memberId,
      subscribedTopicIds: subscribed,
      previous: group.targetAssignment.get(member.memberId) ?? new Map(),
    }
  })
  const result = (assignor as NonNullable<typeof assignor>)({ members, topics })
  group.targetAssignment.clear()
  for (const [memberId, assignment] of result) group.targetAssignment.set(memberId, assignment)
  group.assignmentEpoch = group.groupEpoch
}

function maybeScheduleRebalanceTimeout(
  coordinator: GroupCoordinatorState,
  group: ConsumerGroup,
  before: ConsumerGroupMember,
  after: ConsumerGroupMember,
): void {
  const key = rebalanceKey(group.groupId, after.memberId)
  if (after.state !== 'UNREVOKED_PARTITIONS') {
    coordinator.timers.cancel(key)
    return
  }
  if (before.state === 'UNREVOKED_PARTITIONS' && before.memberEpoch === after.memberEpoch) return
  // The member must revoke within its rebalance timeout, or it is fenced and its partitions move on.
  const epoch = after.memberEpoch
  coordinator.timers.schedule(key, Math.max(after.rebalanceTimeoutMs, 0), () => {
    const current = group.member(after.memberId)
    if (current?.state === 'UNREVOKED_PARTITIONS' && current.memberEpoch === epoch) {
      removeMember(coordinator, group, after.memberId)
    }
  })
}

function scheduleSessionTimeout(
  coordinator: GroupCoordinatorState,
  groupId: string,
  memberId: string,
  ms: number,
): void {
  coordinator.timers.schedule(sessionKey(groupId, memberId), ms, () => {
    const group = coordinator.consumerGroups.get(groupId)
    if (group?.member(memberId)) removeMember(coordinator, group, memberId)
  })
}

function toPartitions(topicPartitions: readonly { topicId: string; partitions: number[] }[]): TopicIdPartitions {
  return new Map(topicPartitions.map(({ topicId, partitions }) => [topicId, new Set(partitions)]))
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a)
  const right = new Set(b)
  return left.size === right.size && [...left].every((name) => right.has(name))
}
