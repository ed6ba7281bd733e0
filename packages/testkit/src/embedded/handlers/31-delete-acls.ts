/**
 * DeleteAcls (key 31), versions 1-3. Removes the ACLs matching each filter
 * (the same matching as DescribeAcls) and answers, per filter in request
 * order, the ACLs it removed; an ACL matched by two filters is reported by
 * the first. INVALID_REQUEST for a filter with UNKNOWN codes. Needs ALTER on
 * the cluster; SECURITY_DISABLED without an authorizer.
 */
import { Apis } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { invalidFilter } from '../security/acl-binding.js'
import { Authorizer } from '../security/authorizer.js'
import { aclChanger } from './acl-request.js'
import { AdminError } from './admin-errors.js'

export const deleteAclsHandler = defineHandler({
  api: 'DeleteAcls',
  minVersion: Apis.DeleteAcls.minVersion,
  maxVersion: Apis.DeleteAcls.maxVersion,
  handle(request, context) {
    const authorizer = aclChanger(context)
    const filterResults = request.filters.map((wire) => {
      if (!(authorizer instanceof Authorizer)) return { ...authorizer, matchingAcls: [] }
      const filter = {
        resourceType: wire.resourceTypeFilter,
        resourceName: wire.resourceNameFilter,
        patternType: wire.patternTypeFilter,
        principal: wire.principalFilter,
        host: wire.hostFilter,
        operation: wire.operation,
        permissionType: wire.permissionType,
      }
      const invalid = invalidFilter(filter)
      if (invalid) return { errorCode: AdminError.INVALID_REQUEST, errorMessage: invalid, matchingAcls: [] }
      const matchingAcls = authorizer.delete(filter).map((acl) => ({ errorCode: 0, errorMessage: null, ...acl }))
      return { errorCode: 0, errorMessage: null, matchingAcls }
    })
    return { throttleTimeMs: 0, filterResults }
  },
})
