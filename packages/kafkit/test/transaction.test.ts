import { type EmbeddedKafka, startEmbeddedKafka } from '@kafkit/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  InvalidMessageError,
  Kafka,
  KafkaClient,
  logLevel,
  ProducerFencedError,
  TransactionStateError,
} from '../src/index.js'

/**
 * The kafkajs-shaped transaction object of `await producer.transaction()`:
 * what it allows once finished, what `isActive()` says, and how a producer
 * without a transactionalId refuses it.
 */
let cluster: EmbeddedKafka
let kafka: Kafka
let topic: string

beforeAll(async () => {
  cluster = await startEmbeddedKafka({ security: false })
  kafka = new Kafka({ clientId: 'kafkit-txn-test', brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING })
  topic = 'txn-object'
  const client = new KafkaClient({ brokers: cluster.bootstrapServers })
  await client.connect()
  await client.cluster.requestAny('CreateTopics', {
    topics: [{ name: topic, numPartitions: 1, replicationFactor: -1, assignments: [], configs: [] }],
    timeoutMs: 5000,
    validateOnly: false,
  })
  await client.close()
})
afterAll(() => cluster?.stop())

describe('producer.transaction()', () => {
  it('is finished once committed or aborted, and says how to start the next', async () => {
    const producer = kafka.producer({ transactionalId: 'txn-object-1' })
    await producer.connect()
    expect(producer.transactionState).toBe('ready')
    const first = await producer.transaction()
    await first.send({ topic, messages: [{ value: 'a' }] })
    await first.commit()
    expect(first.isActive()).toBe(false)
    await expect(first.abort()).rejects.toThrow(/was committed; start another with producer.transaction\(\)/)
    const second = await producer.transaction()
    expect(second.isActive()).toBe(true)
    await second.abort()
    await expect(second.sendOffsets({ consumerGroupId: 'g', topics: [] })).rejects.toThrow(/was aborted/)
    await producer.disconnect()
  })

  it('checks sendOffsets input at the call', async () => {
    const producer = kafka.producer({ transactionalId: 'txn-object-2' })
    await producer.connect()
    const txn = await producer.transaction()
    await expect(txn.sendOffsets({ topics: [] })).rejects.toBeInstanceOf(InvalidMessageError)
    expect(txn.isActive()).toBe(true)
    await txn.abort()
    await producer.disconnect()
  })

  it('is no longer active once a newer producer fenced this one', async () => {
    const first = kafka.producer({ transactionalId: 'txn-object-3' })
    await first.connect()
    const txn = await first.transaction()
    await txn.send({ topic, messages: [{ value: 'b' }] })
    const second = kafka.producer({ transactionalId: 'txn-object-3' })
    await second.connect()
    await expect(txn.commit()).rejects.toBeInstanceOf(ProducerFencedError)
    expect(txn.isActive()).toBe(false)
    await first.disconnect()
    await second.disconnect()
  })

  it('needs a transactionalId', async () => {
    const producer = kafka.producer()
    await producer.connect()
    await expect(producer.transaction()).rejects.toBeInstanceOf(TransactionStateError)
    await expect(producer.transaction()).rejects.toThrow(/create the producer with a transactionalId/)
    await producer.disconnect()
  })
})
