import { defaultPartition } from '@kafkit/protocol'
import { Kafka, KafkaClient } from 'kafkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { javaAvailable } from '../cross-check/support/java.js'
import { javaMurmur2, orThrow } from '../reference/java-reference.js'
import { uniqueTopic, useTestCluster } from './support/test-cluster.js'
import { createTopic, readPartition } from './support/topics.js'

/** The producer's partitioning against a real broker target: keyed records land where the Java producer puts them. */
const { cluster, skipReason } = await useTestCluster()
const java = await javaAvailable('producer-partitioning')

describe.skipIf(skipReason !== undefined)(`producer partitioning against the ${cluster?.target} target`, () => {
  let client: KafkaClient
  beforeAll(async () => {
    client = new KafkaClient({ brokers: cluster!.bootstrapServers })
    await client.connect()
  })
  afterAll(() => client?.close())

  it('puts each keyed record on the partition the Java partitioner picks', async () => {
    const topic = uniqueTopic('keys')
    const partitions = 6
    await createTopic(client, topic, partitions)
    const keys = Array.from({ length: 300 }, (_, i) => `customer-${i * 7919}`)
    const expected = java
      ? orThrow(await javaMurmur2(keys.map((key) => ({ key: Buffer.from(key), partitions })))).map((r) => r.partition)
      : keys.map((key) => defaultPartition(Buffer.from(key), partitions))

    const kafka = new Kafka({ clientId: 'kafkit-partitioning', brokers: cluster!.bootstrapServers })
    const producer = kafka.producer()
    await producer.connect()
    const results = await producer.send({ topic, messages: keys.map((key) => ({ key, value: `value of ${key}` })) })
    await producer.disconnect()
    expect(results.map((r) => r.partition)).toEqual(expected)

    // The broker agrees: each partition holds exactly the keys sent to it, in order.
    for (let p = 0; p < partitions; p++) {
      const stored = (await readPartition(client, topic, p)).map((r) => r.key?.toString())
      expect(stored).toEqual(keys.filter((_, i) => expected[i] === p))
    }
  })

  it('spreads unkeyed records batch by batch (sticky) and keeps explicit partitions', async () => {
    const topic = uniqueTopic('sticky')
    await createTopic(client, topic, 4)
    const kafka = new Kafka({ clientId: 'kafkit-partitioning', brokers: cluster!.bootstrapServers })
    const producer = kafka.producer({ batchBytes: 1024, lingerMs: 0 })
    await producer.connect()
    const unkeyed = await producer.send({
      topic,
      messages: Array.from({ length: 400 }, () => ({ value: 'x'.repeat(100) })),
    })
    const explicit = await producer.send({ topic, messages: [{ value: 'pinned', partition: 3, key: 'any' }] })
    await producer.disconnect()
    expect(new Set(unkeyed.map((r) => r.partition)).size).toBeGreaterThan(1)
    // Consecutive records share a partition for about a batch, rather than alternating.
    const switches = unkeyed.filter((r, i) => i > 0 && r.partition !== unkeyed[i - 1]!.partition).length
    expect(switches).toBeLessThan(100)
    expect(explicit[0]?.partition).toBe(3)
  })
})
