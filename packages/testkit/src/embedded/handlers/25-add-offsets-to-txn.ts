/**
 * AddOffsetsToTxn (key 25), versions 0-4. Adds a consumer group to the
 * transaction, so that its TxnOffsetCommit offsets commit or abort with it;
 * the transaction becomes Ongoing. Errors as AddPartitionsToTxn:
 * NOT_COORDINATOR, INVALID_PRODUCER_ID_MAPPING, PRODUCER_FENCED
 * (INVALID_PRODUCER_EPOCH below v2), INVALID_REQUEST for an empty id.
 */
import { Apis, createAddOffsetsToTxnResponse } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { addGroup } from '../state/transactions/transaction-coordinator.js'
import { transactionsOf } from '../state/transactions/transaction-state.js'
import { fencedFor } from '../state/transactions/txn-errors.js'
import { transactionCoordinatorError } from './txn-request.js'

const PRODUCER_FENCED_VERSION = 2

export const addOffsetsToTxnHandler = defineHandler({
  api: 'AddOffsetsToTxn',
  minVersion: Apis.AddOffsetsToTxn.minVersion,
  maxVersion: Apis.AddOffsetsToTxn.maxVersion,
  handle(request, context) {
    const errorCode =
      transactionCoordinatorError(context, request.transactionalId) ||
      addGroup(
        transactionsOf(context.cluster),
        request.transactionalId,
        request.producerId,
        request.producerEpoch,
        request.groupId,
        Date.now(),
      )
    return createAddOffsetsToTxnResponse({
      errorCode: fencedFor(errorCode, context.version, PRODUCER_FENCED_VERSION),
    })
  },
})
