import { InvalidMessageError, SaslAuthenticationFailedError } from '@kafkit/protocol'
import { describe, expect, it } from 'vitest'
import { scramMechanism } from '../src/sasl/scram.js'
import { answer, scriptedExchange, TEST_BROKER } from './support/sasl-exchange.js'
import { scramServer } from './support/scram-server.js'

// RFC 7677 section 3: the SCRAM-SHA-256 example exchange.
const RFC = {
  clientNonce: 'rOprNGfwEbeRWgbNEkqO',
  serverNonce: 'rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal:
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
}

const rfcClient = () => scramMechanism('SCRAM-SHA-256', 'user', 'pencil', { nonce: () => RFC.clientNonce })

async function expectSaslFailure(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(SaslAuthenticationFailedError)
  expect((error as Error).message).toMatch(message)
  expect((error as SaslAuthenticationFailedError).broker).toBe(TEST_BROKER)
}

describe('SCRAM-SHA-256 (RFC 7677 test vector)', () => {
  it('sends the RFC client-first and client-final messages and accepts the RFC server signature', async () => {
    const { exchange, sent } = scriptedExchange(answer(RFC.serverFirst), answer(RFC.serverFinal))
    await rfcClient().authenticate(exchange)
    expect(sent.map((token) => token.toString())).toEqual([`n,,n=user,r=${RFC.clientNonce}`, RFC.clientFinal])
  })

  it('puts the combined nonce into the client-final message exactly once', async () => {
    const { exchange, sent } = scriptedExchange(answer(RFC.serverFirst), answer(RFC.serverFinal))
    await rfcClient().authenticate(exchange)
    expect(sent[1]!.toString().split(RFC.serverNonce)).toHaveLength(2)
  })

  it('fails when the server signature does not verify (an impostor broker)', async () => {
    const forged = `v=${Buffer.alloc(32, 1).toString('base64')}`
    const { exchange } = scriptedExchange(answer(RFC.serverFirst), answer(forged))
    await expectSaslFailure(rfcClient().authenticate(exchange), /server signature does not verify/)
  })

  it('fails when the server signature has the wrong length', async () => {
    const { exchange } = scriptedExchange(answer(RFC.serverFirst), answer('v=AAAA'))
    await expectSaslFailure(rfcClient().authenticate(exchange), /server signature does not verify/)
  })

  it.each([
    ['a different nonce', 'r=someoneElsesNonce123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'],
    ['the client nonce alone', `r=${RFC.clientNonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096`],
  ])('fails, before sending a proof, when the server nonce is %s', async (_, serverFirst) => {
    const { exchange, sent } = scriptedExchange(answer(serverFirst))
    await expectSaslFailure(rfcClient().authenticate(exchange), /server nonce does not extend the client nonce/)
    expect(sent).toHaveLength(1)
  })

  it('fails, before sending a proof, when the server asks for fewer than 4096 iterations', async () => {
    const { exchange, sent } = scriptedExchange(answer(RFC.serverFirst.replace('i=4096', 'i=4095')))
    await expectSaslFailure(rfcClient().authenticate(exchange), /4095 iterations, fewer than the minimum 4096/)
    expect(sent).toHaveLength(1)
  })

  it('fails with the server error of an e= server-final message', async () => {
    const { exchange } = scriptedExchange(answer(RFC.serverFirst), answer('e=invalid-proof'))
    await expectSaslFailure(rfcClient().authenticate(exchange), /server error: invalid-proof/)
  })

  it.each([
    ['no salt', `r=${RFC.serverNonce},i=4096`],
    ['an empty salt', `r=${RFC.serverNonce},s=,i=4096`],
    ['a salt that is not base64', `r=${RFC.serverNonce},s=W22Z*J0SNY7soEsUEjb6gQ==,i=4096`],
    ['non-numeric iterations', `r=${RFC.serverNonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4k`],
    ['iterations beyond int32', `r=${RFC.serverNonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=9999999999`],
    ['attributes out of order', `s=W22ZaJ0SNY7soEsUEjb6gQ==,r=${RFC.serverNonce},i=4096`],
    ['a mandatory extension', `m=ext,${RFC.serverFirst}`],
    ['an empty message', ''],
  ])('rejects a server-first message with %s', async (_, serverFirst) => {
    const { exchange, sent } = scriptedExchange(answer(serverFirst))
    await expectSaslFailure(rfcClient().authenticate(exchange), /malformed SCRAM server-first message/)
    expect(sent).toHaveLength(1)
  })

  it('fails with the server error of an e= message in place of the server-first message', async () => {
    const { exchange, sent } = scriptedExchange(answer('e=unknown-user'))
    await expectSaslFailure(rfcClient().authenticate(exchange), /SCRAM server error: unknown-user/)
    expect(sent).toHaveLength(1)
  })

  it('ignores optional extensions after the server-first attributes', async () => {
    const serverFirst = `${RFC.serverFirst},x=ignored`
    const { exchange } = scriptedExchange(answer(serverFirst), answer(RFC.serverFinal))
    // The extension is part of the AuthMessage, so the RFC signature no longer matches: the
    // point is that parsing accepts it and the exchange reaches signature verification.
    await expectSaslFailure(rfcClient().authenticate(exchange), /server signature does not verify/)
  })

  it.each([['x=unknown'], ['v=not base64!'], ['v='], ['e=']])('rejects the server-final message %j', async (final) => {
    const { exchange } = scriptedExchange(answer(RFC.serverFirst), answer(final))
    await expectSaslFailure(rfcClient().authenticate(exchange), /malformed SCRAM server-final message/)
  })

  it("passes the broker's own authentication error through unchanged", async () => {
    const brokerError = new SaslAuthenticationFailedError({ api: 'SaslAuthenticate', broker: TEST_BROKER })
    const { exchange } = scriptedExchange(answer(RFC.serverFirst), () => Promise.reject(brokerError))
    await expect(rfcClient().authenticate(exchange)).rejects.toBe(brokerError)
  })
})

