import kafkajs, { type Consumer } from 'kafkajs'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { type EmbeddedKafka, startEmbeddedKafka } from '../src/embedded/embedded-kafka.js'
import { eventually } from './support/group-member.js'

const { Kafka, logLevel, Partitioners } = kafkajs

/**
 * A third-party client's transactions against the embedded coordinator:
 * kafkajs 2.2.4 finds the transaction coordinator among three brokers,
 * commits one transaction (with consumed offsets), aborts another, and its
 * read_committed consumer sees only what was committed.
 */
describe('kafkajs 2.2.4 transactions on the embedded broker', () => {
  let kafka: EmbeddedKafka
  const logs: string[] = []

  beforeAll(async () => {
    kafka = await startEmbeddedKafka({ brokers: 3, security: false })
    kafka.control.state.createTopic('kafkajs-payments', 2, 3)
  })

  afterAll(async () => {
    await kafka?.stop()
  })

  it('commits and aborts, and a read_committed consumer sees only the committed records', async () => {
    onTestFailed(() => console.warn(`kafkajs log:\n${logs.slice(-200).join('\n')}`))
    const client = new Kafka({
      clientId: 'kafkajs-transactions',
      brokers: kafka.bootstrapServers,
      logLevel: logLevel.INFO,
      logCreator: () => (entry) => void logs.push(`${entry.namespace} ${entry.log.message}`),
    })
    const topic = 'kafkajs-payments'
    const producer = client.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      transactionalId: 'kafkajs-payments-tx',
      idempotent: true,
      maxInFlightRequests: 1,
    })
    await producer.connect()
    const messages = (prefix: string) =>
      Array.from({ length: 6 }, (_, i) => ({ partition: i % 2, value: `${prefix}-${i}` }))
    try {
      const committed = await producer.transaction()
      await committed.send({ topic, messages: messages('committed') })
      await committed.sendOffsets({
        consumerGroupId: 'kafkajs-upstream',
        topics: [{ topic, partitions: [{ partition: 0, offset: '42' }] }],
      })
      await committed.commit()

      const aborted = await producer.transaction()
      await aborted.send({ topic, messages: messages('aborted') })
      await aborted.abort()

      const last = await producer.transaction()
      await last.send({ topic, messages: messages('last') })
      await last.commit()
    } finally {
      await producer.disconnect()
    }

    const consumer: Consumer = client.consumer({
      groupId: 'kafkajs-payments-reader',
      maxWaitTimeInMs: 200,
      readUncommitted: false,
    })
    const received: string[] = []
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    await consumer.run({ eachMessage: async ({ message }) => void received.push(String(message.value)) })
    try {
      // The last transaction comes after the aborted one in both partitions: once it is in, the aborted one was passed.
      await eventually(() => (received.filter((v) => v.startsWith('last-')).length >= 6 ? true : undefined), 30_000)
    } finally {
      await consumer.disconnect()
    }
    expect(received.sort()).toEqual([...messages('committed'), ...messages('last')].map((m) => m.value).sort())

    const admin = client.admin()
    await admin.connect()
    try {
      const [offsets] = await admin.fetchOffsets({ groupId: 'kafkajs-upstream', topics: [topic] })
      expect(offsets?.partitions.find((p) => p.partition === 0)?.offset).toBe('42')
    } finally {
      await admin.disconnect()
    }
  })
})
