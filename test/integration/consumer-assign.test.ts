import { Kafka, KafkaClient, NoOffsetForPartitionError } from 'kafkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uniqueTopic, useTestCluster } from './support/test-cluster.js'
import { createTopic } from './support/topics.js'

/**
 * The consumer without a group (assign mode) against every broker target:
 * everything read back in order across batches and partitions, positions from
 * autoOffsetReset, seek / pause / resume, commits of the next offset to read,
 * and read_committed hiding an aborted transaction.
 */
const { cluster, skipReason } = await useTestCluster()

describe.skipIf(skipReason !== undefined)(`consumer in assign mode against the ${cluster?.target} target`, () => {
  let client: KafkaClient
  let kafka: Kafka
  beforeAll(async () => {
    client = new KafkaClient({ brokers: cluster!.bootstrapServers })
    await client.connect()
    kafka = new Kafka({ clientId: 'kafkit-consumer-assign', brokers: cluster!.bootstrapServers })
  })
  afterAll(() => client?.close())

  async function produce(topic: string, partitions: number, perPartition: number): Promise<void> {
    const producer = kafka.producer({ lingerMs: 0, batchBytes: 2048 })
    await producer.connect()
    for (let partition = 0; partition < partitions; partition++) {
      await producer.send({
        topic,
        messages: Array.from({ length: perPartition }, (_, i) => ({ partition, value: `${partition}-${i}` })),
      })
    }
    await producer.disconnect()
  }

  it('reads every record back in order across batches and partitions', async () => {
    const topic = uniqueTopic('consume-order')
    await createTopic(client, topic, 3)
    await produce(topic, 3, 400)
    const consumer = kafka.consumer({ autoOffsetReset: 'earliest', maxPartitionFetchBytes: 4096, maxWaitMs: 100 })
    consumer.assign([{ topic, partitions: [0, 1, 2] }])
    const byPartition = new Map<number, string[]>([
      [0, []],
      [1, []],
      [2, []],
    ])
    let total = 0
    for await (const message of consumer) {
      byPartition.get(message.partition)!.push(`${message.offset}:${message.value}`)
      if (++total === 1200) break
    }
    for (const [partition, values] of byPartition) {
      expect(values).toEqual(Array.from({ length: 400 }, (_, i) => `${i}:${partition}-${i}`))
    }
    await consumer.disconnect()
  })

  it('starts at the end (latest), the beginning (earliest), or fails typed (none) without a committed offset', async () => {
    const topic = uniqueTopic('consume-reset')
    await createTopic(client, topic, 1)
    await produce(topic, 1, 3)
    const groupId = `group-${topic}`
    const none = kafka.consumer({ groupId, autoOffsetReset: 'none', maxWaitMs: 100 })
    none.assign([{ topic, partitions: [0] }])
    await expect(
      (async () => {
        for await (const _ of none) break
      })(),
    ).rejects.toBeInstanceOf(NoOffsetForPartitionError)
    await none.commitOffsets([{ topic, partition: 0, offset: 2n }])
    const values: string[] = []
    for await (const message of none) {
      values.push(message.value!.toString())
      break
    }
    expect(values).toEqual(['0-2'])
    await none.disconnect()

    const earliest = kafka.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 100 })
    earliest.assign([{ topic, partitions: [0] }])
    for await (const message of earliest) {
      expect(message.offset).toBe(0n)
      break
    }
    await earliest.disconnect()
  })

  it('seeks, pauses and resumes as Java does', async () => {
    const topic = uniqueTopic('consume-seek')
    await createTopic(client, topic, 2)
    await produce(topic, 2, 5)
    const consumer = kafka.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 100 })
    consumer.assign([{ topic, partitions: [0, 1] }])
    consumer.pause([{ topic, partitions: [0] }])
    consumer.seek({ topic, partition: 1, offset: '3' })
    const seen: string[] = []
    for await (const message of consumer) {
      seen.push(`${message.partition}:${message.offset}`)
      if (seen.length === 2) break
    }
    expect(seen).toEqual(['1:3', '1:4'])
    consumer.resume([{ topic }])
    for await (const message of consumer) {
      seen.push(`${message.partition}:${message.offset}`)
      if (seen.length === 7) break
    }
    expect(seen.slice(2)).toEqual(['0:0', '0:1', '0:2', '0:3', '0:4'])
    await consumer.disconnect()
  })

  it('read_committed hides the records of an aborted transaction', async () => {
    const topic = uniqueTopic('consume-txn')
    await createTopic(client, topic, 1)
    const producer = kafka.producer({ transactionalId: `tx-${topic}` })
    await producer.connect()
    for (const [value, commit] of [
      ['kept-1', true],
      ['aborted', false],
      ['kept-2', true],
    ] as const) {
      const transaction = await producer.transaction()
      await transaction.send({ topic, messages: [{ value, partition: 0 }] })
      if (commit) await transaction.commit()
      else await transaction.abort()
    }
    await producer.disconnect()
    const consumer = kafka.consumer({ autoOffsetReset: 'earliest', isolationLevel: 'read_committed', maxWaitMs: 100 })
    consumer.assign([{ topic, partitions: [0] }])
    const values: string[] = []
    for await (const message of consumer) {
      values.push(message.value!.toString())
      if (values.length === 2) break
    }
    expect(values).toEqual(['kept-1', 'kept-2'])
    await consumer.disconnect()
  })
})
