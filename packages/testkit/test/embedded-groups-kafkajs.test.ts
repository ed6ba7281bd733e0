import kafkajs, { type Consumer } from 'kafkajs'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { type EmbeddedKafka, startEmbeddedKafka } from '../src/embedded/embedded-kafka.js'
import { defaultHandlers } from '../src/embedded/handlers/registry.js'
import { eventually } from './support/group-member.js'

const { Kafka, logLevel, Partitioners } = kafkajs

/** kafkajs needs the data path too: until the broker serves these, there is nothing to consume. */
const DATA_APIS = ['Produce', 'Fetch', 'ListOffsets'] as const
const handlers = defaultHandlers()
const missing = DATA_APIS.filter((api) => !handlers.has(api))

/**
 * A third-party client's consumer group against the embedded coordinator:
 * kafkajs 2.2.4 joins (MEMBER_ID_REQUIRED round trip included), leads, assigns
 * itself every partition, consumes, commits and leaves, as with real Kafka.
 */
describe.skipIf(missing.length > 0)('a kafkajs 2.2.4 consumer group on the embedded broker', () => {
  let kafka: EmbeddedKafka
  const logs: string[] = []

  beforeAll(async () => {
    kafka = await startEmbeddedKafka({ brokers: 3, security: false })
    kafka.control.state.createTopic('kafkajs-orders', 3, 3)
  })

  afterAll(async () => {
    await kafka?.stop()
  })

  it('joins, gets every partition, and commits what it consumed', async () => {
    onTestFailed(() => console.warn(`kafkajs log:\n${logs.slice(-200).join('\n')}`))
    const client = new Kafka({
      clientId: 'kafkajs-groups',
      brokers: kafka.bootstrapServers,
      logLevel: logLevel.INFO,
      logCreator: () => (entry) => void logs.push(`${entry.namespace} ${entry.log.message}`),
    })
    const topic = 'kafkajs-orders'
    const groupId = 'kafkajs-group'
    const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner })
    await producer.connect()
    await producer.send({
      topic,
      messages: Array.from({ length: 30 }, (_, i) => ({ partition: i % 3, value: `order-${i}` })),
    })
    await producer.disconnect()

    const consumer: Consumer = client.consumer({ groupId, maxWaitTimeInMs: 200 })
    let joined: { memberId: string; leaderId: string; partitions: number[] } | undefined
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      joined = {
        memberId: payload.memberId,
        leaderId: payload.leaderId,
        partitions: payload.memberAssignment[topic] ?? [],
      }
    })
    const received: string[] = []
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    await consumer.run({ eachMessage: async ({ message }) => void received.push(String(message.value)) })
    try {
      await eventually(() => (received.length >= 30 ? true : undefined), 30_000)
    } finally {
      await consumer.disconnect()
    }
    expect(joined?.leaderId).toBe(joined?.memberId)
    expect(joined?.partitions.sort()).toEqual([0, 1, 2])
    expect(received.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `order-${i}`).sort())

    const admin = client.admin()
    await admin.connect()
    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] })
      expect(committed?.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([
        [0, '10'],
        [1, '10'],
        [2, '10'],
      ])
      // Leaving on disconnect emptied the group.
      const { groups } = await admin.describeGroups([groupId])
      expect(groups[0]?.state).toBe('Empty')
    } finally {
      await admin.disconnect()
    }
  })
})
