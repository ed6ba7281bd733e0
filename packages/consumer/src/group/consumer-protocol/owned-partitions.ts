import type { TopicPartition } from '../../assignors/types.js'

/** A partition the member owns, with the topic id KIP-848 heartbeats name it by. */
export interface OwnedPartition extends TopicPartition {
  readonly topicId: string
}

const keyOf = (p: { topicId: string; partition: number }) => `${p.topicId}:${p.partition}`

/** Partitions of `a` not in `b`, compared by topic id and partition. */
export function without(a: readonly OwnedPartition[], b: readonly OwnedPartition[]): OwnedPartition[] {
  const other = new Set(b.map(keyOf))
  return a.filter((p) => !other.has(keyOf(p)))
}

/** The owned partitions as a heartbeat lists them: by topic id, partitions sorted. */
export function byTopicId(owned: readonly OwnedPartition[]): Map<string, number[]> {
  const result = new Map<string, number[]>()
  for (const p of owned) {
    const list = result.get(p.topicId) ?? []
    result.set(p.topicId, list)
    list.push(p.partition)
  }
  for (const list of result.values()) list.sort((x, y) => x - y)
  return result
}

/** Plain topic/partition pairs for the listener, sorted by topic then partition. */
export function plain(partitions: readonly OwnedPartition[]): TopicPartition[] {
  return partitions
    .map(({ topic, partition }) => ({ topic, partition }))
    .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1))
}
