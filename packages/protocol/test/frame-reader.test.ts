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

  describe('reads into readTarget() (a socket with onread)', () => {
    /** Plays `bytes` into the reader the way net.Socket's onread does: each read fills at most the target, up to `readBytes`. */
    function socketReads(
      reader: FrameReader,
      bytes: Buffer,
      readBytes: number,
    ): { frames: Buffer[]; targets: Buffer[] } {
      const frames: Buffer[] = []
      const targets: Buffer[] = []
      for (let at = 0; at < bytes.length; ) {
        const target = reader.readTarget()
        targets.push(target)
        const n = Math.min(target.length, readBytes, bytes.length - at)
        bytes.copy(target, 0, at, at + n)
        at += n
        frames.push(...reader.push(target.subarray(0, n)))
      }
      return { frames, targets }
    }
    const large = [Buffer.alloc(300_000, 3), Buffer.from('small'), Buffer.alloc(70_000, 9), Buffer.alloc(1, 1)]
    const largeStream = framed(...large)

    it.each([[1000], [65_536], [1 << 20]])(
      'reassembles small and large frames from reads of up to %i bytes',
      (readBytes) => {
        const reader = new FrameReader(1 << 22)
        const { frames } = socketReads(reader, largeStream, readBytes)
        expect(frames.map((f) => f.toString('hex'))).toEqual(large.map((b) => b.toString('hex')))
        expect(reader.bufferedBytes).toBe(0)
      },
    )

    it('lands the bytes of a large frame straight in the frame it returns (no copy)', () => {
      const reader = new FrameReader(1 << 22)
      const { frames, targets } = socketReads(reader, framed(Buffer.alloc(300_000, 5)), 65_536)
      expect(frames).toHaveLength(1)
      // After the first read told the size, every later read was offered the rest of the frame itself.
      expect(targets.slice(1).every((t) => t.buffer === frames[0]!.buffer)).toBe(true)
      expect(frames[0]!.equals(Buffer.alloc(300_000, 5))).toBe(true)
    })

    it('keeps frames returned earlier intact while later reads come in', () => {
      const reader = new FrameReader(1 << 22)
      const bodies = Array.from({ length: 200 }, (_, i) => Buffer.alloc(100 + i, i))
      const { frames } = socketReads(reader, framed(...bodies), 777)
      expect(frames.map((f) => f.toString('hex'))).toEqual(bodies.map((b) => b.toString('hex')))
    })

    it('counts a large frame under way as buffered', () => {
      const reader = new FrameReader(1 << 22)
      reader.push(framed(Buffer.alloc(100_000)).subarray(0, 50_004))
      expect(reader.bufferedBytes).toBe(50_000)
      expect(reader.readTarget().length).toBe(50_000)
    })
  })
})
