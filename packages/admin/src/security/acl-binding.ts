import { AclOperation, InvalidMessageError, PatternType, PermissionType, ResourceType } from '@kafkit/protocol'
import type { AclOperationName } from '../authorized-operations.js'

/** Kafka's resource types (org.apache.kafka.common.resource.ResourceType); ANY only in filters. */
export type AclResourceType = 'ANY' | 'TOPIC' | 'GROUP' | 'CLUSTER' | 'TRANSACTIONAL_ID' | 'DELEGATION_TOKEN' | 'USER'
/**
 * How an ACL's resource name applies: LITERAL (that name, or every name for `*`),
 * PREFIXED (names starting with it). Filters also take ANY (every pattern type,
 * names compared exactly) and MATCH (the ACLs that apply to a name: literal,
 * wildcard and prefixed).
 */
export type AclPatternType = 'ANY' | 'MATCH' | 'LITERAL' | 'PREFIXED'
/** Kafka's ACL operations (AclOperation); ANY only in filters. */
export type AclOperationType = Exclude<AclOperationName, 'UNKNOWN'>
/** ANY only in filters. */
export type AclPermissionType = 'ANY' | 'DENY' | 'ALLOW'

/** One ACL (Java's AclBinding, with kafkajs's flat field names). */
export interface AclBinding {
  resourceType: Exclude<AclResourceType, 'ANY'>
  /** A topic, group or transactional id name, a prefix, `*` (LITERAL: every name), or `kafka-cluster` for CLUSTER. */
  resourceName: string
  resourcePatternType: 'LITERAL' | 'PREFIXED'
  /** `User:alice`, or `User:*` for every user. */
  principal: string
  /** The client host the ACL applies to, `*` for any. */
  host: string
  operation: Exclude<AclOperationType, 'ANY'>
  permissionType: 'DENY' | 'ALLOW'
}

/** A new ACL: `resourcePatternType` defaults to LITERAL and `host` to `*`. */
export interface AclBindingInput extends Omit<AclBinding, 'resourcePatternType' | 'host'> {
  resourcePatternType?: 'LITERAL' | 'PREFIXED'
  host?: string
}

/**
 * Which ACLs a describe or delete means (Java's AclBindingFilter): an omitted
 * or null name, principal or host matches any, and the types default to ANY
 * (resourcePatternType: LITERAL, as kafka-acls does).
 */
export interface AclFilter {
  resourceType?: AclResourceType
  resourceName?: string | null
  resourcePatternType?: AclPatternType
  principal?: string | null
  host?: string | null
  operation?: AclOperationType
  permissionType?: AclPermissionType
}

/** A code table without UNKNOWN, which no request may carry. */
function known<T extends string>(table: Record<T | 'UNKNOWN', number>): Record<T, number> {
  const { UNKNOWN: _unknown, ...rest } = table
  return rest as Record<T, number>
}
const RESOURCE_TYPES = known<AclResourceType>(ResourceType)
const PATTERN_TYPES = known<AclPatternType>(PatternType)
const OPERATIONS = known<AclOperationType>(AclOperation)
const PERMISSION_TYPES = known<AclPermissionType>(PermissionType)

/** The wire codes of an ACL or filter, in the field names the requests use. */
export interface AclCodes {
  resourceType: number
  patternType: number
  operation: number
  permissionType: number
}

function code<T extends string>(table: Record<T, number>, value: unknown, what: string, allowed: readonly T[]): number {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new InvalidMessageError(`${what} must be one of ${allowed.join(', ')}; got ${String(value)}`)
  }
  return table[value as T]
}

function nameOf<T extends string>(table: Record<T, number>, value: number): T {
  const found = (Object.keys(table) as T[]).find((key) => table[key] === value)
  // A code this client does not know (a newer broker): show it as a number rather than hiding the ACL.
  return found ?? (`UNKNOWN(${value})` as T)
}

const keys = <T extends string>(table: Record<T, number>) => Object.keys(table) as T[]
const exceptAny = <T extends string>(table: Record<T, number>) => keys(table).filter((key) => key !== 'ANY')

