import { connect as netConnect, type OnReadOpts, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { ConnectionError, RequestTimeoutError } from './errors.js'
import type { TlsOptions } from './options.js'

/**
 * Opens a TCP or TLS socket to a broker, failing with a ConnectionError (or a
 * RequestTimeoutError after `timeoutMs`) instead of leaving a half-open socket.
 * `onread` (plain TCP only: Node's TLS sockets do not take it) makes reads land
 * in buffers the caller chooses, and replaces 'data' events.
 */
export function openSocket(
  host: string,
  port: number,
  tls: TlsOptions | undefined,
  timeoutMs: number,
  signal?: AbortSignal,
  onread?: OnReadOpts,
): Promise<Socket> {
  const broker = `${host}:${port}`
  return new Promise((resolve, reject) => {
    const socket = tls
      ? tlsConnect({
          host,
          port,
          ca: tls.ca,
          cert: tls.cert,
          key: tls.key,
          pfx: tls.pfx,
          passphrase: tls.passphrase,
          // SNI must not be an IP address; Node checks the certificate against `host` either way.
          servername: tls.servername ?? (isIpAddress(host) ? undefined : host),
          rejectUnauthorized: tls.rejectUnauthorized ?? true,
        })
      : netConnect(onread ? { host, port, onread } : { host, port })
    const connectedEvent = tls ? 'secureConnect' : 'connect'
    const cleanup = () => {
      clearTimeout(timer)
      socket.off(connectedEvent, onConnected)
      socket.off('error', onError)
      signal?.removeEventListener('abort', onAbort)
    }
    const fail = (error: Error) => {
      cleanup()
      socket.destroy()
      reject(error)
    }
    const onConnected = () => {
      cleanup()
      socket.setNoDelay(true)
      resolve(socket)
    }
    const onError = (error: Error) =>
      fail(new ConnectionError(`cannot connect: ${error.message}`, { broker, cause: error }))
    const onAbort = () => fail(new ConnectionError('connect aborted', { broker, cause: signal?.reason }))
    const timer = setTimeout(
      () => fail(new RequestTimeoutError(`no connection within ${timeoutMs} ms`, { broker })),
      timeoutMs,
    )
    socket.once(connectedEvent, onConnected)
    socket.once('error', onError)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

function isIpAddress(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':')
}
