import { UnsupportedVersionError } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { AdminPartialFailureError } from '../src/admin-error.js'
import { describeProducers } from '../src/transactions/describe-producers.js'
import { describeTransactions } from '../src/transactions/describe-transactions.js'
import { listTransactions } from '../src/transactions/list-transactions.js'
import { coordinatorRouter, expectInvalidArgument } from './support/coordinator-router.js'
import { unusedRouter } from './support/scripted-router.js'

const TRANSACTIONAL_ID_NOT_FOUND = 105

describe('transaction calls fail invalid arguments at the call', () => {
  const router = unusedRouter()
  it.each([
    [
      'listTransactions duration',
      () => listTransactions(router, { durationFilterMs: -1 }),
      /durationFilterMs must be an integer >= 0/,
    ],
    [
      'listTransactions states',
      () => listTransactions(router, { states: 'Ongoing' as never }),
      /states must be an array/,
    ],
    ['listTransactions option', () => listTransactions(router, { state: [] } as never), /no option "state"/],
    ['describeTransactions ids', () => describeTransactions(router, []), /transactionalIds must be a non-empty array/],
    [
      'describeProducers brokerId',
      () => describeProducers(router, { topics: ['t'], brokerId: -1 }),
      /brokerId must be an integer >= 0/,
    ],
    [
      'describeProducers topics',
      () => describeProducers(router, { topics: [{ topic: '' }] }),
      /need a non-empty topic name/,
    ],
  ])('%s', (_name, call, message) => expectInvalidArgument(call, message))
})

describe('listTransactions', () => {
  it('sends every filter and reports which coordinator listed each transaction', async () => {
    const { router, sent } = coordinatorRouter(
      () => ({
        errorCode: 0,
        unknownStateFilters: [],
        transactionStates: [{ transactionalId: 'tx', producerId: 7n, transactionState: 'Ongoing' }],
      }),
      { coordinator: 3, brokers: [3] },
    )
    const listed = await listTransactions(router, {
      states: ['Ongoing'],
      producerIds: [7n],
      durationFilterMs: 1000,
      transactionalIdPattern: 'tx.*',
    })
    expect(sent[0]?.body).toEqual({
      stateFilters: ['Ongoing'],
      producerIdFilters: [7n],
      durationFilter: 1000n,
      transactionalIdPattern: 'tx.*',
    })
    expect(listed).toEqual([{ transactionalId: 'tx', producerId: 7n, state: 'Ongoing', coordinatorId: 3 }])
  })

  it('fails a broker too old for the duration filter with UnsupportedVersionError', async () => {
    const { router } = coordinatorRouter(() => ({ errorCode: 0, transactionStates: [] }), { version: 0 })
    const error = await listTransactions(router, { durationFilterMs: 5 }).catch((e: unknown) => e)
    expect((error as AdminPartialFailureError).failures[0]).toMatchObject({ entry: 'BROKER:1' })
    expect((error as AdminPartialFailureError).failures[0]?.error).toBeInstanceOf(UnsupportedVersionError)
  })
})

describe('describeTransactions', () => {
  it('maps an unset start time to null and sorts partitions', async () => {
    const { router } = coordinatorRouter(
      () => ({
        transactionStates: [
          {
            errorCode: 0,
            transactionalId: 'tx',
            transactionState: 'Empty',
            transactionTimeoutMs: 60000,
            transactionStartTimeMs: -1n,
            producerId: 7n,
            producerEpoch: 0,
            topics: [{ topic: 'orders', partitions: [2, 0] }],
          },
        ],
      }),
      { coordinator: 3, brokers: [3] },
    )
    expect(await describeTransactions(router, ['tx', 'tx'])).toEqual([
      {
        transactionalId: 'tx',
        coordinatorId: 3,
        state: 'Empty',
        producerId: 7n,
        producerEpoch: 0,
        transactionTimeoutMs: 60000,
        transactionStartTimeMs: null,
        topicPartitions: [{ topic: 'orders', partitions: [0, 2] }],
      },
    ])
  })

  it('fails an unknown transactional id as an entry', async () => {
    const { router } = coordinatorRouter(
      () => ({
        transactionStates: [{ errorCode: TRANSACTIONAL_ID_NOT_FOUND, transactionalId: 'nope', topics: [] }],
      }),
      { coordinator: 3, brokers: [3] },
    )
    const error = await describeTransactions(router, ['nope']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AdminPartialFailureError)
    expect((error as AdminPartialFailureError).failures[0]?.entry).toBe('nope')
  })
})
