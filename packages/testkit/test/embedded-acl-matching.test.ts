import { describe, expect, it } from 'vitest'
import {
  type AclBinding,
  type AclBindingFilter,
  AclOperation,
  filterMatches,
  invalidNewAcl,
  PatternType,
  PermissionType,
  ResourceType,
} from '../src/embedded/security/acl-binding.js'
import { Authorizer } from '../src/embedded/security/authorizer.js'
import { ClientQuotaStore, InvalidQuotaRequest, QuotaMatchType } from '../src/embedded/security/client-quotas.js'

const HOST = '127.0.0.1'

function acl(init: Partial<AclBinding>): AclBinding {
  return {
    resourceType: ResourceType.TOPIC,
    resourceName: 'orders',
    patternType: PatternType.LITERAL,
    principal: 'User:alice',
    host: '*',
    operation: AclOperation.READ,
    permissionType: PermissionType.ALLOW,
    ...init,
  }
}

const any: AclBindingFilter = {
  resourceType: ResourceType.ANY,
  resourceName: null,
  patternType: PatternType.ANY,
  principal: null,
  host: null,
  operation: AclOperation.ANY,
  permissionType: PermissionType.ANY,
}

describe('ACL filters (AclBindingFilter.matches)', () => {
  const literal = acl({})
  const wildcard = acl({ resourceName: '*' })
  const prefixed = acl({ resourceName: 'ord', patternType: PatternType.PREFIXED })
  const group = acl({ resourceType: ResourceType.GROUP, resourceName: 'orders' })

  it('ANY codes and null fields match everything', () => {
    for (const binding of [literal, wildcard, prefixed, group]) expect(filterMatches(any, binding)).toBe(true)
  })

  it('a LITERAL or ANY pattern filter compares names exactly; MATCH finds literal, wildcard and prefixed ACLs of a name', () => {
    const byName = (patternType: number, resourceName: string) => ({
      ...any,
      resourceType: ResourceType.TOPIC,
      patternType,
      resourceName,
    })
    const matched = (filter: AclBindingFilter) =>
      [literal, wildcard, prefixed, group].filter((binding) => filterMatches(filter, binding))
    expect(matched(byName(PatternType.LITERAL, 'orders'))).toEqual([literal])
    expect(matched(byName(PatternType.ANY, 'ord'))).toEqual([prefixed])
    expect(matched(byName(PatternType.PREFIXED, 'orders'))).toEqual([])
    expect(matched(byName(PatternType.MATCH, 'orders'))).toEqual([literal, wildcard, prefixed])
    expect(matched(byName(PatternType.MATCH, 'payments'))).toEqual([wildcard])
  })

  it('principal, host, operation and permission narrow a filter', () => {
    expect(filterMatches({ ...any, principal: 'User:bob' }, literal)).toBe(false)
    expect(filterMatches({ ...any, host: '10.0.0.1' }, literal)).toBe(false)
    expect(filterMatches({ ...any, operation: AclOperation.WRITE }, literal)).toBe(false)
    expect(filterMatches({ ...any, permissionType: PermissionType.DENY }, literal)).toBe(false)
    expect(filterMatches({ ...any, principal: 'User:alice', host: '*', operation: AclOperation.READ }, literal)).toBe(
      true,
    )
  })

  it('refuses to store ACLs Kafka refuses, with its messages', () => {
    expect(invalidNewAcl(acl({ patternType: PatternType.MATCH }))).toBe('Invalid patternType MATCH')
    expect(invalidNewAcl(acl({ resourceType: ResourceType.ANY }))).toBe('Invalid resourceType ANY')
    expect(invalidNewAcl(acl({ operation: AclOperation.ANY }))).toBe('Invalid operation ANY')
    expect(invalidNewAcl(acl({ permissionType: PermissionType.ANY }))).toBe('Invalid permissionType ANY')
    expect(invalidNewAcl(acl({ resourceType: ResourceType.CLUSTER, resourceName: 'c' }))).toBe(
      'The only valid name for the CLUSTER resource is kafka-cluster',
    )
    expect(invalidNewAcl(acl({ resourceName: '' }))).toBe('Invalid empty resource name')
    expect(invalidNewAcl(acl({ principal: 'alice' }))).toContain('Could not parse principal')
    expect(invalidNewAcl(acl({}))).toBeUndefined()
  })
})

