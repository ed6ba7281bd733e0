/**
 * The client's frame reader over a 1 GiB response stream delivered in random
 * chunk sizes (1 B to 64 KiB, as TCP reads come), once as 1 MiB frames and once
 * as 100-byte frames, at several stream sizes: the per-byte cost must not grow
 * with the stream (linear scaling). A naive reader that concatenates every
 * chunk onto what it holds is measured beside it as the reference.
 *
 *   pnpm bench:frames [--max-mib 1024]
 */

import { parseArgs } from 'node:util'
import { FrameReader } from '@kafkit/client'
import { createRandom } from './random.js'

const { values: args } = parseArgs({ options: { 'max-mib': { type: 'string', default: '1024' } } })
const MAX_MIB = Number(args['max-mib'])
const MiB = 1024 * 1024
/** One pass of frames, repeated to reach the stream size without holding a whole GiB in memory. */
const SEGMENT_BYTES = 64 * MiB
const MAX_CHUNK = 64 * 1024

interface Reader {
  push(chunk: Buffer): Buffer[]
}

/** The shape of a simple socket handler: Buffer.concat every chunk onto the leftover, then slice frames off. */
class ConcatReader implements Reader {
  private pending: Buffer = Buffer.alloc(0)
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk])
    const frames: Buffer[] = []
    while (this.pending.length >= 4) {
      const size = this.pending.readInt32BE(0)
      if (this.pending.length < 4 + size) break
      frames.push(this.pending.subarray(4, 4 + size))
      this.pending = this.pending.subarray(4 + size)
    }
    return frames
  }
}

function segmentOf(frameBytes: number): Buffer {
  const count = Math.floor(SEGMENT_BYTES / (frameBytes + 4))
  const segment = Buffer.alloc(count * (frameBytes + 4), 0x5a)
  for (let i = 0; i < count; i++) segment.writeInt32BE(frameBytes, i * (frameBytes + 4))
  return segment
}

/** Feeds `totalBytes` of the segment, repeated, in random chunks; returns frames seen and seconds taken. */
function run(reader: Reader, segment: Buffer, totalBytes: number, seed: number) {
  const random = createRandom(seed)
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  let frames = 0
  let fed = 0
  while (fed < totalBytes) {
    let at = 0
    while (at < segment.length) {
      const size = Math.min(segment.length - at, 1 + Math.floor(random() * MAX_CHUNK))
      frames += reader.push(segment.subarray(at, at + size)).length
      at += size
    }
    fed += segment.length
  }
  const seconds = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  return { frames, seconds, fedMiB: fed / MiB, cpuMicrosPerMiB: (cpu.user + cpu.system) / (fed / MiB) }
}

const sizes = [64, 256, MAX_MIB].filter((mib, i, all) => mib <= MAX_MIB && all.indexOf(mib) === i)
const rows: string[] = []
for (const frameBytes of [MiB, 100]) {
  const segment = segmentOf(frameBytes)
  for (const [name, make] of [
    ['kafkit FrameReader', () => new FrameReader(2 * MiB)],
    ['naive concat reader', () => new ConcatReader()],
  ] as const) {
    for (const mib of sizes) {
      // The naive reader is quadratic in frame size over small chunks: keep its run short.
      if (name !== 'kafkit FrameReader' && mib > 256) continue
      const result = run(make(), segment, mib * MiB, 42)
      const label = frameBytes === MiB ? '1 MiB frames' : '100 B frames'
      rows.push(
        `| ${label} | ${name} | ${result.fedMiB.toFixed(0)} | ${result.frames} | ${(result.fedMiB / result.seconds).toFixed(0)} | ${result.cpuMicrosPerMiB.toFixed(0)} |`,
      )
      process.stderr.write(`${label}, ${name}, ${mib} MiB done\n`)
    }
  }
}
console.log(`Node ${process.version}\n`)
console.log('| frames | reader | MiB fed (whole passes of a ~64 MiB segment) | frames read | MiB/s | CPU µs/MiB |')
console.log('| --- | --- | --- | --- | --- | --- |')
for (const row of rows) console.log(row)
