import { errorFromCode, InvalidMessageError } from '@kafkit/protocol'
import { type AdminEntryFailure, unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import {
  type AclBinding,
  type AclBindingInput,
  type AclFilter,
  aclCodes,
  aclFromCodes,
  describeAcl,
  filterCodes,
} from './acl-binding.js'

export interface CreateAclsRequest {
  acl: AclBindingInput[]
}

/** The ACLs of one resource pattern, as describeAcls groups them (kafkajs's shape). */
export interface AclResource {
  resourceType: AclBinding['resourceType']
  resourceName: string
  resourcePatternType: AclBinding['resourcePatternType']
  acls: Pick<AclBinding, 'principal' | 'host' | 'operation' | 'permissionType'>[]
}

export interface DescribeAclsResult {
  resources: AclResource[]
}

export interface DeleteAclsRequest {
  filters: AclFilter[]
}

export interface DeleteAclsFilterResult {
  /** The filter as given. */
  filter: AclFilter
  /** The ACLs this filter removed. */
  matchingAcls: AclBinding[]
}

export interface DeleteAclsResult {
  /** One per filter, in order. */
  filterResponses: DeleteAclsFilterResult[]
}

function nonEmptyArray<T>(value: T[] | undefined, what: string, example: string): T[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new InvalidMessageError(`${what} must be a non-empty array, e.g. ${example}`)
  return value
}

/**
 * Creates ACLs (CreateAcls, through the controller). Resolves with the ACLs
 * created; rejects with AdminPartialFailureError naming each ACL the broker
 * refused (SecurityDisabledError without an authorizer,
 * ClusterAuthorizationFailedError without ALTER on the cluster,
 * InvalidRequestError for one Kafka cannot store).
 */
export async function createAcls(router: AdminRouter, request: CreateAclsRequest): Promise<AclBinding[]> {
  const acls = nonEmptyArray(
    request?.acl,
    'createAcls({ acl })',
    "[{ resourceType: 'TOPIC', resourceName: 'orders', principal: 'User:alice', operation: 'READ', permissionType: 'ALLOW' }]",
  )
  const creations = acls.map((acl, i) => {
    const { patternType, ...rest } = aclCodes(acl, `acl[${i}]`)
    return { ...rest, resourcePatternType: patternType }
  })
  const response = await router.toController('CreateAcls', { creations })
  const failures: AdminEntryFailure[] = []
  const created: AclBinding[] = []
  response.results.forEach((result, i) => {
    const creation = creations[i]!
    const error = errorFromCode(result.errorCode, { api: 'CreateAcls', detail: result.errorMessage })
    if (error) failures.push({ entry: describeAcl(acls[i]!), error })
    else created.push(aclFromCodes({ ...creation, patternType: creation.resourcePatternType }))
  })
  return unlessFailures('createAcls', failures, created)
}

/**
 * The ACLs matching a filter (DescribeAcls), grouped by resource pattern.
 * Rejects with the broker's typed error (SecurityDisabledError,
 * ClusterAuthorizationFailedError without DESCRIBE on the cluster, ...).
 */
export async function describeAcls(router: AdminRouter, filter: AclFilter = {}): Promise<DescribeAclsResult> {
  const codes = filterCodes(filter, 'describeAcls(filter)')
  const response = await router.toAny('DescribeAcls', codes)
  const error = errorFromCode(response.errorCode, { api: 'DescribeAcls', detail: response.errorMessage })
  if (error) throw error
  return {
    resources: response.resources.map((resource) => {
      const pattern = aclFromCodes({ ...resource, principal: '', host: '', operation: 2, permissionType: 3 })
      return {
        resourceType: pattern.resourceType,
        resourceName: resource.resourceName,
        resourcePatternType: pattern.resourcePatternType,
        acls: resource.acls.map((acl) => {
          const { principal, host, operation, permissionType } = aclFromCodes({ ...resource, ...acl })
          return { principal, host, operation, permissionType }
        }),
      }
    }),
  }
}

/**
 * Deletes the ACLs matching each filter (DeleteAcls, through the controller).
 * Resolves with the ACLs each filter removed; rejects with
 * AdminPartialFailureError naming each filter the broker refused.
 */
export async function deleteAcls(router: AdminRouter, request: DeleteAclsRequest): Promise<DeleteAclsResult> {
  const filters = nonEmptyArray(
    request?.filters,
    'deleteAcls({ filters })',
    "[{ resourceType: 'TOPIC', resourceName: 'orders' }]",
  )
  const wire = filters.map((filter, i) => filterCodes(filter, `filters[${i}]`))
  const response = await router.toController('DeleteAcls', { filters: wire })
  const failures: AdminEntryFailure[] = []
  const filterResponses: DeleteAclsFilterResult[] = []
  response.filterResults.forEach((result, i) => {
    const filter = filters[i]!
    const failed = result.errorCode !== 0 ? result : result.matchingAcls.find((acl) => acl.errorCode !== 0)
    const error = failed && errorFromCode(failed.errorCode, { api: 'DeleteAcls', detail: failed.errorMessage })
    if (error) failures.push({ entry: describeAcl(filter), error })
    else filterResponses.push({ filter, matchingAcls: result.matchingAcls.map(aclFromCodes) })
  })
  return unlessFailures('deleteAcls', failures, { filterResponses })
}
