/**
 * AlterClientQuotas (key 49), versions 0-1. Sets and removes quota values
 * per entity (user, client-id, both, or ip; a null name is the default
 * entity), one result per entry in request order. INVALID_REQUEST with
 * Kafka's message for an empty or unknown entity type, ip combined with user
 * or client-id, an invalid ip, an unknown key or one that does not apply to
 * the entity, or a fractional value for a whole-number key; `validateOnly`
 * checks without storing. Values are stored only: nothing is throttled.
 * Needs ALTER_CONFIGS on the cluster.
 */
import { Apis } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { AclOperation } from '../security/acl-binding.js'
import { isAuthorizedOnCluster } from '../security/authorize.js'
import { InvalidQuotaRequest } from '../security/client-quotas.js'
import { securityOf } from '../security/security-state.js'
import { CLUSTER_DENIED } from './acl-request.js'
import { AdminError } from './admin-errors.js'

export const alterClientQuotasHandler = defineHandler({
  api: 'AlterClientQuotas',
  minVersion: Apis.AlterClientQuotas.minVersion,
  maxVersion: Apis.AlterClientQuotas.maxVersion,
  handle(request, context) {
    const quotas = securityOf(context.cluster).quotas
    const allowed = isAuthorizedOnCluster(context, AclOperation.ALTER_CONFIGS)
    const entries = request.entries.map(({ entity, ops }) => {
      const result = { entity: entity.map((part) => ({ ...part })) }
      if (!allowed) return { ...CLUSTER_DENIED, ...result }
      try {
        quotas.validate(entity, ops)
      } catch (error) {
        if (!(error instanceof InvalidQuotaRequest)) throw error
        return { errorCode: AdminError.INVALID_REQUEST, errorMessage: error.message, ...result }
      }
      if (!request.validateOnly) quotas.alter(entity, ops)
      return { errorCode: 0, errorMessage: null, ...result }
    })
    return { throttleTimeMs: 0, entries }
  },
})
