/**
 * Kafka's framing: every request and response is an int32 size followed by a
 * header and a body. Request header v0 is api key, version and correlation id;
 * v1 adds the client id (a non-compact nullable string even in flexible
 * versions); v2 adds tagged fields. Response header v0 is the correlation id;
 * v1 adds tagged fields. Which header versions an API uses is in the API table.
 */
import type { ApiDefinition } from './api-definition.js'
import { ProtocolError } from './errors.js'
import { ApiByKey } from './generated/api-table.js'
import { UnsupportedVersionError } from './generated/errors.js'
import { decodeRequestHeader, encodeRequestHeader, type RequestHeader } from './generated/messages/request-header.js'
import {
  decodeResponseHeader,
  encodeResponseHeader,
  type ResponseHeader,
} from './generated/messages/response-header.js'
import { Reader } from './primitives/reader.js'
import { Writer } from './primitives/writer.js'

export const SIZE_PREFIX_BYTES = 4

function writeRequestHeader(w: Writer, headerVersion: number, header: RequestHeader): void {
  if (headerVersion === 0) {
    w.int16(header.requestApiKey)
    w.int16(header.requestApiVersion)
    w.int32(header.correlationId)
  } else encodeRequestHeader(w, headerVersion, header)
}

function readRequestHeader(r: Reader, headerVersion: number): RequestHeader {
  if (headerVersion !== 0) return decodeRequestHeader(r, headerVersion)
  return { requestApiKey: r.int16(), requestApiVersion: r.int16(), correlationId: r.int32(), clientId: null }
}

/** Prefixes what `body` writes with its int32 size. */
function sizePrefixed(initialCapacity: number, body: (w: Writer) => void): Buffer {
  const w = new Writer(initialCapacity)
  w.reserve(SIZE_PREFIX_BYTES)
  body(w)
  w.buffer.writeInt32BE(w.offset - SIZE_PREFIX_BYTES, 0)
  return w.bytes()
}

export interface EncodeRequestOptions {
  correlationId: number
  clientId: string | null
  /** Initial buffer size; a good guess avoids regrowing the buffer for large requests. */
  sizeHint?: number
}

/** A complete request frame (size, header, body) for `api` in `version`. */
export function encodeRequestFrame<Request>(
  api: ApiDefinition<Request, unknown>,
  version: number,
  request: Request,
  options: EncodeRequestOptions,
): Buffer {
  return sizePrefixed(options.sizeHint ?? 256, (w) => {
    const header: RequestHeader = {
      requestApiKey: api.apiKey,
      requestApiVersion: version,
      correlationId: options.correlationId,
      clientId: options.clientId,
    }
    writeRequestHeader(w, api.requestHeaderVersion(version), header)
    api.request.encode(w, version, request)
  })
}

/** A complete response frame (size, header, body) for `api` in `version`. */
export function encodeResponseFrame<Response>(
  api: ApiDefinition<unknown, Response>,
  version: number,
  correlationId: number,
  response: Response,
  sizeHint = 256,
): Buffer {
  return sizePrefixed(sizeHint, (w) => {
    encodeResponseHeader(w, api.responseHeaderVersion(version), { correlationId })
    api.response.encode(w, version, response)
  })
}

/** The size of the frame starting at `offset`, or undefined when fewer than 4 bytes are there. */
export function readFrameSize(buffer: Buffer, offset = 0): number | undefined {
  if (buffer.length - offset < SIZE_PREFIX_BYTES) return undefined
  const size = buffer.readInt32BE(offset)
  if (size < 0) throw new ProtocolError(`negative frame size ${size}`)
  return size
}

export interface DecodedRequestHeader {
  header: RequestHeader
  /** The API named by the header, or undefined when this protocol release does not know the key. */
  api: ApiDefinition | undefined
  /** The reader, positioned at the start of the body. */
  body: Reader
}

/**
 * Reads the header of a request frame (without its size prefix). The header
 * version depends on the API and version it names, so those are peeked first.
 * A broker answers an unknown version of ApiVersions in v0 instead of failing.
 */
export function decodeRequestFrameHeader(frame: Buffer): DecodedRequestHeader {
  const r = new Reader(frame)
  if (frame.length < 4) throw new ProtocolError('request frame shorter than its api key and version')
  const apiKey = frame.readInt16BE(0)
  const version = frame.readInt16BE(2)
  const api = ApiByKey.get(apiKey)
  // An unknown API or version still has a readable v1 header; ApiVersions' error reply needs its correlation id.
  const known = api !== undefined && version >= api.request.minVersion && version <= api.request.maxVersion
  const header = readRequestHeader(r, known ? api.requestHeaderVersion(version) : 1)
  return { header, api, body: r }
}

/** Decodes the body of a request whose header `decodeRequestFrameHeader` read. */
export function decodeRequestBody(decoded: DecodedRequestHeader): unknown {
  const { api, header, body } = decoded
  if (api === undefined) {
    throw new UnsupportedVersionError({ detail: `unknown API key ${header.requestApiKey}` })
  }
  const message = api.request.decode(body, header.requestApiVersion)
  if (body.remaining !== 0) {
    throw new ProtocolError(
      `${api.name} request v${header.requestApiVersion} has ${body.remaining} bytes after its body`,
    )
  }
  return message
}

/** The correlation id of a response frame (without its size prefix), to match it to its request. */
export function readResponseCorrelationId(frame: Buffer): number {
  if (frame.length < 4) throw new ProtocolError('response frame shorter than its correlation id')
  return frame.readInt32BE(0)
}

export interface DecodedResponse<Response> {
  header: ResponseHeader
  body: Response
}

/** Decodes a response frame (without its size prefix) of `api` in `version`. */
export function decodeResponseFrame<Response>(
  api: ApiDefinition<unknown, Response>,
  version: number,
  frame: Buffer,
): DecodedResponse<Response> {
  const r = new Reader(frame)
  const header = decodeResponseHeader(r, api.responseHeaderVersion(version))
  const body = api.response.decode(r, version)
  if (r.remaining !== 0)
    throw new ProtocolError(`${api.name} response v${version} has ${r.remaining} bytes after its body`)
  return { header, body }
}
