import { ConnectionError, KafkaClient } from '@kafkit/client'
import { NotCoordinatorError } from '@kafkit/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type EmbeddedKafka, startEmbeddedKafka } from '../src/embedded/embedded-kafka.js'

let kafka: EmbeddedKafka
beforeEach(async () => {
  kafka = await startEmbeddedKafka({ brokers: 3, security: false, defaultPartitions: 3 })
})
afterEach(async () => {
  await kafka.stop()
})

function client(): KafkaClient {
  return new KafkaClient({
    brokers: kafka.bootstrapServers,
    retryBackoffMs: 10,
    retryBackoffMaxMs: 50,
    requestTimeoutMs: 2000,
  })
}

describe('intercepting requests', () => {
  it('observes requests without changing them', async () => {
    const seen: (string | null)[] = []
    kafka.control.intercept('Metadata', {}, (request) => {
      seen.push(...(request.topics ?? []).map((t) => t.name))
    })
    await using c = client()
    await c.cluster.refreshMetadata({ topics: ['observed'], allowAutoTopicCreation: true })
    expect(seen).toContain('observed')
    expect(c.cluster.metadata.topic('observed')?.partitions).toHaveLength(3)
  })

  it('injects an error once, then lets requests through', async () => {
    kafka.control.intercept('FindCoordinator', { once: true }, () => ({ errorCode: 'NOT_COORDINATOR' }))
    await using c = client()
    await c.connect()
    const lookups: number[] = []
    c.on('request', ({ api }) => api === 'FindCoordinator' && lookups.push(1))
    // The client retries NOT_COORDINATOR, so the second lookup succeeds.
    const coordinator = await c.cluster.findCoordinator('group', 'g1')
    expect(kafka.control.state.broker(coordinator)).toBeDefined()
    expect(lookups.length).toBe(2)
  })

  it('answers with a given response, only on the chosen broker', async () => {
    await using c = client()
    await c.connect()
    const target = c.cluster.metadata.brokers[1]!.nodeId
    kafka.control.intercept('FindCoordinator', { broker: target }, () => ({ errorCode: 16 }))
    const other = c.cluster.metadata.brokers.find((b) => b.nodeId !== target)!.nodeId
    const viaOther = await c.cluster.request(other, 'FindCoordinator', { key: '', keyType: 0, coordinatorKeys: ['g'] })
    expect(viaOther.coordinators[0]?.errorCode).toBe(0)
    const viaTarget = await c.cluster.request(target, 'FindCoordinator', {
      key: '',
      keyType: 0,
      coordinatorKeys: ['g'],
    })
    expect(viaTarget.coordinators[0]?.errorCode).toBe(NotCoordinatorError.code)
  })

  it('drops the connection, or delays the answer', async () => {
    await using c = client()
    await c.connect()
    const node = c.cluster.metadata.brokers[0]!.nodeId
    const remove = kafka.control.intercept('FindCoordinator', { broker: node }, () => ({ drop: true }))
    await expect(
      c.cluster.request(node, 'FindCoordinator', { key: '', keyType: 0, coordinatorKeys: ['g'] }),
    ).rejects.toBeInstanceOf(ConnectionError)
    remove()
    let delayed = false
    kafka.control.intercept('FindCoordinator', { once: true }, async () => {
      delayed = true
      return { delayMs: 20 }
    })
    const answer = await c.cluster.request(node, 'FindCoordinator', { key: '', keyType: 0, coordinatorKeys: ['g'] })
    expect(delayed).toBe(true)
    expect(answer.coordinators[0]?.errorCode).toBe(0)
  })
})

describe('changing the topology', () => {
  it('stops a broker: its connections close, leadership moves, and it comes back', async () => {
    await using c = client()
    await c.cluster.refreshMetadata({ topics: ['topology'], allowAutoTopicCreation: true })
    const partition = c.cluster.metadata.partition('topology', 0)!
    const leader = partition.leader
    await kafka.control.stopBroker(leader)
    await c.cluster.refreshMetadata({ topics: ['topology'] })
    expect(c.cluster.metadata.broker(leader)).toBeUndefined()
    const moved = c.cluster.metadata.partition('topology', 0)!
    expect(moved.leader).not.toBe(leader)
    expect(moved.leaderEpoch).toBe(partition.leaderEpoch + 1)
    expect(moved.offlineReplicas).toContain(leader)
    await expect(
      c.cluster.request(leader, 'Metadata', {
        topics: [],
        allowAutoTopicCreation: false,
        includeClusterAuthorizedOperations: false,
        includeTopicAuthorizedOperations: false,
      }),
    ).rejects.toThrow()

    await kafka.control.startBroker(leader)
    await c.cluster.refreshMetadata({ topics: ['topology'] })
    expect(c.cluster.metadata.broker(leader)).toBeDefined()
    expect(c.cluster.metadata.partition('topology', 0)!.isr).toContain(leader)
  })

  it('moves a partition leader on demand, bumping the epoch', async () => {
    await using c = client()
    await c.cluster.refreshMetadata({ topics: ['moving'], allowAutoTopicCreation: true })
    const before = c.cluster.metadata.partition('moving', 1)!
    const target = before.replicas.find((id) => id !== before.leader)!
    kafka.control.moveLeader('moving', 1, target)
    await c.cluster.refreshMetadata({ topics: ['moving'] })
    const after = c.cluster.metadata.partition('moving', 1)!
    expect(after.leader).toBe(target)
    expect(after.leaderEpoch).toBe(before.leaderEpoch + 1)
  })

  it('spreads partition leaders over the brokers', async () => {
    await using c = client()
    await c.cluster.refreshMetadata({ topics: ['spread'], allowAutoTopicCreation: true })
    const leaders = new Set(c.cluster.metadata.topic('spread')!.partitions.map((p) => p.leader))
    expect(leaders.size).toBe(3)
  })

  it('runs several clusters in one process without sharing state', async () => {
    const other = await startEmbeddedKafka({ security: false })
    try {
      other.control.state.createTopic('only-here', 1, 1)
      expect(kafka.control.state.topics.has('only-here')).toBe(false)
      expect(other.control.state.clusterId).not.toBe(kafka.control.state.clusterId)
    } finally {
      await other.stop()
    }
  })
})
