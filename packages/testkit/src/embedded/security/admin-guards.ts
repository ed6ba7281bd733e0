/**
 * ACL checks of the topic and config admin APIs, as Kafka's controller and
 * ConfigHelper do them: CreateTopics needs CREATE on the cluster or the topic,
 * DeleteTopics DELETE, CreatePartitions ALTER, DeleteRecords DELETE on the
 * topic; DescribeConfigs DESCRIBE_CONFIGS and (Incremental)AlterConfigs
 * ALTER_CONFIGS on the topic, the cluster (broker and broker-logger
 * resources) or the group. Denied entries never reach the handler.
 */
import {
  type ApiMessages,
  createCreateTopicsResponseCreatableTopicResult,
  createDeleteRecordsResponseDeleteRecordsPartitionResult,
  createDeleteRecordsResponseDeleteRecordsTopicResult,
  ZERO_UUID,
} from '@kafkit/protocol'
import type { RequestContext } from '../handler.js'
import { defaultMessage } from '../handlers/admin-errors.js'
import { AclOperation, CLUSTER_NAME, ResourceType } from './acl-binding.js'
import { AuthError, isAuthorized, isAuthorizedOnCluster } from './authorize.js'
import type { Guard } from './guard.js'
import { splitTopics, topicAllowed, topicName } from './topic-guard.js'

type Res<N extends keyof ApiMessages> = ApiMessages[N]['response']

/** Kafka's controller words a denied topic change so. */
const AUTHORIZATION_FAILED = 'Authorization failed.'

export const createTopicsGuard: Guard<'CreateTopics'> = async (request, context, next) => {
  if (isAuthorizedOnCluster(context, AclOperation.CREATE)) return next(request)
  const { allowed, denied } = splitTopics(context, AclOperation.CREATE, request.topics, (t) => t.name)
  if (denied.length === 0) return next(request)
  const response = (await next({ ...request, topics: allowed })) as Res<'CreateTopics'>
  const errors = denied.map((t) =>
    createCreateTopicsResponseCreatableTopicResult({
      name: t.name,
      topicId: ZERO_UUID,
      errorCode: AuthError.TOPIC_AUTHORIZATION_FAILED,
      errorMessage: AUTHORIZATION_FAILED,
      numPartitions: -1,
      replicationFactor: -1,
      configs: null,
    }),
  )
  return { ...response, topics: [...response.topics, ...errors] }
}

export const deleteTopicsGuard: Guard<'DeleteTopics'> = async (request, context, next) => {
  const byNames = splitTopics(context, AclOperation.DELETE, request.topicNames, (name) => name)
  const byStates = splitTopics(
    context,
    AclOperation.DELETE,
    request.topics,
    (t) => t.name,
    (t) => t.topicId,
  )
  if (byNames.denied.length === 0 && byStates.denied.length === 0) return next(request)
  const response = (await next({
    ...request,
    topicNames: byNames.allowed,
    topics: byStates.allowed,
  })) as Res<'DeleteTopics'>
  const denied = [
    ...byNames.denied.map((name) => ({ name, topicId: context.cluster.topics.get(name)?.topicId ?? ZERO_UUID })),
    ...byStates.denied.map((t) => ({ name: topicName(context, t.name, t.topicId) ?? null, topicId: t.topicId })),
  ]
  const errors = denied.map((t) => ({
    ...t,
    errorCode: AuthError.TOPIC_AUTHORIZATION_FAILED,
    errorMessage: AUTHORIZATION_FAILED,
  }))
  return { ...response, responses: [...response.responses, ...errors] }
}

export const createPartitionsGuard: Guard<'CreatePartitions'> = async (request, context, next) => {
  const { allowed, denied } = splitTopics(context, AclOperation.ALTER, request.topics, (t) => t.name)
  if (denied.length === 0) return next(request)
  const response = (await next({ ...request, topics: allowed })) as Res<'CreatePartitions'>
  const errors = denied.map((t) => ({
    name: t.name,
    errorCode: AuthError.TOPIC_AUTHORIZATION_FAILED,
    errorMessage: AUTHORIZATION_FAILED,
  }))
  return { ...response, results: [...response.results, ...errors] }
}

