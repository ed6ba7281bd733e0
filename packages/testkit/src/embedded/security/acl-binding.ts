/**
 * Kafka's ACL model (org.apache.kafka.common.acl and .resource): the codes the
 * wire carries for resource types, pattern types, operations and permissions,
 * an ACL binding, and how a filter matches a binding (AclBindingFilter.matches).
 */

import { AclOperation, PatternType, PermissionType, ResourceType } from '@kafkit/protocol'

export { AclOperation, PatternType, PermissionType, ResourceType }

/** The name of the one CLUSTER resource. */
export const CLUSTER_NAME = 'kafka-cluster'
/** A LITERAL resource name that matches every name. */
export const WILDCARD = '*'

export interface AclBinding {
  resourceType: number
  resourceName: string
  patternType: number
  principal: string
  host: string
  operation: number
  permissionType: number
}

/** A filter: null names, principals and hosts and the ANY codes match everything. */
export interface AclBindingFilter {
  resourceType: number
  resourceName: string | null
  patternType: number
  principal: string | null
  host: string | null
  operation: number
  permissionType: number
}

/** Kafka's ResourcePatternFilter.matches, with MATCH resolving literal, wildcard and prefixed patterns. */
export function patternMatches(filter: AclBindingFilter, acl: AclBinding): boolean {
  if (filter.resourceType !== ResourceType.ANY && filter.resourceType !== acl.resourceType) return false
  const anyPattern = filter.patternType === PatternType.ANY || filter.patternType === PatternType.MATCH
  if (!anyPattern && filter.patternType !== acl.patternType) return false
  if (filter.resourceName === null) return true
  if (filter.patternType !== PatternType.MATCH) return filter.resourceName === acl.resourceName
  if (acl.patternType === PatternType.LITERAL) {
    return filter.resourceName === acl.resourceName || acl.resourceName === WILDCARD
  }
  return acl.patternType === PatternType.PREFIXED && filter.resourceName.startsWith(acl.resourceName)
}

/** Kafka's AclBindingFilter.matches. */
export function filterMatches(filter: AclBindingFilter, acl: AclBinding): boolean {
  return (
    patternMatches(filter, acl) &&
    (filter.principal === null || filter.principal === acl.principal) &&
    (filter.host === null || filter.host === acl.host) &&
    (filter.operation === AclOperation.ANY || filter.operation === acl.operation) &&
    (filter.permissionType === PermissionType.ANY || filter.permissionType === acl.permissionType)
  )
}

/** Why a filter cannot be used (one of its codes is UNKNOWN or out of range), or undefined. */
export function invalidFilter(filter: AclBindingFilter): string | undefined {
  if (!inRange(filter.resourceType, ResourceType) || filter.resourceType === ResourceType.UNKNOWN)
    return 'The filter contained UNKNOWN elements: resource type'
  if (!inRange(filter.patternType, PatternType) || filter.patternType === PatternType.UNKNOWN)
    return 'The filter contained UNKNOWN elements: pattern type'
  if (!inRange(filter.operation, AclOperation) || filter.operation === AclOperation.UNKNOWN)
    return 'The filter contained UNKNOWN elements: operation'
  if (!inRange(filter.permissionType, PermissionType) || filter.permissionType === PermissionType.UNKNOWN)
    return 'The filter contained UNKNOWN elements: permission type'
  return undefined
}

/** Why Kafka's controller refuses to store `acl` (AclControlManager.validateNewAcl and AclApis), or undefined. */
export function invalidNewAcl(acl: AclBinding): string | undefined {
  if (acl.patternType !== PatternType.LITERAL && acl.patternType !== PatternType.PREFIXED)
    return `Invalid patternType ${nameOf(PatternType, acl.patternType)}`
  if (!inRange(acl.resourceType, ResourceType) || acl.resourceType <= ResourceType.ANY)
    return `Invalid resourceType ${nameOf(ResourceType, acl.resourceType)}`
  if (!inRange(acl.operation, AclOperation) || acl.operation <= AclOperation.ANY)
    return `Invalid operation ${nameOf(AclOperation, acl.operation)}`
  if (acl.permissionType !== PermissionType.ALLOW && acl.permissionType !== PermissionType.DENY)
    return `Invalid permissionType ${nameOf(PermissionType, acl.permissionType)}`
  if (acl.resourceType === ResourceType.CLUSTER && acl.resourceName !== CLUSTER_NAME)
    return `The only valid name for the CLUSTER resource is ${CLUSTER_NAME}`
  if (acl.resourceName === '') return 'Invalid empty resource name'
  const colon = acl.principal.indexOf(':')
  if (colon <= 0) return `Could not parse principal from \`${acl.principal}\` (no colon is found).`
  if (acl.host === '') return 'Invalid empty host'
  return undefined
}

function inRange(code: number, codes: Record<string, number>): boolean {
  return Object.values(codes).includes(code)
}

function nameOf(codes: Record<string, number>, code: number): string {
  return Object.entries(codes).find(([, value]) => value === code)?.[0] ?? String(code)
}

/** Two bindings are the same ACL when every field is equal (Kafka keeps each ACL once). */
export function sameAcl(a: AclBinding, b: AclBinding): boolean {
  return (
    a.resourceType === b.resourceType &&
    a.resourceName === b.resourceName &&
    a.patternType === b.patternType &&
    a.principal === b.principal &&
    a.host === b.host &&
    a.operation === b.operation &&
    a.permissionType === b.permissionType
  )
}
