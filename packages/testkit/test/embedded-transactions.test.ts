import {
  createAddPartitionsToTxnRequest,
  createInitProducerIdRequest,
  decodeRecordBatches,
  type FetchResponsePartitionData,
  type KafkaRecord,
} from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { applyRetention } from '../src/embedded/state/log-cleaner.js'
import { batch, decoded, fetch, fetchBody, only, produce, records, values } from './support/data-requests.js'
import { NODE, useSingleBroker } from './support/single-broker.js'
import {
  addPartitions,
  beginTransaction,
  endTransaction,
  initTransactional,
  type TransactionalProducer,
  transactionalBatch,
} from './support/transactions.js'

const UNKNOWN_TOPIC_OR_PARTITION = 3
const INVALID_PRODUCER_EPOCH = 47
const INVALID_TXN_STATE = 48
const TRANSACTION_ABORTABLE = 120
const INVALID_PRODUCER_ID_MAPPING = 49
const INVALID_TRANSACTION_TIMEOUT = 50
const CONCURRENT_TRANSACTIONS = 51
const OPERATION_NOT_ATTEMPTED = 55
const PRODUCER_FENCED = 90
const READ_COMMITTED = 1
const broker = useSingleBroker('txn')
const topic = (partitions = 1): string => broker.topic(partitions)

let count = 0
const txnId = () => `txn-${count++}`

const endTxn = (producer: TransactionalProducer, committed: boolean, version?: number) =>
  endTransaction(broker.client, NODE, producer, committed, version)

function fetchFrom(name: string, isolationLevel: number, partition = 0) {
  return fetch(broker.client, NODE, fetchBody([{ topic: name, partition, offset: 0n }], { isolationLevel })).then(only)
}

/**
 * What a read_committed consumer does with a fetch answer: drops control
 * records and the records of each aborted transaction, from its first
 * offset up to the producer's abort marker.
 */
async function committedRecords(data: FetchResponsePartitionData): Promise<KafkaRecord[]> {
  const pending = [...(data.abortedTransactions ?? [])].sort((a, b) => Number(a.firstOffset - b.firstOffset))
  const aborting = new Set<bigint>()
  const out: KafkaRecord[] = []
  for (const b of await decodeRecordBatches(data.records ?? Buffer.alloc(0))) {
    while (pending.length > 0 && pending[0]!.firstOffset <= b.lastOffset) aborting.add(pending.shift()!.producerId)
    if (b.isControl) {
      aborting.delete(b.producerId)
      continue
    }
    if (b.isTransactional && aborting.has(b.producerId)) continue
    out.push(...b.records)
  }
  return out
}

