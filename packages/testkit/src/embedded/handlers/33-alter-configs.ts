/**
 * AlterConfigs (key 33), versions 0-2, the legacy form: the dynamic configs of
 * each resource become exactly the ones given (anything not listed returns to
 * its inherited value). Topics (type 2) refuse unknown or invalid configs
 * with INVALID_CONFIG; brokers (type 4, an id or "" for the cluster default)
 * refuse read-only or invalid ones with INVALID_REQUEST and accept names they
 * do not know, as Kafka does. The cluster-wide min.insync.replicas cannot be
 * dropped (ELR is on). validateOnly checks and changes nothing.
 */
import { Apis } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { ConfigOperation } from '../state/configs/config-changes.js'
import { alterResources } from './config-resources.js'

export const alterConfigsHandler = defineHandler({
  api: 'AlterConfigs',
  minVersion: Apis.AlterConfigs.minVersion,
  maxVersion: Apis.AlterConfigs.maxVersion,
  handle(request, context) {
    const resources = request.resources.map(({ resourceType, resourceName, configs }) => ({
      resourceType,
      resourceName,
      changes: configs.map(({ name, value }) => ({ name, operation: ConfigOperation.SET, value })),
    }))
    return { throttleTimeMs: 0, responses: alterResources(context, resources, true, request.validateOnly) }
  },
})
