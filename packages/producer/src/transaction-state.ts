import { ApiError, errorFromCode, type KafkaError } from '@kafkit/protocol'
import { DeliveryTimeoutError, TransactionAbortableError, TransactionStateError } from './errors.js'

/**
 * The states of a transactional producer, as Java's TransactionManager:
 * `uninitialized` until initTransactions, `ready` between transactions,
 * `in-transaction` after begin, `committing` / `aborting` while the end is
 * under way, `abortable-error` when only an abort can continue, and
 * `fatal-error` when nothing can.
 */
export type TransactionState =
  | 'uninitialized'
  | 'initializing'
  | 'ready'
  | 'in-transaction'
  | 'committing'
  | 'aborting'
  | 'abortable-error'
  | 'fatal-error'

/** What a failure does to the transaction. */
export type TransactionErrorKind = 'retriable' | 'abortable' | 'fatal'

const INVALID_PRODUCER_EPOCH = 47
const PRODUCER_FENCED = 90
/** Codes after which the producer can do nothing more (Java's fatal errors). */
const FATAL_CODES = new Set([
  31, // CLUSTER_AUTHORIZATION_FAILED
  35, // UNSUPPORTED_VERSION
  47, // INVALID_PRODUCER_EPOCH: fenced
  48, // INVALID_TXN_STATE
  50, // INVALID_TRANSACTION_TIMEOUT
  53, // TRANSACTIONAL_ID_AUTHORIZATION_FAILED
  90, // PRODUCER_FENCED
])

/**
 * Whether a failure of a transactional request or record is retried, aborts
 * the transaction or stops the producer. A fenced producer always sees
 * ProducerFencedError, whichever of the two codes the broker used.
 */
export function classifyTransactionError(error: KafkaError): { kind: TransactionErrorKind; error: KafkaError } {
  if (error instanceof ApiError) {
    if (error.code === INVALID_PRODUCER_EPOCH) {
      const fenced = errorFromCode(PRODUCER_FENCED, {
        api: error.api,
        entity: error.entity,
        detail: `another producer with this transactional id fenced this one (${error.message}); close this producer`,
      })!
      return { kind: 'fatal', error: fenced }
    }
    if (FATAL_CODES.has(error.code)) return { kind: 'fatal', error }
  }
  if (error.retriable && !(error instanceof DeliveryTimeoutError)) return { kind: 'retriable', error }
  return { kind: 'abortable', error }
}

/** Which call a wrong call should have been, by state, for the messages of TransactionStateError. */
const HINT: Record<TransactionState, string> = {
  uninitialized: 'call initTransactions() (or connect()) first',
  initializing: 'wait for initTransactions() to finish',
  ready: 'no transaction is open: call beginTransaction() (or producer.transaction()) first',
  'in-transaction': 'a transaction is open: call commitTransaction() or abortTransaction() first',
  committing: 'the transaction is being committed: wait for commitTransaction() to finish',
  aborting: 'the transaction is being aborted: wait for abortTransaction() to finish',
  'abortable-error': 'the transaction failed: call abortTransaction()',
  'fatal-error': 'the producer failed: close it and create a new one',
}

/**
 * The transaction state machine, without I/O: each operation checks that the
 * current state allows it and moves to the next one, throwing a typed error
 * otherwise (the fatal error itself once the producer is fatal, a
 * TransactionAbortableError in the abortable state).
 */
export class TransactionStateMachine {
  #state: TransactionState = 'uninitialized'
  #error: KafkaError | undefined

  get state(): TransactionState {
    return this.#state
  }

  /** The error of the abortable or fatal state. */
  get lastError(): KafkaError | undefined {
    return this.#error
  }

  get inTransaction(): boolean {
    return this.#state === 'in-transaction'
  }

  /** A transaction is open (begun and not yet committed or aborted), failed or not. */
  get hasOpenTransaction(): boolean {
    return (
      this.#state === 'in-transaction' ||
      this.#state === 'committing' ||
      this.#state === 'aborting' ||
      this.#state === 'abortable-error'
    )
  }

  startInit(): void {
    if (this.#state === 'ready' || this.#state === 'in-transaction') {
      throw new TransactionStateError(
        'initTransactions() already ran (connect() runs it for you): call beginTransaction() (or producer.transaction())',
      )
    }
    this.#require('initTransactions()', ['uninitialized'])
    this.#state = 'initializing'
  }

  /** initTransactions failed retriably (e.g. its deadline passed): it may be called again. */
  initFailed(): void {
    if (this.#state === 'initializing') this.#state = 'uninitialized'
  }

  ready(): void {
    if (this.#state === 'fatal-error') throw this.#error!
    this.#state = 'ready'
    this.#error = undefined
  }

  begin(): void {
    this.#require('beginTransaction()', ['ready'])
    this.#state = 'in-transaction'
  }

  /** Throws unless records may be sent now. */
  checkSend(): void {
    this.#require('send()', ['in-transaction'])
  }

  checkSendOffsets(): void {
    this.#require('sendOffsets()', ['in-transaction'])
  }

  startCommit(): void {
    this.#require('commitTransaction()', ['in-transaction'])
    this.#state = 'committing'
  }

  startAbort(): void {
    this.#require('abortTransaction()', ['in-transaction', 'abortable-error'])
    this.#state = 'aborting'
  }

  /** A failure inside the transaction: fatal ones stop the producer, others leave only abort. */
  fail(kind: 'abortable' | 'fatal', error: KafkaError): void {
    if (this.#state === 'fatal-error') return
    if (kind === 'fatal') {
      this.#state = 'fatal-error'
      this.#error = error
      return
    }
    // Outside an open transaction (e.g. a failed re-initialization after an abort) nothing can be aborted.
    if (!this.hasOpenTransaction) {
      this.#state = 'fatal-error'
      this.#error = error
      return
    }
    // While aborting the failure is expected (the abort is what recovers from it).
    if (this.#state === 'aborting' || this.#state === 'abortable-error') return
    this.#state = 'abortable-error'
    this.#error = error
  }

  /** An abort that failed without a fatal error: the transaction stays abortable, so the abort can be tried again. */
  abortFailed(error: KafkaError): void {
    if (this.#state !== 'aborting') return
    this.#state = 'abortable-error'
    this.#error = error
  }

  #require(operation: string, allowed: readonly TransactionState[]): void {
    if (allowed.includes(this.#state)) return
    if (this.#state === 'fatal-error') throw this.#error!
    if (this.#state === 'abortable-error') {
      throw new TransactionAbortableError(
        `cannot call ${operation}: the transaction failed (${this.#error?.message ?? 'unknown error'}); call abortTransaction()`,
        this.#error,
      )
    }
    throw new TransactionStateError(`cannot call ${operation} now: ${HINT[this.#state]}`)
  }
}
