import type { ClientOptions } from '@kafkit/client'
import type { ListenerEndpoint, SaslMechanism, SaslUser } from '@kafkit/testkit'

const MECHANISM_OPTION = {
  PLAIN: 'plain',
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
} as const

/** kafkit client options that reach `listener` (TLS with its CA, SASL with a user and mechanism). */
export function clientOptionsFor(
  listener: ListenerEndpoint,
  mechanism?: SaslMechanism,
  user?: SaslUser,
): Pick<ClientOptions, 'brokers' | 'ssl' | 'sasl'> {
  const options: Pick<ClientOptions, 'brokers' | 'ssl' | 'sasl'> = { brokers: listener.bootstrapServers }
  if (listener.tls) options.ssl = { ca: listener.tls.caPem }
  if (listener.sasl) {
    const chosen = user ?? listener.sasl.users[0]
    if (!chosen) throw new Error('the listener has no SASL user')
    options.sasl = {
      mechanism: MECHANISM_OPTION[mechanism ?? 'PLAIN'],
      username: chosen.username,
      password: chosen.password,
    }
  }
  return options
}
