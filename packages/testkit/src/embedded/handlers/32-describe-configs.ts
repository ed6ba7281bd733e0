/**
 * DescribeConfigs (key 32), versions 1-4. Topics (resource type 2) list every
 * topic config with its effective value; brokers (type 4) list the broker
 * configs kafkit models, and "" lists the cluster-wide dynamic configs only.
 * Each entry carries its source (topic, broker, cluster default, static,
 * Kafka default), read-only and sensitive flags, its type (v3+) and, with
 * includeSynonyms, every source that has a value, as Kafka reports them.
 * configurationKeys narrows the list (null or empty: all). Documentation is
 * always null (SKIPPED.md). A broker resource must be sent to that broker.
 */
import { Apis, type DescribeConfigsResponseDescribeConfigsResult } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { describeBrokerConfigs } from '../state/configs/broker-config.js'
import { describeTopicConfigs } from '../state/configs/topic-config.js'
import { resolveForDescribe } from './config-resources.js'

export const describeConfigsHandler = defineHandler({
  api: 'DescribeConfigs',
  minVersion: Apis.DescribeConfigs.minVersion,
  maxVersion: Apis.DescribeConfigs.maxVersion,
  handle(request, context) {
    const { cluster, broker } = context
    const results = request.resources.map(
      ({ resourceType, resourceName, configurationKeys }): DescribeConfigsResponseDescribeConfigsResult => {
        const resolved = resolveForDescribe(context, resourceType, resourceName)
        if ('errorCode' in resolved) return { ...resolved, resourceType, resourceName, configs: [] }
        const configs =
          'topic' in resolved
            ? describeTopicConfigs(cluster, resolved.topic, broker.nodeId, configurationKeys, request.includeSynonyms)
            : describeBrokerConfigs(cluster, resolved.scope, configurationKeys, request.includeSynonyms)
        // Kafka sends an empty message, not null, with a successful result.
        return { errorCode: 0, errorMessage: '', resourceType, resourceName, configs }
      },
    )
    return { throttleTimeMs: 0, results }
  },
})
