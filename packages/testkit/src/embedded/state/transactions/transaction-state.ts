import type { ClusterState } from '../cluster-state.js'
import { GroupTimers } from '../groups/group-timers.js'
import type { CommittedOffset } from '../groups/offset-store.js'

/** Kafka's TransactionState, without Dead and PrepareEpochFence (markers are written at once here). */
export type TransactionStatus =
  | 'Empty'
  | 'Ongoing'
  | 'PrepareCommit'
  | 'PrepareAbort'
  | 'CompleteCommit'
  | 'CompleteAbort'

/** An offset a TxnOffsetCommit staged: the group sees it only when the transaction commits. */
export interface PendingOffset {
  topic: string
  partition: number
  committed: CommittedOffset
}

/** What the coordinator keeps of one transactional id (Kafka's TransactionMetadata). */
export interface TransactionEntry {
  readonly transactionalId: string
  producerId: bigint
  epoch: number
  status: TransactionStatus
  /** The epoch before an InitProducerId fenced it to abort an ongoing transaction, so that producer's retry is known. */
  lastEpoch: number | undefined
  timeoutMs: number
  /**
   * When the current (or last completed) transaction started, ms: its first
   * AddPartitionsToTxn or AddOffsetsToTxn; -1 after InitProducerId, as Kafka's txnStartTimestamp.
   */
  startedAt: number
  /** The partitions written in the transaction, by topic. */
  partitions: Map<string, Set<number>>
  /** Groups whose offsets the transaction commits (AddOffsetsToTxn). */
  groups: Set<string>
  /** TxnOffsetCommit offsets waiting for the commit, by group then `topic:partition`. */
  pendingOffsets: Map<string, Map<string, PendingOffset>>
}

/**
 * The transaction coordinator's state for one cluster: every transactional
 * id's producer id, epoch, status and contents, and the timers that abort
 * transactions that outlive their timeout. All brokers share it (the embedded
 * cluster's __transaction_state); which broker may serve an id is
 * FindCoordinator's `coordinatorFor`. Hangs off the ClusterState through a
 * WeakMap, as the group coordinator does.
 */
export class TransactionCoordinatorState {
  readonly transactions = new Map<string, TransactionEntry>()
  readonly timers = new GroupTimers()

  constructor(readonly cluster: ClusterState) {}

  get(transactionalId: string): TransactionEntry | undefined {
    return this.transactions.get(transactionalId)
  }

  /** transaction.max.timeout.ms: a cluster-wide broker config wins over Kafka's default (15 minutes). */
  get maxTimeoutMs(): number {
    const value = Number(this.cluster.brokerConfigs.get('')?.get('transaction.max.timeout.ms'))
    return Number.isFinite(value) && value > 0 ? value : 900_000
  }
}

const coordinators = new WeakMap<ClusterState, TransactionCoordinatorState>()

/** The transaction coordinator state of a cluster, created on first use. */
export function transactionsOf(cluster: ClusterState): TransactionCoordinatorState {
  const state = coordinators.get(cluster) ?? new TransactionCoordinatorState(cluster)
  coordinators.set(cluster, state)
  return state
}

/** Cancels every transaction timeout of the cluster for good: call it when the cluster stops. */
export function stopTransactionTimers(cluster: ClusterState): void {
  coordinators.get(cluster)?.timers.stop()
}

/** `topic:partition`, the key of a pending offset. */
export const partitionKey = (topic: string, partition: number) => `${topic}:${partition}`