describe('commit', () => {
  it('makes the transaction readable to read_committed once EndTxn writes the commit markers', async () => {
    const name = topic(2)
    await produce(broker.client, NODE, name, 0, await batch(records(1, false, 'plain')))
    const producer = await beginTransaction(broker.client, NODE, txnId(), name, 0)
    expect(await addPartitions(broker.client, NODE, producer, [[name, 1]])).toEqual(new Map([[`${name}-1`, 0]]))
    const txId = producer.transactionalId
    expect(
      (await produce(broker.client, NODE, name, 0, await transactionalBatch(producer, 0), { transactionalId: txId }))
        .errorCode,
    ).toBe(0)
    expect(
      (await produce(broker.client, NODE, name, 1, await transactionalBatch(producer, 0), { transactionalId: txId }))
        .errorCode,
    ).toBe(0)

    const before = await fetchFrom(name, READ_COMMITTED)
    expect(before).toMatchObject({ highWatermark: 3n, lastStableOffset: 1n, abortedTransactions: [] })
    expect(values(await decoded(before))).toEqual(['plain0'])

    expect((await endTxn(producer, true)).errorCode).toBe(0)
    for (const partition of [0, 1]) {
      const after = await fetchFrom(name, READ_COMMITTED, partition)
      // The commit marker takes one offset and the last stable offset moves past it.
      const end = partition === 0 ? 4n : 3n
      expect(after).toMatchObject({ highWatermark: end, lastStableOffset: end, abortedTransactions: [] })
      const batches = await decodeRecordBatches(after.records ?? Buffer.alloc(0))
      expect(batches.at(-1)).toMatchObject({ isControl: true, producerId: producer.producerId })
      expect(values(await committedRecords(after))).toEqual(partition === 0 ? ['plain0', 'v0', 'v1'] : ['v0', 'v1'])
    }
  })

  it('answers a retried commit again and refuses an abort after it', async () => {
    const name = topic()
    const producer = await beginTransaction(broker.client, NODE, txnId(), name, 0)
    await produce(broker.client, NODE, name, 0, await transactionalBatch(producer, 0), {
      transactionalId: producer.transactionalId,
    })
    expect((await endTxn(producer, true)).errorCode).toBe(0)
    expect((await endTxn(producer, true)).errorCode).toBe(0)
    expect((await endTxn(producer, false)).errorCode).toBe(INVALID_TXN_STATE)
    // One marker only.
    expect((await fetchFrom(name, READ_COMMITTED)).highWatermark).toBe(3n)
  })

  it('lets the same producer run the next transaction without a new InitProducerId', async () => {
    const name = topic()
    const producer = await beginTransaction(broker.client, NODE, txnId(), name, 0)
    const txId = producer.transactionalId
    await produce(broker.client, NODE, name, 0, await transactionalBatch(producer, 0), { transactionalId: txId })
    expect((await endTxn(producer, true)).errorCode).toBe(0)
    expect(await addPartitions(broker.client, NODE, producer, [[name, 0]])).toEqual(new Map([[`${name}-0`, 0]]))
    const next = await transactionalBatch(producer, 2, records(1, false, 'next'))
    expect((await produce(broker.client, NODE, name, 0, next, { transactionalId: txId })).errorCode).toBe(0)
    expect((await fetchFrom(name, READ_COMMITTED)).lastStableOffset).toBe(3n)
    expect((await endTxn(producer, true)).errorCode).toBe(0)
    expect(values(await committedRecords(await fetchFrom(name, READ_COMMITTED)))).toEqual(['v0', 'v1', 'next0'])
  })
})

describe('abort', () => {
  it('lists the aborted transaction in read_committed fetches so readers drop its records', async () => {
    const name = topic()
    await produce(broker.client, NODE, name, 0, await batch(records(1, false, 'before')))
    const producer = await beginTransaction(broker.client, NODE, txnId(), name, 0)
    await produce(broker.client, NODE, name, 0, await transactionalBatch(producer, 0), {
      transactionalId: producer.transactionalId,
    })
    expect((await endTxn(producer, false)).errorCode).toBe(0)
    await produce(broker.client, NODE, name, 0, await batch(records(1, false, 'after')))

    const committed = await fetchFrom(name, READ_COMMITTED)
    expect(committed).toMatchObject({
      highWatermark: 5n,
      lastStableOffset: 5n,
      abortedTransactions: [{ producerId: producer.producerId, firstOffset: 1n }],
    })
    expect(values(await committedRecords(committed))).toEqual(['before0', 'after0'])
    // read_uncommitted gets no list and sees everything (but the marker).
    const uncommitted = await fetchFrom(name, 0)
    expect(uncommitted.abortedTransactions).toBeNull()
    expect(values(await committedRecords(uncommitted))).toEqual(['before0', 'v0', 'v1', 'after0'])
  })

  it('leaves aborted transactions that end before the fetch offset out of the list', async () => {
    const name = topic()
    const producer = await beginTransaction(broker.client, NODE, txnId(), name, 0)
    await produce(broker.client, NODE, name, 0, await transactionalBatch(producer, 0), {
      transactionalId: producer.transactionalId,
    })
    expect((await endTxn(producer, false)).errorCode).toBe(0)
    await produce(broker.client, NODE, name, 0, await batch(records(1, false, 'after')))
    const body = fetchBody([{ topic: name, partition: 0, offset: 3n }], { isolationLevel: READ_COMMITTED })
    expect(only(await fetch(broker.client, NODE, body)).abortedTransactions).toEqual([])
  })
})

