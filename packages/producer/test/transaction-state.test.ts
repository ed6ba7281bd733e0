import { errorFromCode, InvalidMessageError, KafkaError, ProducerFencedError } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import {
  DeliveryTimeoutError,
  resolveProducerOptions,
  TransactionAbortableError,
  TransactionStateError,
} from '../src/index.js'
import { normalizeOffsets } from '../src/transaction-offsets.js'
import { classifyTransactionError, TransactionStateMachine } from '../src/transaction-state.js'

function readyMachine(): TransactionStateMachine {
  const machine = new TransactionStateMachine()
  machine.startInit()
  machine.ready()
  return machine
}

describe('the transaction state machine', () => {
  it('goes uninitialized → ready → in-transaction → committing → ready', () => {
    const machine = new TransactionStateMachine()
    expect(machine.state).toBe('uninitialized')
    machine.startInit()
    expect(machine.state).toBe('initializing')
    machine.ready()
    machine.begin()
    expect(machine.state).toBe('in-transaction')
    machine.checkSend()
    machine.checkSendOffsets()
    machine.startCommit()
    expect(machine.state).toBe('committing')
    machine.ready()
    expect(machine.state).toBe('ready')
  })

  it('refuses calls before initTransactions, naming it', () => {
    const machine = new TransactionStateMachine()
    expect(() => machine.begin()).toThrow(TransactionStateError)
    expect(() => machine.begin()).toThrow(/call initTransactions\(\)/)
    expect(() => machine.checkSend()).toThrow(/initTransactions/)
  })

  it('refuses a send or commit outside a transaction and a second begin, saying what to call', () => {
    const machine = readyMachine()
    expect(() => machine.checkSend()).toThrow(/no transaction is open: call beginTransaction\(\)/)
    expect(() => machine.startCommit()).toThrow(TransactionStateError)
    expect(() => machine.startAbort()).toThrow(TransactionStateError)
    machine.begin()
    expect(() => machine.begin()).toThrow(/call commitTransaction\(\) or abortTransaction\(\) first/)
    expect(() => machine.startInit()).toThrow(/initTransactions\(\) already ran/)
    expect(machine.state).toBe('in-transaction')
  })

  it('refuses sends while committing', () => {
    const machine = readyMachine()
    machine.begin()
    machine.startCommit()
    expect(() => machine.checkSend()).toThrow(/being committed/)
  })

  it('allows only abort after an abortable error, then returns to ready', () => {
    const machine = readyMachine()
    machine.begin()
    const cause = errorFromCode(29, { api: 'Produce', entity: 't-0' })!
    machine.fail('abortable', cause)
    expect(machine.state).toBe('abortable-error')
    for (const call of [() => machine.checkSend(), () => machine.startCommit(), () => machine.begin()]) {
      expect(call).toThrow(TransactionAbortableError)
      expect(call).toThrow(/call abortTransaction\(\)/)
    }
    const thrown = (() => {
      try {
        machine.checkSendOffsets()
      } catch (error) {
        return error
      }
    })()
    expect((thrown as Error).cause).toBe(cause)
    machine.startAbort()
    expect(machine.state).toBe('aborting')
    machine.ready()
    machine.begin()
    expect(machine.state).toBe('in-transaction')
  })

  it('makes a failed commit abortable', () => {
    const machine = readyMachine()
    machine.begin()
    machine.startCommit()
    machine.fail('abortable', new KafkaError('record failed'))
    expect(machine.state).toBe('abortable-error')
  })

  it('keeps an abort that failed retriably abortable, so it can be called again', () => {
    const machine = readyMachine()
    machine.begin()
    machine.startAbort()
    machine.abortFailed(new KafkaError('timed out', { retriable: true }))
    expect(machine.state).toBe('abortable-error')
    machine.startAbort()
  })

  it('fails every later call with the fatal error itself', () => {
    const machine = readyMachine()
    machine.begin()
    const fenced = errorFromCode(90, { api: 'EndTxn' })!
    machine.fail('fatal', fenced)
    expect(machine.state).toBe('fatal-error')
    for (const call of [
      () => machine.checkSend(),
      () => machine.startCommit(),
      () => machine.startAbort(),
      () => machine.begin(),
      () => machine.ready(),
    ]) {
      expect(call).toThrow(fenced)
    }
    machine.fail('abortable', new KafkaError('later'))
    expect(machine.lastError).toBe(fenced)
  })

  it('treats a failure outside an open transaction as fatal', () => {
    const machine = readyMachine()
    machine.fail('abortable', new KafkaError('re-initialization failed'))
    expect(machine.state).toBe('fatal-error')
  })
})

