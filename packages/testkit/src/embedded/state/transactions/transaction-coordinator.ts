import { ControlRecordType, encodeTransactionMarker } from '@kafkit/protocol'
import { groupsOf } from '../groups/group-coordinator.js'
import {
  type PendingOffset,
  partitionKey,
  type TransactionCoordinatorState,
  type TransactionEntry,
} from './transaction-state.js'
import { TxnError } from './txn-errors.js'

const NO_PRODUCER_ID = -1n
/** Kafka moves to a new producer id before the epoch reaches Short.MAX_VALUE. */
const MAX_EPOCH = 32_767 - 1
/** The embedded coordinator never moves (no __transaction_state partition changes leader). */
const COORDINATOR_EPOCH = 0
/** Kafka's txnStartTimestamp while no transaction has started since InitProducerId. */
const NO_START_TIME = -1

export interface ProducerIdAndEpoch {
  errorCode: number
  producerId: bigint
  epoch: number
}

export interface InitTransactional {
  transactionalId: string
  transactionTimeoutMs: number
  /** The producer's current id and epoch when it asks for a bump (KIP-360), else -1 and -1. */
  producerId: bigint
  producerEpoch: number
}

/**
 * The error for a request that is not from the transactional id's current producer, as
 * Kafka's TransactionCoordinator checks AddPartitionsToTxn, AddOffsetsToTxn
 * and EndTxn: an unknown id or another producer id is
 * INVALID_PRODUCER_ID_MAPPING, another epoch PRODUCER_FENCED.
 */
export function producerError(entry: TransactionEntry | undefined, producerId: bigint, epoch: number): number {
  if (!entry || entry.producerId !== producerId) return TxnError.INVALID_PRODUCER_ID_MAPPING
  if (entry.epoch !== epoch) return TxnError.PRODUCER_FENCED
  return TxnError.NONE
}

/** The next epoch, or a new producer id at epoch 0 once the epoch is exhausted. */
function bumpEpoch(state: TransactionCoordinatorState, entry: TransactionEntry): void {
  if (entry.epoch >= MAX_EPOCH) {
    entry.producerId = state.cluster.allocateProducerId()
    entry.epoch = 0
  } else {
    entry.epoch++
  }
}

/**
 * InitProducerId with a transactional id: a new id gets a fresh producer id
 * at epoch 0; a known one gets its epoch bumped, which fences the previous
 * producer. An ongoing transaction is first aborted under the bumped epoch
 * and the caller told CONCURRENT_TRANSACTIONS; its retry bumps again, as in
 * Kafka. A producer asking for its own bump (KIP-360) must name the current
 * id and epoch, else it is fenced.
 */
export function initTransactional(
  state: TransactionCoordinatorState,
  request: InitTransactional,
  now: number,
): ProducerIdAndEpoch {
  const failed = (errorCode: number): ProducerIdAndEpoch => ({ errorCode, producerId: NO_PRODUCER_ID, epoch: -1 })
  if (request.transactionTimeoutMs <= 0 || request.transactionTimeoutMs > state.maxTimeoutMs)
    return failed(TxnError.INVALID_TRANSACTION_TIMEOUT)
  let entry = state.get(request.transactionalId)
  if (!entry) {
    entry = {
      transactionalId: request.transactionalId,
      producerId: state.cluster.allocateProducerId(),
      epoch: 0,
      status: 'Empty',
      timeoutMs: request.transactionTimeoutMs,
      lastEpoch: undefined,
      startedAt: NO_START_TIME,
      partitions: new Map(),
      groups: new Set(),
      pendingOffsets: new Map(),
    }
    state.transactions.set(request.transactionalId, entry)
    return { errorCode: TxnError.NONE, producerId: entry.producerId, epoch: entry.epoch }
  }
  if (request.producerId !== NO_PRODUCER_ID) {
    // The epoch this coordinator fenced to abort the producer's own transaction counts too: it is retrying.
    const epochs = [entry.epoch, entry.lastEpoch]
    if (request.producerId !== entry.producerId || !epochs.includes(request.producerEpoch))
      return failed(TxnError.PRODUCER_FENCED)
  }
  if (entry.status === 'PrepareCommit' || entry.status === 'PrepareAbort')
    return failed(TxnError.CONCURRENT_TRANSACTIONS)
  if (entry.status === 'Ongoing') {
    const fenced = entry.epoch
    fenceAndAbort(state, entry, now)
    entry.lastEpoch = fenced
    return failed(TxnError.CONCURRENT_TRANSACTIONS)
  }
  bumpEpoch(state, entry)
  entry.lastEpoch = undefined
  entry.status = 'Empty'
  entry.startedAt = NO_START_TIME
  entry.timeoutMs = request.transactionTimeoutMs
  return { errorCode: TxnError.NONE, producerId: entry.producerId, epoch: entry.epoch }
}

