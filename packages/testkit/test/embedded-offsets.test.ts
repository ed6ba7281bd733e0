import {
  createDeleteRecordsRequest,
  createInitProducerIdRequest,
  createListOffsetsRequest,
  createOffsetForLeaderEpochRequest,
} from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { batch, listOffset, produce, records } from './support/data-requests.js'
import { NODE, useSingleBroker } from './support/single-broker.js'
import { beginTransaction } from './support/transactions.js'

const OFFSET_OUT_OF_RANGE = 1
const UNKNOWN_TOPIC_OR_PARTITION = 3
const UNSUPPORTED_VERSION = 35
const INVALID_REQUEST = 42
const POLICY_VIOLATION = 44
const FENCED_LEADER_EPOCH = 74

const LATEST = -1n
const EARLIEST = -2n
const MAX_TIMESTAMP = -3n
const EARLIEST_LOCAL = -4n
const LATEST_TIERED = -5n

const broker = useSingleBroker('offsets')
const topic = (configs: Record<string, string> = {}): string => broker.topic(1, configs)

/** Produces records with these create timestamps, one batch per call. */
async function produceAt(name: string, ...timestamps: number[]): Promise<void> {
  const input = timestamps.map((timestamp, i) => ({ value: Buffer.from(`t${i}`), timestamp }))
  const answer = await produce(broker.client, NODE, name, 0, await batch(input))
  expect(answer.errorCode).toBe(0)
}

async function deleteRecords(name: string, offset: bigint) {
  const body = createDeleteRecordsRequest({
    topics: [{ name, partitions: [{ partitionIndex: 0, offset }] }],
    timeoutMs: 1000,
  })
  return (await broker.client.cluster.request(NODE, 'DeleteRecords', body)).topics[0]!.partitions[0]!
}

