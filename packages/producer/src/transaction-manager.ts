import { ConnectionError, type KafkaClient, type RequestBody, withRetries } from '@kafkit/client'
import {
  ApiError,
  type ApiMessages,
  type ApiName,
  createAddOffsetsToTxnRequest,
  createAddPartitionsToTxnRequest,
  createEndTxnRequest,
  createInitProducerIdRequest,
  createTxnOffsetCommitRequest,
  errorFromCode,
  KafkaError,
} from '@kafkit/protocol'
import { TransactionAbortableError, TransactionAbortedError, TransactionStateError } from './errors.js'
import type { ProducerIdentity } from './idempotence.js'
import type { ResolvedProducerOptions } from './options.js'
import type { DeliveryCallback } from './producer-batch.js'
import { normalizeOffsets, type TransactionOffsets } from './transaction-offsets.js'
import { classifyTransactionError, type TransactionState, TransactionStateMachine } from './transaction-state.js'

/**
 * The highest versions of transaction version 1 (Kafka before KIP-890 part 2),
 * as Java's producer caps them when the cluster does not finalize
 * transaction.version 2: a higher EndTxn or Produce would make the broker
 * expect the other protocol.
 */
export const TXN_V1_MAX_VERSION = { Produce: 11, EndTxn: 4, TxnOffsetCommit: 4, AddPartitionsToTxn: 3 } as const

const COORDINATOR_NOT_AVAILABLE = 15
const NOT_COORDINATOR = 16
const OPERATION_NOT_ATTEMPTED = 55

/** What the sender asks before sending a partition's batch inside a transaction. */
export interface TransactionGate {
  readonly transactionalId: string
  /** Whether the partition is in the transaction; if not, adding it starts and the sender is woken after. */
  canSend(topic: string, partition: number): boolean
}

/** What the manager needs from the producer that owns it. */
export interface TransactionHooks {
  /** Asks the sender for a pass (partitions were added). */
  wake(): void
  /** Resolves when every record handed to the producer so far is acknowledged or failed. */
  flush(): Promise<void>
  /** Fails every batch not yet sent; returns whether one of them had a sequence (it was sent before). */
  failUnsent(error: KafkaError): boolean
  /** Resolves when every batch in flight is done. */
  settled(): Promise<void>
  /** Restarts every partition's sequence at 0 (a new producer id or epoch). */
  resetSequences(): void
}

/**
 * The transactions of a producer with a `transactionalId`, as Java's
 * TransactionManager with transaction version 1: InitProducerId with the id
 * (which fences older producers), AddPartitionsToTxn before a partition's
 * first batch, AddOffsetsToTxn and TxnOffsetCommit for `sendOffsets`, EndTxn
 * to commit or abort. Failures move the state machine to abortable or fatal.
 */
export class TransactionManager implements TransactionGate {
  readonly machine = new TransactionStateMachine()
  readonly transactionalId: string
  readonly #added = new Set<string>()
  readonly #pending = new Map<string, { topic: string; partition: number }>()
  #adding: Promise<void> | undefined
  #offsetsAdded = false
  /** A record failed after it may have been sent: the next abort bumps the epoch (KIP-360) to reset sequences. */
  #bumpRequired = false

  constructor(
    private readonly client: KafkaClient,
    private readonly identity: ProducerIdentity,
    private readonly options: ResolvedProducerOptions,
    private readonly hooks: TransactionHooks,
  ) {
    this.transactionalId = options.transactionalId!
  }

  get state(): TransactionState {
    return this.machine.state
  }

  async initTransactions(): Promise<void> {
    this.machine.startInit()
    try {
      await this.#initProducerId(false)
    } catch (error) {
      const { kind, error: failure } = classifyTransactionError(asKafkaError(error))
      if (kind === 'fatal') this.machine.fail('fatal', failure)
      else this.machine.initFailed()
      throw failure
    }
    this.machine.ready()
  }

  beginTransaction(): void {
    this.machine.begin()
  }

  checkSend(): void {
    this.machine.checkSend()
  }

