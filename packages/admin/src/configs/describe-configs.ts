import type { DescribeConfigsResponse } from '@kafkit/protocol'
import { unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import { optionalBoolean, requireName, requireNonEmptyArray, requireOptions } from '../arguments.js'
import {
  type ConfigResourceType,
  type ConfigSource,
  type ConfigType,
  configSourceName,
  configTypeName,
} from './config-entry.js'
import {
  type ConfigResource,
  checkResource,
  requireDistinct,
  sendByDestination,
  toDestination,
} from './config-resources.js'

export interface DescribeConfigsResource extends ConfigResource {
  /** Only these configs; default: all of them. */
  configNames?: readonly string[]
}

export interface DescribeConfigsRequest {
  resources: readonly DescribeConfigsResource[]
  /** List every source that sets each config (topic, broker, default...), most specific first. Default false. */
  includeSynonyms?: boolean
  /** Include each config's documentation (DescribeConfigs v3+). Default false. */
  includeDocumentation?: boolean
}

/** A value of a config at one level (kafkajs's configSynonyms entry). */
export interface ConfigSynonym {
  configName: string
  configValue: string | null
  configSource: ConfigSource
}

/** One config of a resource (kafkajs's configEntries entry with Java's ConfigEntry fields). */
export interface ConfigEntry {
  configName: string
  /** null for sensitive configs (passwords) and unset ones. */
  configValue: string | null
  readOnly: boolean
  /** Whether the value is Kafka's default (configSource DEFAULT_CONFIG). */
  isDefault: boolean
  configSource: ConfigSource
  isSensitive: boolean
  /** Empty unless includeSynonyms. */
  configSynonyms: ConfigSynonym[]
  configType: ConfigType
  /** null unless includeDocumentation. */
  documentation: string | null
}

export interface DescribedConfigs {
  resourceType: ConfigResourceType
  resourceName: string
  configEntries: ConfigEntry[]
}

/**
 * DescribeConfigs (`kafka-configs --describe`): topic configs from any
 * broker, a broker's configs from that broker. A topic that does not exist
 * fails as UnknownTopicOrPartitionError for that resource.
 */
export async function describeConfigs(
  router: AdminRouter,
  request: DescribeConfigsRequest,
): Promise<DescribedConfigs[]> {
  requireOptions(request, 'describeConfigs()', ['resources', 'includeSynonyms', 'includeDocumentation'])
  const includeSynonyms = optionalBoolean(request.includeSynonyms, 'describeConfigs includeSynonyms') ?? false
  const includeDocumentation =
    optionalBoolean(request.includeDocumentation, 'describeConfigs includeDocumentation') ?? false
  const given = requireNonEmptyArray(
    request.resources,
    'describeConfigs resources',
    "[{ type: 'topic', name: 'orders' }]",
  )
  const resources = given.map((resource, i) => {
    const what = `describeConfigs resources[${i}]`
    const checked = checkResource(resource, what, ['type', 'name', 'configNames'])
    const names = resource.configNames?.map((name, j) => requireName(name, `${what}.configNames[${j}]`))
    return { ...checked, configNames: names && names.length > 0 ? names : null }
  })
  requireDistinct(resources, 'describeConfigs')
  const { succeeded, failures } = await sendByDestination(
    router,
    'DescribeConfigs',
    resources,
    async (broker, list) => {
      const body = {
        resources: list.map((r) => ({
          resourceType: r.typeCode,
          resourceName: r.name,
          configurationKeys: r.configNames,
        })),
        includeSynonyms,
        includeDocumentation,
      }
      const response: DescribeConfigsResponse = await toDestination(router, broker, 'DescribeConfigs', body)
      return response.results
    },
    (resource, answer) => ({
      resourceType: resource.type,
      resourceName: resource.name,
      configEntries: answer.configs.map((c) => ({
        configName: c.name,
        configValue: c.value,
        readOnly: c.readOnly,
        isDefault: c.configSource === 5,
        configSource: configSourceName(c.configSource),
        isSensitive: c.isSensitive,
        configSynonyms: c.synonyms.map((s) => ({
          configName: s.name,
          configValue: s.value,
          configSource: configSourceName(s.source),
        })),
        configType: configTypeName(c.configType),
        documentation: c.documentation,
      })),
    }),
  )
  return unlessFailures('describeConfigs', failures, [...succeeded.values()])
}
