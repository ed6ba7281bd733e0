/**
 * OffsetDelete (key 47), version 0. Deletes a group's committed offsets of the
 * given partitions. Allowed for an empty group, and for a consumer group
 * ("consumer" protocol type) on topics none of its members subscribes to:
 * partitions of a subscribed topic get GROUP_SUBSCRIBED_TO_TOPIC (the
 * subscriptions are read from the members' ConsumerProtocolSubscription).
 * Whole-request errors: NOT_COORDINATOR, INVALID_GROUP_ID, GROUP_ID_NOT_FOUND,
 * NON_EMPTY_GROUP for a busy group of another protocol type. Unknown
 * partitions get UNKNOWN_TOPIC_OR_PARTITION. A KIP-848 consumer group is
 * treated the same way, its subscriptions being its members' topic names and
 * regex matches.
 */
import { Apis, createOffsetDeleteResponse, type OffsetDeleteResponse } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { ErrorCode } from '../state/groups/error-codes.js'
import { groupsOf } from '../state/groups/group-coordinator.js'
import { coordinatorError } from './group-request.js'

export const offsetDeleteHandler = defineHandler({
  api: 'OffsetDelete',
  minVersion: Apis.OffsetDelete.minVersion,
  maxVersion: Apis.OffsetDelete.maxVersion,
  handle(request, context): OffsetDeleteResponse {
    const { cluster } = context
    const fail = (errorCode: number) => createOffsetDeleteResponse({ errorCode })
    const rejected =
      (request.groupId === '' ? ErrorCode.INVALID_GROUP_ID : ErrorCode.NONE) ||
      coordinatorError(context, request.groupId)
    if (rejected) return fail(rejected)
    const coordinator = groupsOf(cluster)
    const consumerGroup = coordinator.consumerGroups.get(request.groupId)
    const group = coordinator.group(request.groupId)
    let isSubscribedTo: (topic: string) => boolean
    if (consumerGroup) {
      // A KIP-848 group: the topics its members subscribe to, by name or regex.
      isSubscribedTo = (topic) => consumerGroup.subscriptionMetadata.has(topic)
    } else {
      if (!group || group.is('Dead')) return fail(ErrorCode.GROUP_ID_NOT_FOUND)
      if (!group.is('Empty') && !group.usesConsumerProtocol) return fail(ErrorCode.NON_EMPTY_GROUP)
      isSubscribedTo = (topic) => group.isSubscribedTo(topic)
    }
    const topics = request.topics.map((topic) => {
      const known = cluster.topics.get(topic.name)
      const subscribed = isSubscribedTo(topic.name)
      const partitions = topic.partitions.map(({ partitionIndex }) => {
        if (!known?.partitions[partitionIndex])
          return { partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }
        if (subscribed) return { partitionIndex, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC }
        coordinator.offsets.delete(request.groupId, topic.name, partitionIndex)
        return { partitionIndex, errorCode: ErrorCode.NONE }
      })
      return { name: topic.name, partitions }
    })
    return createOffsetDeleteResponse({ topics })
  },
})
