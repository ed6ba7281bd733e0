/**
 * DescribeAcls (key 29), versions 1-3. Answers the ACLs matching one filter
 * (Kafka's AclBindingFilter: ANY codes and null names, principals and hosts
 * match everything; pattern type MATCH finds the literal, wildcard and
 * prefixed ACLs that apply to a name), grouped by resource pattern. Needs
 * DESCRIBE on the cluster; SECURITY_DISABLED when the cluster runs without an
 * authorizer, INVALID_REQUEST for a filter with UNKNOWN codes, as Kafka.
 */
import { Apis } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { type AclBinding, AclOperation, invalidFilter } from '../security/acl-binding.js'
import { isAuthorizedOnCluster } from '../security/authorize.js'
import { securityOf } from '../security/security-state.js'
import { CLUSTER_DENIED, NO_AUTHORIZER } from './acl-request.js'
import { AdminError } from './admin-errors.js'

export const describeAclsHandler = defineHandler({
  api: 'DescribeAcls',
  minVersion: Apis.DescribeAcls.minVersion,
  maxVersion: Apis.DescribeAcls.maxVersion,
  handle(request, context) {
    const authorizer = securityOf(context.cluster).authorizer
    const answer = (error: { errorCode: number; errorMessage: string | null }) => ({
      throttleTimeMs: 0,
      ...error,
      resources: [],
    })
    if (!authorizer) return answer(NO_AUTHORIZER)
    if (!isAuthorizedOnCluster(context, AclOperation.DESCRIBE)) return answer(CLUSTER_DENIED)
    const filter = {
      resourceType: request.resourceTypeFilter,
      resourceName: request.resourceNameFilter,
      patternType: request.patternTypeFilter,
      principal: request.principalFilter,
      host: request.hostFilter,
      operation: request.operation,
      permissionType: request.permissionType,
    }
    const invalid = invalidFilter(filter)
    if (invalid) return answer({ errorCode: AdminError.INVALID_REQUEST, errorMessage: invalid })
    return { throttleTimeMs: 0, errorCode: 0, errorMessage: null, resources: byResource(authorizer.describe(filter)) }
  },
})

function byResource(acls: AclBinding[]) {
  const resources = new Map<
    string,
    {
      resourceType: number
      resourceName: string
      patternType: number
      acls: { principal: string; host: string; operation: number; permissionType: number }[]
    }
  >()
  for (const acl of acls) {
    const key = `${acl.resourceType}/${acl.patternType}/${acl.resourceName}`
    let resource = resources.get(key)
    if (!resource) {
      resource = {
        resourceType: acl.resourceType,
        resourceName: acl.resourceName,
        patternType: acl.patternType,
        acls: [],
      }
      resources.set(key, resource)
    }
    resource.acls.push({
      principal: acl.principal,
      host: acl.host,
      operation: acl.operation,
      permissionType: acl.permissionType,
    })
  }
  return [...resources.values()]
}