  /** Why a record that waited for metadata or buffer space may no longer join the transaction, if it may not. */
  appendRefusal(): KafkaError | undefined {
    const state = this.machine.state
    if (state === 'in-transaction' || state === 'committing') return undefined
    if (state === 'aborting')
      return new TransactionAbortedError('the transaction was aborted before this record was sent')
    try {
      this.machine.checkSend()
    } catch (error) {
      return asKafkaError(error)
    }
    return new TransactionStateError('the record cannot join a transaction now')
  }

  /**
   * Wraps a record's callback so that its failure reaches the state machine
   * before the caller hears of it; a fenced producer's record fails with
   * ProducerFencedError whichever code the broker used.
   */
  watch(onDelivery: DeliveryCallback): DeliveryCallback {
    return (error, metadata) => onDelivery(error === null ? null : this.#recordFailed(error), metadata)
  }

  canSend(topic: string, partition: number): boolean {
    const key = `${topic}\u0000${partition}`
    if (this.#added.has(key)) return true
    const state = this.machine.state
    if (state !== 'in-transaction' && state !== 'committing') return false
    this.#pending.set(key, { topic, partition })
    // Started after the sender's pass, so that every partition the pass found new goes in one request.
    this.#adding ??= Promise.resolve()
      .then(() => this.#addPendingPartitions())
      .finally(() => {
        this.#adding = undefined
        if (this.#pending.size > 0 && this.machine.state !== 'abortable-error') this.hooks.wake()
      })
    return false
  }

  async commitTransaction(): Promise<void> {
    this.machine.startCommit()
    try {
      await this.hooks.flush()
      await this.#adding
      // A record that failed during the flush made the transaction abortable (or the producer fatal).
      if (this.machine.state !== 'committing') throw this.#stateError('commitTransaction()')
      if (this.#started) await this.#endTxn(true)
    } catch (error) {
      throw this.#failed(error)
    }
    this.#completed()
  }

  async abortTransaction(): Promise<void> {
    this.machine.startAbort()
    try {
      if (this.hooks.failUnsent(new TransactionAbortedError('the transaction was aborted before this record was sent')))
        this.#bumpRequired = true
      await this.hooks.settled()
      await this.#adding?.catch(() => {})
      if (this.#started) await this.#endTxn(false)
      if (this.#bumpRequired) await this.#initProducerId(true)
    } catch (error) {
      const { kind, error: failure } = classifyTransactionError(asKafkaError(error))
      if (kind === 'fatal') this.machine.fail('fatal', failure)
      else this.machine.abortFailed(failure)
      throw failure
    }
    this.#bumpRequired = false
    this.#completed()
  }

  /** A transaction still open when the producer closes is aborted (its unsent records fail), as in Java. */
  async abortOnClose(): Promise<void> {
    const state = this.machine.state
    if (state !== 'in-transaction' && state !== 'abortable-error') return
    try {
      await this.abortTransaction()
    } catch (error) {
      this.client.logger.warn('aborting the open transaction on close failed', { error: String(error) })
    }
  }

  /** Commits a consumer group's offsets as part of the transaction (AddOffsetsToTxn, then TxnOffsetCommit). */
  async sendOffsets(offsets: TransactionOffsets): Promise<void> {
    this.machine.checkSendOffsets()
    const { group, topics } = normalizeOffsets(offsets)
    try {
      await this.#coordinatorRequest(
        'transaction',
        this.transactionalId,
        'AddOffsetsToTxn',
        createAddOffsetsToTxnRequest({
          transactionalId: this.transactionalId,
          producerId: this.identity.producerId,
          producerEpoch: this.identity.epoch,
          groupId: group.groupId,
        }),
        (response) => response.errorCode,
      )
      this.#offsetsAdded = true
      await this.#coordinatorRequest(
        'group',
        group.groupId,
        'TxnOffsetCommit',
        createTxnOffsetCommitRequest({
          transactionalId: this.transactionalId,
          groupId: group.groupId,
          producerId: this.identity.producerId,
          producerEpoch: this.identity.epoch,
          generationId: group.generationId,
          memberId: group.memberId,
          groupInstanceId: group.groupInstanceId,
          topics: topics.map(({ topic, partitions }) => ({
            name: topic,
            partitions: partitions.map(({ partition, offset, metadata }) => ({
              partitionIndex: partition,
              committedOffset: offset,
              committedLeaderEpoch: -1,
              committedMetadata: metadata,
            })),
          })),
        }),
        (response) => response.topics.flatMap((t) => t.partitions).find((p) => p.errorCode !== 0)?.errorCode ?? 0,
        TXN_V1_MAX_VERSION.TxnOffsetCommit,
      )
    } catch (error) {
      throw this.#failed(error)
    }
  }

  get #started(): boolean {
    return this.#added.size > 0 || this.#offsetsAdded
  }

  #completed(): void {
    this.#added.clear()
    this.#pending.clear()
    this.#offsetsAdded = false
    this.machine.ready()
  }

  #recordFailed(error: KafkaError): KafkaError {
    if (error instanceof TransactionAbortedError) return error
    this.#bumpRequired = true
    const { kind, error: failure } = classifyTransactionError(error)
    this.#enterFailure(kind === 'fatal' ? 'fatal' : 'abortable', failure)
    return kind === 'fatal' ? failure : error
  }

  /** Moves to the failed state and fails the records not yet sent, as Java's sender does in that state. */
  #enterFailure(kind: 'abortable' | 'fatal', error: KafkaError): void {
    const before = this.machine.state
    this.machine.fail(kind, error)
    const after = this.machine.state
    if (after === before || (after !== 'abortable-error' && after !== 'fatal-error')) return
    const reason = after === 'fatal-error' ? error : this.#stateError('send()')
    // Deferred: a record's failure is reported from inside the sender, which may be walking the queues.
    queueMicrotask(() => {
      if (this.hooks.failUnsent(reason)) this.#bumpRequired = true
    })
  }

  /** The error of a failed operation, after moving the state machine as the failure requires. */
  #failed(error: unknown): KafkaError {
    const { kind, error: failure } = classifyTransactionError(asKafkaError(error))
    if (failure instanceof TransactionAbortableError) return failure
    this.#enterFailure(kind === 'fatal' ? 'fatal' : 'abortable', failure)
    return failure
  }