describe('classifying transactional failures', () => {
  it('turns INVALID_PRODUCER_EPOCH into a fatal ProducerFencedError', () => {
    const { kind, error } = classifyTransactionError(errorFromCode(47, { api: 'Produce', entity: 't-0' })!)
    expect(kind).toBe('fatal')
    expect(error).toBeInstanceOf(ProducerFencedError)
    expect(error.message).toMatch(/fenced/)
  })

  it.each([
    [90, 'fatal'],
    [53, 'fatal'],
    [50, 'fatal'],
    [48, 'fatal'],
    [14, 'retriable'],
    [16, 'retriable'],
    [51, 'retriable'],
    [29, 'abortable'],
    [30, 'abortable'],
    [25, 'abortable'],
    [45, 'abortable'],
  ])('classifies error code %i as %s', (code, kind) => {
    expect(classifyTransactionError(errorFromCode(code)!).kind).toBe(kind)
  })

  it('makes a delivery timeout abortable, not retriable', () => {
    expect(classifyTransactionError(new DeliveryTimeoutError('expired')).kind).toBe('abortable')
  })
})

describe('transactional producer options', () => {
  it('defaults transactionTimeoutMs to 60 000 and keeps idempotence and acks -1', () => {
    const options = resolveProducerOptions({ transactionalId: 'orders' })
    expect(options).toMatchObject({
      transactionalId: 'orders',
      transactionTimeoutMs: 60_000,
      idempotent: true,
      acks: -1,
    })
    expect(resolveProducerOptions({}).transactionalId).toBeUndefined()
  })

  it('rejects contradictions with a message naming the option to change', () => {
    expect(() => resolveProducerOptions({ transactionalId: 'x', idempotent: false })).toThrow(
      /transactional producer is idempotent: drop idempotent: false/,
    )
    expect(() => resolveProducerOptions({ transactionalId: 'x', acks: 1 })).toThrow(/needs acks -1/)
    expect(() => resolveProducerOptions({ transactionalId: '' })).toThrow(/non-empty string/)
    expect(() => resolveProducerOptions({ transactionalId: 'x', transactionTimeoutMs: 0 })).toThrow(
      /transactionTimeoutMs must be an integer >= 1/,
    )
  })
})

describe('sendOffsets input', () => {
  it('takes a group id or group metadata and offsets as bigint, number or decimal string', () => {
    const byId = normalizeOffsets({
      consumerGroupId: 'g',
      topics: [
        {
          topic: 't',
          partitions: [
            { partition: 0, offset: '12' },
            { partition: 1, offset: 3 },
          ],
        },
      ],
    })
    expect(byId.group).toEqual({ groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null })
    expect(byId.topics[0]!.partitions.map((p) => p.offset)).toEqual([12n, 3n])
    const byMetadata = normalizeOffsets({
      consumerGroupMetadata: { groupId: 'g2', generationId: 4, memberId: 'm-1', groupInstanceId: 'i' },
      topics: [{ topic: 't', partitions: [{ partition: 0, offset: 7n }] }],
    })
    expect(byMetadata.group).toEqual({ groupId: 'g2', generationId: 4, memberId: 'm-1', groupInstanceId: 'i' })
  })

  it('rejects bad input naming the field', () => {
    const topics = [{ topic: 't', partitions: [{ partition: 0, offset: 1n }] }]
    expect(() => normalizeOffsets({ topics })).toThrow(/consumerGroupId/)
    expect(() => normalizeOffsets({ consumerGroupId: 'g', topics: [] })).toThrow(/topics/)
    expect(() =>
      normalizeOffsets({ consumerGroupId: 'g', topics: [{ topic: 't', partitions: [{ partition: 0, offset: -1 }] }] }),
    ).toThrow(InvalidMessageError)
    expect(() =>
      normalizeOffsets({ consumerGroupId: 'g', topics: [{ topic: 't', partitions: [{ partition: 0, offset: 'x' }] }] }),
    ).toThrow(/t-0 must be a non-negative integer/)
  })
})