describe('ListOffsets', () => {
  it('answers earliest and latest with the log start, the high watermark and the leader epoch', async () => {
    const name = topic()
    expect(await listOffset(broker.client, NODE, name, 0, EARLIEST)).toMatchObject({
      offset: 0n,
      timestamp: -1n,
      leaderEpoch: 0,
    })
    await produceAt(name, 1000, 2000)
    await produceAt(name, 3000)
    expect(await listOffset(broker.client, NODE, name, 0, LATEST)).toMatchObject({
      errorCode: 0,
      offset: 3n,
      leaderEpoch: 0,
    })
    broker.kafka.control.moveLeader(name, 0, NODE)
    expect(await listOffset(broker.client, NODE, name, 0, LATEST)).toMatchObject({ offset: 3n, leaderEpoch: 1 })
    expect(await listOffset(broker.client, NODE, name, 0, EARLIEST)).toMatchObject({ offset: 0n, leaderEpoch: 0 })
  })

  it('finds the first record whose timestamp is at least the one asked for', async () => {
    const name = topic()
    await produceAt(name, 1000, 2000, 2000)
    await produceAt(name, 1500, 3000)
    expect(await listOffset(broker.client, NODE, name, 0, 1500n)).toMatchObject({ offset: 1n, timestamp: 2000n })
    expect(await listOffset(broker.client, NODE, name, 0, 2500n)).toMatchObject({ offset: 4n, timestamp: 3000n })
    expect(await listOffset(broker.client, NODE, name, 0, 0n)).toMatchObject({ offset: 0n, timestamp: 1000n })
    expect(await listOffset(broker.client, NODE, name, 0, 5000n)).toMatchObject({
      errorCode: 0,
      offset: -1n,
      timestamp: -1n,
    })
  })

  it('answers MAX_TIMESTAMP with the first record carrying the largest timestamp', async () => {
    const name = topic()
    expect(await listOffset(broker.client, NODE, name, 0, MAX_TIMESTAMP)).toMatchObject({ offset: -1n, timestamp: -1n })
    await produceAt(name, 1000, 4000, 2000)
    await produceAt(name, 4000, 3000)
    expect(await listOffset(broker.client, NODE, name, 0, MAX_TIMESTAMP)).toMatchObject({
      offset: 1n,
      timestamp: 4000n,
    })
  })

  it('treats earliest-local as earliest and latest-tiered as none, without tiered storage', async () => {
    const name = topic()
    await produceAt(name, 1000, 2000, 3000)
    await deleteRecords(name, 1n)
    expect(await listOffset(broker.client, NODE, name, 0, EARLIEST_LOCAL)).toMatchObject({ offset: 1n, leaderEpoch: 0 })
    expect(await listOffset(broker.client, NODE, name, 0, LATEST_TIERED)).toMatchObject({
      offset: -1n,
      leaderEpoch: -1,
    })
  })

  it('refuses special timestamps below the version that introduced them', async () => {
    const name = topic()
    expect((await listOffset(broker.client, NODE, name, 0, MAX_TIMESTAMP, { version: 6 })).errorCode).toBe(
      UNSUPPORTED_VERSION,
    )
    expect((await listOffset(broker.client, NODE, name, 0, EARLIEST_LOCAL, { version: 7 })).errorCode).toBe(
      UNSUPPORTED_VERSION,
    )
    expect((await listOffset(broker.client, NODE, name, 0, LATEST_TIERED, { version: 8 })).errorCode).toBe(
      UNSUPPORTED_VERSION,
    )
    expect((await listOffset(broker.client, NODE, name, 0, -7n)).errorCode).toBe(UNSUPPORTED_VERSION)
  })

  it('answers latest with the last stable offset for read_committed', async () => {
    const name = topic()
    await produceAt(name, 1000)
    const { producerId: pid } = await beginTransaction(broker.client, NODE, 'tx-list-offsets', name, 0)
    const open = await batch(records(2), { producerId: pid, producerEpoch: 0, baseSequence: 0, isTransactional: true })
    await produce(broker.client, NODE, name, 0, open, { transactionalId: 'tx-list-offsets' })
    expect((await listOffset(broker.client, NODE, name, 0, LATEST)).offset).toBe(3n)
    expect((await listOffset(broker.client, NODE, name, 0, LATEST, { isolationLevel: 1 })).offset).toBe(1n)
    // A timestamp that finds a record of the open transaction finds nothing a read_committed consumer may read.
    expect((await listOffset(broker.client, NODE, name, 0, 0n, { isolationLevel: 1 })).offset).toBe(0n)
    expect((await listOffset(broker.client, NODE, name, 0, 2000n, { isolationLevel: 1 })).offset).toBe(-1n)
  })

  it('answers INVALID_REQUEST for a partition named twice and fences old leader epochs', async () => {
    const name = topic()
    const twice = createListOffsetsRequest({
      replicaId: -1,
      topics: [
        {
          name,
          partitions: [
            { partitionIndex: 0, timestamp: LATEST, currentLeaderEpoch: -1 },
            { partitionIndex: 0, timestamp: EARLIEST, currentLeaderEpoch: -1 },
          ],
        },
      ],
    })
    const response = await broker.client.cluster.request(NODE, 'ListOffsets', twice)
    expect(response.topics[0]!.partitions.map((p) => p.errorCode)).toEqual([INVALID_REQUEST, INVALID_REQUEST])
    broker.kafka.control.moveLeader(name, 0, NODE)
    expect((await listOffset(broker.client, NODE, name, 0, LATEST, { currentLeaderEpoch: 0 })).errorCode).toBe(
      FENCED_LEADER_EPOCH,
    )
    expect((await listOffset(broker.client, NODE, 'nope', 0, LATEST)).errorCode).toBe(UNKNOWN_TOPIC_OR_PARTITION)
  })
})

