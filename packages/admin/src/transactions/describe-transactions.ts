import { unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import { requireName, requireNonEmptyArray } from '../arguments.js'
import { entryError, retriableCode } from '../groups/group-errors.js'
import type { TopicPartitionList } from '../groups/topic-partitions.js'
import { distinct, perEntry } from '../per-entry.js'

/** A transactional id's current transaction (Java's TransactionDescription). */
export interface TransactionDescription {
  transactionalId: string
  /** The transaction coordinator's node id. */
  coordinatorId: number
  /** Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort, PrepareEpochFence or Dead. */
  state: string
  producerId: bigint
  producerEpoch: number
  transactionTimeoutMs: number
  /** When the current (or last) transaction started, ms since the epoch; null when none has. */
  transactionStartTimeMs: number | null
  /** The partitions in the transaction (while it is open, or those still awaiting markers). */
  topicPartitions: TopicPartitionList[]
}

/**
 * Describes transactional ids at their transaction coordinators
 * (DescribeTransactions). An id no producer initialised fails with
 * TransactionalIdNotFoundError, as an entry of AdminPartialFailureError.
 */
export async function describeTransactions(
  router: AdminRouter,
  transactionalIds: readonly string[],
): Promise<TransactionDescription[]> {
  const ids = distinct(
    requireNonEmptyArray(transactionalIds, 'describeTransactions transactionalIds', "['orders-tx-1']"),
  )
  for (const id of ids) requireName(id, 'describeTransactions transactional id')
  const { succeeded, failures } = await perEntry(
    ids,
    (id) => id,
    async (transactionalId) => {
      const response = await router.toCoordinator(
        'transaction',
        transactionalId,
        'DescribeTransactions',
        { transactionalIds: [transactionalId] },
        (r) => retriableCode(r.transactionStates[0]?.errorCode ?? 0),
      )
      const state =
        response.transactionStates.find((s) => s.transactionalId === transactionalId) ?? response.transactionStates[0]
      const error = entryError(state?.errorCode ?? 0, 'DescribeTransactions', transactionalId)
      if (error) throw error
      if (!state)
        throw entryError(105, 'DescribeTransactions', transactionalId, 'the coordinator did not answer for it')!
      const coordinatorId = await router.client.cluster.findCoordinator('transaction', transactionalId)
      return {
        transactionalId,
        coordinatorId,
        state: state.transactionState,
        producerId: state.producerId,
        producerEpoch: state.producerEpoch,
        transactionTimeoutMs: state.transactionTimeoutMs,
        transactionStartTimeMs: state.transactionStartTimeMs < 0n ? null : Number(state.transactionStartTimeMs),
        topicPartitions: state.topics.map((t) => ({
          topic: t.topic,
          partitions: [...t.partitions].sort((a, b) => a - b),
        })),
      }
    },
  )
  return unlessFailures('describeTransactions', failures, [...succeeded.values()])
}
