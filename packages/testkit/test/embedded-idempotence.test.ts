import { createInitProducerIdRequest } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { batch, decoded, fetch, fetchBody, only, produce, records, values } from './support/data-requests.js'
import { NODE, useSingleBroker } from './support/single-broker.js'
import { beginTransaction } from './support/transactions.js'

const OUT_OF_ORDER_SEQUENCE_NUMBER = 45
const INVALID_PRODUCER_EPOCH = 47
const TRANSACTIONAL_ID_AUTHORIZATION_FAILED = 53

const broker = useSingleBroker('idem')
const topic = (): string => broker.topic()

async function fetchAll(name: string) {
  return only(await fetch(broker.client, NODE, fetchBody([{ topic: name, partition: 0, offset: 0n }])))
}

async function producerId(): Promise<bigint> {
  const body = createInitProducerIdRequest({ transactionalId: null, transactionTimeoutMs: 60_000 })
  return (await broker.client.cluster.request(NODE, 'InitProducerId', body)).producerId
}

describe('idempotent producers', () => {
  const idempotent = async (pid: bigint, epoch: number, baseSequence: number, count = 2) =>
    batch(records(count), { producerId: pid, producerEpoch: epoch, baseSequence })

  it('answers a retried batch with its original offset and appends it once', async () => {
    const name = topic()
    const pid = await producerId()
    expect((await produce(broker.client, NODE, name, 0, await idempotent(pid, 0, 0))).baseOffset).toBe(0n)
    expect((await produce(broker.client, NODE, name, 0, await idempotent(pid, 0, 2))).baseOffset).toBe(2n)
    const retry = await produce(broker.client, NODE, name, 0, await idempotent(pid, 0, 0))
    expect(retry).toMatchObject({ errorCode: 0, baseOffset: 0n })
    expect((await fetchAll(name)).highWatermark).toBe(4n)
  })

  it('recognises duplicates among the last five batches only', async () => {
    const name = topic()
    const pid = await producerId()
    for (let i = 0; i < 6; i++) await produce(broker.client, NODE, name, 0, await idempotent(pid, 0, i * 2))
    expect((await produce(broker.client, NODE, name, 0, await idempotent(pid, 0, 2))).baseOffset).toBe(2n)
    // The first batch has left the window: a retry of it is out of order.
    expect((await produce(broker.client, NODE, name, 0, await idempotent(pid, 0, 0))).errorCode).toBe(
      OUT_OF_ORDER_SEQUENCE_NUMBER,
    )
  })

  it('rejects a gap in the sequence, then accepts the expected sequence', async () => {
    const name = topic()
    const pid = await producerId()
    await produce(broker.client, NODE, name, 0, await idempotent(pid, 0, 0))
    const gap = await produce(broker.client, NODE, name, 0, await idempotent(pid, 0, 5))
    expect(gap).toMatchObject({ errorCode: OUT_OF_ORDER_SEQUENCE_NUMBER, baseOffset: -1n, logStartOffset: 0n })
    expect((await produce(broker.client, NODE, name, 0, await idempotent(pid, 0, 2))).errorCode).toBe(0)
  })

  it('fences an older epoch and makes a new epoch start at sequence 0', async () => {
    const name = topic()
    const pid = await producerId()
    await produce(broker.client, NODE, name, 0, await idempotent(pid, 1, 0))
    expect((await produce(broker.client, NODE, name, 0, await idempotent(pid, 0, 2))).errorCode).toBe(
      INVALID_PRODUCER_EPOCH,
    )
    expect((await produce(broker.client, NODE, name, 0, await idempotent(pid, 2, 4))).errorCode).toBe(
      OUT_OF_ORDER_SEQUENCE_NUMBER,
    )
    expect((await produce(broker.client, NODE, name, 0, await idempotent(pid, 2, 0))).errorCode).toBe(0)
  })

  it('lets a producer unknown to the partition start at any sequence', async () => {
    const answer = await produce(broker.client, NODE, topic(), 0, await idempotent(await producerId(), 0, 42))
    expect(answer.errorCode).toBe(0)
  })

  it('wraps sequences from Int32.MAX to 0', async () => {
    const name = topic()
    const pid = await producerId()
    // 2147483646, 2147483647, 0: the next batch starts at 1.
    expect((await produce(broker.client, NODE, name, 0, await idempotent(pid, 0, 2147483646, 3))).errorCode).toBe(0)
    expect((await produce(broker.client, NODE, name, 0, await idempotent(pid, 0, 1))).errorCode).toBe(0)
    // The wrapped batch is still recognised as itself when retried.
    expect((await produce(broker.client, NODE, name, 0, await idempotent(pid, 0, 2147483646, 3))).baseOffset).toBe(0n)
    expect((await produce(broker.client, NODE, name, 0, await idempotent(pid, 0, 2147483647))).errorCode).toBe(
      OUT_OF_ORDER_SEQUENCE_NUMBER,
    )
  })
})

describe('transactional batches', () => {
  it('refuses transactional batches sent without a transactional id', async () => {
    const pid = await producerId()
    const bytes = await batch(records(1), { producerId: pid, producerEpoch: 0, baseSequence: 0, isTransactional: true })
    expect((await produce(broker.client, NODE, topic(), 0, bytes)).errorCode).toBe(
      TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
    )
  })

  it('stores them and holds the last stable offset at the open transaction', async () => {
    const name = topic()
    await produce(broker.client, NODE, name, 0, await batch(records(2)))
    const { producerId: pid } = await beginTransaction(broker.client, NODE, 'tx-1', name, 0)
    const bytes = await batch(records(3), { producerId: pid, producerEpoch: 0, baseSequence: 0, isTransactional: true })
    expect((await produce(broker.client, NODE, name, 0, bytes, { transactionalId: 'tx-1' })).baseOffset).toBe(2n)
    const uncommitted = await fetchAll(name)
    expect(uncommitted).toMatchObject({ highWatermark: 5n, lastStableOffset: 2n, abortedTransactions: null })
    expect((await decoded(uncommitted)).length).toBe(5)
    const committed = only(
      await fetch(broker.client, NODE, fetchBody([{ topic: name, partition: 0, offset: 0n }], { isolationLevel: 1 })),
    )
    expect(committed).toMatchObject({ lastStableOffset: 2n, abortedTransactions: [] })
    expect(values(await decoded(committed))).toEqual(['v0', 'v1'])
  })
})
