import { partitionKey, type TopicPartition } from '../../assignors/types.js'

/** Partitions of `a` that are not in `b`, in `a`'s order. */
export function difference(a: readonly TopicPartition[], b: readonly TopicPartition[]): TopicPartition[] {
  const other = new Set(b.map(partitionKey))
  return a.filter((tp) => !other.has(partitionKey(tp)))
}

/** Whether two subscriptions name the same topics, in any order. */
export function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a)
  const other = new Set(b)
  return set.size === other.size && [...set].every((topic) => other.has(topic))
}
