import { isIP } from 'node:net'

/** One entity component: a type and a name, null naming the type's default entity. */
export interface QuotaEntityPart {
  entityType: string
  entityName: string | null
}

export interface QuotaEntry {
  entity: QuotaEntityPart[]
  values: Map<string, number>
}

/** DescribeClientQuotas match types. */
export const QuotaMatchType = { EXACT: 0, DEFAULT: 1, SPECIFIED: 2 } as const

export interface QuotaFilterComponent {
  entityType: string
  matchType: number
  match: string | null
}

const ENTITY_TYPES = ['user', 'client-id', 'ip']
/** Kafka's quota configs: which entities take them, and whether their value must be a whole number. */
const QUOTA_KEYS: Record<string, { entities: 'client' | 'ip'; integer: boolean }> = {
  producer_byte_rate: { entities: 'client', integer: true },
  consumer_byte_rate: { entities: 'client', integer: true },
  request_percentage: { entities: 'client', integer: false },
  controller_mutation_rate: { entities: 'client', integer: false },
  connection_creation_rate: { entities: 'ip', integer: true },
}

/** Thrown for an invalid entity, key or filter; handlers answer INVALID_REQUEST with the message. */
export class InvalidQuotaRequest extends Error {}

/**
 * Client quotas of an embedded cluster, as Kafka's ClientQuotaControlManager
 * stores them: values per entity (user, client-id, user+client-id, or ip, each
 * name possibly the default), validated like Kafka. Nothing is throttled.
 */
export class ClientQuotaStore {
  readonly #entries = new Map<string, QuotaEntry>()

  /** Checks an entity and its changes without applying them; throws InvalidQuotaRequest. */
  validate(entity: QuotaEntityPart[], ops: { key: string; value: number; remove: boolean }[]): void {
    validateEntity(entity)
    const ip = entity[0]?.entityType === 'ip'
    for (const op of ops) {
      const key = QUOTA_KEYS[op.key]
      if (!key || (key.entities === 'ip') !== ip) throw new InvalidQuotaRequest(`Invalid configuration key ${op.key}`)
      if (op.remove) continue
      if (key.integer && !Number.isInteger(op.value)) {
        throw new InvalidQuotaRequest(
          `Invalid value ${op.value} for configuration key ${op.key}: it must be a whole number`,
        )
      }
    }
  }

  alter(entity: QuotaEntityPart[], ops: { key: string; value: number; remove: boolean }[]): void {
    const id = entityId(entity)
    const entry = this.#entries.get(id) ?? { entity: sorted(entity), values: new Map<string, number>() }
    for (const op of ops) {
      if (op.remove) entry.values.delete(op.key)
      else entry.values.set(op.key, op.value)
    }
    if (entry.values.size === 0) this.#entries.delete(id)
    else this.#entries.set(id, entry)
  }

  /** The entries a DescribeClientQuotas filter selects (Kafka's ClientQuotaMetadataManager). */
  describe(components: QuotaFilterComponent[], strict: boolean): QuotaEntry[] {
    validateFilter(components)
    return [...this.#entries.values()].filter((entry) => {
      if (strict && entry.entity.length !== components.length) return false
      return components.every((component) => {
        const part = entry.entity.find((p) => p.entityType === component.entityType)
        if (!part) return false
        if (component.matchType === QuotaMatchType.DEFAULT) return part.entityName === null
        if (component.matchType === QuotaMatchType.SPECIFIED) return part.entityName !== null
        return part.entityName === component.match
      })
    })
  }
}

function validateEntity(entity: QuotaEntityPart[]): void {
  if (entity.length === 0) throw new InvalidQuotaRequest('Invalid empty client quota entity')
  const types = new Set<string>()
  for (const part of entity) {
    if (!ENTITY_TYPES.includes(part.entityType)) {
      throw new InvalidQuotaRequest(`Unhandled client quota entity type: ${part.entityType}`)
    }
    if (types.has(part.entityType))
      throw new InvalidQuotaRequest(`Duplicate ${part.entityType} entity in the client quota entity`)
    types.add(part.entityType)
    if (part.entityType === 'ip' && part.entityName !== null && isIP(part.entityName) === 0) {
      throw new InvalidQuotaRequest(`${part.entityName} is not a valid IP address`)
    }
  }
  if (types.has('ip') && types.size > 1) {
    throw new InvalidQuotaRequest(
      'Invalid quota entity combination, IP entity should not be combined with User or ClientId',
    )
  }
}

function validateFilter(components: QuotaFilterComponent[]): void {
  const types = new Set<string>()
  for (const component of components) {
    if (!ENTITY_TYPES.includes(component.entityType)) {
      throw new InvalidQuotaRequest(`Custom entity type ${component.entityType} not supported`)
    }
    if (types.has(component.entityType))
      throw new InvalidQuotaRequest(`Duplicate ${component.entityType} in the filter`)
    types.add(component.entityType)
    const { matchType, match } = component
    if (matchType === QuotaMatchType.EXACT && match === null) {
      throw new InvalidQuotaRequest(`An exact match on ${component.entityType} needs a name`)
    }
    if (!Object.values(QuotaMatchType).includes(matchType as 0)) {
      throw new InvalidQuotaRequest(`Unknown match type ${matchType}`)
    }
  }
  if (types.has('ip') && types.size > 1) {
    throw new InvalidQuotaRequest(
      'Invalid entity filter component combination, IP filter component should not be used with user or clientId filter component.',
    )
  }
}

function sorted(entity: QuotaEntityPart[]): QuotaEntityPart[] {
  return [...entity].sort((a, b) => a.entityType.localeCompare(b.entityType)).map((part) => ({ ...part }))
}

function entityId(entity: QuotaEntityPart[]): string {
  return JSON.stringify(sorted(entity).map((part) => [part.entityType, part.entityName]))
}
