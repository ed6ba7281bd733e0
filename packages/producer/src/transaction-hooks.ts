import type { KafkaClient, Logger } from '@kafkit/client'
import { type KafkaError, NO_SEQUENCE } from '@kafkit/protocol'
import type { RecordAccumulator } from './accumulator.js'
import type { BufferPool } from './buffer-pool.js'
import type { ProducerIdentity } from './idempotence.js'
import type { ResolvedProducerOptions } from './options.js'
import { TransactionManager } from './transaction-manager.js'

interface ProducerParts {
  accumulator: RecordAccumulator
  pool: BufferPool
  wake(): void
  flush(): Promise<void>
  /** Resolves when no record waits for metadata or buffer space (each is then appended or refused). */
  appended(): Promise<void>
  logger: Logger
}

/**
 * The transaction manager of a producer with a transactionalId (undefined
 * without one), wired to the producer's accumulator: what an abort does to
 * the batches not yet sent, and how sequences restart after an epoch bump.
 */
export function createTransactionManager(
  client: KafkaClient,
  identity: ProducerIdentity | undefined,
  options: ResolvedProducerOptions,
  parts: ProducerParts,
): TransactionManager | undefined {
  if (options.transactionalId === undefined || identity === undefined) return undefined
  const { accumulator, pool, logger } = parts
  const callbackFailed = (error: unknown): void => {
    logger.error('a produce delivery callback threw', { error: String(error) })
  }
  return new TransactionManager(client, identity, options, {
    wake: parts.wake,
    flush: parts.flush,
    failUnsent(error: KafkaError): boolean {
      let sentBefore = false
      for (const queue of accumulator.partitions) {
        for (const batch of queue.queued.splice(0)) {
          if (batch.sequence !== NO_SEQUENCE) sentBefore = true
          pool.release(batch.reservedBytes)
          batch.fail(error, callbackFailed)
        }
      }
      return sentBefore
    },
    async settled(): Promise<void> {
      await parts.appended()
      await Promise.all(accumulator.unfinished().map((batch) => batch.whenDone))
    },
    resetSequences(): void {
      for (const queue of accumulator.partitions) {
        queue.nextSequence = 0
        queue.confirmed = false
        for (const batch of queue.queued) batch.sequence = NO_SEQUENCE
      }
    },
  })
}