/** Checks a new ACL at the call, as Java's CreateAclsRequest does, and gives its codes. */
export function aclCodes(
  acl: AclBindingInput,
  at: string,
): AclCodes & { resourceName: string; principal: string; host: string } {
  if (acl === null || typeof acl !== 'object') throw new InvalidMessageError(`${at} must be an ACL object`)
  if (typeof acl.resourceName !== 'string' || acl.resourceName === '') {
    throw new InvalidMessageError(
      `${at}.resourceName must be a non-empty string (a name, a prefix, or * for every name)`,
    )
  }
  if (typeof acl.principal !== 'string' || !/^[^:]+:.+$/.test(acl.principal)) {
    throw new InvalidMessageError(
      `${at}.principal must look like "User:alice" (or "User:*"); got ${String(acl.principal)}`,
    )
  }
  const host = acl.host ?? '*'
  if (typeof host !== 'string' || host === '') throw new InvalidMessageError(`${at}.host must be a host or "*"`)
  return {
    resourceType: code(RESOURCE_TYPES, acl.resourceType, `${at}.resourceType`, exceptAny(RESOURCE_TYPES)),
    resourceName: acl.resourceName,
    patternType: code(PATTERN_TYPES, acl.resourcePatternType ?? 'LITERAL', `${at}.resourcePatternType`, [
      'LITERAL',
      'PREFIXED',
    ]),
    principal: acl.principal,
    host,
    operation: code(OPERATIONS, acl.operation, `${at}.operation`, exceptAny(OPERATIONS)),
    permissionType: code(PERMISSION_TYPES, acl.permissionType, `${at}.permissionType`, ['ALLOW', 'DENY']),
  }
}

/** A filter's wire fields (DescribeAcls and DeleteAcls name them the same way). */
export function filterCodes(filter: AclFilter, at: string) {
  if (filter === null || typeof filter !== 'object') throw new InvalidMessageError(`${at} must be a filter object`)
  const nullable = (value: unknown, field: string): string | null => {
    if (value === undefined || value === null) return null
    if (typeof value !== 'string') throw new InvalidMessageError(`${at}.${field} must be a string, or null for any`)
    return value
  }
  return {
    resourceTypeFilter: code(RESOURCE_TYPES, filter.resourceType ?? 'ANY', `${at}.resourceType`, keys(RESOURCE_TYPES)),
    resourceNameFilter: nullable(filter.resourceName, 'resourceName'),
    patternTypeFilter: code(
      PATTERN_TYPES,
      filter.resourcePatternType ?? 'LITERAL',
      `${at}.resourcePatternType`,
      keys(PATTERN_TYPES),
    ),
    principalFilter: nullable(filter.principal, 'principal'),
    hostFilter: nullable(filter.host, 'host'),
    operation: code(OPERATIONS, filter.operation ?? 'ANY', `${at}.operation`, keys(OPERATIONS)),
    permissionType: code(
      PERMISSION_TYPES,
      filter.permissionType ?? 'ANY',
      `${at}.permissionType`,
      keys(PERMISSION_TYPES),
    ),
  }
}

/** An ACL from the wire codes of a response. */
export function aclFromCodes(acl: AclCodes & { resourceName: string; principal: string; host: string }): AclBinding {
  return {
    resourceType: nameOf(RESOURCE_TYPES, acl.resourceType) as AclBinding['resourceType'],
    resourceName: acl.resourceName,
    resourcePatternType: nameOf(PATTERN_TYPES, acl.patternType) as AclBinding['resourcePatternType'],
    principal: acl.principal,
    host: acl.host,
    operation: nameOf(OPERATIONS, acl.operation) as AclBinding['operation'],
    permissionType: nameOf(PERMISSION_TYPES, acl.permissionType) as AclBinding['permissionType'],
  }
}

/** How a failure names an ACL or filter: `TOPIC:LITERAL:orders User:alice@* WRITE ALLOW`. */
export function describeAcl(acl: AclFilter | AclBindingInput): string {
  return `${acl.resourceType ?? 'ANY'}:${acl.resourcePatternType ?? 'LITERAL'}:${acl.resourceName ?? '*any*'} ${
    acl.principal ?? '*any*'
  }@${acl.host ?? '*'} ${acl.operation ?? 'ANY'} ${acl.permissionType ?? 'ANY'}`
}
