import {
  ApiError,
  ProducerFencedError,
  ProducerSendError,
  TransactionAbortableError,
  TransactionAbortedError,
  TransactionStateError,
} from 'kafkit'
import { describe, expect, it } from 'vitest'
import { uniqueTopic, useTestCluster } from './support/test-cluster.js'
import { createTopic } from './support/topics.js'
import { useTransactionalProducers } from './support/transactional-producers.js'
import { committedOffset, type IsolationLevel, readValues } from './support/transactions.js'
import { waitFor } from './support/wait-for.js'

/**
 * Producer transactions against every broker target: what read_committed and
 * read_uncommitted readers see of committed, aborted and open transactions;
 * fencing by a newer producer with the same transactional id; group offsets
 * committed with (and only with) the transaction; several topics and
 * partitions in one transaction. On a real broker the markers are written
 * after EndTxn answers, so what a commit makes visible is polled for, and an
 * abort is known complete once a later committed record is visible.
 */
const { cluster, skipReason } = await useTestCluster()

describe.skipIf(skipReason !== undefined)(`producer transactions against the ${cluster?.target} target`, () => {
  const fixture = useTransactionalProducers(() => cluster!.bootstrapServers, 'kafkit-transactions')
  const { transactionalProducer } = fixture

  const read = (topic: string, partition: number, isolation: IsolationLevel) =>
    readValues(fixture.client, topic, partition, isolation)
  /** Waits until the partition holds exactly `expected` for the isolation level (markers land asynchronously). */
  const waitForValues = (topic: string, partition: number, isolation: IsolationLevel, expected: string[]) =>
    waitFor(`${topic}-${partition} reads ${JSON.stringify(expected)} with ${isolation}`, async () => {
      const values = await read(topic, partition, isolation)
      return JSON.stringify(values) === JSON.stringify(expected) ? values : undefined
    })

  it('makes a committed transaction visible to a read_committed reader', async () => {
    const topic = uniqueTopic('committed')
    await createTopic(fixture.client, topic, 1)
    const producer = await transactionalProducer()
    const txn = await producer.transaction()
    expect(txn.isActive()).toBe(true)
    await txn.send({ topic, messages: [{ value: 'a' }, { value: 'b' }] })
    await txn.sendBatch({ topicMessages: [{ topic, messages: [{ value: 'c' }] }] })
    await txn.commit()
    expect(txn.isActive()).toBe(false)
    await expect(txn.send({ topic, messages: [{ value: 'late' }] })).rejects.toBeInstanceOf(TransactionStateError)
    await waitForValues(topic, 0, 'read_committed', ['a', 'b', 'c'])
  })

  it('hides an aborted transaction from read_committed but not from read_uncommitted', async () => {
    const topic = uniqueTopic('aborted')
    await createTopic(fixture.client, topic, 1)
    const producer = await transactionalProducer()
    const txn = await producer.transaction()
    await txn.send({ topic, messages: [{ value: 'x' }, { value: 'y' }] })
    await txn.abort()
    // A record still buffered when the transaction aborts fails typed and is never written.
    const slow = fixture.kafka.producer({ transactionalId: uniqueTopic('txn-slow'), lingerMs: 60_000 })
    fixture.track(slow)
    await slow.connect()
    slow.beginTransaction()
    const unsent = slow.send({ topic, messages: [{ value: 'unsent' }] }).catch((e: unknown) => e)
    await slow.abortTransaction()
    const error = await unsent
    expect(error).toBeInstanceOf(ProducerSendError)
    expect((error as ProducerSendError).errors[0]?.error).toBeInstanceOf(TransactionAbortedError)

    producer.beginTransaction()
    await producer.send({ topic, messages: [{ value: 'after' }] })
    await producer.commitTransaction()
    await waitForValues(topic, 0, 'read_committed', ['after'])
    expect(await read(topic, 0, 'read_uncommitted')).toEqual(['x', 'y', 'after'])
  })

  it('keeps an open transaction from read_committed readers until it commits', async () => {
    const topic = uniqueTopic('open')
    await createTopic(fixture.client, topic, 1)
    const producer = await transactionalProducer()
    producer.beginTransaction()
    await producer.send({ topic, messages: [{ value: 'pending' }] })
    await waitForValues(topic, 0, 'read_uncommitted', ['pending'])
    expect(await read(topic, 0, 'read_committed')).toEqual([])
    await producer.commitTransaction()
    await waitForValues(topic, 0, 'read_committed', ['pending'])
  })

  it('lets a second producer with the same transactional id fence the first', async () => {
    const topic = uniqueTopic('fenced')
    await createTopic(fixture.client, topic, 1)
    const transactionalId = uniqueTopic('txn-shared')
    const first = await transactionalProducer(transactionalId)
    first.beginTransaction()
    await first.send({ topic, messages: [{ value: 'from-first' }] })

    // Initializing the same id aborts the first's open transaction and bumps the epoch.
    const second = await transactionalProducer(transactionalId)
    const fenced = await first.send({ topic, messages: [{ value: 'fenced' }] }).catch((e: unknown) => e)
    expect(fenced).toBeInstanceOf(ProducerSendError)
    expect((fenced as ProducerSendError).errors[0]?.error).toBeInstanceOf(ProducerFencedError)
    // Fatal: every later call fails with the same error.
    await expect(first.commitTransaction()).rejects.toBeInstanceOf(ProducerFencedError)
    await expect(first.abortTransaction()).rejects.toBeInstanceOf(ProducerFencedError)
    expect(() => first.beginTransaction()).toThrow(ProducerFencedError)

    const txn = await second.transaction()
    await txn.send({ topic, messages: [{ value: 'from-second' }] })
    await txn.commit()
    await waitForValues(topic, 0, 'read_committed', ['from-second'])
  })

  it('fences a producer whose next call is the commit', async () => {
    const topic = uniqueTopic('fenced-commit')
    await createTopic(fixture.client, topic, 1)
    const transactionalId = uniqueTopic('txn-shared')
    const first = await transactionalProducer(transactionalId)
    first.beginTransaction()
    await first.send({ topic, messages: [{ value: 'from-first' }] })
    await transactionalProducer(transactionalId)
    await expect(first.commitTransaction()).rejects.toBeInstanceOf(ProducerFencedError)
    await expect(first.send({ topic, messages: [{ value: 'again' }] })).rejects.toBeInstanceOf(ProducerFencedError)
  })

  it('commits group offsets with the transaction, and not when it aborts', async () => {
    const input = uniqueTopic('offsets-in')
    const output = uniqueTopic('offsets-out')
    await createTopic(fixture.client, input, 1)
    await createTopic(fixture.client, output, 1)
    const groupId = uniqueTopic('group')
    const producer = await transactionalProducer()

    const committed = await producer.transaction()
    await committed.send({ topic: output, messages: [{ value: 'processed-0-4' }] })
    await committed.sendOffsets({
      consumerGroupId: groupId,
      topics: [{ topic: input, partitions: [{ partition: 0, offset: 5n }] }],
    })
    await committed.commit()
    await waitFor('the committed offset to be 5', async () =>
      (await committedOffset(fixture.client, groupId, input, 0)) === 5n ? true : undefined,
    )

    const aborted = await producer.transaction()
    await aborted.send({ topic: output, messages: [{ value: 'processed-5-8' }] })
    await aborted.sendOffsets({
      consumerGroupMetadata: { groupId, generationId: -1, memberId: '', groupInstanceId: null },
      topics: [{ topic: input, partitions: [{ partition: 0, offset: '9' }] }],
    })
    await aborted.abort()
    // A stable answer (no pending transactional offsets left) still says 5.
    const stable = await waitFor('a stable committed offset', () => committedOffset(fixture.client, groupId, input, 0))
    expect(stable).toBe(5n)
    await waitForValues(output, 0, 'read_committed', ['processed-0-4'])
  })

  it('writes to several topics and partitions in one transaction', async () => {
    const left = uniqueTopic('multi-left')
    const right = uniqueTopic('multi-right')
    await createTopic(fixture.client, left, 3)
    await createTopic(fixture.client, right, 2)
    const producer = await transactionalProducer()
    const txn = await producer.transaction()
    await txn.sendBatch({
      topicMessages: [
        { topic: left, messages: [0, 1, 2].map((p) => ({ value: `left-${p}`, partition: p })) },
        { topic: right, messages: [0, 1].map((p) => ({ value: `right-${p}`, partition: p })) },
      ],
    })
    await txn.commit()
    for (const p of [0, 1, 2]) await waitForValues(left, p, 'read_committed', [`left-${p}`])
    for (const p of [0, 1]) await waitForValues(right, p, 'read_committed', [`right-${p}`])

    // A second transaction on the same partitions adds them again and aborts as a whole.
    const again = await producer.transaction()
    await again.send({ topic: left, messages: [{ value: 'left-aborted', partition: 1 }] })
    await again.send({ topic: right, messages: [{ value: 'right-aborted', partition: 0 }] })
    await again.abort()
    producer.beginTransaction()
    await producer.send({ topic: left, messages: [{ value: 'left-final', partition: 1 }] })
    await producer.send({ topic: right, messages: [{ value: 'right-final', partition: 0 }] })
    await producer.commitTransaction()
    await waitForValues(left, 1, 'read_committed', ['left-1', 'left-final'])
    await waitForValues(right, 0, 'read_committed', ['right-0', 'right-final'])
  })

  it('makes a record the broker refuses abortable, and continues after the abort under a bumped epoch', async () => {
    const topic = uniqueTopic('refused')
    await createTopic(fixture.client, topic, 1, { 'max.message.bytes': '20000' })
    const producer = await transactionalProducer()
    const before = producer.producerIdentity
    producer.beginTransaction()
    await producer.send({ topic, messages: [{ value: 'kept-out' }] })
    const refused = await producer
      .send({ topic, messages: [{ value: Buffer.alloc(100_000) }] })
      .catch((e: unknown) => e)
    const reason = (refused as ProducerSendError).errors[0]?.error
    expect(reason).toBeInstanceOf(ApiError)
    expect((reason as ApiError).errorName).toBe('MESSAGE_TOO_LARGE')
    await expect(producer.send({ topic, messages: [{ value: 'more' }] })).rejects.toBeInstanceOf(
      TransactionAbortableError,
    )
    await expect(producer.commitTransaction()).rejects.toBeInstanceOf(TransactionAbortableError)
    await producer.abortTransaction()
    // The refused batch left a gap in the partition's sequences: the abort bumped the epoch (KIP-360) to restart them.
    expect(producer.producerIdentity).toEqual({ producerId: before.producerId, epoch: before.epoch + 1 })
    producer.beginTransaction()
    await producer.send({ topic, messages: [{ value: 'after' }] })
    await producer.commitTransaction()
    await waitForValues(topic, 0, 'read_committed', ['after'])
  })

  it('refuses sends outside a transaction and wrong transitions with a typed error naming the fix', async () => {
    const topic = uniqueTopic('states')
    await createTopic(fixture.client, topic, 1)
    const producer = await transactionalProducer()
    await expect(producer.send({ topic, messages: [{ value: 'v' }] })).rejects.toThrow(
      /no transaction is open: call beginTransaction\(\)/,
    )
    await expect(producer.commitTransaction()).rejects.toBeInstanceOf(TransactionStateError)
    producer.beginTransaction()
    expect(() => producer.beginTransaction()).toThrow(/commitTransaction\(\) or abortTransaction\(\)/)
    await expect(producer.transaction()).rejects.toBeInstanceOf(TransactionStateError)
    // An empty transaction commits without a request.
    await producer.commitTransaction()
  })
})
