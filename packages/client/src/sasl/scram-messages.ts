import { saslFailure } from './sasl-failure.js'

/** RFC 5802 `printable`: what a nonce may contain (visible ASCII except ','). */
const PRINTABLE = /^[\x21-\x2b\x2d-\x7e]+$/
/** Canonical padded base64, as RFC 5802 and Java's ScramMessages expect. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
/** An optional extension after the mandatory attributes, which a client may ignore. */
const EXTENSION = /^[A-Za-z]+=[^,]+$/
const MAX_INT32 = 2 ** 31 - 1

export interface ServerFirstMessage {
  /** The full combined nonce: the client's nonce followed by the server's part. */
  nonce: string
  salt: Buffer
  iterations: number
}

export type ServerFinalMessage = { error: string } | { signature: Buffer }

/** Whether a nonce is usable in a SCRAM message (the caller's, or one the server sent). */
export function isPrintable(text: string): boolean {
  return PRINTABLE.test(text)
}

/**
 * RFC 5802 saslname: ',' and '=' would break the attribute syntax, so they are
 * escaped. Like Java's ScramFormatter the rest is sent as UTF-8 without SASLprep,
 * since the broker stores and compares the name the same way.
 */
export function escapeSaslName(username: string): string {
  return username.replace(/=/g, '=3D').replace(/,/g, '=2C')
}

/**
 * `[m=...,] r=nonce,s=salt,i=iterations[,ext=value]*`. A mandatory extension
 * (`m=`) must fail the exchange (RFC 5802 5.1); optional ones are ignored.
 */
export function parseServerFirst(bytes: Buffer, broker: string): ServerFirstMessage {
  const text = bytes.toString('utf8')
  const malformed = (why: string) =>
    saslFailure(broker, `malformed SCRAM server-first message (${why}): ${quote(text)}`)
  const [r, s, i, ...extensions] = text.split(',')
  // Not in RFC 5802's grammar for this message, but some servers report errors this early.
  if (r?.startsWith('e=') && r.length > 2) throw saslFailure(broker, `SCRAM server error: ${r.slice(2)}`)
  if (r?.startsWith('m=')) throw malformed('mandatory extension m= is not supported')
  if (!r?.startsWith('r=') || !isPrintable(r.slice(2))) throw malformed('expected r=<nonce> first')
  if (!s?.startsWith('s=') || s.length === 2 || !BASE64.test(s.slice(2))) throw malformed('expected s=<base64 salt>')
  if (!i?.startsWith('i=') || !/^[0-9]{1,10}$/.test(i.slice(2))) throw malformed('expected i=<iterations>')
  const iterations = Number(i.slice(2))
  if (iterations > MAX_INT32) throw malformed('iteration count out of range')
  if (!extensions.every((extension) => EXTENSION.test(extension))) throw malformed('invalid extension')
  return { nonce: r.slice(2), salt: Buffer.from(s.slice(2), 'base64'), iterations }
}

/** `e=error` or `v=signature[,ext=value]*`. */
export function parseServerFinal(bytes: Buffer, broker: string): ServerFinalMessage {
  const text = bytes.toString('utf8')
  const [first, ...extensions] = text.split(',')
  if (first?.startsWith('e=') && first.length > 2) return { error: first.slice(2) }
  if (
    first?.startsWith('v=') &&
    first.length > 2 &&
    BASE64.test(first.slice(2)) &&
    extensions.every((extension) => EXTENSION.test(extension))
  ) {
    return { signature: Buffer.from(first.slice(2), 'base64') }
  }
  throw saslFailure(broker, `malformed SCRAM server-final message: ${quote(text)}`)
}

/** Server messages carry no secrets; showing (a bounded part of) them makes a broken exchange debuggable. */
function quote(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}...` : text)
}
