import { pbkdf2Sync } from 'node:crypto'
import { ClusterAuthorizationFailedError, InvalidMessageError } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { AdminPartialFailureError } from '../src/admin-error.js'
import type { AdminRouter } from '../src/admin-router.js'
import { createAcls, deleteAcls, describeAcls } from '../src/security/acls.js'
import { alterClientQuotas, describeClientQuotas } from '../src/security/client-quotas.js'
import { alterUserScramCredentials, describeUserScramCredentials } from '../src/security/scram-credentials.js'

/** A router that records each request and answers with `answer`, standing in for a broker. */
function fakeRouter(answer: (api: string, body: unknown) => unknown) {
  const sent: { api: string; body: Record<string, unknown> }[] = []
  const send = async (api: string, body: unknown) => {
    sent.push({ api, body: body as Record<string, unknown> })
    return answer(api, body)
  }
  return { router: { toController: send, toAny: send } as unknown as AdminRouter, sent }
}

const never = fakeRouter(() => {
  throw new Error('no request should be sent')
}).router

describe('ACL operations', () => {
  it('refuse invalid ACLs and filters at the call, saying what to change', async () => {
    const base = {
      resourceType: 'TOPIC',
      resourceName: 'orders',
      principal: 'User:alice',
      operation: 'READ',
      permissionType: 'ALLOW',
    } as const
    await expect(createAcls(never, { acl: [] })).rejects.toThrow(/non-empty array/)
    await expect(createAcls(never, { acl: [{ ...base, principal: 'alice' }] })).rejects.toThrow(/User:alice/)
    await expect(createAcls(never, { acl: [{ ...base, resourceName: '' }] })).rejects.toThrow(/resourceName/)
    await expect(
      createAcls(never, { acl: [{ ...base, operation: 'ANY' as unknown as 'READ' }] }),
    ).rejects.toBeInstanceOf(InvalidMessageError)
    await expect(
      createAcls(never, { acl: [{ ...base, resourcePatternType: 'MATCH' as unknown as 'LITERAL' }] }),
    ).rejects.toThrow(/resourcePatternType must be one of LITERAL, PREFIXED/)
    await expect(describeAcls(never, { resourceType: 'TABLE' as unknown as 'TOPIC' })).rejects.toThrow(
      /resourceType must be one of ANY, TOPIC/,
    )
    await expect(deleteAcls(never, { filters: [] })).rejects.toThrow(/non-empty array/)
  })

  it('send kafka-acls defaults (LITERAL, host *, ANY filters) and map results back to names', async () => {
    const { router, sent } = fakeRouter((api) => {
      if (api === 'CreateAcls') {
        return {
          results: [
            { errorCode: 0, errorMessage: null },
            { errorCode: 31, errorMessage: 'denied' },
          ],
        }
      }
      return {
        errorCode: 0,
        errorMessage: null,
        resources: [
          {
            resourceType: 2,
            resourceName: 'ord',
            patternType: 4,
            acls: [{ principal: 'User:alice', host: '*', operation: 3, permissionType: 3 }],
          },
        ],
      }
    })
    const acl = {
      resourceType: 'TOPIC',
      resourceName: 'orders',
      principal: 'User:alice',
      operation: 'READ',
      permissionType: 'ALLOW',
    } as const
    const failure = await createAcls(router, { acl: [acl, { ...acl, operation: 'WRITE' }] }).catch((e: unknown) => e)
    expect(sent[0]?.body).toEqual({
      creations: [
        {
          resourceType: 2,
          resourceName: 'orders',
          resourcePatternType: 3,
          principal: 'User:alice',
          host: '*',
          operation: 3,
          permissionType: 3,
        },
        {
          resourceType: 2,
          resourceName: 'orders',
          resourcePatternType: 3,
          principal: 'User:alice',
          host: '*',
          operation: 4,
          permissionType: 3,
        },
      ],
    })
    expect(failure).toBeInstanceOf(AdminPartialFailureError)
    const partial = failure as AdminPartialFailureError<unknown[]>
    expect(partial.failures[0]?.entry).toBe('TOPIC:LITERAL:orders User:alice@* WRITE ALLOW')
    expect(partial.failures[0]?.error).toBeInstanceOf(ClusterAuthorizationFailedError)
    expect(partial.authorizationOnly).toBe(true)
    expect(partial.succeeded).toHaveLength(1)

    const described = await describeAcls(router, { resourceName: 'orders-eu', resourcePatternType: 'MATCH' })
    expect(sent[1]?.body).toEqual({
      resourceTypeFilter: 1,
      resourceNameFilter: 'orders-eu',
      patternTypeFilter: 2,
      principalFilter: null,
      hostFilter: null,
      operation: 1,
      permissionType: 1,
    })
    expect(described.resources).toEqual([
      {
        resourceType: 'TOPIC',
        resourceName: 'ord',
        resourcePatternType: 'PREFIXED',
        acls: [{ principal: 'User:alice', host: '*', operation: 'READ', permissionType: 'ALLOW' }],
      },
    ])
  })

  it('reject describeAcls with the broker top-level error, typed', async () => {
    const { router } = fakeRouter(() => ({
      errorCode: 54,
      errorMessage: 'No Authorizer is configured.',
      resources: [],
    }))
    await expect(describeAcls(router)).rejects.toMatchObject({ name: 'SecurityDisabledError' })
  })
})

