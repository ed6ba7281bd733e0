import { InvalidMessageError, SaslAuthenticationFailedError } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { oauthBearerMechanism } from '../src/sasl/oauthbearer.js'
import type { OAuthBearerToken } from '../src/sasl/sasl-options.js'
import { answer, scriptedExchange, TEST_BROKER } from './support/sasl-exchange.js'

const JWT = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.'

describe('OAUTHBEARER', () => {
  it('sends the RFC 7628 client initial response without extensions', async () => {
    const { exchange, sent } = scriptedExchange(answer(''))
    await oauthBearerMechanism(() => ({ value: JWT })).authenticate(exchange)
    expect(sent.map((token) => token.toString('latin1'))).toEqual([`n,,\x01auth=Bearer ${JWT}\x01\x01`])
  })

  it('appends each SASL extension (KIP-342) as key=value^A before the final ^A', async () => {
    const { exchange, sent } = scriptedExchange(answer(''))
    await oauthBearerMechanism(async () => ({
      value: JWT,
      extensions: { logicalCluster: 'lkc-123', identityPoolId: 'pool-a b' },
    })).authenticate(exchange)
    expect(sent[0]!.toString('latin1')).toBe(
      `n,,\x01auth=Bearer ${JWT}\x01logicalCluster=lkc-123\x01identityPoolId=pool-a b\x01\x01`,
    )
  })

  it('calls the provider for every authentication, so re-authentication presents a fresh token', async () => {
    let calls = 0
    const mechanism = oauthBearerMechanism(() => ({ value: `token-${++calls}` }))
    const tokens: string[] = []
    for (let i = 0; i < 3; i++) {
      const { exchange, sent } = scriptedExchange(answer(''))
      await mechanism.authenticate(exchange)
      tokens.push(sent[0]!.toString('latin1'))
    }
    expect(calls).toBe(3)
    expect(tokens).toEqual([1, 2, 3].map((n) => `n,,\x01auth=Bearer token-${n}\x01\x01`))
  })

  it.each<[string, OAuthBearerToken, RegExp]>([
    ['a key with a dash', { value: JWT, extensions: { 'trace-id': 'x' } }, /extension key "trace-id" is invalid/],
    ['a key with digits', { value: JWT, extensions: { pool1: 'x' } }, /extension key "pool1" is invalid/],
    ['an empty key', { value: JWT, extensions: { '': 'x' } }, /extension key "" is invalid/],
    ['the reserved key auth', { value: JWT, extensions: { auth: 'x' } }, /"auth" \(reserved for the token\)/],
    ['a value containing ^A', { value: JWT, extensions: { pool: 'a\x01b' } }, /extension pool has an invalid value/],
    ['an empty value', { value: JWT, extensions: { pool: '' } }, /extension pool has an invalid value/],
    ['a token with the Bearer prefix', { value: `Bearer ${JWT}` }, /bare token/],
    ['an empty token', { value: '' }, /bare token/],
  ])('rejects %s at the call, before anything is sent', async (_, token, message) => {
    const { exchange, sent } = scriptedExchange()
    const failure = oauthBearerMechanism(() => token).authenticate(exchange)
    await expect(failure).rejects.toBeInstanceOf(InvalidMessageError)
    await expect(failure).rejects.toThrow(message)
    expect(sent).toHaveLength(0)
  })

  it('answers an error challenge with a lone ^A, then fails with the status the server gave', async () => {
    const challenge = '{"status":"invalid_token","scope":"kafka","openid-configuration":"https://idp/.well-known"}'
    const brokerError = new SaslAuthenticationFailedError({
      api: 'SaslAuthenticate',
      broker: TEST_BROKER,
      detail: 'Authentication failed: token expired',
    })
    const { exchange, sent } = scriptedExchange(answer(challenge), () => Promise.reject(brokerError))
    const failure = oauthBearerMechanism(() => ({ value: JWT })).authenticate(exchange)
    await expect(failure).rejects.toBeInstanceOf(SaslAuthenticationFailedError)
    await expect(failure).rejects.toThrow(/status "invalid_token" \(scope "kafka"\).*token expired/)
    expect(sent[1]).toEqual(Buffer.from([0x01]))
  })

  it('fails even when the broker accepts the ^A after an error challenge', async () => {
    const { exchange, sent } = scriptedExchange(answer('not json'), answer(''))
    const failure = oauthBearerMechanism(() => ({ value: JWT })).authenticate(exchange)
    await expect(failure).rejects.toBeInstanceOf(SaslAuthenticationFailedError)
    await expect(failure).rejects.toThrow(/server error "not json"/)
    expect(sent).toHaveLength(2)
  })

  it("propagates the provider's own failure", async () => {
    const { exchange, sent } = scriptedExchange()
    const failure = oauthBearerMechanism(() => Promise.reject(new Error('token endpoint unreachable'))).authenticate(
      exchange,
    )
    await expect(failure).rejects.toThrow('token endpoint unreachable')
    expect(sent).toHaveLength(0)
  })
})
