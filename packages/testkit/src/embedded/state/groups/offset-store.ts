/** A committed offset as the coordinator keeps it (Kafka's OffsetAndMetadata). */
export interface CommittedOffset {
  /** The next offset the group will read. */
  offset: bigint
  /** Leader epoch of the record before `offset`, or -1 when the committer did not know it. */
  leaderEpoch: number
  metadata: string
  commitTimestampMs: number
}

/**
 * Committed offsets of every group of a cluster, by group, topic and partition.
 * What Kafka keeps in __consumer_offsets; here in memory and never expired.
 */
export class OffsetStore {
  private readonly byGroup = new Map<string, Map<string, Map<number, CommittedOffset>>>()

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.byGroup.get(groupId)?.get(topic)?.get(partition)
  }

  commit(groupId: string, topic: string, partition: number, committed: CommittedOffset): void {
    const topics = this.byGroup.get(groupId) ?? new Map<string, Map<number, CommittedOffset>>()
    this.byGroup.set(groupId, topics)
    const partitions = topics.get(topic) ?? new Map<number, CommittedOffset>()
    topics.set(topic, partitions)
    partitions.set(partition, committed)
  }

  /** Every committed offset of a group, by topic then partition. */
  all(groupId: string): ReadonlyMap<string, ReadonlyMap<number, CommittedOffset>> {
    return this.byGroup.get(groupId) ?? new Map()
  }

  delete(groupId: string, topic: string, partition: number): boolean {
    const topics = this.byGroup.get(groupId)
    const partitions = topics?.get(topic)
    if (!topics || !partitions?.delete(partition)) return false
    if (partitions.size === 0) topics.delete(topic)
    if (topics.size === 0) this.byGroup.delete(groupId)
    return true
  }

  deleteGroup(groupId: string): void {
    this.byGroup.delete(groupId)
  }

  /** Forgets the offsets of a deleted topic in every group (Kafka's onPartitionsDeleted). */
  deleteTopic(topic: string): void {
    for (const [groupId, topics] of this.byGroup) {
      topics.delete(topic)
      if (topics.size === 0) this.byGroup.delete(groupId)
    }
  }
}
