import { KafkaClient } from '@kafkit/client'
import { startEmbeddedKafka } from '@kafkit/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTopic } from '../../../test/integration/support/topics.js'
import { waitFor } from '../../../test/integration/support/wait-for.js'
import { type ConsumedMessage, InvalidMessageError, jsonSerde, Kafka, logLevel } from '../src/index.js'

let kafka: Kafka
let client: KafkaClient
let stop: () => Promise<void>
let counter = 0

beforeAll(async () => {
  const cluster = await startEmbeddedKafka({ security: false })
  stop = () => cluster.stop()
  kafka = new Kafka({ clientId: 'consumer-test', brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING })
  client = new KafkaClient({ brokers: cluster.bootstrapServers })
  await client.connect()
})
afterAll(async () => {
  await client?.close()
  await stop?.()
})

async function topicWith(partitions: number, values: string[][]): Promise<string> {
  const topic = `umbrella-consumer-${++counter}-${Math.random().toString(36).slice(2, 7)}`
  await createTopic(client, topic, partitions)
  const producer = kafka.producer()
  await producer.connect()
  for (let p = 0; p < values.length; p++) {
    if (values[p]!.length > 0)
      await producer.send({ topic, messages: values[p]!.map((value) => ({ value, partition: p, key: `k-${value}` })) })
  }
  await producer.disconnect()
  return topic
}

describe('kafka.consumer()', () => {
  it('rejects invalid options and calls at the call, naming what to change', () => {
    expect(() => kafka.consumer({ maxBytes: 0 })).toThrow(/maxBytes must be an integer >= 1/)
    expect(() => kafka.consumer({ groupProtocol: 'new' as 'consumer' })).toThrow(/groupProtocol must be one of/)
    expect(() => kafka.consumer({ valueDeserializer: {} as never })).toThrow(
      /valueDeserializer must have a deserialize/,
    )
    const consumer = kafka.consumer()
    expect(() => consumer.subscribe({})).toThrow(InvalidMessageError)
    expect(() => consumer.seek({ topic: 't', partition: 0, offset: '-1' })).toThrow(/seek\(\) offset must be/)
  })

  it('run({ eachMessage }) in assign mode delivers every message in order per partition, with bigint offsets', async () => {
    const topic = await topicWith(2, [
      ['a0', 'a1', 'a2'],
      ['b0', 'b1'],
    ])
    const consumer = kafka.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 100 })
    await consumer.connect()
    consumer.assign([{ topic, partitions: [0, 1] }])
    const seen: ConsumedMessage[] = []
    await consumer.run({
      partitionsConsumedConcurrently: 2,
      eachMessage: async ({ message }) => {
        seen.push(message)
      },
    })
    await waitFor('5 messages', () => (seen.length >= 5 ? true : undefined), { timeoutMs: 10_000, intervalMs: 20 })
    await consumer.disconnect()
    const of = (p: number) =>
      seen.filter((m) => m.partition === p).map((m) => [m.offset, m.value?.toString(), m.key?.toString()])
    expect(of(0)).toEqual([
      [0n, 'a0', 'k-a0'],
      [1n, 'a1', 'k-a1'],
      [2n, 'a2', 'k-a2'],
    ])
    expect(of(1)).toEqual([
      [0n, 'b0', 'k-b0'],
      [1n, 'b1', 'k-b1'],
    ])
  })

  it('for await iterates typed messages and ends when the AbortSignal aborts', async () => {
    const topic = `json-${++counter}`
    await createTopic(client, topic, 1)
    const producer = kafka.producer({ valueSerializer: jsonSerde<{ n: number }>() })
    await producer.connect()
    await producer.send({ topic, messages: [1, 2, 3].map((n) => ({ value: { n } })) })
    await producer.disconnect()

    const consumer = kafka.consumer({
      autoOffsetReset: 'earliest',
      valueDeserializer: jsonSerde<{ n: number }>(),
      maxWaitMs: 50,
    })
    consumer.assign([{ topic, partitions: [0] }])
    const controller = new AbortController()
    const got: number[] = []
    for await (const message of consumer.messages({ signal: controller.signal })) {
      got.push(message.value!.n)
      if (got.length === 3) controller.abort()
    }
    expect(got).toEqual([1, 2, 3])
    await consumer.disconnect()
  })

  it('commitOffsets takes the next offset to read (string or bigint); a new consumer of the group starts there', async () => {
    const topic = await topicWith(1, [['m0', 'm1', 'm2', 'm3']])
    const groupId = `g-${topic}`
    const first = kafka.consumer({ groupId, autoCommit: false })
    first.assign([{ topic, partitions: [0] }])
    await first.commitOffsets([{ topic, partition: 0, offset: '2' }])
    await first.disconnect()
    const second = kafka.consumer({ groupId, autoOffsetReset: 'none', maxWaitMs: 50 })
    second.assign([{ topic, partitions: [0] }])
    const values: string[] = []
    for await (const message of second) {
      values.push(message.value!.toString())
      if (values.length === 2) break
    }
    expect(values).toEqual(['m2', 'm3'])
    await second.disconnect()
  })

  it('seek, pause and resume while run() consumes', async () => {
    const topic = await topicWith(2, [['x0', 'x1', 'x2', 'x3'], ['y0']])
    const consumer = kafka.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 50 })
    consumer.assign([{ topic, partitions: [0, 1] }])
    consumer.pause([{ topic, partitions: [1] }])
    expect(consumer.paused()).toEqual([{ topic, partitions: [1] }])
    const seen: string[] = []
    let sought = false
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        seen.push(`${partition}:${message.value}`)
        if (message.value?.toString() === 'x1' && !sought) {
          sought = true
          consumer.seek({ topic, partition: 0, offset: 3n })
        }
      },
    })
    await waitFor('x3 after the seek', () => (seen.includes('0:x3') ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 20,
    })
    expect(seen).toEqual(['0:x0', '0:x1', '0:x3'])
    consumer.resume([{ topic }])
    await waitFor('the resumed partition', () => (seen.includes('1:y0') ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 20,
    })
    await consumer.disconnect()
  })

  it('eachBatch gets batches with highWatermark and resolveOffset; unresolved messages come again', async () => {
    const topic = await topicWith(1, [['e0', 'e1', 'e2']])
    const consumer = kafka.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 50 })
    consumer.assign([{ topic, partitions: [0] }])
    const calls: string[][] = []
    await consumer.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, isRunning, isStale }) => {
        expect(batch.highWatermark).toBe(3n)
        expect(isRunning()).toBe(true)
        expect(isStale()).toBe(false)
        calls.push(batch.messages.map((m) => m.value!.toString()))
        // Only the first message of the first batch is resolved: the rest is delivered again.
        if (calls.length === 1) resolveOffset(batch.messages[0]!.offset)
        else for (const m of batch.messages) resolveOffset(m.offset)
      },
    })
    await waitFor('two batches', () => (calls.length >= 2 ? true : undefined), { timeoutMs: 10_000, intervalMs: 20 })
    await consumer.disconnect()
    expect(calls[0]).toEqual(['e0', 'e1', 'e2'])
    expect(calls[1]).toEqual(['e1', 'e2'])
  })
})

