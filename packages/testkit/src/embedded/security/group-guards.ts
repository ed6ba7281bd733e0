/**
 * ACL checks of the group APIs, as Kafka's KafkaApis does them: membership
 * (JoinGroup, SyncGroup, Heartbeat, LeaveGroup, ConsumerGroupHeartbeat) and
 * OffsetCommit need READ on the group (ConsumerGroupHeartbeat also DESCRIBE
 * on each topic it subscribes to by name), DescribeGroups, FindCoordinator and
 * OffsetFetch DESCRIBE, DeleteGroups and OffsetDelete DELETE; the topics of
 * OffsetCommit need READ and those of OffsetFetch DESCRIBE (an all-topics
 * OffsetFetch leaves the others out); ListGroups lists every group with
 * DESCRIBE on the cluster, else the groups the principal may DESCRIBE.
 * FindCoordinator for a transactional id and InitProducerId with one need
 * DESCRIBE and WRITE on the transactional id (and TWO_PHASE_COMMIT to enable
 * 2PC, KIP-939); InitProducerId without one (an idempotent producer) needs
 * IDEMPOTENT_WRITE on the cluster or WRITE on some topic, else
 * CLUSTER_AUTHORIZATION_FAILED. ConsumerGroupDescribe needs DESCRIBE on the
 * group and on every topic its members are assigned (KAFKA-18813: a group
 * with a hidden topic is answered TOPIC_AUTHORIZATION_FAILED). Groups refused
 * by DescribeGroups and ConsumerGroupDescribe come first, as in KafkaApis.
 */
import {
  type ApiMessages,
  type ApiName,
  createConsumerGroupDescribeResponseDescribedGroup,
  createDescribeGroupsResponseDescribedGroup,
} from '@kafkit/protocol'
import { errorResponse } from '../control/error-responses.js'
import type { RequestContext } from '../handler.js'
import { AclOperation, ResourceType } from './acl-binding.js'
import { AuthError, isAuthorized, isAuthorizedByResourceType, isAuthorizedOnCluster } from './authorize.js'
import type { Guard } from './guard.js'
import { splitTopics, topicAllowed } from './topic-guard.js'

type Res<N extends ApiName> = ApiMessages[N]['response']

const groupAllowed = (context: RequestContext, operation: number, groupId: string) =>
  isAuthorized(context, operation, ResourceType.GROUP, groupId)

/** A guard for an API about one group that answers GROUP_AUTHORIZATION_FAILED at the top level. */
function wholeGroupGuard<N extends ApiName>(api: N, operation: number): Guard<N> {
  return async (request, context, next) => {
    if (groupAllowed(context, operation, (request as { groupId: string }).groupId)) return next(request)
    return errorResponse(api, context.version, request, AuthError.GROUP_AUTHORIZATION_FAILED) as Res<N>
  }
}

export const joinGroupGuard = wholeGroupGuard('JoinGroup', AclOperation.READ)
export const syncGroupGuard = wholeGroupGuard('SyncGroup', AclOperation.READ)
export const heartbeatGuard = wholeGroupGuard('Heartbeat', AclOperation.READ)
export const leaveGroupGuard = wholeGroupGuard('LeaveGroup', AclOperation.READ)
export const offsetDeleteGuard = wholeGroupGuard('OffsetDelete', AclOperation.DELETE)

export const describeGroupsGuard: Guard<'DescribeGroups'> = async (request, context, next) => {
  const denied = request.groups.filter((g) => !groupAllowed(context, AclOperation.DESCRIBE, g))
  if (denied.length === 0) return next(request)
  const allowed = request.groups.filter((g) => !denied.includes(g))
  const response = (await next({ ...request, groups: allowed })) as Res<'DescribeGroups'>
  const errors = denied.map((groupId) =>
    createDescribeGroupsResponseDescribedGroup({ groupId, errorCode: AuthError.GROUP_AUTHORIZATION_FAILED }),
  )
  return { ...response, groups: [...errors, ...response.groups] }
}

/** KAFKA-18813: a member may subscribe by name only to topics it may describe. */
export const consumerGroupHeartbeatGuard: Guard<'ConsumerGroupHeartbeat'> = async (request, context, next) => {
  const refused = (errorCode: number) =>
    errorResponse('ConsumerGroupHeartbeat', context.version, request, errorCode) as Res<'ConsumerGroupHeartbeat'>
  if (!groupAllowed(context, AclOperation.READ, request.groupId)) return refused(AuthError.GROUP_AUTHORIZATION_FAILED)
  const hidden = (request.subscribedTopicNames ?? []).some((t) => !topicAllowed(context, AclOperation.DESCRIBE, t))
  return hidden ? refused(AuthError.TOPIC_AUTHORIZATION_FAILED) : next(request)
}

