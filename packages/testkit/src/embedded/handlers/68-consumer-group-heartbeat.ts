/**
 * ConsumerGroupHeartbeat (key 68), versions 0-1: the KIP-848 consumer group
 * protocol (state/groups/consumer-group-heartbeat.ts). Validates the request
 * as Kafka's GroupCoordinatorService does (INVALID_REQUEST with Kafka's
 * message, UNSUPPORTED_ASSIGNOR, INVALID_REGULAR_EXPRESSION), answers
 * NOT_COORDINATOR on the wrong broker, then joins, heartbeats or leaves: the
 * answer carries the member id (generated here for v0 joins without one), the
 * member epoch, the heartbeat interval, and the assignment when the request
 * was full or the assignment changed.
 */
import { Apis, type ConsumerGroupHeartbeatRequest, createConsumerGroupHeartbeatResponse } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { consumerGroupConfig } from '../state/groups/consumer-group-config.js'
import { ConsumerGroupError, consumerGroupHeartbeat } from '../state/groups/consumer-group-heartbeat.js'
import { LEAVE_GROUP_MEMBER_EPOCH, LEAVE_GROUP_STATIC_MEMBER_EPOCH } from '../state/groups/consumer-group-member.js'
import { ErrorCode } from '../state/groups/error-codes.js'
import { groupsOf } from '../state/groups/group-coordinator.js'
import { subscriptionRegexError } from '../state/groups/subscription-regex.js'
import { CLIENT_HOST, coordinatorError } from './group-request.js'

/** From v1 the client generates its member id (KIP-1082). */
const CONSUMER_GENERATED_MEMBER_ID_REQUIRED_VERSION = 1

function invalid(
  request: ConsumerGroupHeartbeatRequest,
  version: number,
  assignors: readonly string[],
): ConsumerGroupError | null {
  const bad = (message: string) => new ConsumerGroupError(ErrorCode.INVALID_REQUEST, message)
  const { memberEpoch } = request
  if (
    (version >= CONSUMER_GENERATED_MEMBER_ID_REQUIRED_VERSION ||
      memberEpoch > 0 ||
      memberEpoch === LEAVE_GROUP_MEMBER_EPOCH) &&
    request.memberId === ''
  ) {
    return bad("MemberId can't be empty.")
  }
  if (request.groupId === '') return bad("GroupId can't be empty.")
  if (request.instanceId === '') return bad("InstanceId can't be empty.")
  if (request.rackId === '') return bad("RackId can't be empty.")
  if (memberEpoch === 0) {
    if (request.rebalanceTimeoutMs === -1) return bad('RebalanceTimeoutMs must be provided in first request.')
    if (request.topicPartitions === null || request.topicPartitions.length > 0) {
      return bad('TopicPartitions must be empty when (re-)joining.')
    }
    if (request.subscribedTopicNames === null && request.subscribedTopicRegex === null) {
      return bad('Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.')
    }
  } else if (memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
    if (request.instanceId === null) return bad("InstanceId can't be null.")
  } else if (memberEpoch < LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
    return bad('MemberEpoch is invalid.')
  }
  if (request.serverAssignor !== null && !assignors.includes(request.serverAssignor)) {
    return new ConsumerGroupError(
      ErrorCode.UNSUPPORTED_ASSIGNOR,
      `ServerAssignor ${request.serverAssignor} is not supported. Supported assignors: ${assignors.join(', ')}.`,
    )
  }
  const regexError = request.subscribedTopicRegex ? subscriptionRegexError(request.subscribedTopicRegex) : null
  if (regexError !== null) {
    return new ConsumerGroupError(
      ErrorCode.INVALID_REGULAR_EXPRESSION,
      `SubscribedTopicRegex \`${request.subscribedTopicRegex}\` is not a valid regular expression: ${regexError}.`,
    )
  }
  return null
}

export const consumerGroupHeartbeatHandler = defineHandler({
  api: 'ConsumerGroupHeartbeat',
  minVersion: Apis.ConsumerGroupHeartbeat.minVersion,
  maxVersion: Apis.ConsumerGroupHeartbeat.maxVersion,
  handle(request, context) {
    const coordinator = groupsOf(context.cluster)
    const fail = (errorCode: number, errorMessage: string | null) =>
      createConsumerGroupHeartbeatResponse({ errorCode, errorMessage })
    const rejected = invalid(request, context.version, consumerGroupConfig(context.cluster).assignors)
    if (rejected) return fail(rejected.errorCode, rejected.message)
    const notCoordinator = coordinatorError(context, request.groupId)
    if (notCoordinator) return fail(notCoordinator, null)
    try {
      return consumerGroupHeartbeat(coordinator, request, {
        clientId: context.header.clientId ?? '',
        clientHost: CLIENT_HOST,
        version: context.version,
      })
    } catch (error) {
      if (error instanceof ConsumerGroupError) return fail(error.errorCode, error.message)
      throw error
    }
  },
})
