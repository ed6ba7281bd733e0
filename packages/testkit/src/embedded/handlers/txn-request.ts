import type { RequestContext } from '../handler.js'
import { TxnError } from '../state/transactions/txn-errors.js'
import { coordinatorFor } from './10-find-coordinator.js'

/**
 * NOT_COORDINATOR unless this broker coordinates the transactional id (the
 * state is shared, but clients must route as they do with Kafka); an empty
 * id is INVALID_REQUEST.
 */
export function transactionCoordinatorError(context: RequestContext, transactionalId: string): number {
  if (transactionalId === '') return TxnError.INVALID_REQUEST
  return coordinatorFor(context.cluster, transactionalId) === context.broker.nodeId
    ? TxnError.NONE
    : TxnError.NOT_COORDINATOR
}
