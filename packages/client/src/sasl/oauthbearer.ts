import { InvalidMessageError } from '@kafkit/protocol'
import { saslFailure } from './sasl-failure.js'
import type { SaslMechanism } from './sasl-mechanism.js'
import type { OAuthBearerToken } from './sasl-options.js'

/** RFC 7628 key/value separator (^A). */
const SEP = '\x01'
/** RFC 6750 b64token: what may follow "Bearer ". */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/
/** RFC 7628 key and value syntax, as Kafka's broker parses them (KIP-342). */
const EXTENSION_KEY = /^[A-Za-z]+$/
const EXTENSION_VALUE = /^[\x21-\x7e \t\r\n]+$/

/**
 * SASL OAUTHBEARER (RFC 7628) with Kafka's SASL extensions (KIP-342). The
 * provider runs for every authentication, so a re-authentication (KIP-368)
 * presents a fresh token instead of the one that is about to expire.
 */
export function oauthBearerMechanism(provider: () => Promise<OAuthBearerToken> | OAuthBearerToken): SaslMechanism {
  return {
    name: 'OAUTHBEARER',
    async authenticate(exchange) {
      const token = await provider()
      const challenge = await exchange.send(oauthBearerInitialResponse(token))
      if (challenge.length === 0) return
      // RFC 7628 3.2.3: after an error challenge the client answers with a lone ^A,
      // and the server then fails the exchange. The challenge itself says why.
      const status = describeErrorChallenge(challenge)
      let brokerMessage = ''
      try {
        await exchange.send(Buffer.from(SEP, 'latin1'))
      } catch (error) {
        if (error instanceof Error) brokerMessage = `; the broker said: ${error.message}`
      }
      throw saslFailure(exchange.broker, `OAUTHBEARER token rejected: ${status}${brokerMessage}`)
    },
  }
}

/** `n,,^Aauth=Bearer <token>^A[key=value^A]*^A`, validated so a bad token or extension fails here, not at the broker. */
export function oauthBearerInitialResponse(token: OAuthBearerToken): Buffer {
  if (typeof token?.value !== 'string' || !BEARER_TOKEN.test(token.value)) {
    throw new InvalidMessageError(
      'the OAUTHBEARER provider must return { value } with the bare token (RFC 6750 characters, no "Bearer " prefix, no spaces)',
    )
  }
  let message = `n,,${SEP}auth=Bearer ${token.value}${SEP}`
  for (const [key, value] of Object.entries(token.extensions ?? {})) {
    if (!EXTENSION_KEY.test(key) || key === 'auth') {
      throw new InvalidMessageError(
        `OAUTHBEARER extension key ${JSON.stringify(key)} is invalid: use ASCII letters only, and not "auth" (reserved for the token)`,
      )
    }
    if (typeof value !== 'string' || !EXTENSION_VALUE.test(value)) {
      throw new InvalidMessageError(
        `OAUTHBEARER extension ${key} has an invalid value: use a non-empty string of printable ASCII and whitespace (no control characters such as \\x01)`,
      )
    }
    message += `${key}=${value}${SEP}`
  }
  return Buffer.from(`${message}${SEP}`, 'utf8')
}

/** The status (and scope) of an RFC 7628 error challenge, or the raw text when it is not the expected JSON. */
function describeErrorChallenge(challenge: Buffer): string {
  const text = challenge.toString('utf8')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  if (typeof parsed === 'object' && parsed !== null && 'status' in parsed && typeof parsed.status === 'string') {
    const scope =
      'scope' in parsed && typeof parsed.scope === 'string' ? ` (scope ${JSON.stringify(parsed.scope)})` : ''
    return `status ${JSON.stringify(parsed.status)}${scope}`
  }
  return `server error ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}...` : text)}`
}
