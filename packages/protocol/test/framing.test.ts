import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../src/errors.js'
import {
  decodeRequestBody,
  decodeRequestFrameHeader,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
  readFrameSize,
  readResponseCorrelationId,
} from '../src/framing.js'
import { Apis, createApiVersionsResponse, createMetadataRequest } from '../src/generated/index.js'

describe('request framing', () => {
  it('writes ApiVersions v3 with header v2: a non-compact client id, then tagged fields', () => {
    const frame = encodeRequestFrame(
      Apis.ApiVersions,
      3,
      { clientSoftwareName: 'kafkit', clientSoftwareVersion: '1.0' },
      { correlationId: 7, clientId: 'app' },
    )
    const expected = Buffer.concat([
      Buffer.from('00000000', 'hex'), // size, patched below
      Buffer.from('0012' + '0003' + '00000007', 'hex'), // api key 18, version 3, correlation id 7
      Buffer.from('0003', 'hex'), // client id: int16 length, not a compact string
      Buffer.from('app'),
      Buffer.from('00', 'hex'), // header tagged fields
      Buffer.from('07', 'hex'), // compact string length 6 + 1
      Buffer.from('kafkit'),
      Buffer.from('04', 'hex'),
      Buffer.from('1.0'),
      Buffer.from('00', 'hex'), // body tagged fields
    ])
    expected.writeInt32BE(expected.length - 4, 0)
    expect(frame.toString('hex')).toBe(expected.toString('hex'))
    expect(readFrameSize(frame)).toBe(frame.length - 4)
  })

  it('uses header v1 (no tagged fields) for non-flexible versions', () => {
    const frame = encodeRequestFrame(Apis.Metadata, 8, createMetadataRequest({ topics: null }), {
      correlationId: 1,
      clientId: null,
    })
    // size, key 3, version 8, correlation 1, null client id, then the body
    expect(frame.subarray(4, 14).toString('hex')).toBe('000300080000000' + '1ffff')
  })

  it('reads back the header and body a client wrote, as a broker does', () => {
    const request = createMetadataRequest({ topics: [{ name: 'orders', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }] })
    const frame = encodeRequestFrame(Apis.Metadata, 12, request, { correlationId: 42, clientId: 'c' })
    const decoded = decodeRequestFrameHeader(frame.subarray(4))
    expect(decoded.header).toMatchObject({ requestApiKey: 3, requestApiVersion: 12, correlationId: 42, clientId: 'c' })
    expect(decoded.api?.name).toBe('Metadata')
    expect(decodeRequestBody(decoded)).toEqual(request)
  })

  it('still reads the correlation id of an ApiVersions request in a version it does not know', () => {
    const frame = Buffer.from('0012' + '0063' + '0000002a' + '0001' + '78' + '00' + '0000', 'hex')
    const decoded = decodeRequestFrameHeader(frame)
    expect(decoded.header.correlationId).toBe(42)
    expect(decoded.header.requestApiVersion).toBe(99)
  })

  it('fails on a negative frame size', () => {
    expect(() => readFrameSize(Buffer.from('ffffffff', 'hex'))).toThrow(ProtocolError)
    expect(readFrameSize(Buffer.from('0000', 'hex'))).toBeUndefined()
  })
})

describe('response framing', () => {
  it('always uses response header v0 for ApiVersions, even in flexible versions', () => {
    const response = createApiVersionsResponse({ apiKeys: [{ apiKey: 0, minVersion: 3, maxVersion: 13 }] })
    const frame = encodeResponseFrame(Apis.ApiVersions, 4, 9, response)
    // after the size: correlation id, then straight into the body (error code 0), no header tag byte
    expect(frame.subarray(4, 10).toString('hex')).toBe('00000009' + '0000')
    const decoded = decodeResponseFrame(Apis.ApiVersions, 4, frame.subarray(4))
    expect(decoded.header.correlationId).toBe(9)
    expect(decoded.body.apiKeys).toEqual([{ apiKey: 0, minVersion: 3, maxVersion: 13 }])
  })

  it('uses response header v1 (tagged fields) for other flexible responses', () => {
    const frame = encodeResponseFrame(Apis.Metadata, 12, 5, Apis.Metadata.response.create())
    expect(frame.subarray(4, 9).toString('hex')).toBe('00000005' + '00')
    expect(readResponseCorrelationId(frame.subarray(4))).toBe(5)
  })

  it('rejects trailing bytes after a response body', () => {
    const frame = encodeResponseFrame(Apis.Heartbeat, 4, 1, Apis.Heartbeat.response.create())
    const padded = Buffer.concat([frame.subarray(4), Buffer.from([0])])
    expect(() => decodeResponseFrame(Apis.Heartbeat, 4, padded)).toThrow(ProtocolError)
  })
})