describe('the embedded authorizer (StandardAuthorizer decisions)', () => {
  const authorize = (authorizer: Authorizer, principal: string, operation: number, name = 'orders') =>
    authorizer.authorize(principal, HOST, operation, ResourceType.TOPIC, name)

  it('lets super users do everything, even against a DENY', () => {
    const authorizer = new Authorizer({ superUsers: ['User:admin'] })
    authorizer.add(acl({ principal: 'User:admin', operation: AclOperation.ALL, permissionType: PermissionType.DENY }))
    expect(authorize(authorizer, 'User:admin', AclOperation.DELETE)).toBe(true)
  })

  it('denies when a DENY matches, whatever ALLOWs match too', () => {
    const authorizer = new Authorizer({})
    authorizer.add(acl({ operation: AclOperation.ALL }))
    authorizer.add(acl({ operation: AclOperation.WRITE, permissionType: PermissionType.DENY }))
    expect(authorize(authorizer, 'User:alice', AclOperation.READ)).toBe(true)
    expect(authorize(authorizer, 'User:alice', AclOperation.WRITE)).toBe(false)
  })

  it('lets ALLOW READ, WRITE, DELETE and ALTER imply DESCRIBE, and ALTER_CONFIGS DESCRIBE_CONFIGS; a DENY implies nothing', () => {
    for (const operation of [AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER]) {
      const authorizer = new Authorizer({})
      authorizer.add(acl({ operation }))
      expect(authorize(authorizer, 'User:alice', AclOperation.DESCRIBE)).toBe(true)
    }
    const configs = new Authorizer({})
    configs.add(acl({ operation: AclOperation.ALTER_CONFIGS }))
    expect(authorize(configs, 'User:alice', AclOperation.DESCRIBE_CONFIGS)).toBe(true)
    expect(authorize(configs, 'User:alice', AclOperation.DESCRIBE)).toBe(false)

    const denyRead = new Authorizer({})
    denyRead.add(acl({ operation: AclOperation.DESCRIBE }))
    denyRead.add(acl({ operation: AclOperation.READ, permissionType: PermissionType.DENY }))
    expect(authorize(denyRead, 'User:alice', AclOperation.DESCRIBE)).toBe(true)
    expect(authorize(denyRead, 'User:alice', AclOperation.READ)).toBe(false)
  })

  it('applies prefixed and wildcard ACLs, the User:* principal and the * host', () => {
    const authorizer = new Authorizer({})
    authorizer.add(acl({ resourceName: 'ord', patternType: PatternType.PREFIXED, principal: 'User:*' }))
    authorizer.add(acl({ resourceName: '*', operation: AclOperation.WRITE, host: HOST }))
    expect(authorize(authorizer, 'User:bob', AclOperation.READ, 'orders-eu')).toBe(true)
    expect(authorize(authorizer, 'User:bob', AclOperation.READ, 'payments')).toBe(false)
    expect(authorize(authorizer, 'User:alice', AclOperation.WRITE, 'payments')).toBe(true)
    expect(authorizer.authorize('User:alice', '10.0.0.9', AclOperation.WRITE, ResourceType.TOPIC, 'payments')).toBe(
      false,
    )
  })

  it('allows a resource no ACL names only with allowEveryoneIfNoAclFound, and not once any ACL names it', () => {
    const strict = new Authorizer({})
    expect(authorize(strict, 'User:alice', AclOperation.READ)).toBe(false)
    const open = new Authorizer({ allowEveryoneIfNoAclFound: true })
    expect(authorize(open, 'User:alice', AclOperation.READ)).toBe(true)
    open.add(acl({ principal: 'User:carol' }))
    expect(authorize(open, 'User:alice', AclOperation.READ)).toBe(false)
    expect(authorize(open, 'User:alice', AclOperation.READ, 'payments')).toBe(true)
  })

  it('keeps each ACL once and deletes what a filter matches', () => {
    const authorizer = new Authorizer({})
    authorizer.add(acl({}))
    authorizer.add(acl({}))
    authorizer.add(acl({ resourceName: 'payments' }))
    expect(authorizer.acls).toHaveLength(2)
    expect(authorizer.delete({ ...any, resourceName: 'orders' }).map((a) => a.resourceName)).toEqual(['orders'])
    expect(authorizer.acls.map((a) => a.resourceName)).toEqual(['payments'])
  })
})

