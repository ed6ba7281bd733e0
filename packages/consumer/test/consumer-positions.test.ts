import { Producer } from '@kafkit/producer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../../../test/integration/support/wait-for.js'
import { OffsetOutOfRangeError } from '../src/index.js'
import { type ConsumerFixture, pollValues, startConsumerFixture } from './consumer-support.js'

let fx: ConsumerFixture
beforeAll(async () => {
  fx = await startConsumerFixture()
})
afterAll(() => fx?.stop())

const values = (n: number, partition = 0, prefix = 'v') =>
  Array.from({ length: n }, (_, i) => ({ partition, value: `${prefix}${i}` }))

async function deleteRecords(topic: string, partition: number, before: bigint): Promise<void> {
  await fx.client.cluster.requestToLeader(
    topic,
    partition,
    'DeleteRecords',
    { topics: [{ name: topic, partitions: [{ partitionIndex: partition, offset: before }] }], timeoutMs: 10_000 },
    { errorCodeOf: (r) => r.topics[0]?.partitions[0]?.errorCode ?? 0 },
  )
}

describe('seek, pause and resume (as Java)', () => {
  it('seek moves the next poll to the offset and drops data fetched for the old position', async () => {
    const topic = await fx.topic('seek', 1)
    await fx.produce(topic, values(10))
    const consumer = fx.consumer({ autoOffsetReset: 'earliest', maxPollRecords: 3 })
    const tp = { topic, partition: 0 }
    consumer.assign([tp])
    expect(await pollValues(consumer, 3)).toEqual(['0:v0', '0:v1', '0:v2'])
    consumer.seek(tp, 7n)
    expect(await consumer.position(tp)).toBe(7n)
    expect(await pollValues(consumer, 3)).toEqual(['0:v7', '0:v8', '0:v9'])
    consumer.seekToBeginning([tp])
    expect((await pollValues(consumer, 1))[0]).toBe('0:v0')
    consumer.seekToEnd([tp])
    expect(await consumer.position(tp)).toBe(10n)
    await consumer.close()
  })

  it('a paused partition returns nothing while others go on, and resumes where it stopped', async () => {
    const topic = await fx.topic('pause', 2)
    await fx.produce(topic, [...values(5, 0, 'a'), ...values(5, 1, 'b')])
    const consumer = fx.consumer({ autoOffsetReset: 'earliest', maxPollRecords: 2 })
    const p0 = { topic, partition: 0 }
    const p1 = { topic, partition: 1 }
    consumer.assign([p0, p1])
    consumer.pause([p0])
    expect(consumer.paused()).toEqual([p0])
    const first = await pollValues(consumer, 5)
    expect(first).toEqual(['1:b0', '1:b1', '1:b2', '1:b3', '1:b4'])
    expect(await consumer.poll({ timeoutMs: 200 })).toEqual([])
    consumer.resume([p0])
    expect(consumer.paused()).toEqual([])
    expect(await pollValues(consumer, 5)).toEqual(['0:a0', '0:a1', '0:a2', '0:a3', '0:a4'])
    await consumer.close()
  })
})

