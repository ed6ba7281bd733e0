import { SaslAuthenticationFailedError } from '@kafkit/protocol'

/** A client-side SASL failure (a server signature that does not verify, say), typed as the broker's would be. */
export function saslFailure(broker: string, detail: string): SaslAuthenticationFailedError {
  return new SaslAuthenticationFailedError({ api: 'SaslAuthenticate', broker, detail })
}
