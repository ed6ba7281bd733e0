import type { KafkaClient } from '@kafkit/client'
import { withRetries } from '@kafkit/client'
import { createInitProducerIdRequest, errorFromCode } from '@kafkit/protocol'

/** Sequence numbers are int32 and wrap from Int32.MAX to 0. */
export function nextSequence(sequence: number, recordCount: number): number {
  return (sequence + recordCount) % 0x8000_0000
}

/**
 * The producer id and epoch of an idempotent producer. The epoch is bumped
 * (KIP-360) when the broker lost the producer's state (UNKNOWN_PRODUCER_ID) or
 * saw a gap in its sequences (OUT_OF_ORDER_SEQUENCE_NUMBER); the sender then
 * restarts every partition's sequence at 0 under the new epoch. Without a
 * transactional id the broker hands out a fresh id on every InitProducerId, so
 * the bump is local, as in the Java producer: the broker accepts epoch + 1 with
 * sequence 0. Only an exhausted epoch asks for a new producer id.
 */
export class ProducerIdentity {
  producerId = -1n
  epoch = -1
  bumpRequested = false

  get initialized(): boolean {
    return this.producerId >= 0n
  }

  /** Bumps the epoch locally; false when it is exhausted and a new producer id is needed. */
  bumpLocally(): boolean {
    if (!this.initialized || this.epoch >= 0x7fff - 1) return false
    this.epoch++
    this.bumpRequested = false
    return true
  }

  async initialize(
    client: KafkaClient,
    options: { deadlineMs: number; retryBackoffMs: number; retryBackoffMaxMs: number },
  ): Promise<void> {
    const response = await withRetries(
      async () => {
        const answer = await client.cluster.requestAny(
          'InitProducerId',
          createInitProducerIdRequest({
            transactionalId: null,
            transactionTimeoutMs: 60_000,
            producerId: -1n,
            producerEpoch: -1,
          }),
        )
        const error = errorFromCode(answer.errorCode, { api: 'InitProducerId' })
        if (error) throw error
        return answer
      },
      { ...options },
    )
    this.producerId = response.producerId
    this.epoch = response.producerEpoch
    this.bumpRequested = false
  }
}
