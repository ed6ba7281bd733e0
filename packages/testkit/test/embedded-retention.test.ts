import { KafkaClient } from '@kafkit/client'
import { CompressionType, decodeRecordBatches, type RecordInput } from '@kafkit/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmbeddedKafka, startEmbeddedKafka } from '../src/embedded/embedded-kafka.js'
import { applyRetention, startLogCleaner } from '../src/embedded/state/log-cleaner.js'
import { batch, decoded, deferred, fetch, fetchBody, only, produce } from './support/data-requests.js'
import { beginTransaction } from './support/transactions.js'

let kafka: EmbeddedKafka
let client: KafkaClient
let count = 0
const NODE = 1
const HOUR = 3_600_000

beforeAll(async () => {
  kafka = await startEmbeddedKafka({ security: false })
  client = new KafkaClient({ brokers: kafka.bootstrapServers })
  await client.connect()
})

afterAll(async () => {
  await client?.close()
  await kafka?.stop()
})

function topic(configs: Record<string, string>): string {
  const name = `retention-${count++}`
  kafka.control.state.createTopic(name, 1, 1, new Map(Object.entries(configs)))
  return name
}

const log = (name: string) => kafka.control.state.topics.get(name)!.partitions[0]!.log

async function send(name: string, input: RecordInput[], compression: CompressionType = CompressionType.None) {
  const answer = await produce(client, NODE, name, 0, await batch(input, { compression }))
  expect(answer.errorCode).toBe(0)
}

/** What a consumer reading the whole partition sees, as "offset:key=value". */
async function contents(name: string): Promise<string[]> {
  const data = only(
    await fetch(client, NODE, fetchBody([{ topic: name, partition: 0, offset: log(name).logStartOffset }])),
  )
  return (await decoded(data)).map((r) => `${r.offset}:${r.key?.toString() ?? ''}=${r.value?.toString() ?? 'null'}`)
}

const kv = (key: string, value: string | null, timestamp?: number): RecordInput => ({
  key: Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  ...(timestamp === undefined ? {} : { timestamp }),
})

describe('retention (cleanup.policy=delete)', () => {
  it('drops batches older than retention.ms, oldest first, and moves the log start', async () => {
    const name = topic({ 'retention.ms': String(HOUR) })
    const now = Date.now()
    await send(name, [kv('a', '1', now - 3 * HOUR)])
    await send(name, [kv('b', '2', now - 2 * HOUR)])
    await send(name, [kv('c', '3', now)])
    await send(name, [kv('d', '4', now - 5 * HOUR)])
    await applyRetention(kafka.control.state, now)
    // Deletion stops at the first batch to keep, as Kafka stops at the first segment to keep.
    expect(log(name).logStartOffset).toBe(2n)
    expect(await contents(name)).toEqual(['2:c=3', '3:d=4'])
  })

  it('drops the oldest batches as long as the log keeps at least retention.bytes', async () => {
    const size = (await batch([kv('k', 'x'.repeat(100))])).length
    const name = topic({ 'retention.bytes': String(size * 2 + 10) })
    for (let i = 0; i < 5; i++) await send(name, [kv('k', 'x'.repeat(100))])
    await applyRetention(kafka.control.state)
    // Dropping a third batch would leave less than retention.bytes, so three stay.
    expect(log(name).logStartOffset).toBe(2n)
    expect(log(name).size).toBe(size * 3)
  })

  it('keeps everything with retention.ms -1 and the default retention.bytes', async () => {
    const name = topic({ 'retention.ms': '-1' })
    await send(name, [kv('a', '1', 1)])
    await applyRetention(kafka.control.state)
    expect(log(name).logStartOffset).toBe(0n)
  })
})

