import { type Admin, Kafka, type KafkitProducer } from 'kafkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uniqueTopic, useTestCluster } from '../integration/support/test-cluster.js'
import { waitFor } from '../integration/support/wait-for.js'

/**
 * The admin calls that depend on where partitions and brokers are, on a
 * three-node cluster: describeTopics' under-replicated and unavailable filters
 * (kafka-topics --under-replicated-partitions / --unavailable-partitions) while
 * a node is stopped, records and offsets routed to each partition's leader
 * (also after leadership moved), and broker configs read from and written to
 * the broker they belong to. The jar cluster by default (KAFKIT_TARGET=embedded
 * runs the same file on a three-broker embedded cluster).
 */
const { cluster, skipReason } = await useTestCluster({
  brokers: 3,
  target: process.env.KAFKA_BROKERS ? undefined : process.env.KAFKIT_TARGET === 'embedded' ? 'embedded' : 'jar',
})
const nodeControlMissing = cluster && !cluster.nodes ? `the ${cluster.target} target cannot stop its nodes` : undefined
if (nodeControlMissing) console.warn(`skipped: ${nodeControlMissing}`)

describe.skipIf(skipReason !== undefined || nodeControlMissing !== undefined)('admin topics on three nodes', () => {
  let admin: Admin
  let producer: KafkitProducer
  beforeAll(async () => {
    const kafka = new Kafka({ clientId: 'kafkit-admin-topics-failover', brokers: cluster!.bootstrapServers })
    admin = kafka.admin({ defaultApiTimeoutMs: 30_000 })
    await admin.connect()
    producer = kafka.producer({ lingerMs: 0 })
    await producer.connect()
  })
  afterAll(async () => {
    await producer?.disconnect()
    await admin?.disconnect()
  })

  async function fullyReplicated(topic: string) {
    return waitFor(`every partition of ${topic} has 3 in-sync replicas`, async () => {
      const [description] = await admin.describeTopics({ topics: [topic] })
      return description!.partitions.every((p) => p.isr.length === 3 && p.leader >= 0) ? description : undefined
    })
  }

  it('routes deleteRecords and listOffsets to each partition leader', async () => {
    const topic = uniqueTopic('leaders')
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }] })
    const description = await fullyReplicated(topic)
    // Kafka spreads the leaders of a new topic over the nodes.
    expect(new Set(description.partitions.map((p) => p.leader)).size).toBe(3)
    await producer.send({
      topic,
      messages: [0, 1, 2].flatMap((partition) => [0, 1, 2, 3].map((i) => ({ value: `v${i}`, partition }))),
    })
    const partitions = [0, 1, 2].map((partition) => ({ topic, partition, offset: BigInt(partition + 1) }))
    expect(await admin.deleteRecords({ partitions })).toEqual(
      partitions.map(({ partition, offset }) => ({ topic, partition, lowWatermark: offset })),
    )
    expect(await admin.fetchTopicOffsets(topic)).toEqual(
      [0, 1, 2].map((partition) => ({ partition, offset: 4n, high: 4n, low: BigInt(partition + 1) })),
    )
  })

  it('reads and alters broker configs on the broker they belong to', async () => {
    const [one, two] = cluster!.nodes!.nodeIds.map(String)
    const described = await admin.describeConfigs({
      resources: cluster!.nodes!.nodeIds.map((id) => ({
        type: 'broker' as const,
        name: String(id),
        configNames: ['broker.id', 'node.id'],
      })),
    })
    expect(described.map((d) => d.resourceName)).toEqual(cluster!.nodes!.nodeIds.map(String))
    const lag = 'log.cleaner.min.compaction.lag.ms'
    const valueOn = async (broker: string) => {
      const [config] = await admin.describeConfigs({
        resources: [{ type: 'broker', name: broker, configNames: [lag] }],
      })
      return config!.configEntries[0]!
    }
    try {
      await admin.incrementalAlterConfigs({
        resources: [{ type: 'broker', name: two!, configEntries: [{ name: lag, value: '5000' }] }],
      })
      await waitFor(`broker ${two} has its own ${lag}`, async () =>
        (await valueOn(two!)).configValue === '5000' ? true : undefined,
      )
      expect(await valueOn(one!)).toMatchObject({ configValue: '0', configSource: 'DEFAULT_CONFIG' })
    } finally {
      await admin.incrementalAlterConfigs({
        resources: [{ type: 'broker', name: two!, configEntries: [{ name: lag, operation: 'delete' }] }],
      })
    }
  })

  it('lists under-replicated and unavailable partitions while a node is stopped', async () => {
    const nodes = cluster!.nodes!
    const stopped = nodes.nodeIds[2]!
    const replicated = uniqueTopic('under-replicated')
    const single = uniqueTopic('unavailable')
    await admin.createTopics({
      topics: [
        { topic: replicated, numPartitions: 2, replicationFactor: 3 },
        // Its only replica lives on the node that stops.
        { topic: single, replicaAssignment: [{ partition: 0, replicas: [stopped] }] },
      ],
    })
    await fullyReplicated(replicated)
    const topics = [replicated, single]
    expect(await admin.describeTopics({ topics, partitions: 'under-replicated' })).toEqual([])
    expect(await admin.describeTopics({ topics, partitions: 'unavailable' })).toEqual([])

    await nodes.stop(stopped)
    try {
      const under = await waitFor(`${replicated} is under-replicated without node ${stopped}`, async () => {
        const found = await admin.describeTopics({ topics, partitions: 'under-replicated' })
        const partitions = found.find((t) => t.name === replicated)?.partitions ?? []
        return partitions.length === 2 ? found : undefined
      })
      for (const partition of under.find((t) => t.name === replicated)!.partitions) {
        expect(partition.replicas).toContain(stopped)
        expect(partition.isr).not.toContain(stopped)
        expect(partition.leader).not.toBe(stopped)
      }
      const unavailable = await waitFor(`${single} is unavailable without node ${stopped}`, async () => {
        const found = await admin.describeTopics({ topics, partitions: 'unavailable' })
        return found.some((t) => t.name === single) ? found : undefined
      })
      // The replicated topic has new leaders, so it is not unavailable.
      expect(unavailable.map((t) => t.name)).toEqual([single])
      expect(unavailable[0]!.partitions).toEqual([expect.objectContaining({ partition: 0, replicas: [stopped] })])
      expect(unavailable[0]!.partitions[0]!.leader === -1 || unavailable[0]!.partitions[0]!.leader === stopped).toBe(
        true,
      )
      // All topics, as `kafka-topics --describe --under-replicated-partitions` without --topic.
      const everywhere = await admin.describeTopics({ partitions: 'under-replicated' })
      expect(everywhere.map((t) => t.name)).toContain(replicated)

      // Leadership moved off the stopped node: offsets still come from the new leaders.
      const offsets = await admin.listOffsets({
        partitions: [0, 1].map((partition) => ({ topic: replicated, partition, spec: 'latest' as const })),
      })
      expect(offsets.map((o) => o.offset)).toEqual([0n, 0n])
    } finally {
      await nodes.start(stopped)
    }
    await fullyReplicated(replicated)
    await waitFor('no partition is unavailable once the node is back', async () =>
      (await admin.describeTopics({ topics, partitions: 'unavailable' })).length === 0 ? true : undefined,
    )
  })
})
