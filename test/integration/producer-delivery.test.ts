import { ApiError, BufferExhaustedError, Kafka, KafkaClient, ProducerSendError, RecordTooLargeError } from 'kafkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uniqueTopic, useTestCluster } from './support/test-cluster.js'
import { createTopic, readPartition } from './support/topics.js'

/**
 * Delivery guarantees of the producer against every broker target: with 5
 * requests in flight and Produce errors injected (embedded target), every
 * record arrives once and in order; a full buffer makes send wait maxBlockMs
 * and fail typed; an oversized record fails typed while the others succeed.
 */
const { cluster, skipReason } = await useTestCluster()
const control =
  cluster && 'control' in cluster
    ? (cluster as { control: import('@kafkit/testkit').EmbeddedControl }).control
    : undefined

describe.skipIf(skipReason !== undefined)(`producer delivery against the ${cluster?.target} target`, () => {
  let client: KafkaClient
  let kafka: Kafka
  beforeAll(async () => {
    client = new KafkaClient({ brokers: cluster!.bootstrapServers })
    await client.connect()
    kafka = new Kafka({ clientId: 'kafkit-delivery', brokers: cluster!.bootstrapServers })
  })
  afterAll(() => client?.close())

  it(`delivers every record once and in order with 5 requests in flight${control ? ' and Produce errors injected' : ''}`, async () => {
    const topic = uniqueTopic('ordered')
    await createTopic(client, topic, 3)
    const producer = kafka.producer({ lingerMs: 0, batchBytes: 512, retryBackoffMs: 10 })
    await producer.connect()
    const count = 3000
    const sends: Promise<unknown>[] = []
    let injected = 0
    const inject = () => {
      if (!control) return // a real broker cannot be told to fail: ordering under pipelining only
      for (const errorCode of ['NOT_LEADER_OR_FOLLOWER', 'REQUEST_TIMED_OUT', 'NOT_ENOUGH_REPLICAS']) {
        control.intercept('Produce', { once: true }, () => {
          injected++
          return { errorCode }
        })
      }
      control.intercept('Produce', { once: true }, () => {
        injected++
        return { drop: true }
      })
    }
    for (let i = 0; i < count; i++) {
      sends.push(producer.send({ topic, messages: [{ key: `k${i % 3}`, value: String(i), partition: i % 3 }] }))
      if (i === 200) void sends[i]!.then(inject)
    }
    await Promise.all(sends)
    await producer.disconnect()
    expect(injected).toBe(control ? 4 : 0)
    for (let p = 0; p < 3; p++) {
      const values = (await readPartition(client, topic, p)).map((r) => Number(r.value?.toString()))
      expect(values).toEqual(Array.from({ length: count }, (_, i) => i).filter((i) => i % 3 === p))
    }
  })

  it('makes send wait maxBlockMs when the buffer is full, then fail with BufferExhaustedError', async () => {
    const topic = uniqueTopic('full')
    await createTopic(client, topic, 1)
    // A long linger keeps the first records buffered, so the buffer stays full.
    const producer = kafka.producer({ bufferMemoryBytes: 8192, maxBlockMs: 500, lingerMs: 60_000, batchBytes: 65536 })
    await producer.connect()
    const first = producer.send({ topic, messages: [{ value: Buffer.alloc(6000) }] })
    const started = performance.now()
    const error = await producer.send({ topic, messages: [{ value: Buffer.alloc(6000) }] }).catch((e: unknown) => e)
    expect(performance.now() - started).toBeGreaterThanOrEqual(450)
    expect(error).toBeInstanceOf(ProducerSendError)
    expect((error as ProducerSendError).errors[0]?.error).toBeInstanceOf(BufferExhaustedError)
    expect((error as ProducerSendError).message).toMatch(/maxBlockMs \(500 ms\)/)
    await producer.flush()
    await expect(first).resolves.toMatchObject([{ offset: 0n }])
    await producer.disconnect()
  })

  it('fails an oversized record with a typed error and delivers the others', async () => {
    const topic = uniqueTopic('oversized')
    await createTopic(client, topic, 1, { 'max.message.bytes': '20000' })
    // Too large for the producer: refused before it is sent.
    const producer = kafka.producer({ maxRequestBytes: 4 * 1024 * 1024 })
    await producer.connect()
    const small = producer.send({ topic, messages: [{ value: 'before' }] })
    const tooLargeForClient = await producer
      .send({ topic, messages: [{ value: Buffer.alloc(5 * 1024 * 1024) }] })
      .catch((e: unknown) => e)
    // Fits the producer, but not the topic's max.message.bytes: the broker refuses it.
    const tooLargeForTopic = await producer
      .send({ topic, messages: [{ value: 'a' }, { value: Buffer.alloc(100_000) }, { value: 'b' }] })
      .catch((e: unknown) => e)
    await expect(small).resolves.toHaveLength(1)
    await producer.disconnect()

    expect((tooLargeForClient as ProducerSendError).errors[0]?.error).toBeInstanceOf(RecordTooLargeError)
    const outcomes = (tooLargeForTopic as ProducerSendError).outcomes
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    const reason = (outcomes[1] as { reason: unknown }).reason
    expect(reason).toBeInstanceOf(ApiError)
    expect((reason as ApiError).errorName).toBe('MESSAGE_TOO_LARGE')
    const stored = (await readPartition(client, topic, 0)).map((r) => r.value?.toString())
    expect(stored).toEqual(['before', 'a', 'b'])
  })
})
