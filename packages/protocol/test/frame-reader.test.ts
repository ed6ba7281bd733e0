import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../src/errors.js'
import { FrameReader } from '../src/frame-reader.js'

function framed(...bodies: Buffer[]): Buffer {
  return Buffer.concat(
    bodies.flatMap((body) => {
      const size = Buffer.alloc(4)
      size.writeInt32BE(body.length)
      return [size, body]
    }),
  )
}

/** Splits `bytes` into chunks at the given sizes (cycled). */
function chunked(bytes: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = []
  let at = 0
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!
    out.push(bytes.subarray(at, at + size))
    at += size
  }
  return out
}

describe('FrameReader', () => {
  const bodies = [Buffer.from('first'), Buffer.alloc(0), Buffer.alloc(3000, 7), Buffer.from('last one')]
  const stream = framed(...bodies)

  it.each([[[1]], [[3]], [[4]], [[5, 1, 2]], [[4096]], [[stream.length]]])(
    'reassembles frames from chunks of %j bytes',
    (sizes) => {
      const reader = new FrameReader(1 << 20)
      const frames = chunked(stream, sizes).flatMap((chunk) => reader.push(chunk))
      expect(frames.map((f) => f.toString('hex'))).toEqual(bodies.map((b) => b.toString('hex')))
      expect(reader.bufferedBytes).toBe(0)
    },
  )

  it('returns a frame inside one chunk as a view, without copying', () => {
    const reader = new FrameReader(1024)
    const chunk = framed(Buffer.from('abc'))
    const [frame] = reader.push(chunk)
    expect(frame!.buffer).toBe(chunk.buffer)
  })

  it('holds partial frames until complete', () => {
    const reader = new FrameReader(1024)
    expect(reader.push(stream.subarray(0, 6))).toEqual([])
    expect(reader.bufferedBytes).toBe(2)
  })

  it('rejects a size prefix above the limit or negative, before buffering the frame', () => {
    expect(() => new FrameReader(100).push(Buffer.from('7fffffff', 'hex'))).toThrow(ProtocolError)
    expect(() => new FrameReader(100).push(Buffer.from('ffffffff', 'hex'))).toThrow(ProtocolError)
  })

  it('handles many tiny chunks of a large frame in linear time', () => {
    const reader = new FrameReader(1 << 22)
    const big = framed(Buffer.alloc(1 << 20, 1))
    let frames: Buffer[] = []
    for (const chunk of chunked(big, [16])) frames = frames.concat(reader.push(chunk))
    expect(frames).toHaveLength(1)
    expect(frames[0]!.length).toBe(1 << 20)
  })
})
