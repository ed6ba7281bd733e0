/**
 * ListTransactions (key 66), versions 0-2. The transactional ids this broker
 * coordinates, filtered as Kafka's TransactionStateManager does: by state
 * names (unknown names are echoed in unknownStateFilters), producer ids,
 * (v1) transactions running longer than durationFilter ms, and (v2) a
 * transactionalIdPattern regular expression that must match the whole id
 * (null or empty: all). A pattern that does not compile is
 * INVALID_REGULAR_EXPRESSION; the pattern is a JavaScript regular
 * expression, which agrees with Java's for ordinary patterns.
 */
import { Apis, createListTransactionsResponse } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { listTransactions } from '../state/transactions/transaction-listing.js'
import { transactionsOf } from '../state/transactions/transaction-state.js'
import { coordinatorFor } from './10-find-coordinator.js'

export const listTransactionsHandler = defineHandler({
  api: 'ListTransactions',
  minVersion: Apis.ListTransactions.minVersion,
  maxVersion: Apis.ListTransactions.maxVersion,
  handle(request, context) {
    const { cluster, broker } = context
    const listed = listTransactions(
      transactionsOf(cluster),
      {
        stateFilters: request.stateFilters,
        producerIdFilters: request.producerIdFilters,
        durationFilterMs: Number(request.durationFilter),
        transactionalIdPattern: request.transactionalIdPattern,
      },
      (transactionalId) => coordinatorFor(cluster, transactionalId) === broker.nodeId,
      Date.now(),
    )
    return createListTransactionsResponse({
      errorCode: listed.errorCode,
      unknownStateFilters: listed.unknownStateFilters,
      transactionStates: listed.transactions.map((entry) => ({
        transactionalId: entry.transactionalId,
        producerId: entry.producerId,
        transactionState: entry.status,
      })),
    })
  },
})
