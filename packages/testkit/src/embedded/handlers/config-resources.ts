/**
 * The config resources of DescribeConfigs, AlterConfigs and
 * IncrementalAlterConfigs: topics (type 2) and brokers (type 4, named by broker
 * id, or "" for the cluster-wide default). As on Kafka, a broker resource must
 * be sent to that broker; the cluster default may go to any broker.
 */
import type { RequestContext } from '../handler.js'
import type { TopicState } from '../state/cluster-state.js'
import { CLUSTER_DEFAULT, dynamicBrokerConfigs } from '../state/configs/broker-config.js'
import {
  type ConfigChange,
  changedBrokerConfigs,
  changedTopicConfigs,
  isConfigError,
} from '../state/configs/config-changes.js'
import { AdminError, topicNameError } from './admin-errors.js'

export const ResourceType = { TOPIC: 2, BROKER: 4 } as const

export type Resolved = { topic: TopicState } | { scope: string } | { errorCode: number; errorMessage: string | null }

/** Kafka's other resource types (broker loggers, client metrics, groups) are not modelled here. */
function unsupported(resourceType: number): Resolved {
  return {
    errorCode: AdminError.INVALID_REQUEST,
    errorMessage: `The embedded broker has no configs of resource type ${resourceType}`,
  }
}

/** The resource DescribeConfigs asks about, worded as Kafka words describe failures. */
export function resolveForDescribe(context: RequestContext, resourceType: number, name: string): Resolved {
  if (resourceType === ResourceType.TOPIC) {
    const badName = topicNameError(name)
    if (badName) return { errorCode: AdminError.INVALID_TOPIC_EXCEPTION, errorMessage: badName }
    const topic = context.cluster.topics.get(name)
    // Kafka leaves the message of this one empty rather than null.
    return topic ? { topic } : { errorCode: AdminError.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: '' }
  }
  if (resourceType !== ResourceType.BROKER) return unsupported(resourceType)
  if (name === CLUSTER_DEFAULT) return { scope: name }
  if (!/^-?\d+$/.test(name)) {
    return { errorCode: AdminError.INVALID_REQUEST, errorMessage: `Broker id must be an integer, but it is: ${name}` }
  }
  const own = context.broker.nodeId
  if (Number(name) !== own) {
    const message = `Unexpected broker id, expected ${own} or empty string, but received ${name}`
    return { errorCode: AdminError.INVALID_REQUEST, errorMessage: message }
  }
  return { scope: String(own) }
}

/** The resource an alter request changes, worded as Kafka words alter failures. */
function resolveForAlter(context: RequestContext, resourceType: number, name: string): Resolved {
  if (resourceType === ResourceType.TOPIC) {
    if (name === '')
      return { errorCode: AdminError.INVALID_REQUEST, errorMessage: 'Default topic resources are not allowed.' }
    const badName = topicNameError(name)
    if (badName) return { errorCode: AdminError.INVALID_TOPIC_EXCEPTION, errorMessage: badName }
    const topic = context.cluster.topics.get(name)
    if (!topic)
      return { errorCode: AdminError.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `The topic '${name}' does not exist.` }
    return { topic }
  }
  if (resourceType !== ResourceType.BROKER) return unsupported(resourceType)
  if (name === CLUSTER_DEFAULT) return { scope: name }
  if (!/^-?\d+$/.test(name)) {
    return { errorCode: AdminError.INVALID_REQUEST, errorMessage: `Node id must be an integer, but it is: ${name}` }
  }
  const own = context.broker.nodeId
  if (Number(name) !== own) {
    return {
      errorCode: AdminError.INVALID_REQUEST,
      errorMessage: `Unexpected broker id, expected ${own}, but received ${name}`,
    }
  }
  return { scope: String(own) }
}

export interface AlterResource {
  resourceType: number
  resourceName: string
  changes: ConfigChange[]
}

export interface AlterResult {
  errorCode: number
  errorMessage: string | null
  resourceType: number
  resourceName: string
}

/**
 * Applies each resource's changes on its own (one failing resource leaves the
 * others applied). `replace` gives AlterConfigs' semantics: the resource's
 * dynamic configs become exactly the ones given.
 */
export function alterResources(
  context: RequestContext,
  resources: readonly AlterResource[],
  replace: boolean,
  validateOnly: boolean,
): AlterResult[] {
  const keyOf = ({ resourceType, resourceName }: AlterResource) => `${resourceType}/${resourceName}`
  const counts = new Map<string, number>()
  for (const resource of resources) counts.set(keyOf(resource), (counts.get(keyOf(resource)) ?? 0) + 1)
  return resources.map((resource) => {
    const { resourceType, resourceName } = resource
    const answer = (errorCode: number, errorMessage: string | null) => ({
      errorCode,
      errorMessage,
      resourceType,
      resourceName,
    })
    if ((counts.get(keyOf(resource)) ?? 0) > 1) {
      return answer(AdminError.INVALID_REQUEST, 'Each resource must appear at most once.')
    }
    const resolved = resolveForAlter(context, resourceType, resourceName)
    if ('errorCode' in resolved) return answer(resolved.errorCode, resolved.errorMessage)
    const { cluster } = context
    const next =
      'topic' in resolved
        ? changedTopicConfigs(resolved.topic, resource.changes, replace)
        : changedBrokerConfigs(cluster, resolved.scope, resource.changes, replace)
    if (isConfigError(next)) return answer(next.errorCode, next.errorMessage)
    if (!validateOnly) {
      // Refilled in place: other parts of the broker may hold on to the map.
      const target = 'topic' in resolved ? resolved.topic.configs : dynamicBrokerConfigs(cluster, resolved.scope)
      target.clear()
      for (const [name, value] of next) target.set(name, value)
    }
    return answer(AdminError.NONE, null)
  })
}