describe('client quotas (ClientQuotaControlManager rules)', () => {
  const set = (value: number) => [{ key: 'producer_byte_rate', value, remove: false }]

  it('describes with exact, default and any-name components, strict or not', () => {
    const store = new ClientQuotaStore()
    store.alter([{ entityType: 'user', entityName: 'alice' }], set(1))
    store.alter([{ entityType: 'user', entityName: null }], set(2))
    store.alter(
      [
        { entityType: 'user', entityName: 'alice' },
        { entityType: 'client-id', entityName: 'app' },
      ],
      set(3),
    )
    const values = (components: Parameters<ClientQuotaStore['describe']>[0], strict = false) =>
      store.describe(components, strict).map((entry) => entry.values.get('producer_byte_rate'))
    expect(values([{ entityType: 'user', matchType: QuotaMatchType.EXACT, match: 'alice' }])).toEqual([1, 3])
    expect(values([{ entityType: 'user', matchType: QuotaMatchType.EXACT, match: 'alice' }], true)).toEqual([1])
    expect(values([{ entityType: 'user', matchType: QuotaMatchType.DEFAULT, match: null }])).toEqual([2])
    expect(values([{ entityType: 'user', matchType: QuotaMatchType.SPECIFIED, match: null }])).toEqual([1, 3])
    expect(values([{ entityType: 'client-id', matchType: QuotaMatchType.SPECIFIED, match: null }])).toEqual([3])
    expect(values([])).toEqual([1, 2, 3])
    expect(values([], true)).toEqual([])
  })

  it('drops an entity once its last value is removed', () => {
    const store = new ClientQuotaStore()
    store.alter(
      [{ entityType: 'ip', entityName: '10.0.0.1' }],
      [{ key: 'connection_creation_rate', value: 5, remove: false }],
    )
    store.alter(
      [{ entityType: 'ip', entityName: '10.0.0.1' }],
      [{ key: 'connection_creation_rate', value: 0, remove: true }],
    )
    expect(store.describe([], false)).toEqual([])
  })

  it('refuses unknown types and keys, ip with user, a bad ip and fractional byte rates', () => {
    const store = new ClientQuotaStore()
    const refusal = (
      entity: { entityType: string; entityName: string | null }[],
      key = 'producer_byte_rate',
      value = 1,
    ) => {
      try {
        store.validate(entity, [{ key, value, remove: false }])
        return undefined
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidQuotaRequest)
        return (error as Error).message
      }
    }
    expect(refusal([])).toBe('Invalid empty client quota entity')
    expect(refusal([{ entityType: 'group', entityName: 'g' }])).toContain('Unhandled client quota entity type')
    expect(
      refusal([
        { entityType: 'ip', entityName: '10.0.0.1' },
        { entityType: 'user', entityName: 'alice' },
      ]),
    ).toContain('IP entity should not be combined')
    expect(refusal([{ entityType: 'ip', entityName: 'not-an-ip' }], 'connection_creation_rate')).toContain(
      'not a valid IP',
    )
    expect(refusal([{ entityType: 'user', entityName: 'alice' }], 'connection_creation_rate')).toContain(
      'Invalid configuration key',
    )
    expect(refusal([{ entityType: 'user', entityName: 'alice' }], 'producer_byte_rate', 1.5)).toContain('whole number')
    expect(refusal([{ entityType: 'user', entityName: 'alice' }], 'request_percentage', 1.5)).toBeUndefined()
  })
})
