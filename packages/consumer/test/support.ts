// Small builders for assignor tests.
import type { ClusterPartitions, GroupMember, TopicPartition } from '../src/index.js'

/** Topics with partition counts; `racks` gives each partition's replica racks by partition number. */
export function cluster(
  topics: Record<string, number>,
  racks: (topic: string, partition: number) => (string | null)[] = () => [],
): ClusterPartitions {
  return new Map(
    Object.entries(topics).map(([topic, count]) => [
      topic,
      Array.from({ length: count }, (_, partition) => ({ partition, replicaRacks: racks(topic, partition) })),
    ]),
  )
}

export interface MemberSpec {
  topics: string[]
  owned?: string[]
  generationId?: number
  rackId?: string
  groupInstanceId?: string
  userData?: Uint8Array | null
}

export function members(specs: Record<string, MemberSpec>): GroupMember[] {
  return Object.entries(specs).map(([memberId, spec]) => ({
    memberId,
    groupInstanceId: spec.groupInstanceId ?? null,
    subscription: {
      topics: spec.topics,
      userData: spec.userData ?? null,
      ownedPartitions: (spec.owned ?? []).map(tp),
      generationId: spec.generationId ?? -1,
      rackId: spec.rackId ?? null,
    },
  }))
}

/** 't-3' → { topic: 't', partition: 3 } */
export function tp(name: string): TopicPartition {
  const dash = name.lastIndexOf('-')
  return { topic: name.slice(0, dash), partition: Number(name.slice(dash + 1)) }
}

/** Each member's partitions as sorted 'topic-partition' names. */
export function names(result: Map<string, { partitions: readonly TopicPartition[] }>): Record<string, string[]> {
  return Object.fromEntries(
    [...result].map(([member, { partitions }]) => [
      member,
      partitions.map((p) => `${p.topic}-${p.partition}`).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
    ]),
  )
}