describe('compaction (cleanup.policy=compact)', () => {
  it.each([
    ['uncompressed', CompressionType.None],
    ['lz4', CompressionType.Lz4],
  ])('keeps the last record of each key, at its offset (%s)', async (_name, compression) => {
    const name = topic({ 'cleanup.policy': 'compact' })
    await send(name, [kv('a', '1'), kv('b', '1'), kv('a', '2')], compression)
    await send(name, [kv('c', '1'), kv('b', '2')], compression)
    await send(name, [kv('d', '1')], compression)
    await applyRetention(kafka.control.state)
    expect(await contents(name)).toEqual(['2:a=2', '3:c=1', '4:b=2', '5:d=1'])
    const batches = await decodeRecordBatches(Buffer.concat(log(name).storedBatches.map((b) => b.bytes)))
    // Batches keep their offset range (and their codec), so the log end does not move.
    expect(batches.map((b) => [b.baseOffset, b.lastOffset, b.compression])).toEqual([
      [0n, 2n, compression],
      [3n, 4n, compression],
      [5n, 5n, compression],
    ])
    expect(log(name).logEndOffset).toBe(6n)
  })

  it('keeps a tombstone until delete.retention.ms after the cleaner first kept it', async () => {
    const name = topic({ 'cleanup.policy': 'compact', 'delete.retention.ms': '1000' })
    await send(name, [kv('a', '1'), kv('b', '1')])
    await send(name, [kv('a', null)])
    const now = Date.now()
    await applyRetention(kafka.control.state, now)
    expect(await contents(name)).toEqual(['1:b=1', '2:a=null'])
    const [marked] = await decodeRecordBatches(log(name).storedBatches.at(-1)!.bytes)
    expect(marked!.hasDeleteHorizon).toBe(true)
    expect(marked!.baseTimestamp).toBe(now + 1000)
    await applyRetention(kafka.control.state, now + 999)
    expect(await contents(name)).toEqual(['1:b=1', '2:a=null'])
    await applyRetention(kafka.control.state, now + 1000)
    expect(await contents(name)).toEqual(['1:b=1'])
  })

  it('leaves records of an open transaction alone', async () => {
    const name = topic({ 'cleanup.policy': 'compact' })
    await send(name, [kv('a', '1')])
    const init = await beginTransaction(client, NODE, 'tx-compaction', name, 0)
    const open = await batch([kv('a', '2')], {
      producerId: init.producerId,
      producerEpoch: 0,
      baseSequence: 0,
      isTransactional: true,
    })
    expect((await produce(client, NODE, name, 0, open, { transactionalId: 'tx-compaction' })).errorCode).toBe(0)
    await applyRetention(kafka.control.state)
    expect(await contents(name)).toEqual(['0:a=1', '1:a=2'])
  })

  it('leaves records younger than min.compaction.lag.ms alone', async () => {
    const name = topic({ 'cleanup.policy': 'compact', 'min.compaction.lag.ms': String(HOUR) })
    const now = Date.now()
    await send(name, [kv('a', '1', now - 2 * HOUR)])
    await send(name, [kv('a', '2', now)])
    await send(name, [kv('a', '3', now - 2 * HOUR)])
    await applyRetention(kafka.control.state, now)
    expect(await contents(name)).toEqual(['0:a=1', '1:a=2', '2:a=3'])
  })

  it('applies both policies with cleanup.policy=compact,delete', async () => {
    const name = topic({ 'cleanup.policy': 'compact,delete', 'retention.ms': String(HOUR) })
    const now = Date.now()
    await send(name, [kv('a', '1', now - 2 * HOUR)])
    await send(name, [kv('b', '1', now), kv('b', '2', now)])
    await applyRetention(kafka.control.state, now)
    expect(await contents(name)).toEqual(['2:b=2'])
    expect(log(name).logStartOffset).toBe(1n)
  })
})

describe('the background cleaner', () => {
  it('applies retention on its own until stopped', async () => {
    const name = topic({ 'retention.ms': '1' })
    await send(name, [kv('a', '1', Date.now() - HOUR)])
    await send(name, [kv('a', '2', Date.now() + HOUR)])
    const target = log(name)
    const truncated = deferred<bigint>()
    const truncateBefore = target.truncateBefore.bind(target)
    target.truncateBefore = (offset) => {
      truncateBefore(offset)
      truncated.resolve(offset)
    }
    const stop = startLogCleaner(kafka.control.state, 10)
    try {
      expect(await truncated.promise).toBe(1n)
    } finally {
      stop()
    }
  })
})