/** Moves a transaction to Ongoing (starting its timeout) before a partition or group joins it. */
function ensureOngoing(state: TransactionCoordinatorState, entry: TransactionEntry, now: number): void {
  if (entry.status === 'Ongoing') return
  entry.status = 'Ongoing'
  entry.startedAt = now
  entry.partitions = new Map()
  entry.groups = new Set()
  entry.pendingOffsets = new Map()
  const { epoch, startedAt } = entry
  state.timers.schedule(entry.transactionalId, entry.timeoutMs, () => {
    // Kafka's abortTimedOutTransactions: fence the producer, then abort.
    if (entry.status === 'Ongoing' && entry.epoch === epoch && entry.startedAt === startedAt)
      fenceAndAbort(state, entry, Date.now())
  })
}

/** The state check shared by AddPartitionsToTxn and AddOffsetsToTxn. */
function addError(entry: TransactionEntry | undefined, producerId: bigint, epoch: number): number {
  const error = producerError(entry, producerId, epoch)
  if (error !== TxnError.NONE) return error
  const status = entry!.status
  return status === 'PrepareCommit' || status === 'PrepareAbort' ? TxnError.CONCURRENT_TRANSACTIONS : TxnError.NONE
}

/**
 * AddPartitionsToTxn: the error of each partition, after adding them unless
 * `verifyOnly` (KIP-890), which answers per partition whether it is in the
 * ongoing transaction.
 */
export function addPartitions(
  state: TransactionCoordinatorState,
  transactionalId: string,
  producerId: bigint,
  epoch: number,
  topics: { name: string; partitions: number[] }[],
  verifyOnly: boolean,
  now: number,
): (topic: string, partition: number) => number {
  const entry = state.get(transactionalId)
  const error = addError(entry, producerId, epoch)
  if (error !== TxnError.NONE || !entry) return () => error
  if (verifyOnly) {
    const included = entry.status === 'Ongoing'
    return (topic, partition) =>
      included && entry.partitions.get(topic)?.has(partition) ? TxnError.NONE : TxnError.INVALID_TXN_STATE
  }
  ensureOngoing(state, entry, now)
  for (const topic of topics) {
    const partitions = entry.partitions.get(topic.name) ?? new Set<number>()
    for (const partition of topic.partitions) partitions.add(partition)
    entry.partitions.set(topic.name, partitions)
  }
  return () => TxnError.NONE
}

/** AddOffsetsToTxn: the group's offsets will commit with the transaction. */
export function addGroup(
  state: TransactionCoordinatorState,
  transactionalId: string,
  producerId: bigint,
  epoch: number,
  groupId: string,
  now: number,
): number {
  const entry = state.get(transactionalId)
  const error = addError(entry, producerId, epoch)
  if (error !== TxnError.NONE || !entry) return error
  ensureOngoing(state, entry, now)
  entry.groups.add(groupId)
  return TxnError.NONE
}

/**
 * Whether a TxnOffsetCommit may stage offsets for `groupId`: the producer
 * must be current and the group added to its ongoing transaction (Kafka's
 * verification of the offsets partition).
 */
export function offsetCommitError(
  state: TransactionCoordinatorState,
  transactionalId: string,
  producerId: bigint,
  epoch: number,
  groupId: string,
): number {
  const entry = state.get(transactionalId)
  if (entry && entry.producerId === producerId && epoch < entry.epoch) return TxnError.PRODUCER_FENCED
  const error = producerError(entry, producerId, epoch)
  if (error !== TxnError.NONE) return TxnError.INVALID_TXN_STATE
  return entry?.status === 'Ongoing' && entry.groups.has(groupId) ? TxnError.NONE : TxnError.INVALID_TXN_STATE
}

/** Stages a TxnOffsetCommit offset (already validated) until the transaction ends. */
export function stageOffset(
  state: TransactionCoordinatorState,
  transactionalId: string,
  groupId: string,
  offset: PendingOffset,
): void {
  const entry = state.get(transactionalId)
  if (!entry) return
  const pending = entry.pendingOffsets.get(groupId) ?? new Map<string, PendingOffset>()
  pending.set(partitionKey(offset.topic, offset.partition), offset)
  entry.pendingOffsets.set(groupId, pending)
}

