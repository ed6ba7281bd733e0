/**
 * TxnOffsetCommit (key 28), versions 0-5. The group's coordinator stages the
 * offsets in the producer's transaction: OffsetFetch sees them only once
 * EndTxn commits (an abort drops them). Partitions of unknown topics get
 * UNKNOWN_TOPIC_OR_PARTITION. The group must have been added with
 * AddOffsetsToTxn to the producer's ongoing transaction (INVALID_TXN_STATE
 * otherwise, TRANSACTION_ABORTABLE from v4 as in Kafka 4.1; PRODUCER_FENCED
 * for an older epoch, INVALID_PRODUCER_EPOCH below v3). From v3 the generation and member id are checked as OffsetCommit
 * checks them (KIP-447), except that a rebalance does not hold the commit back.
 */
import { Apis, createTxnOffsetCommitResponse, type TxnOffsetCommitResponse } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { validateOffsetCommit } from '../state/groups/commit-validation.js'
import { ErrorCode } from '../state/groups/error-codes.js'
import { groupsOf } from '../state/groups/group-coordinator.js'
import { offsetCommitError, stageOffset } from '../state/transactions/transaction-coordinator.js'
import { transactionsOf } from '../state/transactions/transaction-state.js'
import { abortableFor, fencedFor } from '../state/transactions/txn-errors.js'
import { coordinatorError } from './group-request.js'

const PRODUCER_FENCED_VERSION = 3
/** The first version that knows TRANSACTION_ABORTABLE (KIP-890). */
const TRANSACTION_ABORTABLE_VERSION = 4

export const txnOffsetCommitHandler = defineHandler({
  api: 'TxnOffsetCommit',
  minVersion: Apis.TxnOffsetCommit.minVersion,
  maxVersion: Apis.TxnOffsetCommit.maxVersion,
  handle(request, context): TxnOffsetCommitResponse {
    const { cluster } = context
    const groups = groupsOf(cluster)
    const transactions = transactionsOf(cluster)
    const known = request.topics.some((topic) =>
      topic.partitions.some((p) => cluster.topics.get(topic.name)?.partitions[p.partitionIndex] !== undefined),
    )
    const groupError = !known
      ? ErrorCode.NONE
      : coordinatorError(context, request.groupId) ||
        abortableFor(
          fencedFor(
            offsetCommitError(
              transactions,
              request.transactionalId,
              request.producerId,
              request.producerEpoch,
              request.groupId,
            ),
            context.version,
            PRODUCER_FENCED_VERSION,
          ),
          context.version,
          TRANSACTION_ABORTABLE_VERSION,
        ) ||
        validateOffsetCommit(groups, {
          groupId: request.groupId,
          generationId: request.generationId,
          memberId: request.memberId,
          groupInstanceId: request.groupInstanceId,
          transactional: true,
          version: context.version,
        })
    const maxMetadata = groups.config.offsetMetadataMaxBytes
    const now = Date.now()
    const topics = request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((partition) => {
        const answer = (errorCode: number) => ({ partitionIndex: partition.partitionIndex, errorCode })
        if (cluster.topics.get(topic.name)?.partitions[partition.partitionIndex] === undefined)
          return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
        if (groupError) return answer(groupError)
        const metadata = partition.committedMetadata ?? ''
        if (metadata.length > maxMetadata) return answer(ErrorCode.OFFSET_METADATA_TOO_LARGE)
        stageOffset(transactions, request.transactionalId, request.groupId, {
          topic: topic.name,
          partition: partition.partitionIndex,
          committed: {
            offset: partition.committedOffset,
            leaderEpoch: partition.committedLeaderEpoch,
            metadata,
            commitTimestampMs: now,
          },
        })
        return answer(ErrorCode.NONE)
      }),
    }))
    return createTxnOffsetCommitResponse({ topics })
  },
})