describe('SCRAM client', () => {
  it('uses a fresh printable nonce without commas for every authentication', async () => {
    const mechanism = scramMechanism('SCRAM-SHA-512', 'user', 'pencil')
    const nonces: string[] = []
    for (let i = 0; i < 3; i++) {
      const { exchange, sent } = scriptedExchange(answer('e=stop'))
      await mechanism.authenticate(exchange).catch(() => undefined)
      nonces.push(/^n,,n=user,r=(.+)$/.exec(sent[0]!.toString())![1]!)
    }
    expect(new Set(nonces).size).toBe(3)
    for (const nonce of nonces) expect(nonce).toMatch(/^[\x21-\x2b\x2d-\x7e]{24,}$/)
  })

  it('escapes "=" and "," in the user name', async () => {
    const { exchange, sent } = scriptedExchange(answer('e=stop'))
    await scramMechanism('SCRAM-SHA-256', 'a=b,c', 'pw', { nonce: () => 'abc' })
      .authenticate(exchange)
      .catch(() => undefined)
    expect(sent[0]!.toString()).toBe('n,,n=a=3Db=2Cc,r=abc')
  })

  it('rejects an empty user name and an injected nonce containing a comma at the call', async () => {
    expect(() => scramMechanism('SCRAM-SHA-256', '', 'pw')).toThrow(InvalidMessageError)
    const { exchange, sent } = scriptedExchange()
    await expect(
      scramMechanism('SCRAM-SHA-256', 'user', 'pw', { nonce: () => 'a,b' }).authenticate(exchange),
    ).rejects.toThrow(/nonce "a,b" must be printable ASCII without ','/)
    expect(sent).toHaveLength(0)
  })
})

describe('SCRAM-SHA-512 against an independent in-test server', () => {
  it('authenticates and verifies the server signature', async () => {
    const { exchange, sent } = scriptedExchange(...scramServer('sha512', 'alice', 'wonderland'))
    await scramMechanism('SCRAM-SHA-512', 'alice', 'wonderland').authenticate(exchange)
    expect(sent).toHaveLength(2)
  })

  it('authenticates a user name that needs escaping and a non-ASCII password', async () => {
    const { exchange } = scriptedExchange(...scramServer('sha512', 'ops=team,eu', 'pässwörd 🔑'))
    await scramMechanism('SCRAM-SHA-512', 'ops=team,eu', 'pässwörd 🔑').authenticate(exchange)
  })

  it('is refused with a wrong password', async () => {
    const { exchange } = scriptedExchange(...scramServer('sha512', 'alice', 'wonderland'))
    await expectSaslFailure(
      scramMechanism('SCRAM-SHA-512', 'alice', 'looking-glass').authenticate(exchange),
      /SCRAM-SHA-512 server error: invalid-proof/,
    )
  })

  it('fails against an impostor that accepts any proof but does not hold the credential', async () => {
    const impostor = scramServer('sha512', 'alice', 'guessed', { acceptAnyProof: true })
    const { exchange } = scriptedExchange(...impostor)
    await expectSaslFailure(
      scramMechanism('SCRAM-SHA-512', 'alice', 'wonderland').authenticate(exchange),
      /server signature does not verify/,
    )
  })

  it('authenticates SCRAM-SHA-256 against the same server code', async () => {
    const { exchange } = scriptedExchange(...scramServer('sha256', 'bob', 'builder'))
    await scramMechanism('SCRAM-SHA-256', 'bob', 'builder').authenticate(exchange)
  })
})
