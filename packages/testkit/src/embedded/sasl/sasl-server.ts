import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { SCRAM_HASHES, type ScramCredential, type ScramMechanismName } from './scram-credentials.js'

/** The users of an embedded cluster, as a broker would store them. */
export interface SaslUserStore {
  plainPassword(username: string): string | undefined
  scram(mechanism: ScramMechanismName, username: string): ScramCredential | undefined
}

/** Thrown for any refused exchange; the broker answers SASL_AUTHENTICATION_FAILED with the message. */
export class SaslRefused extends Error {}

export interface SaslStep {
  response: Buffer
  /** The authenticated principal once the exchange is complete. */
  principal?: string
}

/** One mechanism's server side, for one authentication. */
export interface SaslServer {
  step(token: Buffer): SaslStep
}

export const SERVER_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const

function invalidCredentials(mechanism: string): SaslRefused {
  // Kafka's wording, which clients show and tests match.
  return new SaslRefused(
    `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`,
  )
}

export function createSaslServer(mechanism: string, users: SaslUserStore): SaslServer | undefined {
  if (mechanism === 'PLAIN') return plainServer(users)
  if (mechanism === 'SCRAM-SHA-256' || mechanism === 'SCRAM-SHA-512') return scramServer(mechanism, users)
  return undefined
}

function plainServer(users: SaslUserStore): SaslServer {
  return {
    step(token) {
      const [authzid, username, password] = token.toString('utf8').split('\u0000')
      if (username === undefined || password === undefined || (authzid && authzid !== username)) {
        throw new SaslRefused('Invalid SASL/PLAIN request')
      }
      const expected = users.plainPassword(username)
      if (expected === undefined || !equal(Buffer.from(expected), Buffer.from(password)))
        throw invalidCredentials('PLAIN')
      return { response: Buffer.alloc(0), principal: `User:${username}` }
    },
  }
}

function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of message.split(',')) {
    const at = part.indexOf('=')
    if (at > 0) out.set(part.slice(0, at), part.slice(at + 1))
  }
  return out
}

function scramServer(mechanism: ScramMechanismName, users: SaslUserStore): SaslServer {
  const { hash } = SCRAM_HASHES[mechanism]
  let state:
    | { clientFirstBare: string; serverFirst: string; nonce: string; username: string; credential: ScramCredential }
    | undefined
  return {
    step(token) {
      const message = token.toString('utf8')
      if (!state) {
        const match = /^[ny],[^,]*,(n=([^,]*),r=([^,]+).*)$/.exec(message)
        if (!match) throw new SaslRefused(`Invalid ${mechanism} client-first message`)
        const username = match[2]!.replace(/=2C/g, ',').replace(/=3D/g, '=')
        const credential = users.scram(mechanism, username)
        if (!credential) throw invalidCredentials(mechanism)
        const nonce = match[3]! + randomBytes(18).toString('base64').replace(/,/g, '.')
        const serverFirst = `r=${nonce},s=${credential.salt.toString('base64')},i=${credential.iterations}`
        state = { clientFirstBare: match[1]!, serverFirst, nonce, username, credential }
        return { response: Buffer.from(serverFirst) }
      }
      const proofAt = message.lastIndexOf(',p=')
      const withoutProof = message.slice(0, proofAt)
      const attrs = attributes(message)
      // Kafka 4 checks that the client echoes the server nonce exactly (RFC 5802).
      if (proofAt < 0 || attrs.get('r') !== state.nonce) throw invalidCredentials(mechanism)
      const authMessage = `${state.clientFirstBare},${state.serverFirst},${withoutProof}`
      const clientSignature = createHmac(hash, state.credential.storedKey).update(authMessage).digest()
      const proof = Buffer.from(attrs.get('p') ?? '', 'base64')
      if (proof.length !== clientSignature.length) throw invalidCredentials(mechanism)
      const clientKey = Buffer.from(proof.map((byte, i) => byte ^ clientSignature[i]!))
      if (!equal(createHash(hash).update(clientKey).digest(), state.credential.storedKey))
        throw invalidCredentials(mechanism)
      const serverSignature = createHmac(hash, state.credential.serverKey).update(authMessage).digest()
      return { response: Buffer.from(`v=${serverSignature.toString('base64')}`), principal: `User:${state.username}` }
    },
  }
}

function equal(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}