  #stateError(operation: string): KafkaError {
    const error = this.machine.lastError
    if (this.machine.state === 'fatal-error' && error) return error
    return new TransactionAbortableError(
      `cannot complete ${operation}: the transaction failed (${error?.message ?? 'unknown error'}); call abortTransaction()`,
      error,
    )
  }

  async #addPendingPartitions(): Promise<void> {
    while (this.#pending.size > 0) {
      const partitions = [...this.#pending.values()]
      const byTopic = new Map<string, number[]>()
      for (const { topic, partition } of partitions) {
        const list = byTopic.get(topic)
        if (list) list.push(partition)
        else byTopic.set(topic, [partition])
      }
      try {
        await this.#coordinatorRequest(
          'transaction',
          this.transactionalId,
          'AddPartitionsToTxn',
          createAddPartitionsToTxnRequest({
            v3AndBelowTransactionalId: this.transactionalId,
            v3AndBelowProducerId: this.identity.producerId,
            v3AndBelowProducerEpoch: this.identity.epoch,
            v3AndBelowTopics: [...byTopic].map(([name, list]) => ({ name, partitions: list })),
          }),
          (response) => {
            const codes = new Map<string, number>()
            for (const t of response.resultsByTopicV3AndBelow)
              for (const p of t.resultsByPartition)
                codes.set(`${t.name}\u0000${p.partitionIndex}`, p.partitionErrorCode)
            // OPERATION_NOT_ATTEMPTED only says another partition of the request failed.
            const failed = [...codes.values()].find((c) => c !== 0 && c !== OPERATION_NOT_ATTEMPTED)
            if (failed !== undefined) return failed
            const missing = partitions.find(({ topic, partition }) => !codes.has(`${topic}\u0000${partition}`))
            if (missing) {
              // As Java, a partition is in the transaction only once the coordinator says so: ask again.
              throw new KafkaError(
                `the AddPartitionsToTxn response did not mention ${missing.topic}-${missing.partition}`,
                { retriable: true },
              )
            }
            return 0
          },
          TXN_V1_MAX_VERSION.AddPartitionsToTxn,
        )
      } catch (error) {
        this.#pending.clear()
        const { kind, error: failure } = classifyTransactionError(asKafkaError(error))
        this.#enterFailure(kind === 'fatal' ? 'fatal' : 'abortable', failure)
        return
      }
      for (const { topic, partition } of partitions) {
        const key = `${topic}\u0000${partition}`
        this.#added.add(key)
        this.#pending.delete(key)
      }
      this.hooks.wake()
    }
  }

  async #endTxn(committed: boolean): Promise<void> {
    await this.#coordinatorRequest(
      'transaction',
      this.transactionalId,
      'EndTxn',
      createEndTxnRequest({
        transactionalId: this.transactionalId,
        producerId: this.identity.producerId,
        producerEpoch: this.identity.epoch,
        committed,
      }),
      (response) => response.errorCode,
      TXN_V1_MAX_VERSION.EndTxn,
    )
  }

  /**
   * InitProducerId for the transactional id. A bump (after an abort whose
   * records failed) names the current id and epoch (KIP-360, v3+), so the
   * coordinator bumps this producer's epoch instead of treating it as new.
   */
  async #initProducerId(bump: boolean): Promise<void> {
    const { producerId, epoch } = this.identity
    const response = await this.#coordinatorRequest(
      'transaction',
      this.transactionalId,
      'InitProducerId',
      (version) =>
        createInitProducerIdRequest({
          transactionalId: this.transactionalId,
          transactionTimeoutMs: this.options.transactionTimeoutMs,
          producerId: bump && version >= 3 ? producerId : -1n,
          producerEpoch: bump && version >= 3 ? epoch : -1,
        }),
      (response) => response.errorCode,
    )
    this.identity.producerId = response.producerId
    this.identity.epoch = response.producerEpoch
    this.identity.bumpRequested = false
    this.hooks.resetSequences()
  }

  /**
   * One request to the transaction or group coordinator, retried with backoff
   * within maxBlockMs on retriable errors (COORDINATOR_LOAD_IN_PROGRESS,
   * CONCURRENT_TRANSACTIONS, ...); NOT_COORDINATOR and lost connections look
   * the coordinator up again.
   */
  #coordinatorRequest<N extends ApiName>(
    type: 'transaction' | 'group',
    key: string,
    api: N,
    body: RequestBody<N>,
    errorCodeOf: (response: ApiMessages[N]['response']) => number,
    maxVersion?: number,
  ): Promise<ApiMessages[N]['response']> {
    const cluster = this.client.cluster
    return withRetries(
      async () => {
        const node = await cluster.findCoordinator(type, key, { deadlineMs: this.options.maxBlockMs })
        const response = await cluster.request(node, api, body, {
          timeoutMs: this.options.requestTimeoutMs,
          ...(maxVersion === undefined ? {} : { maxVersion }),
        })
        const error = errorFromCode(errorCodeOf(response), {
          api,
          entity: type === 'transaction' ? `transactional id ${key}` : `group ${key}`,
          broker: String(node),
        })
        if (error) throw error
        return response
      },
      {
        retryBackoffMs: this.options.retryBackoffMs,
        retryBackoffMaxMs: this.options.retryBackoffMaxMs,
        deadlineMs: this.options.maxBlockMs,
        onRetry: (error) => {
          const code = error instanceof ApiError ? error.code : 0
          if (error instanceof ConnectionError || code === NOT_COORDINATOR || code === COORDINATOR_NOT_AVAILABLE) {
            cluster.invalidateCoordinator(type, key)
          }
        },
      },
    )
  }
}

function asKafkaError(error: unknown): KafkaError {
  if (error instanceof KafkaError) return error
  return new KafkaError(error instanceof Error ? error.message : String(error), { cause: error })
}
