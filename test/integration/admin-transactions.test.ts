// The admin client's transaction calls (listTransactions, describeTransactions,
// describeProducers) on every broker target, on the scenarios of
// transaction-introspection.test.ts: a kafkit transactional producer opens a transaction
// and commits it. On a real broker the markers land after EndTxn answers, so what the
// commit changes is polled for.
import {
  InvalidRegularExpressionError,
  TransactionalIdNotFoundError,
  UnknownTopicOrPartitionError,
} from '@kafkit/protocol'
import { type Admin, AdminPartialFailureError, InvalidMessageError } from 'kafkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uniqueTopic, useTestCluster } from './support/test-cluster.js'
import { createTopic } from './support/topics.js'
import { useTransactionalProducers } from './support/transactional-producers.js'
import { waitFor } from './support/wait-for.js'

const { cluster, skipReason } = await useTestCluster()

async function rejection(promise: Promise<unknown>): Promise<AdminPartialFailureError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AdminPartialFailureError)
  return error as AdminPartialFailureError
}

describe.skipIf(skipReason !== undefined)(`admin transactions against the ${cluster?.target} target`, () => {
  const fixture = useTransactionalProducers(() => cluster!.bootstrapServers, 'kafkit-admin-txn')
  let admin: Admin
  beforeAll(async () => {
    admin = fixture.kafka.admin()
    await admin.connect()
  })
  afterAll(async () => {
    await admin?.disconnect()
  })

  it('lists, describes and shows the producers of an open transaction, then of the committed one', async () => {
    const { topic, transactionalId, txn, before } = await fixture.openTransaction('admin-txn')

    // kafka-transactions describe --transactional-id
    const [ongoing] = await admin.describeTransactions([transactionalId])
    expect(ongoing).toMatchObject({
      transactionalId,
      state: 'Ongoing',
      transactionTimeoutMs: 60_000,
      topicPartitions: [{ topic, partitions: [0, 1] }],
    })
    expect(ongoing!.coordinatorId).toBeGreaterThanOrEqual(0)
    expect(ongoing!.producerId).toBeGreaterThanOrEqual(0n)
    expect(ongoing!.transactionStartTimeMs).toBeGreaterThanOrEqual(before - 1_000)
    const { producerId, producerEpoch } = ongoing!

    // kafka-transactions list
    expect(await admin.listTransactions({ producerIds: [producerId] })).toEqual([
      { transactionalId, producerId, state: 'Ongoing', coordinatorId: ongoing!.coordinatorId },
    ])
    expect((await admin.listTransactions()).map((t) => t.transactionalId)).toContain(transactionalId)

    // kafka-transactions describe-producers
    const producers = await admin.describeProducers({ topics: [topic] })
    expect(producers.map((p) => [p.topic, p.partition])).toEqual([
      [topic, 0],
      [topic, 1],
    ])
    expect(producers[0]!.activeProducers).toEqual([
      {
        producerId,
        producerEpoch,
        lastSequence: 1,
        lastTimestamp: expect.any(Number),
        coordinatorEpoch: null,
        currentTransactionStartOffset: 0n,
      },
    ])
    expect(producers[0]!.activeProducers[0]!.lastTimestamp).toBeGreaterThanOrEqual(before - 1_000)
    expect(producers[1]!.activeProducers[0]).toMatchObject({ lastSequence: 0, currentTransactionStartOffset: 0n })
    // At a named broker (here the leader itself), as --bootstrap-server with --broker-id.
    const leader = await fixture.client.cluster.leaderFor(topic, 1)
    const atBroker = await admin.describeProducers({ topics: [{ topic, partitions: [1] }], brokerId: leader })
    expect(atBroker).toEqual([producers[1]])

    await txn.commit()
    const committed = await waitFor('the coordinator completes the commit', async () => {
      const [state] = await admin.describeTransactions([transactionalId])
      return state?.state === 'CompleteCommit' ? state : undefined
    })
    expect(committed).toMatchObject({
      producerId,
      transactionStartTimeMs: ongoing!.transactionStartTimeMs,
      topicPartitions: [],
    })
    for (const partition of [0, 1]) {
      const [after] = await waitFor(`the commit marker ends the transaction in ${topic}-${partition}`, async () => {
        const [described] = await admin.describeProducers({ topics: [{ topic, partitions: [partition] }] })
        const state = described?.activeProducers[0]
        return state?.currentTransactionStartOffset === null ? described!.activeProducers : undefined
      })
      expect(after).toMatchObject({ producerId, currentTransactionStartOffset: null })
      expect(after!.coordinatorEpoch).toBeGreaterThanOrEqual(0)
    }

    expect(await admin.listTransactions({ states: ['CompleteCommit'], producerIds: [producerId] })).toEqual([
      { transactionalId, producerId, state: 'CompleteCommit', coordinatorId: ongoing!.coordinatorId },
    ])
    expect(await admin.listTransactions({ states: ['Ongoing'], producerIds: [producerId] })).toEqual([])
  })

  it('filters transactions by how long they have run and by a transactional id pattern', async () => {
    const prefix = uniqueTopic('admin-pattern')
    const transactionalId = `${prefix}-orders`
    const topic = uniqueTopic('admin-pattern-topic')
    await createTopic(fixture.client, topic, 1)
    const producer = await fixture.transactionalProducer(transactionalId)
    const txn = await producer.transaction()
    await txn.send({ topic, messages: [{ value: 'x' }] })
    const ids = async (options: Parameters<Admin['listTransactions']>[0]) =>
      (await admin.listTransactions(options)).map((t) => t.transactionalId)

    expect(await ids({ durationFilterMs: 0, transactionalIdPattern: `${prefix}-.*` })).toEqual([transactionalId])
    expect(await ids({ durationFilterMs: 3_600_000, transactionalIdPattern: `${prefix}-.*` })).toEqual([])
    expect(await ids({ transactionalIdPattern: prefix })).toEqual([])
    const invalid = await rejection(admin.listTransactions({ transactionalIdPattern: '(' }))
    expect(invalid.failures.length).toBeGreaterThan(0)
    expect(invalid.failures[0]!.entry).toMatch(/^BROKER:\d+$/)
    expect(invalid.failures[0]!.error).toBeInstanceOf(InvalidRegularExpressionError)
    await txn.abort()
  })

  it('reports unknown transactional ids and partitions as failed entries, with the results of the others', async () => {
    const known = uniqueTopic('admin-known-txn')
    const producer = await fixture.transactionalProducer(known)
    const topic = uniqueTopic('admin-known-topic')
    await createTopic(fixture.client, topic, 1)
    const txn = await producer.transaction()
    await txn.send({ topic, messages: [{ value: 'y' }] })
    await txn.commit()

    const missing = uniqueTopic('never-initialised')
    const described = await rejection(admin.describeTransactions([known, missing]))
    expect(described.failures.map((f) => f.entry)).toEqual([missing])
    expect(described.failures[0]!.error).toBeInstanceOf(TransactionalIdNotFoundError)
    expect((described.succeeded as { transactionalId: string }[]).map((d) => d.transactionalId)).toEqual([known])

    const producers = await rejection(admin.describeProducers({ topics: [{ topic, partitions: [0, 7] }] }))
    expect(producers.failures.map((f) => f.entry)).toEqual([`${topic}-7`])
    expect(producers.failures[0]!.error).toBeInstanceOf(UnknownTopicOrPartitionError)
    expect((producers.succeeded as { partition: number }[]).map((p) => p.partition)).toEqual([0])

    await expect(admin.describeProducers({ topics: [uniqueTopic('no-such-topic')] })).rejects.toBeInstanceOf(
      UnknownTopicOrPartitionError,
    )
    await expect(admin.describeTransactions([])).rejects.toBeInstanceOf(InvalidMessageError)
    await expect(admin.listTransactions({ producerIds: [5 as unknown as bigint] })).rejects.toThrow(
      /producerIds must be an array of bigint ids/,
    )
  })
})
