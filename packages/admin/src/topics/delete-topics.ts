import { type DeleteTopicsResponse, errorFromCode, InvalidMessageError, ZERO_UUID } from '@kafkit/protocol'
import { unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import { optionalInteger, requireName, requireOptions } from '../arguments.js'
import { settleEntries } from '../entry-outcomes.js'
import { controllerOutcome, refreshController } from './controller-outcome.js'

export interface DeleteTopicsRequest {
  /** Topics to delete by name. */
  topics?: readonly string[]
  /** Topics to delete by id (DeleteTopics v6+, Kafka 2.8+). */
  topicIds?: readonly string[]
  /** How long the controller may take, in milliseconds. Default 30 000 (kafkajs's `timeout`). */
  timeoutMs?: number
}

export interface DeletedTopic {
  /** The name (null from brokers that do not say, for a topic deleted by id). */
  topic: string | null
  /** The id (the zero uuid from brokers before DeleteTopics v6). */
  topicId: string
}

const UUID = /^[A-Za-z0-9_-]{22}$/
const UNSUPPORTED_VERSION = 35

/**
 * DeleteTopics on the controller, by name and/or by id. A topic that does not
 * exist fails as UnknownTopicOrPartitionError (UnknownTopicIdError by id).
 */
export async function deleteTopics(router: AdminRouter, request: DeleteTopicsRequest): Promise<DeletedTopic[]> {
  requireOptions(request, 'deleteTopics()', ['topics', 'topicIds', 'timeoutMs'])
  const names = [...(request.topics ?? [])].map((name, i) => requireName(name, `deleteTopics topics[${i}]`))
  const ids = [...(request.topicIds ?? [])].map((id, i) => {
    if (typeof id !== 'string' || !UUID.test(id)) {
      throw new InvalidMessageError(
        `deleteTopics topicIds[${i}] must be a topic id (22 base64url characters, as describeTopics gives); got ${String(id)}`,
      )
    }
    return id
  })
  if (names.length + ids.length === 0) {
    throw new InvalidMessageError("deleteTopics needs topics: ['orders'] or topicIds: [...], and got neither")
  }
  const timeoutMs = optionalInteger(request.timeoutMs, 'deleteTopics timeoutMs', 1) ?? 30_000
  // One key per entry: names as given, ids prefixed so a name cannot collide with an id.
  const entries = [...new Set([...names, ...ids.map((id) => `id:${id}`)])]
  const { succeeded, failures } = await settleEntries(
    router,
    entries,
    (entry) => (entry.startsWith('id:') ? entry.slice(3) : entry),
    async (pending) => {
      const byName = pending.filter((entry) => !entry.startsWith('id:'))
      const byId = pending.filter((entry) => entry.startsWith('id:')).map((entry) => entry.slice(3))
      const response: DeleteTopicsResponse = await router.toController('DeleteTopics', (version) => {
        if (version < 6 && byId.length > 0) {
          throw errorFromCode(UNSUPPORTED_VERSION, {
            api: 'DeleteTopics',
            detail: `deleting topics by id needs DeleteTopics v6 (Kafka 2.8+); the broker speaks v${version}`,
          })!
        }
        return {
          topics: [
            ...byName.map((name) => ({ name, topicId: ZERO_UUID })),
            ...byId.map((topicId) => ({ name: null, topicId })),
          ],
          topicNames: byName,
          timeoutMs,
        }
      })
      const outcomes = new Map<string, ReturnType<typeof controllerOutcome<DeletedTopic>>>()
      for (const r of response.responses) {
        const key = r.topicId !== ZERO_UUID && byId.includes(r.topicId) ? `id:${r.topicId}` : (r.name ?? '')
        const entity = key.startsWith('id:') ? r.topicId : key
        const result = { topic: r.name, topicId: r.topicId }
        outcomes.set(
          key,
          controllerOutcome('DeleteTopics', entity, r.errorCode, r.errorMessage, () => result),
        )
      }
      return outcomes
    },
    (errors) => refreshController(router, errors),
  )
  for (const { topic } of succeeded.values()) if (topic) router.client.cluster.metadata.forget(topic)
  return unlessFailures('deleteTopics', failures, [...succeeded.values()])
}
