import type { RequestContext } from '../handler.js'
import { AclOperation } from '../security/acl-binding.js'
import { AuthError, isAuthorizedOnCluster } from '../security/authorize.js'
import type { Authorizer } from '../security/authorizer.js'
import { securityOf } from '../security/security-state.js'
import { defaultMessage } from './admin-errors.js'

/** Kafka's answer to an ACL request on a broker without authorizer.class.name. */
export const NO_AUTHORIZER = { errorCode: AuthError.SECURITY_DISABLED, errorMessage: 'No Authorizer is configured.' }

/** The answer to a principal lacking the cluster permission a security request needs. */
export const CLUSTER_DENIED = {
  errorCode: AuthError.CLUSTER_AUTHORIZATION_FAILED,
  errorMessage: defaultMessage(AuthError.CLUSTER_AUTHORIZATION_FAILED),
}

/**
 * The cluster's authorizer when the principal may change ACLs (ALTER on the
 * cluster), else the error every entry of the request is answered with.
 */
export function aclChanger(context: RequestContext): Authorizer | { errorCode: number; errorMessage: string | null } {
  const authorizer = securityOf(context.cluster).authorizer
  if (!authorizer) return NO_AUTHORIZER
  if (!isAuthorizedOnCluster(context, AclOperation.ALTER)) return CLUSTER_DENIED
  return authorizer
}