describe('compaction', () => {
  it('drops the records of aborted transactions so they cannot shadow committed ones', async () => {
    const name = `transactions-${count++}`
    broker.kafka.control.state.createTopic(name, 1, 1, new Map([['cleanup.policy', 'compact']]))
    const kv = (key: string, value: string) => ({ key: Buffer.from(key), value: Buffer.from(value) })
    await produce(broker.client, NODE, name, 0, await batch([kv('a', 'committed')]))
    const producer = await beginTransaction(broker.client, NODE, txnId(), name, 0)
    const open = await transactionalBatch(producer, 0, [kv('a', 'aborted')])
    expect(
      (await produce(broker.client, NODE, name, 0, open, { transactionalId: producer.transactionalId })).errorCode,
    ).toBe(0)
    expect((await endTxn(producer, false)).errorCode).toBe(0)
    await applyRetention(broker.kafka.control.state)
    const after = await fetchFrom(name, READ_COMMITTED)
    expect(values(await committedRecords(after))).toEqual(['committed'])
    // Gone from the log, not only filtered: read_uncommitted no longer sees it either.
    expect(values(await committedRecords(await fetchFrom(name, 0)))).toEqual(['committed'])
  })
})

describe('fencing', () => {
  it('fences the previous producer when a second InitProducerId names the same transactional id', async () => {
    const name = topic()
    const id = txnId()
    const first = await beginTransaction(broker.client, NODE, id, name, 0)
    await produce(broker.client, NODE, name, 0, await transactionalBatch(first, 0), { transactionalId: id })

    const second = await initTransactional(broker.client, NODE, id)
    expect(second.errorCode).toBe(0)
    expect(second.producerId).toBe(first.producerId)
    // One bump fenced and aborted the open transaction, the retry bumped again.
    expect(second.producerEpoch).toBe(first.producerEpoch + 2)
    const committed = await fetchFrom(name, READ_COMMITTED)
    expect(committed.abortedTransactions).toEqual([{ producerId: first.producerId, firstOffset: 0n }])
    expect(values(await committedRecords(committed))).toEqual([])

    const late = await transactionalBatch(first, 2)
    expect((await produce(broker.client, NODE, name, 0, late, { transactionalId: id })).errorCode).toBe(
      INVALID_PRODUCER_EPOCH,
    )
    expect((await endTxn(first, true)).errorCode).toBe(PRODUCER_FENCED)
    expect((await endTxn(first, true, 1)).errorCode).toBe(INVALID_PRODUCER_EPOCH)
    expect(await addPartitions(broker.client, NODE, first, [[name, 0]])).toEqual(
      new Map([[`${name}-0`, PRODUCER_FENCED]]),
    )

    // The new producer carries on.
    expect(await addPartitions(broker.client, NODE, second, [[name, 0]])).toEqual(new Map([[`${name}-0`, 0]]))
    const fresh = await transactionalBatch(second, 0, records(1, false, 'new'))
    expect((await produce(broker.client, NODE, name, 0, fresh, { transactionalId: id })).errorCode).toBe(0)
    expect((await endTxn(second, true)).errorCode).toBe(0)
    expect(values(await committedRecords(await fetchFrom(name, READ_COMMITTED)))).toEqual(['new0'])
  })

  it('lets a producer that names its own id and epoch (KIP-360) abort its transaction and carry on', async () => {
    const name = topic()
    const producer = await beginTransaction(broker.client, NODE, txnId(), name, 0)
    await produce(broker.client, NODE, name, 0, await transactionalBatch(producer, 0), {
      transactionalId: producer.transactionalId,
    })
    const body = createInitProducerIdRequest({
      transactionalId: producer.transactionalId,
      transactionTimeoutMs: 60_000,
      producerId: producer.producerId,
      producerEpoch: producer.producerEpoch,
    })
    expect((await broker.client.cluster.request(NODE, 'InitProducerId', body)).errorCode).toBe(CONCURRENT_TRANSACTIONS)
    // The retry names the epoch the abort fenced, which the coordinator still recognises.
    const retried = await broker.client.cluster.request(NODE, 'InitProducerId', body)
    expect(retried).toMatchObject({
      errorCode: 0,
      producerId: producer.producerId,
      producerEpoch: producer.producerEpoch + 2,
    })
    expect((await fetchFrom(name, READ_COMMITTED)).abortedTransactions).toHaveLength(1)
  })

  it('refuses transactional writes to a partition not added to the transaction', async () => {
    const name = topic(2)
    const producer = await beginTransaction(broker.client, NODE, txnId(), name, 0)
    const bytes = await transactionalBatch(producer, 0)
    const old = await produce(broker.client, NODE, name, 1, bytes, {
      transactionalId: producer.transactionalId,
      version: 10,
    })
    expect(old.errorCode).toBe(INVALID_TXN_STATE)
    // From v11 Kafka 4.1 answers the abortable error instead (KIP-890), as measured against it.
    const v11 = await produce(broker.client, NODE, name, 1, bytes, {
      transactionalId: producer.transactionalId,
      version: 11,
    })
    expect(v11.errorCode).toBe(TRANSACTION_ABORTABLE)
  })

  it('answers INVALID_PRODUCER_ID_MAPPING for an unknown transactional id or producer id', async () => {
    const name = topic()
    const producer = await beginTransaction(broker.client, NODE, txnId(), name, 0)
    expect((await endTxn({ ...producer, transactionalId: 'never-initialised' }, true)).errorCode).toBe(
      INVALID_PRODUCER_ID_MAPPING,
    )
    expect((await endTxn({ ...producer, producerId: producer.producerId + 1000n }, true)).errorCode).toBe(
      INVALID_PRODUCER_ID_MAPPING,
    )
  })
})

