import { InvalidMessageError } from '@kafkit/protocol'
import { oauthBearerMechanism } from './oauthbearer.js'
import { plainMechanism } from './plain.js'
import type { SaslMechanism } from './sasl-mechanism.js'
import type { SaslOptions } from './sasl-options.js'
import { scramMechanism } from './scram.js'

/** The mechanism object for the configured SASL options. */
export function createSaslMechanism(options: SaslOptions): SaslMechanism {
  switch (options.mechanism) {
    case 'plain':
      return plainMechanism(options.username, options.password)
    case 'scram-sha-256':
      return scramMechanism('SCRAM-SHA-256', options.username, options.password)
    case 'scram-sha-512':
      return scramMechanism('SCRAM-SHA-512', options.username, options.password)
    case 'oauthbearer':
      return oauthBearerMechanism(options.oauthBearerProvider)
    case 'custom':
      return options.custom
    default:
      throw new InvalidMessageError(
        `unknown SASL mechanism "${(options as { mechanism: string }).mechanism}": use plain, scram-sha-256, scram-sha-512, oauthbearer or custom`,
      )
  }
}
