import { errorFromCode, InvalidMessageError } from '@kafkit/protocol'
import type { AdminRouter } from '../admin-router.js'
import { describe } from '../arguments.js'

const UNKNOWN_TOPIC_OR_PARTITION = 3

/** A topic's partitions; all of them when `partitions` is left out. */
export interface TopicPartitions {
  topic: string
  partitions?: readonly number[]
}

/** A topic by name (all its partitions) or with the partitions wanted. */
export type TopicSelection = string | TopicPartitions

/** Some partitions of one topic, as results list them. */
export interface TopicPartitionList {
  topic: string
  partitions: number[]
}

/** One partition of a topic. */
export interface TopicPartition {
  topic: string
  partition: number
}

/** `topic-partition`, as failures name partitions. */
export const partitionName = (topic: string, partition: number): string => `${topic}-${partition}`

/** Checks a list of topic selections at the call, so a typo fails with a message instead of a broker error. */
export function checkTopicSelections(topics: unknown, what: string): readonly TopicSelection[] {
  if (!Array.isArray(topics)) {
    throw new InvalidMessageError(
      `${what} must be an array of topic names or { topic, partitions } objects, e.g. ['orders'] or [{ topic: 'orders', partitions: [0, 1] }]; got ${describe(topics)}`,
    )
  }
  for (const selection of topics as unknown[]) {
    const topic = typeof selection === 'string' ? selection : (selection as TopicPartitions | null)?.topic
    if (typeof topic !== 'string' || topic === '') {
      throw new InvalidMessageError(`${what} entries need a non-empty topic name; got ${describe(selection)}`)
    }
    const partitions = typeof selection === 'string' ? undefined : (selection as TopicPartitions).partitions
    if (partitions !== undefined && (!Array.isArray(partitions) || !partitions.every(isPartitionIndex))) {
      throw new InvalidMessageError(
        `${what}: partitions of ${topic} must be an array of partition indexes >= 0; got ${describe(partitions)}`,
      )
    }
  }
  return topics as readonly TopicSelection[]
}

function isPartitionIndex(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 31
}

/**
 * The partitions the selections name, by topic (sorted, without repeats): a
 * topic given by name stands for all its partitions, which the cluster's
 * metadata lists. A topic the cluster does not have fails with
 * UnknownTopicOrPartitionError naming it.
 */
export async function resolveTopicPartitions(
  router: AdminRouter,
  selections: readonly TopicSelection[],
): Promise<Map<string, number[]>> {
  const byTopic = new Map<string, Set<number>>()
  const whole = new Set<string>()
  for (const selection of selections) {
    const topic = typeof selection === 'string' ? selection : selection.topic
    const partitions = byTopic.get(topic) ?? new Set<number>()
    byTopic.set(topic, partitions)
    if (typeof selection === 'string' || selection.partitions === undefined) whole.add(topic)
    else for (const partition of selection.partitions) partitions.add(partition)
  }
  if (whole.size > 0) {
    const metadata = router.client.cluster.metadata
    // Known topics are refreshed too: a partition added since the last refresh must count.
    await router.client.cluster.refreshMetadata({ topics: [...whole] })
    for (const topic of whole) {
      if ((metadata.topic(topic)?.partitions.length ?? 0) > 0) continue
      // Not retried: a topic missing from a fresh answer is a wrong name far more often than a slow broker.
      throw errorFromCode(metadata.topic(topic)?.errorCode || UNKNOWN_TOPIC_OR_PARTITION, {
        api: 'Metadata',
        entity: topic,
        detail: `topic ${topic} does not exist`,
      })!
    }
    for (const topic of whole) {
      const partitions = byTopic.get(topic)!
      for (const p of metadata.topic(topic)?.partitions ?? []) partitions.add(p.partition)
    }
  }
  return new Map([...byTopic].map(([topic, partitions]) => [topic, [...partitions].sort((a, b) => a - b)]))
}

/** Groups partitions by topic, keeping the order topics first appear in. */
export function byTopic<T extends TopicPartition>(partitions: Iterable<T>): Map<string, T[]> {
  const topics = new Map<string, T[]>()
  for (const tp of partitions) {
    const list = topics.get(tp.topic)
    if (list) list.push(tp)
    else topics.set(tp.topic, [tp])
  }
  return topics
}
