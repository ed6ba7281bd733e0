import { errorFromCode, InvalidMessageError } from '@kafkit/protocol'
import { type AdminEntryFailure, unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'

export type ClientQuotaEntityType = 'user' | 'client-id' | 'ip'

/**
 * Whom a quota applies to (Java's ClientQuotaEntity): a user, a client id, a
 * user and client id, or an ip; a null name means that type's default entity
 * (the `<default>` of kafka-configs).
 */
export type ClientQuotaEntity = Partial<Record<ClientQuotaEntityType, string | null>>

/**
 * One part of a describe filter (Java's ClientQuotaFilterComponent): `match` a
 * name for that exact entity, null for the type's default entity, omitted for
 * every named entity of the type.
 */
export interface ClientQuotaFilterComponent {
  entityType: ClientQuotaEntityType
  match?: string | null
}

export interface ClientQuotaFilter {
  components?: ClientQuotaFilterComponent[]
  /** Leave out entities that have types the components do not mention (default false). */
  strict?: boolean
}

export interface ClientQuotaDescription {
  entity: ClientQuotaEntity
  /** Quota values by key: producer_byte_rate, consumer_byte_rate (bytes/s), request_percentage, controller_mutation_rate, connection_creation_rate (ip). */
  values: Record<string, number>
}

export interface ClientQuotaAlteration {
  entity: ClientQuotaEntity
  /** `value` sets the key, null removes it. */
  ops: { key: string; value: number | null }[]
}

const ENTITY_TYPES: readonly string[] = ['user', 'client-id', 'ip']
const MATCH_EXACT = 0
const MATCH_DEFAULT = 1
const MATCH_SPECIFIED = 2

/** How failures name an entity: `user=alice,client-id=<default>`. */
export function describeEntity(entity: ClientQuotaEntity): string {
  return Object.entries(entity)
    .map(([type, name]) => `${type}=${name ?? '<default>'}`)
    .join(',')
}

function entityParts(entity: ClientQuotaEntity, at: string): { entityType: string; entityName: string | null }[] {
  if (entity === null || typeof entity !== 'object' || Object.keys(entity).length === 0) {
    throw new InvalidMessageError(`${at}.entity must name at least one of user, client-id, ip, e.g. { user: 'alice' }`)
  }
  return Object.entries(entity).map(([entityType, entityName]) => {
    if (!ENTITY_TYPES.includes(entityType)) {
      throw new InvalidMessageError(`${at}.entity has an unknown type "${entityType}"; use user, client-id or ip`)
    }
    if (entityName !== null && (typeof entityName !== 'string' || entityName === '')) {
      throw new InvalidMessageError(`${at}.entity.${entityType} must be a name, or null for the default entity`)
    }
    return { entityType, entityName }
  })
}

/**
 * The quotas of the entities a filter selects (DescribeClientQuotas). With no
 * components (and not strict), every entity with a quota.
 */
export async function describeClientQuotas(
  router: AdminRouter,
  filter: ClientQuotaFilter = {},
): Promise<ClientQuotaDescription[]> {
  const components = (filter?.components ?? []).map((component, i) => {
    if (!ENTITY_TYPES.includes(component?.entityType)) {
      throw new InvalidMessageError(`components[${i}].entityType must be user, client-id or ip`)
    }
    if (component.match === undefined)
      return { entityType: component.entityType, matchType: MATCH_SPECIFIED, match: null }
    if (component.match === null) return { entityType: component.entityType, matchType: MATCH_DEFAULT, match: null }
    if (typeof component.match !== 'string')
      throw new InvalidMessageError(`components[${i}].match must be a string or null`)
    return { entityType: component.entityType, matchType: MATCH_EXACT, match: component.match }
  })
  const response = await router.toAny('DescribeClientQuotas', { components, strict: filter?.strict ?? false })
  const error = errorFromCode(response.errorCode, { api: 'DescribeClientQuotas', detail: response.errorMessage })
  if (error) throw error
  return (response.entries ?? []).map((entry) => ({
    entity: Object.fromEntries(entry.entity.map((part) => [part.entityType, part.entityName])) as ClientQuotaEntity,
    values: Object.fromEntries(entry.values.map(({ key, value }) => [key, value])),
  }))
}

/**
 * Sets and removes quotas (AlterClientQuotas, through the controller).
 * Resolves with the entities altered; rejects with AdminPartialFailureError
 * naming each entity the broker refused (InvalidRequestError for an unknown
 * key, a key that does not apply to the entity, ip combined with user...).
 */
export async function alterClientQuotas(
  router: AdminRouter,
  alterations: ClientQuotaAlteration[],
  options: { validateOnly?: boolean } = {},
): Promise<ClientQuotaEntity[]> {
  if (!Array.isArray(alterations) || alterations.length === 0) {
    throw new InvalidMessageError(
      "alterClientQuotas takes a non-empty array, e.g. [{ entity: { user: 'alice' }, ops: [{ key: 'producer_byte_rate', value: 1048576 }] }]",
    )
  }
  const entries = alterations.map((alteration, i) => {
    const at = `alterations[${i}]`
    const entity = entityParts(alteration?.entity, at)
    if (!Array.isArray(alteration.ops) || alteration.ops.length === 0) {
      throw new InvalidMessageError(
        `${at}.ops must be a non-empty array, e.g. [{ key: 'consumer_byte_rate', value: 1048576 }]`,
      )
    }
    const ops = alteration.ops.map((op, j) => {
      if (typeof op?.key !== 'string' || op.key === '')
        throw new InvalidMessageError(`${at}.ops[${j}].key must be a quota name`)
      if (op.value !== null && (typeof op.value !== 'number' || !Number.isFinite(op.value))) {
        throw new InvalidMessageError(`${at}.ops[${j}].value must be a number, or null to remove the quota`)
      }
      return { key: op.key, value: op.value ?? 0, remove: op.value === null }
    })
    return { entity, ops }
  })
  const response = await router.toController('AlterClientQuotas', {
    entries,
    validateOnly: options.validateOnly ?? false,
  })
  const failures: AdminEntryFailure[] = []
  const altered: ClientQuotaEntity[] = []
  // Kafka's controller answers per entity, not necessarily in request order.
  const keyOf = (parts: { entityType: string; entityName: string | null }[]) =>
    JSON.stringify(parts.map((p) => [p.entityType, p.entityName]).sort())
  const byKey = new Map(entries.map((entry, i) => [keyOf(entry.entity), alterations[i]!.entity]))
  response.entries.forEach((result) => {
    const entity =
      byKey.get(keyOf(result.entity)) ??
      (Object.fromEntries(result.entity.map((p) => [p.entityType, p.entityName])) as ClientQuotaEntity)
    const error = errorFromCode(result.errorCode, {
      api: 'AlterClientQuotas',
      entity: describeEntity(entity),
      detail: result.errorMessage,
    })
    if (error) failures.push({ entry: describeEntity(entity), error })
    else altered.push(entity)
  })
  return unlessFailures('alterClientQuotas', failures, altered)
}
