import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import { InvalidMessageError } from '@kafkit/protocol'
import { saslFailure } from './sasl-failure.js'
import type { SaslMechanism } from './sasl-mechanism.js'
import { escapeSaslName, isPrintable, parseServerFinal, parseServerFirst } from './scram-messages.js'

export type ScramMechanismName = 'SCRAM-SHA-256' | 'SCRAM-SHA-512'

export interface ScramOptions {
  /**
   * Makes the client nonce for each authentication. For tests (RFC test vectors);
   * the default is 24 random bytes as base64url, printable and without ','.
   */
  nonce?: () => string
}

const HASHES = {
  'SCRAM-SHA-256': { digest: 'sha256', bytes: 32 },
  'SCRAM-SHA-512': { digest: 'sha512', bytes: 64 },
} as const

/** Java's ScramMechanism minimum: fewer iterations make the salted password cheap to brute-force. */
const MIN_ITERATIONS = 4096
/** base64("n,,"): the gs2 header echoed back, since no channel binding is used. */
const CHANNEL_BINDING = 'biws'

// Asynchronous so thousands of HMAC rounds run on the thread pool, not the event loop.
const pbkdf2Async = promisify(pbkdf2)

/**
 * SCRAM-SHA-256 / SCRAM-SHA-512 (RFC 5802, RFC 7677): the password never
 * crosses the wire, and the broker proves it knows the stored credential, so
 * the server signature is verified before the session counts as authenticated.
 */
export function scramMechanism(
  name: ScramMechanismName,
  username: string,
  password: string,
  options: ScramOptions = {},
): SaslMechanism {
  if (username === '') throw new InvalidMessageError(`${name} needs a non-empty sasl.username`)
  const hash = HASHES[name]
  const makeNonce = options.nonce ?? (() => randomBytes(24).toString('base64url'))
  const hmac = (key: Buffer, text: string) => createHmac(hash.digest, key).update(text, 'utf8').digest()

  return {
    name,
    async authenticate(exchange) {
      const { broker } = exchange
      const clientNonce = makeNonce()
      if (!isPrintable(clientNonce)) {
        throw new InvalidMessageError(`SCRAM nonce ${JSON.stringify(clientNonce)} must be printable ASCII without ','`)
      }
      const clientFirstBare = `n=${escapeSaslName(username)},r=${clientNonce}`
      const serverFirstBytes = await exchange.send(Buffer.from(`n,,${clientFirstBare}`, 'utf8'))

      const serverFirst = parseServerFirst(serverFirstBytes, broker)
      // The server must extend our nonce: a replayed or foreign exchange would not.
      if (
        serverFirst.nonce.length <= clientNonce.length ||
        !sameText(serverFirst.nonce.slice(0, clientNonce.length), clientNonce)
      ) {
        throw saslFailure(broker, `${name} server nonce does not extend the client nonce`)
      }
      if (serverFirst.iterations < MIN_ITERATIONS) {
        throw saslFailure(
          broker,
          `${name} server asked for ${serverFirst.iterations} iterations, fewer than the minimum ${MIN_ITERATIONS}`,
        )
      }

      const saltedPassword = await pbkdf2Async(
        Buffer.from(password, 'utf8'),
        serverFirst.salt,
        serverFirst.iterations,
        hash.bytes,
        hash.digest,
      )
      // The combined nonce goes in exactly once: Kafka 4 compares it strictly with the one it issued.
      const clientFinalWithoutProof = `c=${CHANNEL_BINDING},r=${serverFirst.nonce}`
      const authMessage = `${clientFirstBare},${serverFirstBytes.toString('utf8')},${clientFinalWithoutProof}`
      const clientKey = hmac(saltedPassword, 'Client Key')
      const storedKey = createHash(hash.digest).update(clientKey).digest()
      const clientSignature = hmac(storedKey, authMessage)
      const proof = Buffer.alloc(clientKey.length)
      for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i]! ^ clientSignature[i]!

      const serverFinalBytes = await exchange.send(
        Buffer.from(`${clientFinalWithoutProof},p=${proof.toString('base64')}`, 'utf8'),
      )
      const serverFinal = parseServerFinal(serverFinalBytes, broker)
      if ('error' in serverFinal) throw saslFailure(broker, `${name} server error: ${serverFinal.error}`)
      const expected = hmac(hmac(saltedPassword, 'Server Key'), authMessage)
      if (!sameBytes(serverFinal.signature, expected)) {
        throw saslFailure(broker, `${name} server signature does not verify: the broker does not hold this credential`)
      }
    },
  }
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  // Lengths are public (fixed by the hash); only the contents need a constant-time comparison.
  return a.length === b.length && timingSafeEqual(a, b)
}

function sameText(a: string, b: string): boolean {
  return sameBytes(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}
