import { describe, expect, it } from 'vitest'
import { createSaslMechanism } from '../src/sasl/create-mechanism.js'
import { plainMechanism } from '../src/sasl/plain.js'
import type { SaslMechanism } from '../src/sasl/sasl-mechanism.js'
import { answer, scriptedExchange } from './support/sasl-exchange.js'

describe('PLAIN', () => {
  it('sends one token: empty authorization id, user name and password separated by NUL', async () => {
    const { exchange, sent } = scriptedExchange(answer(''))
    await plainMechanism('alice', 'wonder land').authenticate(exchange)
    expect(sent).toEqual([Buffer.from('\0alice\0wonder land', 'utf8')])
  })

  it('encodes non-ASCII credentials as UTF-8', async () => {
    const { exchange, sent } = scriptedExchange(answer(''))
    await plainMechanism('jürgen', 'pässwörd').authenticate(exchange)
    expect(sent[0]).toEqual(
      Buffer.concat([Buffer.from([0]), Buffer.from('jürgen'), Buffer.from([0]), Buffer.from('pässwörd')]),
    )
  })
})

describe('createSaslMechanism', () => {
  it('maps each configured mechanism to the name the broker knows', () => {
    const custom: SaslMechanism = { name: 'AWS_MSK_IAM', authenticate: async () => undefined }
    const names = [
      createSaslMechanism({ mechanism: 'plain', username: 'u', password: 'p' }),
      createSaslMechanism({ mechanism: 'scram-sha-256', username: 'u', password: 'p' }),
      createSaslMechanism({ mechanism: 'scram-sha-512', username: 'u', password: 'p' }),
      createSaslMechanism({ mechanism: 'oauthbearer', oauthBearerProvider: () => ({ value: 't' }) }),
      createSaslMechanism({ mechanism: 'custom', custom }),
    ].map((mechanism) => mechanism.name)
    expect(names).toEqual(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER', 'AWS_MSK_IAM'])
  })
})
