import { KafkaClient } from '@kafkit/client'
import { Producer } from '@kafkit/producer'
import { type EmbeddedKafka, startEmbeddedKafka } from '@kafkit/testkit'
import { createTopic } from '../../../test/integration/support/topics.js'
import { Consumer, type ConsumerOptions, type PartitionRecords } from '../src/index.js'

/** One embedded cluster per test file, a client for setup, and helpers that create topics and records. */
export interface ConsumerFixture {
  cluster: EmbeddedKafka
  client: KafkaClient
  clients: KafkaClient[]
  topic(name: string, partitions: number): Promise<string>
  produce(topic: string, records: { partition: number; value: string; key?: string }[]): Promise<void>
  consumer(options?: ConsumerOptions): Consumer
  stop(): Promise<void>
}

let counter = 0

export async function startConsumerFixture(): Promise<ConsumerFixture> {
  const cluster = await startEmbeddedKafka({ security: false })
  const client = new KafkaClient({ brokers: cluster.bootstrapServers })
  await client.connect()
  const producer = new Producer(client, { lingerMs: 0 })
  const clients: KafkaClient[] = []
  const consumers: Consumer[] = []
  return {
    cluster,
    client,
    clients,
    async topic(name, partitions) {
      const unique = `${name}-${++counter}-${Math.random().toString(36).slice(2, 7)}`
      await createTopic(client, unique, partitions)
      return unique
    },
    async produce(topic, records) {
      await Promise.all(
        records.map((r) =>
          producer.send({
            topic,
            partition: r.partition,
            key: r.key === undefined ? null : Buffer.from(r.key),
            value: Buffer.from(r.value),
          }),
        ),
      )
    },
    consumer(options = {}) {
      const consumerClient = new KafkaClient({ brokers: cluster.bootstrapServers })
      clients.push(consumerClient)
      const consumer = new Consumer(consumerClient, { maxWaitMs: 100, ...options })
      consumers.push(consumer)
      return consumer
    },
    async stop() {
      await Promise.allSettled(consumers.map((c) => c.close()))
      await Promise.allSettled(clients.map((c) => c.close()))
      await producer.close()
      await client.close()
      await cluster.stop()
    },
  }
}

/** Polls until `count` records arrived (or the deadline passes), returning them as "partition:value". */
export async function pollValues(consumer: Consumer, count: number, timeoutMs = 20_000): Promise<string[]> {
  const values: string[] = []
  const deadline = Date.now() + timeoutMs
  while (values.length < count && Date.now() < deadline) {
    const batches: PartitionRecords[] = await consumer.poll({ timeoutMs: 200 })
    for (const b of batches) for (const r of b.records) values.push(`${b.partition}:${r.value?.toString()}`)
  }
  return values
}