describe('kafka.consumer({ groupId }).subscribe', () => {
  it('two consumers of one group split the partitions and process every message once between them', async () => {
    const topic = await topicWith(4, [['p0'], ['p1'], ['p2'], ['p3']])
    const groupId = `group-${topic}`
    const seen = new Map<string, string[]>()
    const consumers = ['one', 'two'].map((name) => {
      const consumer = kafka.consumer({ groupId, maxWaitMs: 50, heartbeatIntervalMs: 100, sessionTimeoutMs: 6000 })
      seen.set(name, [])
      return { name, consumer }
    })
    for (const { name, consumer } of consumers) {
      await consumer.connect()
      consumer.subscribe({ topic, fromBeginning: true })
      await consumer.run({
        eachMessage: async ({ message }) => {
          seen.get(name)!.push(message.value!.toString())
        },
      })
    }
    await waitFor(
      'both consumers to own partitions and all 4 messages to be processed',
      () =>
        consumers.every(({ consumer }) => consumer.assignment().length === 2) && [...seen.values()].flat().length >= 4
          ? true
          : undefined,
      { timeoutMs: 30_000, intervalMs: 50 },
    )
    const all = [...seen.values()].flat().sort()
    expect(all).toEqual(['p0', 'p1', 'p2', 'p3'])
    await Promise.all(consumers.map(({ consumer }) => consumer.disconnect()))
  })
})

describe('subscribe with a RegExp', () => {
  it('consumes every topic matching the pattern and calls the rebalance listener', async () => {
    const prefix = `regex-${Math.random().toString(36).slice(2, 7)}`
    for (const suffix of ['a', 'b']) {
      await createTopic(client, `${prefix}-${suffix}`, 1)
      const producer = kafka.producer()
      await producer.connect()
      await producer.send({ topic: `${prefix}-${suffix}`, messages: [{ value: suffix }] })
      await producer.disconnect()
    }
    const assigned: string[] = []
    const consumer = kafka.consumer({
      groupId: `group-${prefix}`,
      maxWaitMs: 50,
      heartbeatIntervalMs: 100,
      rebalanceListener: {
        onPartitionsAssigned: async (partitions) => {
          assigned.push(...partitions.map((p) => p.topic))
        },
      },
    })
    consumer.subscribe({ topics: [new RegExp(`^${prefix}-`)], fromBeginning: true })
    const values: string[] = []
    for await (const message of consumer) {
      values.push(message.value!.toString())
      if (values.length === 2) break
    }
    expect(values.sort()).toEqual(['a', 'b'])
    expect(assigned.sort()).toEqual([`${prefix}-a`, `${prefix}-b`])
    await consumer.disconnect()
  })
})

describe('async iteration', () => {
  it('a break keeps the rest of the polled records for the next iteration', async () => {
    const topic = await topicWith(1, [['r0', 'r1', 'r2', 'r3']])
    const consumer = kafka.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 50 })
    consumer.assign([{ topic, partitions: [0] }])
    const values: string[] = []
    for (let round = 0; round < 4; round++) {
      for await (const message of consumer) {
        values.push(message.value!.toString())
        break
      }
    }
    expect(values).toEqual(['r0', 'r1', 'r2', 'r3'])
    await consumer.disconnect()
  })
})
