import { ProtocolError } from './errors.js'

const SIZE_BYTES = 4
const EMPTY = Buffer.alloc(0)

/**
 * Cuts a TCP byte stream into Kafka frames (int32 size, then that many bytes).
 * Chunks are kept as a list rather than concatenated on arrival, so a frame
 * split over many chunks is copied once, when complete, and a frame inside one
 * chunk is a view with no copy at all: the cost is linear in the bytes received,
 * whatever the chunking.
 */
export class FrameReader {
  private chunks: Buffer[] = []
  /** Index of the first unread chunk: an index, not shift(), keeps removal O(1). */
  private first = 0
  /** Read position inside chunks[first]. */
  private head = 0
  private buffered = 0
  /** Size of the frame being assembled, once its prefix has been read. */
  private pendingSize = -1

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes received but not yet returned as frames. */
  get bufferedBytes(): number {
    return this.buffered
  }

  /** Adds received bytes and returns every frame they complete (without size prefixes). */
  push(chunk: Buffer): Buffer[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk)
      this.buffered += chunk.length
    }
    const frames: Buffer[] = []
    for (;;) {
      if (this.pendingSize < 0) {
        if (this.buffered < SIZE_BYTES) break
        const size = this.readSize()
        if (size < 0 || size > this.maxFrameBytes) {
          throw new ProtocolError(`invalid frame size ${size} (the limit is ${this.maxFrameBytes} bytes)`)
        }
        this.pendingSize = size
      }
      if (this.buffered < this.pendingSize) break
      frames.push(this.take(this.pendingSize))
      this.pendingSize = -1
    }
    return frames
  }

  /** Reads the int32 size prefix, straight from the current chunk when it holds all four bytes (no view allocated). */
  private readSize(): number {
    const current = this.chunks[this.first]!
    if (current.length - this.head >= SIZE_BYTES) {
      const size = current.readInt32BE(this.head)
      this.buffered -= SIZE_BYTES
      this.advance(SIZE_BYTES)
      return size
    }
    return this.take(SIZE_BYTES).readInt32BE(0)
  }

  /** Removes `size` buffered bytes: a view when they sit in one chunk, else one copy. */
  private take(size: number): Buffer {
    if (size === 0) return EMPTY
    this.buffered -= size
    const current = this.chunks[this.first]!
    const available = current.length - this.head
    if (size <= available) {
      const view = current.subarray(this.head, this.head + size)
      this.advance(size)
      return view
    }
    const out = Buffer.allocUnsafe(size)
    let written = 0
    while (written < size) {
      const chunk = this.chunks[this.first]!
      const n = Math.min(size - written, chunk.length - this.head)
      chunk.copy(out, written, this.head, this.head + n)
      written += n
      this.advance(n)
    }
    return out
  }

  private advance(n: number): void {
    this.head += n
    if (this.head < this.chunks[this.first]!.length) return
    this.head = 0
    this.first++
    if (this.first === this.chunks.length) {
      this.chunks = []
      this.first = 0
    } else if (this.first >= 1024) {
      // Drop consumed chunks now and then so the array does not grow without bound.
      this.chunks = this.chunks.slice(this.first)
      this.first = 0
    }
  }
}
