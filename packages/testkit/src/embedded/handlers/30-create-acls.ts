/**
 * CreateAcls (key 30), versions 1-3. Stores each ACL, one result per creation
 * in request order: INVALID_REQUEST with Kafka's message for a pattern type
 * other than LITERAL or PREFIXED, an ANY or UNKNOWN code, a CLUSTER resource
 * not named kafka-cluster, an empty name or a principal without a type.
 * Needs ALTER on the cluster; SECURITY_DISABLED without an authorizer.
 */
import { Apis } from '@kafkit/protocol'
import { defineHandler } from '../handler.js'
import { invalidNewAcl } from '../security/acl-binding.js'
import { Authorizer } from '../security/authorizer.js'
import { aclChanger } from './acl-request.js'
import { AdminError } from './admin-errors.js'

export const createAclsHandler = defineHandler({
  api: 'CreateAcls',
  minVersion: Apis.CreateAcls.minVersion,
  maxVersion: Apis.CreateAcls.maxVersion,
  handle(request, context) {
    const authorizer = aclChanger(context)
    const results = request.creations.map((creation) => {
      if (!(authorizer instanceof Authorizer)) return { ...authorizer }
      const acl = {
        resourceType: creation.resourceType,
        resourceName: creation.resourceName,
        patternType: creation.resourcePatternType,
        principal: creation.principal,
        host: creation.host,
        operation: creation.operation,
        permissionType: creation.permissionType,
      }
      const invalid = invalidNewAcl(acl)
      if (invalid) return { errorCode: AdminError.INVALID_REQUEST, errorMessage: invalid }
      authorizer.add(acl)
      return { errorCode: 0, errorMessage: null }
    })
    return { throttleTimeMs: 0, results }
  },
})
