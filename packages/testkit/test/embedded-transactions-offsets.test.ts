import { createAddOffsetsToTxnRequest, createOffsetFetchRequest, createTxnOffsetCommitRequest } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { NODE, useSingleBroker } from './support/single-broker.js'
import { endTransaction, initTransactional, type TransactionalProducer } from './support/transactions.js'

const INVALID_TXN_STATE = 48
const TRANSACTION_ABORTABLE = 120
const UNSTABLE_OFFSET_COMMIT = 88
const broker = useSingleBroker('txn-offsets')
const topic = (): string => broker.topic()

let count = 0
const txnId = () => `txn-offsets-${count++}`
const endTxn = (producer: TransactionalProducer, committed: boolean) =>
  endTransaction(broker.client, NODE, producer, committed)

describe('transactional offsets', () => {
  async function committedOffset(groupId: string, name: string): Promise<bigint> {
    const body = createOffsetFetchRequest({ groupId, topics: [{ name, partitionIndexes: [0] }] })
    const answer = await broker.client.cluster.request(NODE, 'OffsetFetch', body, { version: 7 })
    return answer.topics[0]!.partitions[0]!.committedOffset
  }

  async function commitOffset(
    producer: TransactionalProducer,
    groupId: string,
    name: string,
    offset: bigint,
    version?: number,
  ) {
    const body = createTxnOffsetCommitRequest({
      transactionalId: producer.transactionalId,
      groupId,
      producerId: producer.producerId,
      producerEpoch: producer.producerEpoch,
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        {
          name,
          partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: '' }],
        },
      ],
    })
    const answer = await broker.client.cluster.request(
      NODE,
      'TxnOffsetCommit',
      body,
      version === undefined ? {} : { version },
    )
    return answer.topics[0]!.partitions[0]!.errorCode
  }

  async function addOffsets(producer: TransactionalProducer, groupId: string) {
    const body = createAddOffsetsToTxnRequest({
      transactionalId: producer.transactionalId,
      producerId: producer.producerId,
      producerEpoch: producer.producerEpoch,
      groupId,
    })
    return (await broker.client.cluster.request(NODE, 'AddOffsetsToTxn', body)).errorCode
  }

  it('shows TxnOffsetCommit offsets to OffsetFetch only after the commit', async () => {
    const name = topic()
    const groupId = `group-${count++}`
    const producer = await initTransactional(broker.client, NODE, txnId())
    expect(await addOffsets(producer, groupId)).toBe(0)
    expect(await commitOffset(producer, groupId, name, 7n)).toBe(0)
    expect(await committedOffset(groupId, name)).toBe(-1n)
    expect((await endTxn(producer, true)).errorCode).toBe(0)
    expect(await committedOffset(groupId, name)).toBe(7n)
  })

  it('answers UNSTABLE_OFFSET_COMMIT to requireStable while an offset waits for its transaction', async () => {
    const name = topic()
    const groupId = `group-${count++}`
    const producer = await initTransactional(broker.client, NODE, txnId())
    expect(await addOffsets(producer, groupId)).toBe(0)
    expect(await commitOffset(producer, groupId, name, 3n)).toBe(0)
    const stable = createOffsetFetchRequest({ groupId, topics: [{ name, partitionIndexes: [0] }], requireStable: true })
    const waiting = await broker.client.cluster.request(NODE, 'OffsetFetch', stable, { version: 7 })
    expect(waiting.topics[0]!.partitions[0]).toMatchObject({ errorCode: UNSTABLE_OFFSET_COMMIT, committedOffset: -1n })
    expect((await endTxn(producer, true)).errorCode).toBe(0)
    const settled = await broker.client.cluster.request(NODE, 'OffsetFetch', stable, { version: 7 })
    expect(settled.topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, committedOffset: 3n })
  })

  it('drops the offsets of an aborted transaction', async () => {
    const name = topic()
    const groupId = `group-${count++}`
    const producer = await initTransactional(broker.client, NODE, txnId())
    expect(await addOffsets(producer, groupId)).toBe(0)
    expect(await commitOffset(producer, groupId, name, 7n)).toBe(0)
    expect((await endTxn(producer, false)).errorCode).toBe(0)
    expect(await committedOffset(groupId, name)).toBe(-1n)
  })

  it('refuses offsets for a group that was not added to the transaction', async () => {
    const name = topic()
    const producer = await initTransactional(broker.client, NODE, txnId())
    expect(await commitOffset(producer, `group-${count++}`, name, 7n, 3)).toBe(INVALID_TXN_STATE)
    // From v4 Kafka 4.1 answers the abortable error instead (KIP-890), as measured against it.
    expect(await commitOffset(producer, `group-${count++}`, name, 7n, 4)).toBe(TRANSACTION_ABORTABLE)
  })
})
