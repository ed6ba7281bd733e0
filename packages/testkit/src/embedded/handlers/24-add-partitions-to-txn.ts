/**
 * AddPartitionsToTxn (key 24), versions 0-5. A transactional producer names
 * each partition before its first write to it in a transaction (v0-3, one
 * transaction); the partitions join the transaction, which becomes Ongoing
 * and starts its timeout. v4+ is the batched form brokers send (several
 * transactions, `verifyOnly` to check without adding, KIP-890); it is
 * answered per transaction the same way. One error applies to every
 * partition: NOT_COORDINATOR, INVALID_PRODUCER_ID_MAPPING for an unknown id
 * or another producer id, PRODUCER_FENCED for another epoch
 * (INVALID_PRODUCER_EPOCH below v2); partitions of unknown topics get
 * UNKNOWN_TOPIC_OR_PARTITION and the rest OPERATION_NOT_ATTEMPTED.
 */
import {
  type AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult,
  Apis,
  createAddPartitionsToTxnResponse,
} from '@kafkit/protocol'
import { defineHandler, type RequestContext } from '../handler.js'
import { addPartitions } from '../state/transactions/transaction-coordinator.js'
import { transactionsOf } from '../state/transactions/transaction-state.js'
import { fencedFor, TxnError } from '../state/transactions/txn-errors.js'
import { transactionCoordinatorError } from './txn-request.js'

/** The first version that may answer PRODUCER_FENCED. */
const PRODUCER_FENCED_VERSION = 2

interface TxnPartitions {
  transactionalId: string
  producerId: bigint
  producerEpoch: number
  verifyOnly: boolean
  topics: { name: string; partitions: number[] }[]
}

function answerAll(topics: TxnPartitions['topics'], errorOf: (topic: string, partition: number) => number) {
  return topics.map(
    (topic): AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult => ({
      name: topic.name,
      resultsByPartition: topic.partitions.map((partitionIndex) => ({
        partitionIndex,
        partitionErrorCode: errorOf(topic.name, partitionIndex),
      })),
    }),
  )
}

function addTransaction(context: RequestContext, txn: TxnPartitions) {
  const coordinatorError = transactionCoordinatorError(context, txn.transactionalId)
  if (coordinatorError !== TxnError.NONE) return answerAll(txn.topics, () => coordinatorError)
  const exists = (topic: string, partition: number) =>
    context.cluster.topics.get(topic)?.partitions[partition] !== undefined
  if (txn.topics.some((topic) => topic.partitions.some((p) => !exists(topic.name, p)))) {
    return answerAll(txn.topics, (topic, partition) =>
      exists(topic, partition) ? TxnError.OPERATION_NOT_ATTEMPTED : TxnError.UNKNOWN_TOPIC_OR_PARTITION,
    )
  }
  const errorOf = addPartitions(
    transactionsOf(context.cluster),
    txn.transactionalId,
    txn.producerId,
    txn.producerEpoch,
    txn.topics,
    txn.verifyOnly,
    Date.now(),
  )
  return answerAll(txn.topics, (topic, partition) =>
    fencedFor(errorOf(topic, partition), context.version, PRODUCER_FENCED_VERSION),
  )
}

export const addPartitionsToTxnHandler = defineHandler({
  api: 'AddPartitionsToTxn',
  minVersion: Apis.AddPartitionsToTxn.minVersion,
  maxVersion: Apis.AddPartitionsToTxn.maxVersion,
  handle(request, context) {
    if (context.version >= 4) {
      return createAddPartitionsToTxnResponse({
        resultsByTransaction: request.transactions.map((txn) => ({
          transactionalId: txn.transactionalId,
          topicResults: addTransaction(context, txn),
        })),
      })
    }
    return createAddPartitionsToTxnResponse({
      resultsByTopicV3AndBelow: addTransaction(context, {
        transactionalId: request.v3AndBelowTransactionalId,
        producerId: request.v3AndBelowProducerId,
        producerEpoch: request.v3AndBelowProducerEpoch,
        verifyOnly: false,
        topics: request.v3AndBelowTopics,
      }),
    })
  },
})
