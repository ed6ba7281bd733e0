import { InvalidMessageError } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { BufferExhaustedError, Producer, RecordTooLargeError, resolveProducerOptions } from '../src/index.js'
import { createTopic, freshTopic, holdProduceRequests, readPartition, useEmbedded } from './support/embedded.js'

const fixture = useEmbedded()

describe('producer options', () => {
  it('have the Java defaults', () => {
    expect(resolveProducerOptions()).toMatchObject({
      acks: -1,
      idempotent: true,
      batchBytes: 16384,
      lingerMs: 5,
      bufferMemoryBytes: 32 * 1024 * 1024,
      maxBlockMs: 60_000,
      maxInFlightRequests: 5,
      requestTimeoutMs: 30_000,
      deliveryTimeoutMs: 120_000,
    })
  })

  it('fail at the constructor, saying what to change', () => {
    expect(() => resolveProducerOptions({ acks: 2 as 1 })).toThrow(/acks must be 0, 1 or -1/)
    expect(() => resolveProducerOptions({ idempotent: true, acks: 1 })).toThrow(/idempotent producers need acks -1/)
    expect(() => resolveProducerOptions({ maxInFlightRequests: 6 })).toThrow(/at most 5 for an idempotent producer/)
    expect(() => resolveProducerOptions({ lingerMs: -1 })).toThrow(/lingerMs must be an integer >= 0/)
    expect(() => resolveProducerOptions({ compression: 'brotli' as 'gzip' })).toThrow(/none, gzip, snappy, lz4, zstd/)
    expect(() => resolveProducerOptions({ deliveryTimeoutMs: 1000 })).toThrow(
      /deliveryTimeoutMs \(1000\) must be at least/,
    )
    expect(resolveProducerOptions({ acks: 1 }).idempotent).toBe(false)
  })
})

describe('the producer against the embedded broker', () => {
  it('writes keyed records idempotently and reports offsets in order', async () => {
    const topic = freshTopic()
    await createTopic(fixture.client, topic, 3)
    const producer = new Producer(fixture.client)
    const sends = Array.from({ length: 200 }, (_, i) =>
      producer.send({ topic, key: Buffer.from(`k${i % 10}`), value: Buffer.from(`v${i}`) }),
    )
    const results = await Promise.all(sends)
    await producer.close()
    expect(producer.producerIdentity.producerId).toBeGreaterThanOrEqual(0n)
    for (let p = 0; p < 3; p++) {
      const mine = results.filter((r) => r.partition === p).map((r) => r.offset)
      expect(mine).toEqual(mine.map((_, i) => BigInt(i)))
      const stored = await readPartition(fixture.client, topic, p)
      expect(stored.length).toBe(mine.length)
    }
  })

  it.for(['gzip', 'snappy', 'lz4', 'zstd'] as const)('compresses with %s', async (compression) => {
    const topic = freshTopic(compression)
    await createTopic(fixture.client, topic, 1)
    const producer = new Producer(fixture.client, { compression })
    await Promise.all(Array.from({ length: 50 }, (_, i) => producer.send({ topic, value: Buffer.from(`value ${i}`) })))
    await producer.close()
    const stored = await readPartition(fixture.client, topic, 0)
    expect(stored.map((r) => r.value?.toString())).toEqual(Array.from({ length: 50 }, (_, i) => `value ${i}`))
  })

  it('with acks 0 resolves without offsets', async () => {
    const topic = freshTopic('acks0')
    await createTopic(fixture.client, topic, 1)
    const producer = new Producer(fixture.client, { acks: 0 })
    const result = await producer.send({ topic, value: Buffer.from('x') })
    await producer.close()
    expect(result.offset).toBe(-1n)
  })

  it('rejects bad records at the call', async () => {
    const producer = new Producer(fixture.client)
    await expect(producer.send({ topic: '', value: null })).rejects.toThrow(/needs a topic name/)
    await expect(producer.send({ topic: 't', value: 'x' as unknown as Buffer })).rejects.toThrow(InvalidMessageError)
    await expect(producer.send({ topic: 't', value: Buffer.alloc(2 * 1024 * 1024) })).rejects.toThrow(
      RecordTooLargeError,
    )
    await producer.close()
  })

  it('makes send wait for buffer space, then fail with BufferExhaustedError after maxBlockMs', async () => {
    const topic = freshTopic('full')
    await createTopic(fixture.client, topic, 1)
    const releaseProduce = holdProduceRequests(fixture.kafka)
    const producer = new Producer(fixture.client, { bufferMemoryBytes: 4096, maxBlockMs: 300, lingerMs: 0 })
    const first = producer.send({ topic, value: Buffer.alloc(3000) })
    const started = performance.now()
    await expect(producer.send({ topic, value: Buffer.alloc(3000) })).rejects.toThrow(BufferExhaustedError)
    expect(performance.now() - started).toBeGreaterThanOrEqual(250)
    releaseProduce()
    await expect(first).resolves.toMatchObject({ offset: 0n })
    await producer.close()
  })
})
