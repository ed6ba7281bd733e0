/**
 * EndTxn (key 26), versions 0-5. Commits or aborts the ongoing transaction:
 * a COMMIT or ABORT marker goes into every partition of the transaction at
 * once (what Kafka's WriteTxnMarkers does), which moves the last stable
 * offset; an abort also enters the partitions' aborted transaction lists,
 * and a commit applies the transaction's TxnOffsetCommit offsets to their
 * groups. Retrying the completed outcome succeeds; the other outcome, or no
 * transaction, is INVALID_TXN_STATE. An unknown id or another producer id is
 * INVALID_PRODUCER_ID_MAPPING, another epoch PRODUCER_FENCED
 * (INVALID_PRODUCER_EPOCH below v2). Transaction version 1: the epoch is not
 * bumped, and v5 answers the producer's id and epoch unchanged.
 */
import { Apis, createEndTxnResponse } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { endTransaction } from '../state/transactions/transaction-coordinator.js'
import { transactionsOf } from '../state/transactions/transaction-state.js'
import { fencedFor, TxnError } from '../state/transactions/txn-errors.js'
import { transactionCoordinatorError } from './txn-request.js'

const PRODUCER_FENCED_VERSION = 2

export const endTxnHandler = defineHandler({
  api: 'EndTxn',
  minVersion: Apis.EndTxn.minVersion,
  maxVersion: Apis.EndTxn.maxVersion,
  handle(request, context) {
    const errorCode =
      transactionCoordinatorError(context, request.transactionalId) ||
      endTransaction(
        transactionsOf(context.cluster),
        request.transactionalId,
        request.producerId,
        request.producerEpoch,
        request.committed,
        Date.now(),
      )
    const ok = errorCode === TxnError.NONE
    return createEndTxnResponse({
      errorCode: fencedFor(errorCode, context.version, PRODUCER_FENCED_VERSION),
      producerId: ok ? request.producerId : -1n,
      producerEpoch: ok ? request.producerEpoch : -1,
    })
  },
})
