import { Kafka, KafkaClient, type KafkitProducer, type KafkitTransaction } from 'kafkit'
import { afterAll, beforeAll } from 'vitest'
import { uniqueTopic } from './test-cluster.js'
import { createTopic } from './topics.js'

export interface TransactionalProducers {
  /** A connected low-level client, to create topics and ask the brokers directly. */
  readonly client: KafkaClient
  readonly kafka: Kafka
  /** A connected transactional producer that sends at once (lingerMs 0) and retries quickly. */
  transactionalProducer(transactionalId?: string): Promise<KafkitProducer>
  /** Disconnects a producer the test made itself when the block ends. */
  track(producer: KafkitProducer): KafkitProducer
  /**
   * A new two-partition topic and a transaction left open on it: records a and
   * b on partition 0, c on partition 1. `before` is the time just before it began.
   */
  openTransaction(prefix: string): Promise<OpenTransaction>
}

export interface OpenTransaction {
  topic: string
  transactionalId: string
  producer: KafkitProducer
  txn: KafkitTransaction
  before: number
}

/**
 * For a describe block of transaction tests: a client and a Kafka (with
 * `clientId`) for the cluster's brokers, made before its tests, and every
 * producer it hands out disconnected after them.
 */
export function useTransactionalProducers(brokers: () => string[], clientId: string): TransactionalProducers {
  let client: KafkaClient | undefined
  let kafka: Kafka | undefined
  const producers: KafkitProducer[] = []
  beforeAll(async () => {
    client = new KafkaClient({ brokers: brokers() })
    await client.connect()
    kafka = new Kafka({ clientId, brokers: brokers() })
  })
  afterAll(async () => {
    await Promise.allSettled(producers.map((p) => p.disconnect()))
    await client?.close()
  })
  const track = (producer: KafkitProducer): KafkitProducer => {
    producers.push(producer)
    return producer
  }
  const handle: TransactionalProducers = {
    get client() {
      if (!client) throw new Error('the client connects in beforeAll')
      return client
    },
    get kafka() {
      if (!kafka) throw new Error('the Kafka is made in beforeAll')
      return kafka
    },
    track,
    async transactionalProducer(transactionalId = uniqueTopic('txn')) {
      const producer = track(handle.kafka.producer({ transactionalId, lingerMs: 0, retryBackoffMs: 20 }))
      await producer.connect()
      return producer
    },
    async openTransaction(prefix) {
      const topic = uniqueTopic(prefix)
      await createTopic(handle.client, topic, 2)
      const transactionalId = uniqueTopic(`${prefix}-id`)
      const producer = await handle.transactionalProducer(transactionalId)
      const before = Date.now()
      const txn = await producer.transaction()
      await txn.send({
        topic,
        messages: [
          { value: 'a', partition: 0 },
          { value: 'b', partition: 0 },
          { value: 'c', partition: 1 },
        ],
      })
      return { topic, transactionalId, producer, txn, before }
    },
  }
  return handle
}
