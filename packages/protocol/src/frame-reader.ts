import { ProtocolError } from './errors.js'

const SIZE_BYTES = 4
const EMPTY = Buffer.alloc(0)
/** A frame at least this large is assembled in a buffer of its own size as its bytes arrive. */
const ASSEMBLE_FRAME_BYTES = 64 * 1024
/** Size of a fresh read region, and the least free space a read is offered before a fresh one is taken. */
const READ_REGION_BYTES = 64 * 1024
const MIN_READ_BYTES = 16 * 1024

/**
 * Cuts a TCP byte stream into Kafka frames (int32 size, then that many bytes).
 * Chunks are kept as a list rather than concatenated on arrival, so a frame
 * split over many chunks is copied once, when complete, and a frame inside one
 * chunk is a view with no copy at all: the cost is linear in the bytes received,
 * whatever the chunking.
 *
 * A large frame (a Fetch response of megabytes) gets a buffer of its own size
 * as soon as its size is known. A socket that reads where `readTarget()` says
 * (`net.connect({ onread })`) then receives the rest of the frame straight
 * into that buffer: no 64 KiB chunk per read and no copy at all, which showed
 * as the consumer's largest per-byte cost. Chunks from elsewhere ('data'
 * events, TLS) are copied in as they come, the same one copy as before.
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
  /** The buffer of a large frame under way, and how much of it has arrived. */
  private assembling: Buffer | undefined
  private assembled = 0
  /** Where reads land when no large frame is under way; frames are views into it, so it is never reused. */
  private region: Buffer | undefined
  private regionUsed = 0

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes received but not yet returned as frames. */
  get bufferedBytes(): number {
    return this.buffered + this.assembled
  }

  /**
   * Where the socket should write its next read (`onread.buffer`): the rest of
   * the large frame under way, else the free end of a read region. Hand what
   * the read wrote (a view of this target) to `push`.
   */
  readTarget(): Buffer {
    if (this.assembling) return this.assembling.subarray(this.assembled)
    if (!this.region || this.region.length - this.regionUsed < MIN_READ_BYTES) {
      this.region = Buffer.allocUnsafe(READ_REGION_BYTES)
      this.regionUsed = 0
    }
    return this.region.subarray(this.regionUsed)
  }

  /** Adds received bytes and returns every frame they complete (without size prefixes). */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = []
    if (this.assembling) {
      const rest = this.fillAssembling(chunk, frames)
      if (rest === undefined) return frames
      chunk = rest
    } else if (
      this.region &&
      chunk.buffer === this.region.buffer &&
      chunk.byteOffset === this.region.byteOffset + this.regionUsed
    ) {
      this.regionUsed += chunk.length
    }
    if (chunk.length > 0) {
      this.chunks.push(chunk)
      this.buffered += chunk.length
    }
    for (;;) {
      if (this.pendingSize < 0) {
        if (this.buffered < SIZE_BYTES) break
        const size = this.readSize()
        if (size < 0 || size > this.maxFrameBytes) {
          throw new ProtocolError(`invalid frame size ${size} (the limit is ${this.maxFrameBytes} bytes)`)
        }
        this.pendingSize = size
      }
      if (this.buffered < this.pendingSize) {
        if (this.pendingSize >= ASSEMBLE_FRAME_BYTES) this.startAssembling()
        break
      }
      frames.push(this.take(this.pendingSize))
      this.pendingSize = -1
    }
    return frames
  }

  /** Gives the large frame under way its own buffer, holding the bytes that already arrived. */
  private startAssembling(): void {
    const frame = Buffer.allocUnsafe(this.pendingSize)
    this.assembled = this.buffered
    this.copyOut(frame, this.buffered)
    this.buffered = 0
    this.assembling = frame
  }

  /**
   * Adds a chunk to the large frame under way (in place when the socket read
   * into `readTarget()`); returns what follows the frame, or undefined when the
   * frame is still incomplete.
   */
  private fillAssembling(chunk: Buffer, frames: Buffer[]): Buffer | undefined {
    const frame = this.assembling!
    const n = Math.min(chunk.length, frame.length - this.assembled)
    const inPlace = chunk.buffer === frame.buffer && chunk.byteOffset === frame.byteOffset + this.assembled
    if (!inPlace) chunk.copy(frame, this.assembled, 0, n)
    this.assembled += n
    if (this.assembled < frame.length) return undefined
    frames.push(frame)
    this.assembling = undefined
    this.assembled = 0
    this.pendingSize = -1
    return chunk.subarray(n)
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
    this.copyOut(out, size)
    return out
  }

  /** Moves the next `size` buffered bytes (the caller accounts for them) into `out`. */
  private copyOut(out: Buffer, size: number): void {
    let written = 0
    while (written < size) {
      const chunk = this.chunks[this.first]!
      const n = Math.min(size - written, chunk.length - this.head)
      chunk.copy(out, written, this.head, this.head + n)
      written += n
      this.advance(n)
    }
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
