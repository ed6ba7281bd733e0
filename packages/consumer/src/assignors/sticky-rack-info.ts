// Which members and partitions the sticky assignors treat as rack-bound (KIP-881), as Java's
// AbstractStickyAssignor.RackInfo decides it.
import { useRackAwareAssignment } from './assignment-input.js'
import type { JavaHashMap } from './java-hash-map.js'
import { type PartitionMetadata, partitionKey, type Subscription, type TopicPartition } from './types.js'

export class StickyRackInfo {
  /** Member → rack, only when rack-aware assignment applies. */
  readonly consumerRacks = new Map<string, string>()
  /** Partition → racks of its replicas, only when rack-aware assignment applies. */
  readonly partitionRacks = new Map<string, Set<string>>()
  /**
   * How many members share a rack with each partition. Java fills this whenever any member has
   * a rack, even when rack-aware assignment does not apply, and then orders new partitions by it.
   */
  private readonly consumersByPartition = new Map<string, number>()

  constructor(
    partitionsPerTopic: JavaHashMap<string, readonly PartitionMetadata[]>,
    subscriptions: JavaHashMap<string, Subscription>,
  ) {
    const consumersByRack = new Map<string, string[]>()
    for (const [memberId, subscription] of subscriptions) {
      const rack = subscription.rackId
      if (rack !== null && rack !== '') consumersByRack.set(rack, [...(consumersByRack.get(rack) ?? []), memberId])
    }
    const partitionRacks = new Map<string, Set<string>>()
    const allPartitionRacks = new Set<string>()
    if (consumersByRack.size > 0) {
      for (const [topic, partitions] of partitionsPerTopic) {
        for (const p of partitions) {
          const racks = new Set<string>()
          for (const rack of p.replicaRacks) if (rack !== null) racks.add(rack)
          partitionRacks.set(partitionKey({ topic, partition: p.partition }), racks)
          for (const rack of racks) allPartitionRacks.add(rack)
        }
      }
    }
    if (useRackAwareAssignment(new Set(consumersByRack.keys()), allPartitionRacks, partitionRacks.values())) {
      for (const [rack, members] of consumersByRack) for (const member of members) this.consumerRacks.set(member, rack)
      for (const [key, racks] of partitionRacks) this.partitionRacks.set(key, racks)
    }
    for (const [key, racks] of partitionRacks) {
      let count = 0
      for (const rack of racks) count += consumersByRack.get(rack)?.length ?? 0
      this.consumersByPartition.set(key, count)
    }
  }

  /** The member has a rack and the partition has no replica there. */
  racksMismatch(consumer: string, tp: TopicPartition): boolean {
    const rack = this.consumerRacks.get(consumer)
    if (rack === undefined) return false
    const racks = this.partitionRacks.get(partitionKey(tp))
    return racks === undefined || !racks.has(rack)
  }

  /** Partitions with the fewest same-rack members first (stable). */
  sortPartitionsByRackConsumers(partitions: TopicPartition[]): TopicPartition[] {
    if (this.consumersByPartition.size === 0) return partitions
    const count = (tp: TopicPartition) => this.consumersByPartition.get(partitionKey(tp)) ?? 0
    return [...partitions].sort((a, b) => count(a) - count(b))
  }

  /** Index of the first member at or after `firstIndex` (wrapping) on one of the partition's racks, or -1. */
  nextRackConsumer(tp: TopicPartition, consumers: readonly string[], firstIndex: number): number {
    const racks = this.partitionRacks.get(partitionKey(tp))
    if (racks === undefined || racks.size === 0) return -1
    for (let i = 0; i < consumers.length; i++) {
      const index = (firstIndex + i) % consumers.length
      const rack = this.consumerRacks.get(consumers[index] as string)
      if (rack !== undefined && racks.has(rack)) return index
    }
    return -1
  }
}
