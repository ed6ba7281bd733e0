import { describe, expect, it } from 'vitest'
import { Producer } from '../src/index.js'
import { createTopic, freshTopic, readPartition, useEmbedded } from './support/embedded.js'

const fixture = useEmbedded()

async function produceWithFaults(topic: string, count: number, faults: () => void) {
  const producer = new Producer(fixture.client, { lingerMs: 0, batchBytes: 256, retryBackoffMs: 10 })
  const sends: Promise<unknown>[] = []
  for (let i = 0; i < count; i++) {
    sends.push(producer.send({ topic, partition: i % 2, value: Buffer.from(`record-${i}`) }))
    // Faults start once the first records are acknowledged, with batches queued and in flight behind them.
    if (i === 100) void sends[i]!.then(faults)
  }
  await Promise.all(sends)
  await producer.close()
  return producer
}

async function expectEachOnceInOrder(topic: string, count: number) {
  for (const partition of [0, 1]) {
    const values = (await readPartition(fixture.client, topic, partition)).map((r) => r.value?.toString())
    const expected = Array.from({ length: count }, (_, i) => i)
      .filter((i) => i % 2 === partition)
      .map((i) => `record-${i}`)
    expect(values).toEqual(expected)
  }
}

describe('an idempotent producer with 5 requests in flight', () => {
  it('retries NOT_LEADER_OR_FOLLOWER and later batches in order, without duplicates', async () => {
    const topic = freshTopic('retry')
    await createTopic(fixture.client, topic, 2)
    let injected = 0
    await produceWithFaults(topic, 2000, () => {
      for (let i = 0; i < 3; i++) {
        fixture.kafka.control.intercept('Produce', { once: true }, () => {
          injected++
          return { errorCode: 'NOT_LEADER_OR_FOLLOWER' }
        })
      }
    })
    expect(injected).toBe(3)
    await expectEachOnceInOrder(topic, 2000)
  })

  it('resends after a dropped connection; the broker deduplicates what it already wrote', async () => {
    const topic = freshTopic('drop')
    await createTopic(fixture.client, topic, 2)
    await produceWithFaults(topic, 2000, () => {
      fixture.kafka.control.intercept('Produce', { once: true }, () => ({ drop: true }))
    })
    await expectEachOnceInOrder(topic, 2000)
  })

  it('bumps the epoch after UNKNOWN_PRODUCER_ID (KIP-360) and delivers everything once, in order', async () => {
    const topic = freshTopic('bump')
    await createTopic(fixture.client, topic, 2)
    const producer = await produceWithFaults(topic, 1000, () => {
      fixture.kafka.control.intercept('Produce', { once: true }, () => ({ errorCode: 'UNKNOWN_PRODUCER_ID' }))
    })
    expect(producer.producerIdentity.epoch).toBeGreaterThanOrEqual(1)
    await expectEachOnceInOrder(topic, 1000)
  })

  it('bumps the epoch after OUT_OF_ORDER_SEQUENCE_NUMBER on its oldest batch and retries it', async () => {
    const topic = freshTopic('ooos')
    await createTopic(fixture.client, topic, 2)
    const producer = await produceWithFaults(topic, 1000, () => {})
    const before = producer.producerIdentity
    const again = new (producer.constructor as typeof Producer)(fixture.client)
    fixture.kafka.control.intercept('Produce', { once: true }, () => ({ errorCode: 'OUT_OF_ORDER_SEQUENCE_NUMBER' }))
    const result = await again.send({ topic, partition: 0, value: Buffer.from('after') })
    await again.close()
    expect(again.producerIdentity.epoch).toBe(1)
    expect(before.epoch).toBe(0)
    expect(result.offset).toBe(500n)
  })
})