describe('offsets', () => {
  it('commits the next offset to read and reads it back with committed(); a new consumer starts there', async () => {
    const topic = await fx.topic('commit', 1)
    const groupId = `group-${topic}`
    await fx.produce(topic, values(6))
    const tp = { topic, partition: 0 }
    const consumer = fx.consumer({ groupId, autoOffsetReset: 'earliest', autoCommit: false, maxPollRecords: 4 })
    consumer.assign([tp])
    expect(await pollValues(consumer, 4)).toHaveLength(4)
    // Records 0-3 returned; the next poll marks them processed, commitOffsets() commits 4 (the next to read).
    await consumer.commitOffsets()
    const committed = await consumer.committed([tp])
    expect(committed.get(`${topic}-0`)?.offset).toBe(4n)
    await consumer.commitOffsets([{ topic, partition: 0, offset: 5n }])
    expect((await consumer.committed([tp])).get(`${topic}-0`)?.offset).toBe(5n)
    await consumer.close()

    const next = fx.consumer({ groupId, autoOffsetReset: 'earliest' })
    next.assign([tp])
    expect(await pollValues(next, 1)).toEqual(['0:v5'])
    await next.close()
  })

  it('auto commit commits processed records every autoCommitIntervalMs, from poll', async () => {
    const topic = await fx.topic('autocommit-interval', 1)
    const groupId = `group-${topic}`
    await fx.produce(topic, values(2))
    const tp = { topic, partition: 0 }
    const consumer = fx.consumer({ groupId, autoOffsetReset: 'earliest', autoCommitIntervalMs: 50 })
    consumer.assign([tp])
    expect(await pollValues(consumer, 2)).toHaveLength(2)
    const reader = fx.consumer({ groupId })
    reader.assign([tp])
    // The consumer keeps polling; once the interval passed, a poll commits what the previous one returned.
    const committed = await waitFor(
      'an auto commit',
      async () => {
        await consumer.poll({ timeoutMs: 20 })
        return (await reader.committed([tp])).get(`${topic}-0`)?.offset
      },
      { timeoutMs: 10_000, intervalMs: 20 },
    )
    expect(committed).toBe(2n)
    await Promise.all([consumer.close(), reader.close()])
  })

  it('auto commit commits processed records on close', async () => {
    const topic = await fx.topic('autocommit', 1)
    const groupId = `group-${topic}`
    await fx.produce(topic, values(3))
    const tp = { topic, partition: 0 }
    const consumer = fx.consumer({ groupId, autoOffsetReset: 'earliest' })
    consumer.assign([tp])
    expect(await pollValues(consumer, 3)).toHaveLength(3)
    await consumer.close()
    const reader = fx.consumer({ groupId })
    reader.assign([tp])
    expect((await reader.committed([tp])).get(`${topic}-0`)?.offset).toBe(3n)
    await reader.close()
  })

  it('after DeleteRecords, an out-of-range position resets (earliest) or fails typed (none)', async () => {
    const topic = await fx.topic('oor', 1)
    await fx.produce(topic, values(10))
    const tp = { topic, partition: 0 }
    const reset = fx.consumer({ autoOffsetReset: 'earliest' })
    const none = fx.consumer({ autoOffsetReset: 'none' })
    reset.assign([tp])
    none.assign([tp])
    reset.seek(tp, 2n)
    none.seek(tp, 2n)
    await deleteRecords(topic, 0, 6n)
    expect(await pollValues(reset, 4)).toEqual(['0:v6', '0:v7', '0:v8', '0:v9'])
    const error = await waitFor('OffsetOutOfRangeError from poll', async () => {
      try {
        await none.poll({ timeoutMs: 100 })
        return undefined
      } catch (e) {
        return e
      }
    })
    expect(error).toBeInstanceOf(OffsetOutOfRangeError)
    expect((error as OffsetOutOfRangeError).partitions.get(`${topic}-0`)).toBe(2n)
    none.seek(tp, 8n)
    expect(await pollValues(none, 2)).toEqual(['0:v8', '0:v9'])
    await Promise.all([reset.close(), none.close()])
  })
})

describe('fetching', () => {
  it('bounds the bytes buffered while the application is slow (backpressure)', async () => {
    const topic = await fx.topic('backpressure', 4)
    const big = 'x'.repeat(2000)
    for (let partition = 0; partition < 4; partition++) {
      await fx.produce(
        topic,
        Array.from({ length: 200 }, () => ({ partition, value: big })),
      )
    }
    const maxBufferedBytes = 64 * 1024
    const consumer = fx.consumer({
      autoOffsetReset: 'earliest',
      maxBufferedBytes,
      maxPartitionFetchBytes: 16 * 1024,
      maxPollRecords: 5,
    })
    consumer.assign([0, 1, 2, 3].map((partition) => ({ topic, partition })))
    let read = 0
    while (read < 800) {
      const batches = await consumer.poll({ timeoutMs: 1000 })
      for (const b of batches) read += b.records.length
      // A slow application: the fetcher has time to fill the buffer, but never past the bound by more than one response.
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(read).toBe(800)
    // One Fetch may overshoot the bound by at most its own size (4 partitions x maxPartitionFetchBytes, plus a whole first batch).
    expect(consumer.fetcher.peakBufferedBytes).toBeLessThan(maxBufferedBytes + 4 * 16 * 1024 + 4 * 20_000)
    expect(consumer.fetcher.peakBufferedBytes).toBeGreaterThan(0)
    await consumer.close()
  })

  it('read_committed hides aborted records and control batches; read_uncommitted shows aborted ones', async () => {
    const topic = await fx.topic('txn', 1)
    const producer = new Producer(fx.client, { transactionalId: `tx-${topic}`, lingerMs: 0 })
    await producer.initTransactions()
    const send = (value: string) => producer.send({ topic, partition: 0, value: Buffer.from(value) })
    producer.beginTransaction()
    await send('c1')
    await send('c2')
    await producer.commitTransaction()
    producer.beginTransaction()
    await send('a1')
    await send('a2')
    await producer.abortTransaction()
    producer.beginTransaction()
    await send('c3')
    await producer.commitTransaction()
    await producer.close()

    const committed = fx.consumer({ autoOffsetReset: 'earliest', isolationLevel: 'read_committed' })
    committed.assign([{ topic, partition: 0 }])
    expect(await pollValues(committed, 3)).toEqual(['0:c1', '0:c2', '0:c3'])
    // Three markers and two aborted records: the position ends past all of them.
    expect(await committed.position({ topic, partition: 0 })).toBe(8n)
    const all = fx.consumer({ autoOffsetReset: 'earliest', isolationLevel: 'read_uncommitted' })
    all.assign([{ topic, partition: 0 }])
    expect(await pollValues(all, 5)).toEqual(['0:c1', '0:c2', '0:a1', '0:a2', '0:c3'])
    await Promise.all([committed.close(), all.close()])
  })
})
