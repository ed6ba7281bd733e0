/**
 * DescribeClientQuotas (key 48), versions 0-1. Answers the stored quotas of
 * the entities a filter selects, with Kafka's semantics: each component
 * matches an entity type exactly by name (0), its default entity (1) or any
 * named entity (2); `strict` leaves out entities that have types the filter
 * does not mention; no components and not strict lists everything.
 * INVALID_REQUEST (and no entries) for an unknown entity type, a type given
 * twice, or ip combined with user or client-id. Needs DESCRIBE_CONFIGS on the
 * cluster.
 */
import { Apis } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { AclOperation } from '../security/acl-binding.js'
import { isAuthorizedOnCluster } from '../security/authorize.js'
import { InvalidQuotaRequest } from '../security/client-quotas.js'
import { securityOf } from '../security/security-state.js'
import { CLUSTER_DENIED } from './acl-request.js'
import { AdminError } from './admin-errors.js'

export const describeClientQuotasHandler = defineHandler({
  api: 'DescribeClientQuotas',
  minVersion: Apis.DescribeClientQuotas.minVersion,
  maxVersion: Apis.DescribeClientQuotas.maxVersion,
  handle(request, context) {
    if (!isAuthorizedOnCluster(context, AclOperation.DESCRIBE_CONFIGS)) {
      return { throttleTimeMs: 0, ...CLUSTER_DENIED, entries: null }
    }
    try {
      const entries = securityOf(context.cluster)
        .quotas.describe(request.components, request.strict)
        .map((entry) => ({
          entity: entry.entity.map((part) => ({ ...part })),
          values: [...entry.values].map(([key, value]) => ({ key, value })),
        }))
      return { throttleTimeMs: 0, errorCode: 0, errorMessage: null, entries }
    } catch (error) {
      if (!(error instanceof InvalidQuotaRequest)) throw error
      return { throttleTimeMs: 0, errorCode: AdminError.INVALID_REQUEST, errorMessage: error.message, entries: null }
    }
  },
})
