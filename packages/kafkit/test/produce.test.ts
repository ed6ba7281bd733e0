import { type EmbeddedKafka, startEmbeddedKafka } from '@kafkit/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTopic, readPartition } from '../../../test/integration/support/topics.js'
import {
  type DeliveryCallback,
  InvalidMessageError,
  Kafka,
  KafkaClient,
  logLevel,
  ProducerSendError,
  type RecordMetadata,
} from '../src/index.js'

let cluster: EmbeddedKafka
let kafka: Kafka
let admin: KafkaClient
let topics = 0
const freshTopic = () => `umbrella-produce-${++topics}-${Math.random().toString(36).slice(2, 8)}`

beforeAll(async () => {
  cluster = await startEmbeddedKafka({ security: false })
  kafka = new Kafka({ clientId: 'kafkit-produce-test', brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING })
  admin = new KafkaClient({ brokers: cluster.bootstrapServers })
  await admin.connect()
})
afterAll(async () => {
  await admin?.close()
  await cluster?.stop()
})

describe('producer.produce (kafka.producer())', () => {
  it('takes strings, Buffers and headers and calls the callback once per record', async () => {
    const topic = freshTopic()
    await createTopic(admin, topic, 1)
    const producer = kafka.producer()
    await producer.connect()
    const calls: { error: unknown; metadata: RecordMetadata | null }[][] = Array.from({ length: 4 }, () => [])
    const settled = new Promise<void>((resolve) => {
      let left = 4
      for (let i = 0; i < 4; i++) {
        const onDelivery: DeliveryCallback = (error, metadata) => {
          calls[i]!.push({ error, metadata })
          if (--left === 0) resolve()
        }
        producer.produce(
          { topic, key: i % 2 === 0 ? `k${i}` : Buffer.from(`k${i}`), value: `v${i}`, headers: { n: String(i) } },
          onDelivery,
        )
      }
    })
    await settled
    await producer.disconnect()
    expect(calls.map((c) => c.length)).toEqual([1, 1, 1, 1])
    expect(calls.map((c) => c[0]!.metadata?.offset)).toEqual([0n, 1n, 2n, 3n])
    const stored = await readPartition(admin, topic, 0)
    expect(stored.map((r) => [r.key?.toString(), r.value?.toString(), r.headers[0]?.value?.toString()])).toEqual([
      ['k0', 'v0', '0'],
      ['k1', 'v1', '1'],
      ['k2', 'v2', '2'],
      ['k3', 'v3', '3'],
    ])
  })

  it('without a callback, reports failed records through the next flush', async () => {
    const topic = freshTopic()
    await createTopic(admin, topic, 1)
    const producer = kafka.producer({ lingerMs: 0 })
    await producer.connect()
    producer.produce({ topic, value: 'fine' })
    await producer.flush()
    const remove = cluster.control.intercept('Produce', {}, () => ({ errorCode: 'INVALID_RECORD' }))
    producer.produce({ topic, value: 'refused 1' })
    producer.produce({ topic, value: 'refused 2' })
    const error = await producer.flush().catch((e: unknown) => e)
    remove()
    expect(error).toBeInstanceOf(ProducerSendError)
    const outcomes = (error as ProducerSendError).outcomes
    expect(outcomes.map((o) => o.status === 'rejected' && [o.topic, o.index, o.reason.name])).toEqual([
      [topic, 1, 'InvalidRecordError'],
      [topic, 2, 'InvalidRecordError'],
    ])
    // Reported once: the next flush has nothing to say.
    producer.produce({ topic, value: 'fine again' })
    await expect(producer.flush()).resolves.toBeUndefined()
    await producer.disconnect()
    expect((await readPartition(admin, topic, 0)).map((r) => r.value?.toString())).toEqual(['fine', 'fine again'])
  })

  it('throws at the call for invalid input or an unconnected producer', async () => {
    const producer = kafka.producer()
    expect(() => producer.produce({ topic: 't', value: 'x' })).toThrow(/not connected/)
    await producer.connect()
    expect(() => producer.produce({ topic: '', value: 'x' })).toThrow(/needs a topic/)
    expect(() => producer.produce({ topic: 't' } as never)).toThrow(/has no value/)
    expect(() => producer.produce({ topic: 't', value: 5 } as never)).toThrow(InvalidMessageError)
    expect(() => producer.produce({ topic: 't', value: 'x', timestamp: -1 })).toThrow(/timestamp/)
    expect(() => producer.produce({ topic: 't', value: 'x' }, 'no' as never)).toThrow(/must be a function/)
    await producer.disconnect()
    expect(() => producer.produce({ topic: 't', value: 'x' })).toThrow(/disconnected/)
  })
})