/** Kafka's words for a described group whose assignment names a topic the principal may not describe. */
const HIDDEN_TOPIC_MESSAGE = 'The group has described topic(s) that the client is not authorized to describe.'

export const consumerGroupDescribeGuard: Guard<'ConsumerGroupDescribe'> = async (request, context, next) => {
  const denied = request.groupIds.filter((g) => !groupAllowed(context, AclOperation.DESCRIBE, g))
  const response = (await next({
    ...request,
    groupIds: request.groupIds.filter((g) => !denied.includes(g)),
  })) as Res<'ConsumerGroupDescribe'>
  const errors = denied.map((groupId) =>
    createConsumerGroupDescribeResponseDescribedGroup({ groupId, errorCode: AuthError.GROUP_AUTHORIZATION_FAILED }),
  )
  const groups = response.groups.map((group) => {
    const topics = group.members.flatMap((m) =>
      [m.assignment, m.targetAssignment].flatMap((a) => a.topicPartitions.map((tp) => tp.topicName)),
    )
    if (topics.every((topic) => topicAllowed(context, AclOperation.DESCRIBE, topic))) return group
    return createConsumerGroupDescribeResponseDescribedGroup({
      groupId: group.groupId,
      errorCode: AuthError.TOPIC_AUTHORIZATION_FAILED,
      errorMessage: HIDDEN_TOPIC_MESSAGE,
    })
  })
  return { ...response, groups: [...errors, ...groups] }
}

export const listGroupsGuard: Guard<'ListGroups'> = async (request, context, next) => {
  const response = (await next(request)) as Res<'ListGroups'>
  if (isAuthorizedOnCluster(context, AclOperation.DESCRIBE)) return response
  return { ...response, groups: response.groups.filter((g) => groupAllowed(context, AclOperation.DESCRIBE, g.groupId)) }
}

export const deleteGroupsGuard: Guard<'DeleteGroups'> = async (request, context, next) => {
  const denied = request.groupsNames.filter((g) => !groupAllowed(context, AclOperation.DELETE, g))
  if (denied.length === 0) return next(request)
  const response = (await next({
    ...request,
    groupsNames: request.groupsNames.filter((g) => !denied.includes(g)),
  })) as Res<'DeleteGroups'>
  const errors = denied.map((groupId) => ({ groupId, errorCode: AuthError.GROUP_AUTHORIZATION_FAILED }))
  return { ...response, results: [...response.results, ...errors] }
}

const GROUP_KEY = 0

export const findCoordinatorGuard: Guard<'FindCoordinator'> = async (request, context, next) => {
  const [resourceType, errorCode] =
    request.keyType === GROUP_KEY
      ? [ResourceType.GROUP, AuthError.GROUP_AUTHORIZATION_FAILED]
      : [ResourceType.TRANSACTIONAL_ID, AuthError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED]
  const allowed = (key: string) => isAuthorized(context, AclOperation.DESCRIBE, resourceType, key)
  if (context.version < 4) {
    if (allowed(request.key)) return next(request)
    return errorResponse('FindCoordinator', context.version, request, errorCode) as Res<'FindCoordinator'>
  }
  const denied = request.coordinatorKeys.filter((key) => !allowed(key))
  if (denied.length === 0) return next(request)
  const response = (await next({
    ...request,
    coordinatorKeys: request.coordinatorKeys.filter((key) => !denied.includes(key)),
  })) as Res<'FindCoordinator'>
  const errors = errorResponse(
    'FindCoordinator',
    context.version,
    { ...request, coordinatorKeys: denied },
    errorCode,
  ) as Res<'FindCoordinator'>
  return { ...response, coordinators: [...response.coordinators, ...errors.coordinators] }
}

