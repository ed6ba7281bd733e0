/**
 * DeleteTopics (key 20), versions 1-6: by name, and from v6 by name or by
 * topic id (one of the two, never both). Unknown names answer
 * UNKNOWN_TOPIC_OR_PARTITION, unknown ids UNKNOWN_TOPIC_ID; a name or id given
 * twice answers INVALID_REQUEST once. Deletion is immediate, internal topics
 * included, as on a KRaft cluster with delete.topic.enable (its default). A
 * timeoutMs of 0 or less times every topic out and deletes nothing, as on KRaft.
 */

import { Apis, type DeleteTopicsResponseDeletableTopicResult, ZERO_UUID } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { groupsOf } from '../state/groups/group-coordinator.js'
import { AdminError, defaultMessage, expiredOnArrival } from './admin-errors.js'

function result(
  name: string | null,
  topicId: string,
  errorCode: number,
  errorMessage: string | null = errorCode === 0 ? null : defaultMessage(errorCode),
): DeleteTopicsResponseDeletableTopicResult {
  return { name, topicId, errorCode, errorMessage }
}

export const deleteTopicsHandler = defineHandler({
  api: 'DeleteTopics',
  minVersion: Apis.DeleteTopics.minVersion,
  maxVersion: Apis.DeleteTopics.maxVersion,
  handle(request, { cluster, version }) {
    const wanted = version >= 6 ? request.topics : request.topicNames.map((name) => ({ name, topicId: ZERO_UUID }))
    const keyOf = ({ name, topicId }: { name: string | null; topicId: string }) =>
      name ? `name:${name}` : `id:${topicId}`
    const counts = new Map<string, number>()
    for (const entry of wanted) counts.set(keyOf(entry), (counts.get(keyOf(entry)) ?? 0) + 1)
    if (expiredOnArrival(request.timeoutMs)) {
      return {
        throttleTimeMs: 0,
        responses: wanted.map(({ name, topicId }) => result(name, topicId, AdminError.REQUEST_TIMED_OUT, null)),
      }
    }
    const responses: DeleteTopicsResponseDeletableTopicResult[] = []
    const duplicates = new Map<string, DeleteTopicsResponseDeletableTopicResult>()
    for (const entry of wanted) {
      const { name, topicId } = entry
      const byId = topicId !== ZERO_UUID
      if (name && byId) {
        responses.push(
          result(name, topicId, AdminError.INVALID_REQUEST, 'You may not specify both topic name and topic id.'),
        )
      } else if (!name && !byId) {
        responses.push(result(name, topicId, AdminError.INVALID_REQUEST, 'Neither topic name nor id were specified.'))
      } else if ((counts.get(keyOf(entry)) ?? 0) > 1) {
        const message = name ? 'Duplicate topic name.' : 'Duplicate topic id.'
        duplicates.set(keyOf(entry), result(name, topicId, AdminError.INVALID_REQUEST, message))
      } else {
        const topic = name ? cluster.topics.get(name) : cluster.topicsById.get(topicId)
        if (!topic) {
          responses.push(
            result(name, topicId, name ? AdminError.UNKNOWN_TOPIC_OR_PARTITION : AdminError.UNKNOWN_TOPIC_ID),
          )
        } else {
          cluster.deleteTopic(topic)
          // Kafka drops a deleted topic's committed offsets with it.
          groupsOf(cluster).offsets.deleteTopic(topic.name)
          responses.push(result(topic.name, topic.topicId, AdminError.NONE))
        }
      }
    }
    return { throttleTimeMs: 0, responses: [...responses, ...duplicates.values()] }
  },
})
