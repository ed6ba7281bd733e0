import type { MetadataResponse } from '@kafkit/protocol'

export interface BrokerNode {
  nodeId: number
  host: string
  port: number
  rack: string | null
}

export interface PartitionMetadata {
  partition: number
  errorCode: number
  leader: number
  leaderEpoch: number
  replicas: number[]
  isr: number[]
  offlineReplicas: number[]
}

export interface TopicMetadata {
  name: string
  topicId: string
  errorCode: number
  isInternal: boolean
  partitions: PartitionMetadata[]
}

/**
 * What the client knows of the cluster: brokers with racks, the controller,
 * and per topic its id and partitions with leader, leader epoch, replicas, ISR
 * and offline replicas. Updated from Metadata responses; a leader epoch never
 * goes backwards, so an older response cannot undo a newer one.
 */
export class MetadataCache {
  clusterId: string | null = null
  controllerId = -1
  private readonly brokerNodes = new Map<number, BrokerNode>()
  private readonly topicsByName = new Map<string, TopicMetadata>()
  /** When the cache was last filled from a response (performance.now()), -Infinity before. */
  updatedAt = Number.NEGATIVE_INFINITY

  get brokers(): BrokerNode[] {
    return [...this.brokerNodes.values()]
  }

  broker(nodeId: number): BrokerNode | undefined {
    return this.brokerNodes.get(nodeId)
  }

  topic(name: string): TopicMetadata | undefined {
    return this.topicsByName.get(name)
  }

  get topics(): TopicMetadata[] {
    return [...this.topicsByName.values()]
  }

  partition(topic: string, partition: number): PartitionMetadata | undefined {
    return this.topicsByName.get(topic)?.partitions[partition]
  }

  update(response: MetadataResponse, requestedAllTopics: boolean): void {
    this.clusterId = response.clusterId
    this.controllerId = response.controllerId
    this.brokerNodes.clear()
    for (const b of response.brokers)
      this.brokerNodes.set(b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack })
    if (requestedAllTopics) this.topicsByName.clear()
    for (const t of response.topics) {
      if (t.name === null) continue
      const previous = this.topicsByName.get(t.name)
      const partitions: PartitionMetadata[] = []
      for (const p of [...t.partitions].sort((a, b) => a.partitionIndex - b.partitionIndex)) {
        const known = previous?.partitions[p.partitionIndex]
        // Keep the newer view when a stale broker answers with an older leader epoch.
        if (known && p.leaderEpoch >= 0 && known.leaderEpoch > p.leaderEpoch) partitions[p.partitionIndex] = known
        else
          partitions[p.partitionIndex] = {
            partition: p.partitionIndex,
            errorCode: p.errorCode,
            leader: p.leaderId,
            leaderEpoch: p.leaderEpoch,
            replicas: p.replicaNodes,
            isr: p.isrNodes,
            offlineReplicas: p.offlineReplicas,
          }
      }
      this.topicsByName.set(t.name, {
        name: t.name,
        topicId: t.topicId,
        errorCode: t.errorCode,
        isInternal: t.isInternal,
        partitions,
      })
    }
    this.updatedAt = performance.now()
  }

  /** Forgets a topic (deleted, or no longer of interest). */
  forget(topic: string): void {
    this.topicsByName.delete(topic)
  }
}