export const deleteRecordsGuard: Guard<'DeleteRecords'> = async (request, context, next) => {
  const { allowed, denied } = splitTopics(context, AclOperation.DELETE, request.topics, (t) => t.name)
  if (denied.length === 0) return next(request)
  const response = (await next({ ...request, topics: allowed })) as Res<'DeleteRecords'>
  const errors = denied.map((t) =>
    createDeleteRecordsResponseDeleteRecordsTopicResult({
      name: t.name,
      partitions: t.partitions.map((p) =>
        createDeleteRecordsResponseDeleteRecordsPartitionResult({
          partitionIndex: p.partitionIndex,
          lowWatermark: -1n,
          errorCode: AuthError.TOPIC_AUTHORIZATION_FAILED,
        }),
      ),
    }),
  )
  return { ...response, topics: [...response.topics, ...errors] }
}

const TOPIC_RESOURCE = 2
const GROUP_RESOURCE = 32

/** Whether a config resource may be described or altered, and the code that answers when not. */
function configResourceDenial(
  context: RequestContext,
  operation: number,
  resource: { resourceType: number; resourceName: string },
): number | undefined {
  if (resource.resourceType === TOPIC_RESOURCE) {
    return topicAllowed(context, operation, resource.resourceName) ? undefined : AuthError.TOPIC_AUTHORIZATION_FAILED
  }
  if (resource.resourceType === GROUP_RESOURCE) {
    return isAuthorized(context, operation, ResourceType.GROUP, resource.resourceName)
      ? undefined
      : AuthError.GROUP_AUTHORIZATION_FAILED
  }
  return isAuthorized(context, operation, ResourceType.CLUSTER, CLUSTER_NAME)
    ? undefined
    : AuthError.CLUSTER_AUTHORIZATION_FAILED
}

export const describeConfigsGuard: Guard<'DescribeConfigs'> = async (request, context, next) => {
  const denials = request.resources.map((r) => configResourceDenial(context, AclOperation.DESCRIBE_CONFIGS, r))
  if (denials.every((code) => code === undefined)) return next(request)
  const response = (await next({
    ...request,
    resources: request.resources.filter((_, i) => denials[i] === undefined),
  })) as Res<'DescribeConfigs'>
  const results = [...response.results]
  request.resources.forEach((resource, i) => {
    const errorCode = denials[i]
    if (errorCode === undefined) return
    results.splice(i, 0, {
      errorCode,
      errorMessage: defaultMessage(errorCode),
      resourceType: resource.resourceType,
      resourceName: resource.resourceName,
      configs: [],
    })
  })
  return { ...response, results }
}

/** AlterConfigs and IncrementalAlterConfigs share their result shape and their checks. */
function alterConfigsGuard<N extends 'AlterConfigs' | 'IncrementalAlterConfigs'>(): Guard<N> {
  return async (request, context, next) => {
    const resources = request.resources as { resourceType: number; resourceName: string }[]
    const denials = resources.map((r) => configResourceDenial(context, AclOperation.ALTER_CONFIGS, r))
    if (denials.every((code) => code === undefined)) return next(request)
    const response = (await next({
      ...request,
      resources: resources.filter((_, i) => denials[i] === undefined),
    } as typeof request)) as Res<'AlterConfigs'>
    const responses = [...response.responses]
    resources.forEach((resource, i) => {
      const errorCode = denials[i]
      if (errorCode === undefined) return
      responses.splice(i, 0, {
        errorCode,
        errorMessage: defaultMessage(errorCode),
        resourceType: resource.resourceType,
        resourceName: resource.resourceName,
      })
    })
    return { ...response, responses } as Res<N>
  }
}

export const alterConfigsAclGuard = alterConfigsGuard<'AlterConfigs'>()
export const incrementalAlterConfigsAclGuard = alterConfigsGuard<'IncrementalAlterConfigs'>()
