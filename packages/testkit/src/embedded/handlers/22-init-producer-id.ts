/**
 * InitProducerId (key 22), versions 0-5 (Kafka 4.1 advertises up to 5; v6 is
 * two-phase commit). Without a transactional id, Kafka's transaction
 * coordinator hands out a new producer id with epoch 0 every time, even when
 * the request names the producer's current id and epoch (an idempotent
 * producer bumps its epoch itself); naming only one of the two is
 * INVALID_REQUEST, an empty transactional id too. A transactional id goes to
 * the transaction coordinator (NOT_COORDINATOR on another broker): a new id
 * gets a new producer id at epoch 0, a known one its epoch bumped, which
 * fences the previous producer; an ongoing transaction is aborted under the
 * bumped epoch first and answered CONCURRENT_TRANSACTIONS (the retry bumps
 * again, as in Kafka). A wrong current id or epoch is PRODUCER_FENCED
 * (INVALID_PRODUCER_EPOCH below v4), a timeout above
 * transaction.max.timeout.ms INVALID_TRANSACTION_TIMEOUT.
 */
import { createInitProducerIdResponse } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { ErrorCode } from '../state/data-errors.js'
import { initTransactional } from '../state/transactions/transaction-coordinator.js'
import { transactionsOf } from '../state/transactions/transaction-state.js'
import { fencedFor } from '../state/transactions/txn-errors.js'
import { transactionCoordinatorError } from './txn-request.js'

const NO_PRODUCER_ID = -1n
const NO_PRODUCER_EPOCH = -1
/** The highest version Kafka 4.1 serves; v6 (KIP-939, two-phase commit) is not enabled there. */
const MAX_VERSION = 5
/** The first version that may answer PRODUCER_FENCED (KIP-588). */
const PRODUCER_FENCED_VERSION = 4

export const initProducerIdHandler = defineHandler({
  api: 'InitProducerId',
  minVersion: 0,
  maxVersion: MAX_VERSION,
  handle(request, context) {
    const failed = (errorCode: number) =>
      createInitProducerIdResponse({ errorCode, producerId: NO_PRODUCER_ID, producerEpoch: NO_PRODUCER_EPOCH })
    const noId = request.producerId === NO_PRODUCER_ID
    const noEpoch = request.producerEpoch === NO_PRODUCER_EPOCH
    if (noId !== noEpoch) return failed(ErrorCode.INVALID_REQUEST)
    if (request.transactionalId === '') return failed(ErrorCode.INVALID_REQUEST)
    if (request.transactionalId !== null) {
      const notCoordinator = transactionCoordinatorError(context, request.transactionalId)
      if (notCoordinator) return failed(notCoordinator)
      const result = initTransactional(
        transactionsOf(context.cluster),
        {
          transactionalId: request.transactionalId,
          transactionTimeoutMs: request.transactionTimeoutMs,
          producerId: request.producerId,
          producerEpoch: request.producerEpoch,
        },
        Date.now(),
      )
      if (result.errorCode) return failed(fencedFor(result.errorCode, context.version, PRODUCER_FENCED_VERSION))
      return createInitProducerIdResponse({ producerId: result.producerId, producerEpoch: result.epoch })
    }
    return createInitProducerIdResponse({ producerId: context.cluster.allocateProducerId(), producerEpoch: 0 })
  },
})