describe('SCRAM credential operations', () => {
  it('salt and hash the password client-side (PBKDF2 with the mechanism hash), never sending it', async () => {
    const { router, sent } = fakeRouter(() => ({ results: [{ user: 'bob', errorCode: 0, errorMessage: null }] }))
    const salt = Buffer.from('fixed-salt')
    expect(
      await alterUserScramCredentials(router, [
        { type: 'upsert', user: 'bob', mechanism: 'SCRAM-SHA-512', password: 'pw', iterations: 5000, salt },
      ]),
    ).toEqual(['bob'])
    const upsertion = (
      sent[0]!.body.upsertions as { saltedPassword: Buffer; mechanism: number; iterations: number }[]
    )[0]
    expect(upsertion?.mechanism).toBe(2)
    expect(upsertion?.iterations).toBe(5000)
    expect(upsertion?.saltedPassword).toEqual(pbkdf2Sync('pw', salt, 5000, 64, 'sha512'))
    expect(JSON.stringify(sent[0]?.body)).not.toContain('"pw"')
  })

  it('make a random salt and default to 4096 iterations', async () => {
    const { router, sent } = fakeRouter(() => ({ results: [{ user: 'bob', errorCode: 0, errorMessage: null }] }))
    await alterUserScramCredentials(router, [
      { type: 'upsert', user: 'bob', mechanism: 'SCRAM-SHA-256', password: 'pw' },
    ])
    await alterUserScramCredentials(router, [
      { type: 'upsert', user: 'bob', mechanism: 'SCRAM-SHA-256', password: 'pw' },
    ])
    const [first, second] = sent.map((s) => (s.body.upsertions as { salt: Buffer; iterations: number }[])[0]!)
    expect(first?.iterations).toBe(4096)
    expect(first?.salt.length).toBeGreaterThan(0)
    expect(first?.salt.equals(second!.salt)).toBe(false)
  })

  it('refuse invalid alterations at the call', async () => {
    await expect(alterUserScramCredentials(never, [])).rejects.toThrow(/non-empty array/)
    await expect(
      alterUserScramCredentials(never, [{ type: 'upsert', user: '', mechanism: 'SCRAM-SHA-256', password: 'pw' }]),
    ).rejects.toThrow(/user must be a non-empty/)
    await expect(
      alterUserScramCredentials(never, [{ type: 'delete', user: 'bob', mechanism: 'SCRAM-SHA-1' as 'SCRAM-SHA-256' }]),
    ).rejects.toThrow(/SCRAM-SHA-256 or SCRAM-SHA-512/)
    await expect(
      alterUserScramCredentials(never, [{ type: 'upsert', user: 'bob', mechanism: 'SCRAM-SHA-256', password: '' }]),
    ).rejects.toThrow(/password/)
    await expect(describeUserScramCredentials(never, [''])).rejects.toThrow(/user names/)
  })

  it('report users without credentials as failures, keeping the others', async () => {
    const { router } = fakeRouter(() => ({
      errorCode: 0,
      errorMessage: null,
      results: [
        { user: 'alice', errorCode: 0, errorMessage: null, credentialInfos: [{ mechanism: 1, iterations: 4096 }] },
        {
          user: 'nobody',
          errorCode: 91,
          errorMessage: 'Attempt to describe a user credential that does not exist: nobody',
          credentialInfos: [],
        },
      ],
    }))
    const failure = (await describeUserScramCredentials(router, ['alice', 'nobody']).catch(
      (e: unknown) => e,
    )) as AdminPartialFailureError
    expect(failure.failures.map((f) => [f.entry, f.error.name])).toEqual([['nobody', 'ResourceNotFoundError']])
    expect(failure.succeeded).toEqual([
      { user: 'alice', credentialInfos: [{ mechanism: 'SCRAM-SHA-256', iterations: 4096 }] },
    ])
  })
})

