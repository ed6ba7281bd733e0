import {
  type Producer as CoreProducer,
  type RecordMetadata,
  type TransactionOffsets,
  TransactionStateError,
} from '@kafkit/producer'
import type { MessageData } from './messages.js'
import type { KafkitProducer, ProducerBatch, ProducerRecordBatch } from './producer.js'

const OPEN_STATES = new Set(['in-transaction', 'committing', 'aborting', 'abortable-error'])

/**
 * One transaction of a transactional producer, as kafkajs's
 * `await producer.transaction()`: records sent through it are committed or
 * aborted together with the offsets given to `sendOffsets`. Once committed
 * or aborted it is finished; start the next with `producer.transaction()`.
 */
export class KafkitTransaction<K = MessageData, V = MessageData> {
  #finished: 'committed' | 'aborted' | undefined

  constructor(
    private readonly producer: KafkitProducer<K, V>,
    private readonly core: CoreProducer,
  ) {}

  send(record: ProducerRecordBatch<K, V>): Promise<RecordMetadata[]> {
    return this.#guard('send()', () => this.producer.send(record))
  }

  sendBatch(batch: ProducerBatch<K, V>): Promise<RecordMetadata[]> {
    return this.#guard('sendBatch()', () => this.producer.sendBatch(batch))
  }

  /** Commits a consumer group's offsets with the transaction: `{ consumerGroupId, topics: [{ topic, partitions: [{ partition, offset }] }] }`. */
  sendOffsets(offsets: TransactionOffsets): Promise<void> {
    return this.#guard('sendOffsets()', () => this.core.sendOffsets(offsets))
  }

  commit(): Promise<void> {
    return this.#guard('commit()', async () => {
      await this.core.commitTransaction()
      this.#finished = 'committed'
    })
  }

  abort(): Promise<void> {
    return this.#guard('abort()', async () => {
      await this.core.abortTransaction()
      this.#finished = 'aborted'
    })
  }

  /** Whether the transaction is still open (not committed, aborted, or ended by a fatal error). */
  isActive(): boolean {
    return this.#finished === undefined && OPEN_STATES.has(this.core.transactionState ?? '')
  }

  async #guard<T>(operation: string, run: () => Promise<T>): Promise<T> {
    if (this.#finished) {
      throw new TransactionStateError(
        `cannot call ${operation}: this transaction was ${this.#finished}; start another with producer.transaction()`,
      )
    }
    return run()
  }
}
