import { randomUuid } from '@kafkit/protocol'
import { PartitionLog } from './partition-log.js'
import { completeReassignment } from './reassignments.js'

export type ListenerName = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL'

export interface BrokerState {
  nodeId: number
  host: string
  /** The port of each listener: clients are told the ports of the listener they came through. */
  ports: Partial<Record<ListenerName, number>>
  rack: string | null
  /** A stopped broker refuses connections and leaves the metadata. */
  running: boolean
}

export interface PartitionState {
  partition: number
  leader: number
  leaderEpoch: number
  replicas: number[]
  isr: number[]
  log: PartitionLog
  /** An ongoing reassignment (AlterPartitionReassignments): replicas joining, sorted; absent or empty when none. */
  addingReplicas?: number[]
  /** An ongoing reassignment: replicas leaving once the joining ones are in sync, sorted. */
  removingReplicas?: number[]
}

export interface TopicState {
  name: string
  topicId: string
  partitions: PartitionState[]
  /** Topic configs set explicitly (defaults live in the config definitions). */
  configs: Map<string, string>
  isInternal: boolean
}

/**
 * Everything the embedded cluster knows, shared by its brokers and kept apart
 * from the request handlers: brokers, topics with their partitions and logs,
 * broker configs and the producer id counter. One instance per cluster, no
 * global state, so many clusters can run in one process.
 */
export class ClusterState {
  readonly clusterId = randomUuid()
  readonly brokers: BrokerState[] = []
  readonly topics = new Map<string, TopicState>()
  readonly topicsById = new Map<string, TopicState>()
  /** Broker configs set explicitly, by broker id ('' = cluster-wide default). */
  readonly brokerConfigs = new Map<string, Map<string, string>>()
  private nextProducerId = 1000n
  /** Rotates partition leadership over brokers as topics are created. */
  private placement = 0

  constructor(
    readonly defaultConfig: { autoCreateTopics: boolean; defaultPartitions: number; defaultReplicationFactor: number },
  ) {}

  get controllerId(): number {
    return this.runningBrokers()[0]?.nodeId ?? -1
  }

  runningBrokers(): BrokerState[] {
    return this.brokers.filter((broker) => broker.running)
  }

  broker(nodeId: number): BrokerState | undefined {
    return this.brokers.find((broker) => broker.nodeId === nodeId)
  }

  allocateProducerId(): bigint {
    return this.nextProducerId++
  }

  /**
   * Creates a topic, spreading partition leaders over the brokers round-robin
   * and placing replicas on the following brokers, so clients must route by leader.
   */
  createTopic(
    name: string,
    partitions: number,
    replicationFactor: number,
    configs = new Map<string, string>(),
  ): TopicState {
    const topic: TopicState = {
      name,
      topicId: randomUuid(),
      partitions: [],
      configs,
      isInternal: name.startsWith('__'),
    }
    for (let p = 0; p < partitions; p++) topic.partitions.push(this.newPartition(p, replicationFactor))
    this.topics.set(name, topic)
    this.topicsById.set(topic.topicId, topic)
    return topic
  }

  /** Adds partitions to an existing topic (CreatePartitions). */
  addPartitions(topic: TopicState, count: number): void {
    const replicationFactor = topic.partitions[0]?.replicas.length ?? 1
    while (topic.partitions.length < count)
      topic.partitions.push(this.newPartition(topic.partitions.length, replicationFactor))
  }

  private newPartition(partition: number, replicationFactor: number): PartitionState {
    const ids = this.brokers.map((broker) => broker.nodeId)
    const first = this.placement++ % ids.length
    const replicas = Array.from(
      { length: Math.min(replicationFactor, ids.length) },
      (_, i) => ids[(first + i) % ids.length]!,
    )
    const live = replicas.filter((id) => this.broker(id)?.running)
    return { partition, leader: live[0] ?? -1, leaderEpoch: 0, replicas, isr: live, log: new PartitionLog() }
  }

  deleteTopic(topic: TopicState): void {
    this.topics.delete(topic.name)
    this.topicsById.delete(topic.topicId)
  }

  /** Moves a partition's leadership to `nodeId` (which joins the replicas if needed), bumping the leader epoch. */
  moveLeader(partition: PartitionState, nodeId: number): void {
    if (!partition.replicas.includes(nodeId)) partition.replicas.push(nodeId)
    if (!partition.isr.includes(nodeId)) partition.isr.push(nodeId)
    partition.leader = nodeId
    partition.leaderEpoch++
  }

  /** A broker went down: it leaves every ISR, and its partitions elect the next in-sync replica. */
  brokerStopped(nodeId: number): void {
    for (const topic of this.topics.values()) {
      for (const partition of topic.partitions) {
        partition.isr = partition.isr.filter((id) => id !== nodeId)
        if (partition.leader === nodeId) {
          partition.leader = partition.isr[0] ?? -1
          partition.leaderEpoch++
        }
      }
    }
  }

  /** A broker came back: it rejoins the ISR of its partitions (the shared log means it is caught up). */
  brokerStarted(nodeId: number): void {
    for (const topic of this.topics.values()) {
      for (const partition of topic.partitions) {
        if (!partition.replicas.includes(nodeId) || partition.isr.includes(nodeId)) continue
        partition.isr.push(nodeId)
        if (partition.leader < 0) {
          partition.leader = nodeId
          partition.leaderEpoch++
        }
        // A reassignment waiting for this broker's replica to catch up is done now.
        completeReassignment(this, partition)
      }
    }
  }
}
