import type { SaslMechanism } from './sasl-mechanism.js'

/**
 * SASL PLAIN (RFC 4616): one message, authorization id (empty), user name and
 * password separated by NUL bytes. It sends the password as is: use it over TLS.
 */
export function plainMechanism(username: string, password: string): SaslMechanism {
  return {
    name: 'PLAIN',
    async authenticate(exchange) {
      await exchange.send(Buffer.from(`\u0000${username}\u0000${password}`, 'utf8'))
    },
  }
}
