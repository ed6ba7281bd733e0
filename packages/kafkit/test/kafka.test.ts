import { startEmbeddedKafka } from '@kafkit/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readPartition } from '../../../test/integration/support/topics.js'
import {
  CompressionTypes,
  InvalidMessageError,
  Kafka,
  logLevel,
  ProducerSendError,
  RecordTooLargeError,
} from '../src/index.js'

let kafka: Kafka
let stop: () => Promise<void>
let brokers: string[]

beforeAll(async () => {
  const cluster = await startEmbeddedKafka({ security: false })
  brokers = cluster.bootstrapServers
  stop = () => cluster.stop()
  kafka = new Kafka({ clientId: 'kafkit-test', brokers, logLevel: logLevel.NOTHING })
})
afterAll(() => stop?.())

describe('new Kafka()', () => {
  it('rejects invalid options at the call, saying what to change', () => {
    expect(() => new Kafka({ brokers: [] })).toThrow(/brokers must list at least one/)
    expect(() => new Kafka({ brokers: ['localhost'] })).toThrow(/host:port/)
    expect(() => new Kafka({ brokers, logLevel: 3 as 2 })).toThrow(/logLevel must be one of/)
    expect(() => kafka.producer({ lingerMs: -1 })).toThrow(/lingerMs must be an integer >= 0/)
  })
})

describe('kafka.producer()', () => {
  it('sends keys, values and headers as strings or Buffers and reports bigint offsets', async () => {
    const producer = kafka.producer()
    await producer.connect()
    const results = await producer.send({
      topic: 'umbrella-send',
      messages: [
        { key: 'k1', value: 'hello', headers: { trace: ['a', Buffer.from('b')], one: 'x' } },
        { key: Buffer.from('k2'), value: null, timestamp: '1700000000000' },
        { value: Buffer.from([1, 2, 3]), partition: 0 },
      ],
    })
    expect(results.map((r) => r.offset)).toEqual([0n, 1n, 2n])
    expect(results[1]).toMatchObject({ topic: 'umbrella-send', partition: 0, timestamp: 1700000000000 })
    await producer.disconnect()

    const client = new (await import('@kafkit/client')).KafkaClient({ brokers })
    await client.connect()
    await client.cluster.refreshMetadata({ topics: ['umbrella-send'] })
    const [first, second, third] = await readPartition(client, 'umbrella-send', 0)
    await client.close()
    expect(first?.headers.map((h) => [h.key, h.value?.toString()])).toEqual([
      ['trace', 'a'],
      ['trace', 'b'],
      ['one', 'x'],
    ])
    expect(first?.key?.toString()).toBe('k1')
    expect(second?.value).toBeNull()
    expect(third?.value).toEqual(Buffer.from([1, 2, 3]))
  })

  it('sends batches to several topics with per-call compression', async () => {
    const producer = kafka.producer()
    await producer.connect()
    const results = await producer.sendBatch({
      compression: CompressionTypes.GZIP,
      topicMessages: [
        { topic: 'umbrella-a', messages: [{ value: 'a1' }, { value: 'a2' }] },
        { topic: 'umbrella-b', messages: [{ value: 'b1' }] },
      ],
    })
    expect(results.map((r) => [r.topic, r.offset])).toEqual([
      ['umbrella-a', 0n],
      ['umbrella-a', 1n],
      ['umbrella-b', 0n],
    ])
    await producer.flush()
    await producer.disconnect()
  })

  it('fails invalid records at the call without sending any', async () => {
    const producer = kafka.producer()
    await expect(producer.send({ topic: 't', messages: [{ value: 'x' }] })).rejects.toThrow(
      /await producer.connect\(\)/,
    )
    await producer.connect()
    await expect(producer.send({ topic: 't', messages: [] })).rejects.toThrow(/non-empty array/)
    await expect(producer.send({ topic: 't', messages: [{ key: 'k' } as never] })).rejects.toThrow(
      /messages\[0\] has no value/,
    )
    await expect(producer.send({ topic: 't', messages: [{ value: 1 as never }] })).rejects.toThrow(InvalidMessageError)
    await expect(producer.send({ topic: 't', messages: [{ value: 'x', timestamp: 'yesterday' }] })).rejects.toThrow(
      /timestamp must be milliseconds/,
    )
    await expect(producer.send({ topic: 't', acks: 1, messages: [{ value: 'x' }] })).rejects.toThrow(
      /idempotent, which needs acks -1/,
    )
    await producer.disconnect()
  })

  it('reports each record of a partly failed send', async () => {
    const producer = kafka.producer()
    await producer.connect()
    const error = await producer
      .send({ topic: 'umbrella-mixed', messages: [{ value: 'ok' }, { value: Buffer.alloc(2 * 1024 * 1024) }] })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProducerSendError)
    const outcomes = (error as ProducerSendError).outcomes
    expect(outcomes[0]).toMatchObject({ status: 'fulfilled', value: { offset: 0n } })
    expect(outcomes[1]).toMatchObject({ status: 'rejected', index: 1 })
    expect((outcomes[1] as { reason: unknown }).reason).toBeInstanceOf(RecordTooLargeError)
    await producer.disconnect()
  })
})
