/**
 * IncrementalAlterConfigs (key 44), versions 0-1: SET, DELETE, APPEND and
 * SUBTRACT (the last two for list configs such as cleanup.policy; appending
 * to a list the resource does not set starts from its inherited value).
 * Topic and broker resources as in AlterConfigs; a key given twice in one
 * resource, or a null value to set, is INVALID_REQUEST. Each resource
 * succeeds or fails as a whole; validateOnly checks and changes nothing.
 */
import { Apis } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { alterResources } from './config-resources.js'

export const incrementalAlterConfigsHandler = defineHandler({
  api: 'IncrementalAlterConfigs',
  minVersion: Apis.IncrementalAlterConfigs.minVersion,
  maxVersion: Apis.IncrementalAlterConfigs.maxVersion,
  handle(request, context) {
    const resources = request.resources.map(({ resourceType, resourceName, configs }) => ({
      resourceType,
      resourceName,
      changes: configs.map(({ name, configOperation, value }) => ({ name, operation: configOperation, value })),
    }))
    return { throttleTimeMs: 0, responses: alterResources(context, resources, false, request.validateOnly) }
  },
})
