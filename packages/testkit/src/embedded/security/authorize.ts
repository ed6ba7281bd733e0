import type { RequestContext } from '../handler.js'
import { CLUSTER_NAME, ResourceType } from './acl-binding.js'
import { CLIENT_HOST, securityOf } from './security-state.js'

export const AuthError = {
  TOPIC_AUTHORIZATION_FAILED: 29,
  GROUP_AUTHORIZATION_FAILED: 30,
  CLUSTER_AUTHORIZATION_FAILED: 31,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 53,
  SECURITY_DISABLED: 54,
} as const

/** Whether the request's principal may perform `operation` on the resource; always true with ACLs off. */
export function isAuthorized(
  context: Pick<RequestContext, 'cluster' | 'principal'>,
  operation: number,
  resourceType: number,
  resourceName: string,
): boolean {
  const authorizer = securityOf(context.cluster).authorizer
  return !authorizer || authorizer.authorize(context.principal, CLIENT_HOST, operation, resourceType, resourceName)
}

export function isAuthorizedOnCluster(
  context: Pick<RequestContext, 'cluster' | 'principal'>,
  operation: number,
): boolean {
  return isAuthorized(context, operation, ResourceType.CLUSTER, CLUSTER_NAME)
}

/** Whether the principal may perform `operation` on some resource of the type (Kafka's authorizeByResourceType). */
export function isAuthorizedByResourceType(
  context: Pick<RequestContext, 'cluster' | 'principal'>,
  operation: number,
  resourceType: number,
): boolean {
  const authorizer = securityOf(context.cluster).authorizer
  return !authorizer || authorizer.authorizeByResourceType(context.principal, CLIENT_HOST, operation, resourceType)
}
