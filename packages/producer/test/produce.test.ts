import { InvalidMessageError, type KafkaError } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import {
  BufferExhaustedError,
  type DeliveryCallback,
  Producer,
  ProducerClosedError,
  type RecordMetadata,
} from '../src/index.js'
import { createTopic, freshTopic, holdProduceRequests, readPartition, useEmbedded } from './support/embedded.js'

const fixture = useEmbedded()

interface Told {
  calls: number
  error: KafkaError | null
  metadata: RecordMetadata | null
}

/** One callback per record that remembers how often it was called and with what. */
function recorder(count: number): { told: Told[]; callbacks: DeliveryCallback[]; all: Promise<void> } {
  const told: Told[] = Array.from({ length: count }, () => ({ calls: 0, error: null, metadata: null }))
  let settled = 0
  let done: () => void = () => {}
  const all = new Promise<void>((resolve) => {
    done = resolve
  })
  const callbacks = told.map(
    (entry): DeliveryCallback =>
      (error, metadata) => {
        entry.calls++
        entry.error = error
        entry.metadata = metadata
        if (++settled === count) done()
      },
  )
  return { told, callbacks, all }
}

describe('producer.produce', () => {
  it('calls each record’s callback exactly once, with offsets in order per partition', async () => {
    const topic = freshTopic('produce')
    await createTopic(fixture.client, topic, 3)
    const producer = new Producer(fixture.client)
    const { told, callbacks, all } = recorder(300)
    for (let i = 0; i < 300; i++) {
      const result = producer.produce(
        { topic, key: Buffer.from(`k${i % 7}`), value: Buffer.from(`v${i}`) },
        callbacks[i]!,
      )
      expect(result).toBeUndefined()
    }
    await all
    await producer.close()
    expect(told.every((t) => t.calls === 1 && t.error === null)).toBe(true)
    for (let p = 0; p < 3; p++) {
      const mine = told.filter((t) => t.metadata?.partition === p).map((t) => t.metadata!.offset)
      expect(mine).toEqual(mine.map((_, i) => BigInt(i)))
      const stored = await readPartition(fixture.client, topic, p)
      expect(stored.map((r) => r.offset)).toEqual(mine)
    }
  })

  it('reports a record the broker refuses through its callback, once', async () => {
    const topic = freshTopic('produce-refused')
    await createTopic(fixture.client, topic, 1)
    const remove = fixture.kafka.control.intercept('Produce', {}, () => ({ errorCode: 'INVALID_RECORD' }))
    const producer = new Producer(fixture.client, { lingerMs: 0 })
    const { told, callbacks, all } = recorder(3)
    callbacks.forEach((callback, i) => {
      producer.produce({ topic, value: Buffer.from(`bad ${i}`) }, callback)
    })
    await all
    remove()
    await producer.close()
    expect(told.map((t) => t.calls)).toEqual([1, 1, 1])
    expect(told.every((t) => t.metadata === null && t.error?.name === 'InvalidRecordError')).toBe(true)
  })

  it('still tells the other records of a batch when one callback throws', async () => {
    const topic = freshTopic('produce-throws')
    await createTopic(fixture.client, topic, 1)
    const producer = new Producer(fixture.client, { lingerMs: 50 })
    const { told, callbacks, all } = recorder(3)
    producer.produce({ topic, value: Buffer.from('a') }, callbacks[0]!)
    producer.produce({ topic, value: Buffer.from('b') }, (error, metadata) => {
      callbacks[1]!(error, metadata)
      throw new Error('a careless callback')
    })
    producer.produce({ topic, value: Buffer.from('c') }, callbacks[2]!)
    await all
    await producer.close()
    expect(told.map((t) => t.metadata?.offset)).toEqual([0n, 1n, 2n])
  })

  it('throws at the call for invalid input, a missing callback or a closed producer', async () => {
    const topic = freshTopic('produce-invalid')
    await createTopic(fixture.client, topic, 2)
    const producer = new Producer(fixture.client)
    const ignore: DeliveryCallback = () => {}
    expect(() => producer.produce({ topic: '', value: null }, ignore)).toThrow(/needs a topic name/)
    expect(() => producer.produce({ topic, value: 'text' as unknown as Buffer }, ignore)).toThrow(InvalidMessageError)
    expect(() => producer.produce({ topic, value: null }, undefined as unknown as DeliveryCallback)).toThrow(
      /needs a delivery callback/,
    )
    // The topic is known once a record went through, so a partition it lacks is bad input at the call.
    await producer.send({ topic, value: Buffer.from('x') })
    expect(() => producer.produce({ topic, value: null, partition: 5 }, ignore)).toThrow(
      /partition 5 does not exist in topic/,
    )
    await producer.close()
    expect(() => producer.produce({ topic, value: null }, ignore)).toThrow(ProducerClosedError)
  })

  it('lets records wait for buffer space, bounded: beyond bufferMemoryBytes of waiting records they fail at once', async () => {
    const topic = freshTopic('produce-full')
    await createTopic(fixture.client, topic, 1)
    const releaseProduce = holdProduceRequests(fixture.kafka)
    const producer = new Producer(fixture.client, { bufferMemoryBytes: 4096, maxBlockMs: 30_000, lingerMs: 0 })
    const { told, callbacks, all } = recorder(3)
    producer.produce({ topic, value: Buffer.alloc(3000) }, callbacks[0]!) // holds the buffer
    producer.produce({ topic, value: Buffer.alloc(3000) }, callbacks[1]!) // waits for room
    producer.produce({ topic, value: Buffer.alloc(3000) }, callbacks[2]!) // no room to wait in: fails
    let paced = false
    const pacing = producer.waitForBuffer().then(() => {
      paced = true
    })
    await expect.poll(() => told[2]!.calls).toBe(1)
    expect(told[2]!.error).toBeInstanceOf(BufferExhaustedError)
    expect(told[0]!.calls + told[1]!.calls).toBe(0)
    expect(paced).toBe(false)
    releaseProduce()
    await all
    await pacing
    await producer.close()
    expect(told.slice(0, 2).map((t) => t.metadata?.offset)).toEqual([0n, 1n])
  })
})
