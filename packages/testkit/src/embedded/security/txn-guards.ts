/**
 * ACL checks of the transaction APIs, as Kafka's KafkaApis does them.
 * AddPartitionsToTxn (v0-3, from producers) needs WRITE on the transactional
 * id, else every partition is answered TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
 * and WRITE on every topic (never granted for an internal topic): one denied
 * topic fails the whole transaction, its partitions TOPIC_AUTHORIZATION_FAILED,
 * those of unknown topics UNKNOWN_TOPIC_OR_PARTITION, the rest
 * OPERATION_NOT_ATTEMPTED. v4+ comes from brokers and needs CLUSTER_ACTION.
 * AddOffsetsToTxn and TxnOffsetCommit need WRITE on the transactional id, then
 * READ on the group; TxnOffsetCommit also READ on each topic (denied topics
 * answered per partition, the rest committed). EndTxn needs WRITE on the id.
 * DescribeTransactions answers an id the principal may not DESCRIBE with
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED and leaves topics it may not DESCRIBE
 * out of every transaction; ListTransactions leaves out ids it may not
 * DESCRIBE. DescribeProducers needs READ on each (validly named) topic.
 */
import {
  type ApiMessages,
  createAddOffsetsToTxnResponse,
  createAddPartitionsToTxnResponse,
  createDescribeTransactionsResponseTransactionState,
  createEndTxnResponse,
} from '@kafkit/protocol'
import type { RequestContext } from '../handler.js'
import { defaultMessage, INTERNAL_TOPICS } from '../handlers/admin-errors.js'
import { invalidTopicName } from '../state/topic-names.js'
import { AclOperation, ResourceType } from './acl-binding.js'
import { AuthError, isAuthorized, isAuthorizedOnCluster } from './authorize.js'
import type { Guard } from './guard.js'
import { topicAllowed } from './topic-guard.js'

type Res<N extends keyof ApiMessages> = ApiMessages[N]['response']

const UNKNOWN_TOPIC_OR_PARTITION = 3
const OPERATION_NOT_ATTEMPTED = 55

const txnAllowed = (context: RequestContext, operation: number, transactionalId: string) =>
  isAuthorized(context, operation, ResourceType.TRANSACTIONAL_ID, transactionalId)
const groupAllowed = (context: RequestContext, operation: number, groupId: string) =>
  isAuthorized(context, operation, ResourceType.GROUP, groupId)

/** Puts answers to refused entries back at their places in the request among the handler's answers. */
function inRequestOrder<T>(refusedAt: readonly (T | undefined)[], answered: readonly T[]): T[] {
  const rest = [...answered]
  const merged = refusedAt.map((refused) => refused ?? rest.shift())
  return [...merged.filter((entry): entry is T => entry !== undefined), ...rest]
}