export const initProducerIdGuard: Guard<'InitProducerId'> = async (request, context, next) => {
  const id = request.transactionalId
  const fail = (errorCode: number) =>
    errorResponse('InitProducerId', context.version, request, errorCode) as Res<'InitProducerId'>
  if (id === null) {
    // KIP-679: an idempotent producer may also get its id from WRITE on any one topic.
    const idempotent =
      isAuthorizedOnCluster(context, AclOperation.IDEMPOTENT_WRITE) ||
      isAuthorizedByResourceType(context, AclOperation.WRITE, ResourceType.TOPIC)
    return idempotent ? next(request) : fail(AuthError.CLUSTER_AUTHORIZATION_FAILED)
  }
  const txnAllowed = (operation: number) => isAuthorized(context, operation, ResourceType.TRANSACTIONAL_ID, id)
  if (!txnAllowed(AclOperation.WRITE)) return fail(AuthError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
  if (request.enable2Pc && !txnAllowed(AclOperation.TWO_PHASE_COMMIT)) {
    return fail(AuthError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
  }
  return next(request)
}

export const offsetCommitGuard: Guard<'OffsetCommit'> = async (request, context, next) => {
  const failAll = (errorCode: number) =>
    request.topics.map((t) => ({
      name: t.name,
      topicId: t.topicId,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
    }))
  if (!groupAllowed(context, AclOperation.READ, request.groupId)) {
    return { throttleTimeMs: 0, topics: failAll(AuthError.GROUP_AUTHORIZATION_FAILED) }
  }
  const { allowed, denied } = splitTopics(
    context,
    AclOperation.READ,
    request.topics,
    (t) => t.name,
    (t) => t.topicId,
  )
  if (denied.length === 0) return next(request)
  const response = (await next({ ...request, topics: allowed })) as Res<'OffsetCommit'>
  const errors = denied.map((t) => ({
    name: t.name,
    topicId: t.topicId,
    partitions: t.partitions.map((p) => ({
      partitionIndex: p.partitionIndex,
      errorCode: AuthError.TOPIC_AUTHORIZATION_FAILED,
    })),
  }))
  return { ...response, topics: [...response.topics, ...errors] }
}

export const offsetFetchGuard: Guard<'OffsetFetch'> = async (request, context, next) => {
  const denyPartitions = (partitionIndexes: number[]) =>
    partitionIndexes.map((partitionIndex) => ({
      partitionIndex,
      committedOffset: -1n,
      committedLeaderEpoch: -1,
      metadata: '',
      errorCode: AuthError.TOPIC_AUTHORIZATION_FAILED,
    }))
  if (context.version < 8) {
    if (!groupAllowed(context, AclOperation.DESCRIBE, request.groupId)) {
      return errorResponse(
        'OffsetFetch',
        context.version,
        request,
        AuthError.GROUP_AUTHORIZATION_FAILED,
      ) as Res<'OffsetFetch'>
    }
    const split = request.topics && splitTopics(context, AclOperation.DESCRIBE, request.topics, (t) => t.name)
    const response = (await next(split ? { ...request, topics: split.allowed } : request)) as Res<'OffsetFetch'>
    const visible = response.topics.filter((t) => topicAllowed(context, AclOperation.DESCRIBE, t.name))
    const errors = (split?.denied ?? []).map((t) => ({ name: t.name, partitions: denyPartitions(t.partitionIndexes) }))
    return { ...response, topics: [...visible, ...errors] }
  }
  const groupDenied = request.groups.filter((g) => !groupAllowed(context, AclOperation.DESCRIBE, g.groupId))
  const splits = new Map(
    request.groups.map((g) => [
      g.groupId,
      g.topics &&
        splitTopics(
          context,
          AclOperation.DESCRIBE,
          g.topics,
          (t) => t.name,
          (t) => t.topicId,
        ),
    ]),
  )
  const forwarded = request.groups
    .filter((g) => !groupDenied.includes(g))
    .map((g) => {
      const split = splits.get(g.groupId)
      return split ? { ...g, topics: split.allowed } : g
    })
  const response =
    forwarded.length > 0
      ? ((await next({ ...request, groups: forwarded })) as Res<'OffsetFetch'>)
      : ({ throttleTimeMs: 0, errorCode: 0, topics: [], groups: [] } as Res<'OffsetFetch'>)
  const groups = response.groups.map((group) => ({
    ...group,
    topics: [
      ...group.topics.filter((t) => topicAllowed(context, AclOperation.DESCRIBE, t.name)),
      ...(splits.get(group.groupId)?.denied ?? []).map((t) => ({
        name: t.name,
        topicId: t.topicId,
        partitions: denyPartitions(t.partitionIndexes),
      })),
    ],
  }))
  const errors = groupDenied.map((g) => ({
    groupId: g.groupId,
    topics: [],
    errorCode: AuthError.GROUP_AUTHORIZATION_FAILED,
  }))
  return { ...response, groups: [...groups, ...errors] }
}