describe('InitProducerId and AddPartitionsToTxn', () => {
  it('refuses a transaction timeout above transaction.max.timeout.ms', async () => {
    expect((await initTransactional(broker.client, NODE, txnId(), 900_001)).errorCode).toBe(INVALID_TRANSACTION_TIMEOUT)
    expect((await initTransactional(broker.client, NODE, txnId(), 900_000)).errorCode).toBe(0)
  })

  it('answers the batched broker form (v4+) per transaction, checking partitions with verifyOnly', async () => {
    const name = topic(2)
    const producer = await beginTransaction(broker.client, NODE, txnId(), name, 0)
    const body = createAddPartitionsToTxnRequest({
      transactions: [
        {
          transactionalId: producer.transactionalId,
          producerId: producer.producerId,
          producerEpoch: producer.producerEpoch,
          verifyOnly: true,
          topics: [{ name, partitions: [0, 1] }],
        },
      ],
    })
    const answer = await broker.client.cluster.request(NODE, 'AddPartitionsToTxn', body, { version: 5 })
    expect(answer.resultsByTransaction).toEqual([
      {
        transactionalId: producer.transactionalId,
        topicResults: [
          {
            name,
            resultsByPartition: [
              { partitionIndex: 0, partitionErrorCode: 0 },
              { partitionIndex: 1, partitionErrorCode: INVALID_TXN_STATE },
            ],
          },
        ],
      },
    ])
  })

  it('answers UNKNOWN_TOPIC_OR_PARTITION for unknown partitions and OPERATION_NOT_ATTEMPTED for the rest', async () => {
    const name = topic()
    const producer = await initTransactional(broker.client, NODE, txnId())
    const errors = await addPartitions(broker.client, NODE, producer, [
      [name, 0],
      [name, 5],
    ])
    expect(errors).toEqual(
      new Map([
        [`${name}-0`, OPERATION_NOT_ATTEMPTED],
        [`${name}-5`, UNKNOWN_TOPIC_OR_PARTITION],
      ]),
    )
  })
})

describe('transaction timeout', () => {
  it('aborts a transaction that outlives transaction.timeout.ms and fences its producer', async () => {
    const name = topic()
    const id = txnId()
    const producer = await initTransactional(broker.client, NODE, id, 100)
    expect(await addPartitions(broker.client, NODE, producer, [[name, 0]])).toEqual(new Map([[`${name}-0`, 0]]))
    await produce(broker.client, NODE, name, 0, await transactionalBatch(producer, 0), { transactionalId: id })
    await expect
      .poll(async () => (await fetchFrom(name, READ_COMMITTED)).lastStableOffset, { timeout: 5000, interval: 20 })
      .toBe(3n)
    const committed = await fetchFrom(name, READ_COMMITTED)
    expect(committed.abortedTransactions).toEqual([{ producerId: producer.producerId, firstOffset: 0n }])
    expect((await endTxn(producer, true)).errorCode).toBe(PRODUCER_FENCED)
    // A new InitProducerId gets the id back in service.
    const next = await initTransactional(broker.client, NODE, id)
    expect(next).toMatchObject({
      errorCode: 0,
      producerId: producer.producerId,
      producerEpoch: producer.producerEpoch + 2,
    })
  })
})