describe('client quota operations', () => {
  it('map filter components to match types: a name exact, null the default, omitted any name', async () => {
    const { router, sent } = fakeRouter(() => ({
      errorCode: 0,
      errorMessage: null,
      entries: [
        {
          entity: [
            { entityType: 'user', entityName: null },
            { entityType: 'client-id', entityName: 'app' },
          ],
          values: [{ key: 'producer_byte_rate', value: 1024 }],
        },
      ],
    }))
    const quotas = await describeClientQuotas(router, {
      components: [
        { entityType: 'user', match: null },
        { entityType: 'client-id' },
        { entityType: 'ip', match: '10.0.0.1' },
      ],
      strict: true,
    })
    expect(sent[0]?.body).toEqual({
      components: [
        { entityType: 'user', matchType: 1, match: null },
        { entityType: 'client-id', matchType: 2, match: null },
        { entityType: 'ip', matchType: 0, match: '10.0.0.1' },
      ],
      strict: true,
    })
    expect(quotas).toEqual([{ entity: { user: null, 'client-id': 'app' }, values: { producer_byte_rate: 1024 } }])
  })

  it('send null values as removals and name a refused entity', async () => {
    const { router, sent } = fakeRouter(() => ({
      entries: [
        {
          errorCode: 42,
          errorMessage: 'Invalid configuration key nope',
          entity: [{ entityType: 'user', entityName: null }],
        },
        { errorCode: 0, errorMessage: null, entity: [{ entityType: 'client-id', entityName: 'app' }] },
      ],
    }))
    const failure = (await alterClientQuotas(router, [
      { entity: { 'client-id': 'app' }, ops: [{ key: 'consumer_byte_rate', value: null }] },
      { entity: { user: null }, ops: [{ key: 'nope', value: 1 }] },
    ]).catch((e: unknown) => e)) as AdminPartialFailureError
    expect((sent[0]!.body.entries as { ops: unknown[] }[])[0]?.ops).toEqual([
      { key: 'consumer_byte_rate', value: 0, remove: true },
    ])
    expect(failure.failures.map((f) => [f.entry, f.error.name])).toEqual([['user=<default>', 'InvalidRequestError']])
    expect(failure.succeeded).toEqual([{ 'client-id': 'app' }])
  })

  it('refuse invalid alterations at the call', async () => {
    await expect(alterClientQuotas(never, [])).rejects.toThrow(/non-empty array/)
    await expect(alterClientQuotas(never, [{ entity: {}, ops: [{ key: 'a', value: 1 }] }])).rejects.toThrow(
      /entity must name/,
    )
    await expect(
      alterClientQuotas(never, [{ entity: { group: 'g' } as never, ops: [{ key: 'a', value: 1 }] }]),
    ).rejects.toThrow(/unknown type "group"/)
    await expect(
      alterClientQuotas(never, [{ entity: { user: 'a' }, ops: [{ key: 'producer_byte_rate', value: Number.NaN }] }]),
    ).rejects.toThrow(/must be a number, or null/)
    await expect(describeClientQuotas(never, { components: [{ entityType: 'topic' as 'user' }] })).rejects.toThrow(
      /user, client-id or ip/,
    )
  })
})