/** Whether some ongoing transaction holds an uncommitted offset of this group partition (requireStable). */
export function hasPendingOffset(
  state: TransactionCoordinatorState,
  groupId: string,
  topic: string,
  partition: number,
): boolean {
  for (const entry of state.transactions.values()) {
    if (entry.pendingOffsets.get(groupId)?.has(partitionKey(topic, partition))) return true
  }
  return false
}

/**
 * EndTxn: commits or aborts the ongoing transaction. A retry of the
 * completed outcome succeeds again; the other outcome, or ending a
 * transaction that never started, is INVALID_TXN_STATE.
 */
export function endTransaction(
  state: TransactionCoordinatorState,
  transactionalId: string,
  producerId: bigint,
  epoch: number,
  commit: boolean,
  now: number,
): number {
  const entry = state.get(transactionalId)
  const error = producerError(entry, producerId, epoch)
  if (error !== TxnError.NONE || !entry) return error
  switch (entry.status) {
    case 'Ongoing':
      complete(state, entry, commit, now)
      return TxnError.NONE
    case 'CompleteCommit':
      return commit ? TxnError.NONE : TxnError.INVALID_TXN_STATE
    case 'CompleteAbort':
      return commit ? TxnError.INVALID_TXN_STATE : TxnError.NONE
    case 'PrepareCommit':
    case 'PrepareAbort':
      return TxnError.CONCURRENT_TRANSACTIONS
    default:
      return TxnError.INVALID_TXN_STATE
  }
}

/** Bumps the epoch (fencing the producer) and aborts the ongoing transaction under it. */
function fenceAndAbort(state: TransactionCoordinatorState, entry: TransactionEntry, now: number): void {
  bumpEpoch(state, entry)
  complete(state, entry, false, now)
}

/**
 * Ends the transaction: PrepareCommit/PrepareAbort, a COMMIT or ABORT marker
 * in every partition of the transaction (which ends the producer's
 * transaction there and moves the last stable offset), the staged offsets
 * into their groups on commit, then CompleteCommit/CompleteAbort. Nothing
 * awaits, so no request sees the Prepare states.
 */
function complete(state: TransactionCoordinatorState, entry: TransactionEntry, commit: boolean, now: number): void {
  entry.status = commit ? 'PrepareCommit' : 'PrepareAbort'
  state.timers.cancel(entry.transactionalId)
  const marker = encodeTransactionMarker({
    type: commit ? ControlRecordType.Commit : ControlRecordType.Abort,
    producerId: entry.producerId,
    producerEpoch: entry.epoch,
    coordinatorEpoch: COORDINATOR_EPOCH,
    timestamp: now,
  })
  for (const [name, partitions] of entry.partitions) {
    const topic = state.cluster.topics.get(name)
    for (const index of partitions) {
      const partition = topic?.partitions[index]
      // A deleted topic takes its transaction data with it; Kafka skips its markers too.
      if (partition) partition.log.append(marker, partition.leaderEpoch, now)
    }
  }
  if (commit) {
    const offsets = groupsOf(state.cluster).offsets
    for (const [groupId, pending] of entry.pendingOffsets) {
      for (const offset of pending.values()) offsets.commit(groupId, offset.topic, offset.partition, offset.committed)
    }
  }
  entry.partitions = new Map()
  entry.groups = new Set()
  entry.pendingOffsets = new Map()
  entry.status = commit ? 'CompleteCommit' : 'CompleteAbort'
}

/**
 * Kafka's transaction verification (KIP-890 part 1, on by default): the
 * first transactional batch a producer writes to a partition in a
 * transaction must belong to the coordinator's ongoing transaction for its
 * transactional id, with that partition added. An older epoch is
 * INVALID_PRODUCER_EPOCH; anything else amiss INVALID_TXN_STATE.
 */
export function produceVerificationError(
  state: TransactionCoordinatorState,
  transactionalId: string,
  producerId: bigint,
  epoch: number,
  topic: string,
  partition: number,
): number {
  const entry = state.get(transactionalId)
  if (entry && entry.producerId === producerId && epoch < entry.epoch) return TxnError.INVALID_PRODUCER_EPOCH
  const added = entry?.status === 'Ongoing' && entry.partitions.get(topic)?.has(partition) === true
  return added && entry.producerId === producerId && entry.epoch === epoch ? TxnError.NONE : TxnError.INVALID_TXN_STATE
}
