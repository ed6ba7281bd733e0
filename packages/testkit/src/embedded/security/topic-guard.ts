import type { RequestContext } from '../handler.js'
import { ResourceType } from './acl-binding.js'
import { isAuthorized } from './authorize.js'

/**
 * Splits a request's topics into those the principal may act on and those it
 * may not, as KafkaApis partitions them before handling the rest. A topic
 * named only by an id the cluster does not know stays with the allowed ones,
 * so the handler answers UNKNOWN_TOPIC_ID as Kafka does.
 */
export function splitTopics<T>(
  context: RequestContext,
  operation: number,
  topics: readonly T[],
  nameOf: (topic: T) => string | null,
  idOf: (topic: T) => string | undefined = () => undefined,
): { allowed: T[]; denied: T[] } {
  const allowed: T[] = []
  const denied: T[] = []
  for (const topic of topics) {
    const name = topicName(context, nameOf(topic), idOf(topic))
    if (name === undefined || isAuthorized(context, operation, ResourceType.TOPIC, name)) allowed.push(topic)
    else denied.push(topic)
  }
  return { allowed, denied }
}

/** A topic's name from the name a request gives, or else from its id. */
export function topicName(context: RequestContext, name: string | null, id: string | undefined): string | undefined {
  if (name) return name
  return id === undefined ? undefined : context.cluster.topicsById.get(id)?.name
}

export function topicAllowed(context: RequestContext, operation: number, name: string): boolean {
  return isAuthorized(context, operation, ResourceType.TOPIC, name)
}