describe('OffsetForLeaderEpoch', () => {
  async function endOffset(name: string, leaderEpoch: number, currentLeaderEpoch = -1) {
    const body = createOffsetForLeaderEpochRequest({
      replicaId: -1,
      topics: [{ topic: name, partitions: [{ partition: 0, currentLeaderEpoch, leaderEpoch }] }],
    })
    return (await broker.client.cluster.request(NODE, 'OffsetForLeaderEpoch', body)).topics[0]!.partitions[0]!
  }

  it('answers the end offset of each leader epoch from the epoch cache', async () => {
    const name = topic()
    await produceAt(name, 1, 2)
    broker.kafka.control.moveLeader(name, 0, NODE) // epoch 1, starting at offset 2
    await produceAt(name, 3)
    broker.kafka.control.moveLeader(name, 0, NODE) // epoch 2, starting at offset 3 (no records yet)
    expect(await endOffset(name, 0)).toMatchObject({ errorCode: 0, leaderEpoch: 0, endOffset: 2n })
    expect(await endOffset(name, 1)).toMatchObject({ leaderEpoch: 1, endOffset: 3n })
    expect(await endOffset(name, 2)).toMatchObject({ leaderEpoch: 2, endOffset: 3n })
    expect(await endOffset(name, 3)).toMatchObject({ leaderEpoch: -1, endOffset: -1n })
    expect((await endOffset(name, 0, 1)).errorCode).toBe(FENCED_LEADER_EPOCH)
  })

  it('answers an epoch older than the log with the start of the first epoch it has', async () => {
    const name = topic()
    broker.kafka.control.moveLeader(name, 0, NODE)
    broker.kafka.control.moveLeader(name, 0, NODE)
    await produceAt(name, 1, 2)
    await deleteRecords(name, 1n)
    expect(await endOffset(name, 0)).toMatchObject({ leaderEpoch: 0, endOffset: 1n })
  })
})

describe('DeleteRecords', () => {
  it('moves the log start, and -1 means the high watermark', async () => {
    const name = topic()
    await produceAt(name, 1, 2, 3)
    await produceAt(name, 4)
    expect(await deleteRecords(name, 2n)).toEqual(expect.objectContaining({ errorCode: 0, lowWatermark: 2n }))
    expect((await listOffset(broker.client, NODE, name, 0, EARLIEST)).offset).toBe(2n)
    expect(await deleteRecords(name, 1n)).toMatchObject({ errorCode: 0, lowWatermark: 2n })
    expect(await deleteRecords(name, -1n)).toMatchObject({ errorCode: 0, lowWatermark: 4n })
    const log = broker.kafka.control.state.topics.get(name)!.partitions[0]!.log
    expect(log.storedBatches).toHaveLength(0)
  })

  it('refuses offsets past the high watermark and compacted-only topics', async () => {
    const name = topic()
    await produceAt(name, 1)
    expect(await deleteRecords(name, 2n)).toMatchObject({ errorCode: OFFSET_OUT_OF_RANGE, lowWatermark: -1n })
    const compacted = topic({ 'cleanup.policy': 'compact' })
    expect((await deleteRecords(compacted, 0n)).errorCode).toBe(POLICY_VIOLATION)
    expect((await deleteRecords('nope', 0n)).errorCode).toBe(UNKNOWN_TOPIC_OR_PARTITION)
  })
})

describe('InitProducerId', () => {
  const init = (fields: Parameters<typeof createInitProducerIdRequest>[0]) =>
    broker.client.cluster.request(
      NODE,
      'InitProducerId',
      createInitProducerIdRequest({ transactionalId: null, ...fields }),
    )

  it('hands every idempotent producer a new id with epoch 0, even when it names its current one', async () => {
    const first = await init({})
    const second = await init({})
    expect(first).toMatchObject({ errorCode: 0, producerEpoch: 0 })
    expect(second.producerId).toBeGreaterThan(first.producerId)
    const again = await init({ producerId: first.producerId, producerEpoch: 3 })
    expect(again).toMatchObject({ errorCode: 0, producerEpoch: 0 })
    expect(again.producerId).toBeGreaterThan(second.producerId)
  })

  it('answers INVALID_REQUEST for half a producer identity or an empty transactional id', async () => {
    expect((await init({ producerId: 5n, producerEpoch: -1 })).errorCode).toBe(INVALID_REQUEST)
    expect((await init({ transactionalId: '' })).errorCode).toBe(INVALID_REQUEST)
  })

  it('hands a transactional id a producer id at epoch 0, then bumps the epoch on every init', async () => {
    const first = await init({ transactionalId: 'tx-init', transactionTimeoutMs: 60_000 })
    expect(first).toMatchObject({ errorCode: 0, producerEpoch: 0 })
    const second = await init({ transactionalId: 'tx-init', transactionTimeoutMs: 60_000 })
    expect(second).toMatchObject({ errorCode: 0, producerId: first.producerId, producerEpoch: 1 })
  })
})
