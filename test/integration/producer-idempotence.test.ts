import type { EmbeddedControl } from '@kafkit/testkit'
import { Kafka, KafkaClient } from 'kafkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uniqueTopic, useTestCluster } from './support/test-cluster.js'
import { createTopic, readPartition } from './support/topics.js'

/**
 * Idempotence across an epoch bump (KIP-360), on the embedded broker, whose
 * control API can lose a Produce response after the write and answer
 * UNKNOWN_PRODUCER_ID: a batch that may already be written is retried with the
 * epoch and sequence it was first sent with, so the broker recognises it, while
 * the partition that asked for the bump restarts at sequence 0.
 */
const target = process.env.KAFKA_BROKERS ? 'external' : (process.env.KAFKIT_TARGET ?? 'embedded')
const notEmbedded = target === 'embedded' ? undefined : `the ${target} target cannot inject Produce errors`
if (notEmbedded) console.warn(`skipped: ${notEmbedded}`)
const { cluster, skipReason } = notEmbedded
  ? { cluster: undefined, skipReason: notEmbedded }
  : await useTestCluster({ brokers: 3 })

describe.skipIf(skipReason !== undefined)('the idempotent producer across an epoch bump', () => {
  let client: KafkaClient
  let control: EmbeddedControl
  beforeAll(async () => {
    control = (cluster as unknown as { control: EmbeddedControl }).control
    client = new KafkaClient({ brokers: cluster!.bootstrapServers })
    await client.connect()
  })
  afterAll(() => client?.close())

  it('resends a batch that may have been written with its old epoch, so a bump caused by another partition writes it once', async () => {
    const topic = uniqueTopic('bump')
    await createTopic(client, topic, 2)
    const partitions = control.state.topics.get(topic)!.partitions
    const [leader0, leader1] = partitions.map((p) => p.leader)
    expect(leader0).not.toBe(leader1)
    const producer = new Kafka({ clientId: 'kafkit-bump', brokers: cluster!.bootstrapServers }).producer({
      lingerMs: 0,
    })
    await producer.connect()
    await producer.send({
      topic,
      messages: [
        { value: 'p0-a', partition: 0 },
        { value: 'p1-a', partition: 1 },
      ],
    })

    // Partition 0's leader writes the next batch but its answer is lost; partition 1's leader
    // answers UNKNOWN_PRODUCER_ID, which bumps the epoch while partition 0's batch waits to be retried.
    let written = 0
    control.intercept('Produce', { once: true, broker: leader0 }, async (request, context) => {
      await context.handlers.get('Produce')!.handle(request as never, context)
      written++
      return { drop: true }
    })
    control.intercept('Produce', { once: true, broker: leader1 }, () => ({ errorCode: 'UNKNOWN_PRODUCER_ID' }))
    const [[p0], [p1]] = await Promise.all([
      producer.send({ topic, messages: [{ value: 'p0-b', partition: 0 }] }),
      producer.send({ topic, messages: [{ value: 'p1-b', partition: 1 }] }),
    ])
    // After the bump, partition 0's new batches use the new epoch from sequence 0.
    await producer.send({ topic, messages: [{ value: 'p0-c', partition: 0 }] })
    await producer.disconnect()

    expect(written).toBe(1)
    expect(p0).toMatchObject({ partition: 0, offset: 1n })
    expect(p1).toMatchObject({ partition: 1, offset: 1n })
    expect((await readPartition(client, topic, 0)).map((r) => r.value?.toString())).toEqual(['p0-a', 'p0-b', 'p0-c'])
    expect((await readPartition(client, topic, 1)).map((r) => r.value?.toString())).toEqual(['p1-a', 'p1-b'])
    const stored = (p: number) =>
      partitions[p]!.log.storedBatches.map((b) => [b.header.producerEpoch, b.header.baseSequence])
    const [epoch] = stored(0)[0]!
    expect(stored(0)).toEqual([
      [epoch, 0],
      [epoch, 1],
      [epoch! + 1, 0],
    ])
    expect(stored(1)).toEqual([
      [epoch, 0],
      [epoch! + 1, 0],
    ])
  })
})
