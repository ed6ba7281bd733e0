/**
 * DescribeTransactions (key 65), version 0. Per transactional id, what its
 * coordinator holds (Kafka's TransactionCoordinator.handleDescribeTransactions):
 * the state as Kafka names it, producer id and epoch, timeout, the start
 * time of the current or last transaction (-1 after InitProducerId until one
 * starts) and the partitions of the ongoing transaction. An id this broker
 * does not coordinate is NOT_COORDINATOR, an unknown one
 * TRANSACTIONAL_ID_NOT_FOUND, an empty one INVALID_REQUEST; failed entries
 * keep the other fields at their defaults, as Kafka's do.
 */
import {
  Apis,
  createDescribeTransactionsResponse,
  createDescribeTransactionsResponseTransactionState,
} from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { describeTransaction, TRANSACTIONAL_ID_NOT_FOUND } from '../state/transactions/transaction-listing.js'
import { transactionsOf } from '../state/transactions/transaction-state.js'
import { TxnError } from '../state/transactions/txn-errors.js'
import { transactionCoordinatorError } from './txn-request.js'

export const describeTransactionsHandler = defineHandler({
  api: 'DescribeTransactions',
  minVersion: Apis.DescribeTransactions.minVersion,
  maxVersion: Apis.DescribeTransactions.maxVersion,
  handle(request, context) {
    const state = transactionsOf(context.cluster)
    const transactionStates = request.transactionalIds.map((transactionalId) => {
      const failed = (errorCode: number) =>
        createDescribeTransactionsResponseTransactionState({ transactionalId, errorCode })
      const errorCode = transactionCoordinatorError(context, transactionalId)
      if (errorCode !== TxnError.NONE) return failed(errorCode)
      const description = describeTransaction(state, transactionalId)
      if (!description) return failed(TRANSACTIONAL_ID_NOT_FOUND)
      return createDescribeTransactionsResponseTransactionState({
        transactionalId,
        errorCode: TxnError.NONE,
        transactionState: description.state,
        producerId: description.producerId,
        producerEpoch: description.producerEpoch,
        transactionTimeoutMs: description.timeoutMs,
        transactionStartTimeMs: BigInt(description.startTimeMs),
        topics: description.topics,
      })
    })
    return createDescribeTransactionsResponse({ transactionStates })
  },
})