export const addPartitionsToTxnGuard: Guard<'AddPartitionsToTxn'> = async (request, context, next) => {
  if (context.version >= 4) {
    if (isAuthorizedOnCluster(context, AclOperation.CLUSTER_ACTION)) return next(request)
    return createAddPartitionsToTxnResponse({ errorCode: AuthError.CLUSTER_AUTHORIZATION_FAILED })
  }
  const topics = request.v3AndBelowTopics
  const answer = (errorOf: (topic: string, partition: number) => number) =>
    createAddPartitionsToTxnResponse({
      resultsByTopicV3AndBelow: topics.map((t) => ({
        name: t.name,
        resultsByPartition: t.partitions.map((p) => ({ partitionIndex: p, partitionErrorCode: errorOf(t.name, p) })),
      })),
    })
  if (!txnAllowed(context, AclOperation.WRITE, request.v3AndBelowTransactionalId)) {
    return answer(() => AuthError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
  }
  const writable = (topic: string) => !INTERNAL_TOPICS.has(topic) && topicAllowed(context, AclOperation.WRITE, topic)
  if (topics.every((t) => writable(t.name))) return next(request)
  const exists = (topic: string, partition: number) =>
    context.cluster.topics.get(topic)?.partitions[partition] !== undefined
  return answer((topic, partition) => {
    if (!writable(topic)) return AuthError.TOPIC_AUTHORIZATION_FAILED
    return exists(topic, partition) ? OPERATION_NOT_ATTEMPTED : UNKNOWN_TOPIC_OR_PARTITION
  })
}

export const addOffsetsToTxnGuard: Guard<'AddOffsetsToTxn'> = async (request, context, next) => {
  if (!txnAllowed(context, AclOperation.WRITE, request.transactionalId)) {
    return createAddOffsetsToTxnResponse({ errorCode: AuthError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED })
  }
  if (!groupAllowed(context, AclOperation.READ, request.groupId)) {
    return createAddOffsetsToTxnResponse({ errorCode: AuthError.GROUP_AUTHORIZATION_FAILED })
  }
  return next(request)
}

export const endTxnGuard: Guard<'EndTxn'> = async (request, context, next) => {
  if (txnAllowed(context, AclOperation.WRITE, request.transactionalId)) return next(request)
  return createEndTxnResponse({ errorCode: AuthError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED })
}

export const txnOffsetCommitGuard: Guard<'TxnOffsetCommit'> = async (request, context, next) => {
  const answer = (topics: typeof request.topics, errorCode: number) =>
    topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
    }))
  if (!txnAllowed(context, AclOperation.WRITE, request.transactionalId)) {
    return { throttleTimeMs: 0, topics: answer(request.topics, AuthError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED) }
  }
  if (!groupAllowed(context, AclOperation.READ, request.groupId)) {
    return { throttleTimeMs: 0, topics: answer(request.topics, AuthError.GROUP_AUTHORIZATION_FAILED) }
  }
  const allowed = request.topics.filter((t) => topicAllowed(context, AclOperation.READ, t.name))
  if (allowed.length === request.topics.length) return next(request)
  const denied = answer(
    request.topics.filter((t) => !allowed.includes(t)),
    AuthError.TOPIC_AUTHORIZATION_FAILED,
  )
  // Kafka does not ask the group coordinator when nothing is left to commit.
  if (allowed.length === 0) return { throttleTimeMs: 0, topics: denied }
  const response = (await next({ ...request, topics: allowed })) as Res<'TxnOffsetCommit'>
  return { ...response, topics: [...denied, ...response.topics] }
}

export const describeTransactionsGuard: Guard<'DescribeTransactions'> = async (request, context, next) => {
  const ids = request.transactionalIds
  const refusedAt = ids.map((transactionalId) =>
    txnAllowed(context, AclOperation.DESCRIBE, transactionalId)
      ? undefined
      : createDescribeTransactionsResponseTransactionState({
          transactionalId,
          errorCode: AuthError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
        }),
  )
  const response = (await next({
    ...request,
    transactionalIds: ids.filter((_, i) => refusedAt[i] === undefined),
  })) as Res<'DescribeTransactions'>
  const visible = response.transactionStates.map((state) => ({
    ...state,
    topics: state.topics.filter((t) => topicAllowed(context, AclOperation.DESCRIBE, t.topic)),
  }))
  return { ...response, transactionStates: inRequestOrder(refusedAt, visible) }
}

export const listTransactionsGuard: Guard<'ListTransactions'> = async (request, context, next) => {
  const response = (await next(request)) as Res<'ListTransactions'>
  return {
    ...response,
    transactionStates: response.transactionStates.filter((state) =>
      txnAllowed(context, AclOperation.DESCRIBE, state.transactionalId),
    ),
  }
}

export const describeProducersGuard: Guard<'DescribeProducers'> = async (request, context, next) => {
  // An invalid name is answered INVALID_TOPIC_EXCEPTION before any ACL check.
  const refused = (name: string) =>
    invalidTopicName(name) === undefined && !topicAllowed(context, AclOperation.READ, name)
  const refusedAt = request.topics.map((t): Res<'DescribeProducers'>['topics'][number] | undefined =>
    refused(t.name)
      ? {
          name: t.name,
          partitions: t.partitionIndexes.map((partitionIndex) => ({
            partitionIndex,
            errorCode: AuthError.TOPIC_AUTHORIZATION_FAILED,
            errorMessage: defaultMessage(AuthError.TOPIC_AUTHORIZATION_FAILED),
            activeProducers: [],
          })),
        }
      : undefined,
  )
  if (refusedAt.every((t) => t === undefined)) return next(request)
  const response = (await next({
    ...request,
    topics: request.topics.filter((_, i) => refusedAt[i] === undefined),
  })) as Res<'DescribeProducers'>
  return { ...response, topics: inRequestOrder(refusedAt, response.topics) }
}
