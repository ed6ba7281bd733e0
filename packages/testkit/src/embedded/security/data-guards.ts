/**
 * ACL checks of the data APIs, as Kafka's KafkaApis does them: Produce needs
 * WRITE on each topic (and on the transactional id when it carries
 * transactional batches), Fetch READ, ListOffsets DESCRIBE, Metadata DESCRIBE (unauthorized
 * topics are left out of an all-topics answer and answered
 * TOPIC_AUTHORIZATION_FAILED when named) and CREATE on the topic or cluster to
 * auto-create one. OffsetForLeaderEpoch needs CLUSTER_ACTION (followers) or
 * else DESCRIBE on each topic (consumers checking for truncation, KIP-320).
 * Idempotent produce needs nothing beyond topic WRITE (KIP-679). Denied
 * topics never reach the handler.
 */
import {
  type ApiMessages,
  createMetadataResponseMetadataResponseTopic,
  createOffsetForLeaderEpochResponseEpochEndOffset,
  ZERO_UUID,
} from '@kafkit/protocol'
import { errorResponse } from '../control/error-responses.js'
import { hasTransactionalRecords } from '../handlers/00-produce.js'
import { AUTHORIZED_OPERATIONS_OMITTED } from '../handlers/admin-errors.js'
import { AclOperation, ResourceType } from './acl-binding.js'
import { AuthError, isAuthorized, isAuthorizedOnCluster } from './authorize.js'
import type { Guard } from './guard.js'
import { splitTopics, topicAllowed, topicName } from './topic-guard.js'

type Req<N extends keyof ApiMessages> = ApiMessages[N]['request']
type Res<N extends keyof ApiMessages> = ApiMessages[N]['response']

export const produceGuard: Guard<'Produce'> = async (request, context, next) => {
  const { transactionalId } = request
  // Kafka checks the transactional id only of a request that carries transactional batches.
  if (
    transactionalId !== null &&
    hasTransactionalRecords(request) &&
    !isAuthorized(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId)
  ) {
    return errorResponse(
      'Produce',
      context.version,
      request,
      AuthError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
    ) as Res<'Produce'>
  }
  const { allowed, denied } = splitTopics(
    context,
    AclOperation.WRITE,
    request.topicData,
    (t) => t.name,
    (t) => t.topicId,
  )
  if (denied.length === 0) return next(request)
  // Kafka closes an acks=0 connection whose produce failed.
  if (request.acks === 0) throw new Error(`acks=0 produce to topics ${context.principal} may not write`)
  const response = (await next({ ...request, topicData: allowed })) as Res<'Produce'>
  const errors = errorResponse(
    'Produce',
    context.version,
    { ...request, topicData: denied },
    AuthError.TOPIC_AUTHORIZATION_FAILED,
  ) as Res<'Produce'>
  return { ...response, responses: [...response.responses, ...errors.responses] }
}

export const fetchGuard: Guard<'Fetch'> = async (request, context, next) => {
  if (request.replicaId >= 0 || request.replicaState.replicaId >= 0) return next(request)
  const nameOf = (t: { topic: string; topicId: string }) => topicName(context, t.topic, t.topicId)
  const { allowed, denied } = splitTopics(
    context,
    AclOperation.READ,
    request.topics,
    (t) => t.topic,
    (t) => t.topicId,
  )
  const response = (await next({ ...request, topics: allowed })) as Res<'Fetch'> | null
  if (!response) return response
  const errors = errorResponse(
    'Fetch',
    context.version,
    { ...request, topics: denied },
    AuthError.TOPIC_AUTHORIZATION_FAILED,
  ) as Res<'Fetch'>
  // A fetch session may still hold partitions of a topic whose READ was revoked since.
  const responses = response.responses.map((topic) => {
    const name = nameOf(topic)
    if (name === undefined || topicAllowed(context, AclOperation.READ, name)) return topic
    return {
      ...topic,
      partitions: topic.partitions.map((p) => ({
        ...p,
        errorCode: AuthError.TOPIC_AUTHORIZATION_FAILED,
        highWatermark: -1n,
        lastStableOffset: -1n,
        logStartOffset: -1n,
        abortedTransactions: null,
        records: null,
      })),
    }
  })
  return { ...response, responses: [...responses, ...errors.responses] }
}

export const listOffsetsGuard: Guard<'ListOffsets'> = async (request, context, next) => {
  const { allowed, denied } = splitTopics(context, AclOperation.DESCRIBE, request.topics, (t) => t.name)
  if (denied.length === 0) return next(request)
  const response = (await next({ ...request, topics: allowed })) as Res<'ListOffsets'>
  const errors = errorResponse(
    'ListOffsets',
    context.version,
    { ...request, topics: denied },
    AuthError.TOPIC_AUTHORIZATION_FAILED,
  ) as Res<'ListOffsets'>
  return { ...response, topics: [...response.topics, ...errors.topics] }
}

export const metadataGuard: Guard<'Metadata'> = async (request, context, next) => {
  const denied: string[] = []
  let forward: Req<'Metadata'> = request
  if (request.topics !== null) {
    const split = splitTopics(
      context,
      AclOperation.DESCRIBE,
      request.topics,
      (t) => t.name,
      (t) => t.topicId,
    )
    const autoCreate = request.allowAutoTopicCreation && context.cluster.defaultConfig.autoCreateTopics
    const allowed = split.allowed.filter((t) => {
      const mayCreate =
        !autoCreate ||
        t.name === null ||
        context.cluster.topics.has(t.name) ||
        isAuthorizedOnCluster(context, AclOperation.CREATE) ||
        topicAllowed(context, AclOperation.CREATE, t.name)
      if (!mayCreate) denied.push(t.name ?? '')
      return mayCreate
    })
    denied.push(...split.denied.map((t) => topicName(context, t.name, t.topicId) ?? ''))
    forward = { ...request, topics: allowed }
  }
  const response = (await next(forward)) as Res<'Metadata'>
  // Listing every topic (topics null, or an empty list in v0) shows only those the principal may describe.
  const topics = response.topics.filter((t) => t.name === null || topicAllowed(context, AclOperation.DESCRIBE, t.name))
  const errors = denied.map((name) =>
    createMetadataResponseMetadataResponseTopic({
      name,
      topicId: ZERO_UUID,
      errorCode: AuthError.TOPIC_AUTHORIZATION_FAILED,
      topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    }),
  )
  return { ...response, topics: [...errors, ...topics] }
}

export const offsetForLeaderEpochGuard: Guard<'OffsetForLeaderEpoch'> = async (request, context, next) => {
  if (isAuthorizedOnCluster(context, AclOperation.CLUSTER_ACTION)) return next(request)
  const { allowed, denied } = splitTopics(context, AclOperation.DESCRIBE, request.topics, (t) => t.topic)
  if (denied.length === 0) return next(request)
  const response = (await next({ ...request, topics: allowed })) as Res<'OffsetForLeaderEpoch'>
  const errors = denied.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p) =>
      createOffsetForLeaderEpochResponseEpochEndOffset({
        partition: p.partition,
        errorCode: AuthError.TOPIC_AUTHORIZATION_FAILED,
      }),
    ),
  }))
  return { ...response, topics: [...response.topics, ...errors] }
}
