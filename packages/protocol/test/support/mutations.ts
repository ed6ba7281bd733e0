/**
 * Deterministic input mutations for fuzzing decoders: bit flips, truncations,
 * lengths overwritten with huge or negative values, inserted and deleted
 * bytes, and pure noise. Seeded so that a failure can be replayed.
 */

/** mulberry32: a tiny, fast, seedable PRNG (fuzzing needs speed and repeatability, not quality). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const HUGE_LENGTHS = [0x7fffffff, 0x7ffffffe, 0x40000000, 0x10000, -2, -1, 0xffff, 0x7fff]

export class Mutator {
  private readonly random: () => number

  constructor(seed: number) {
    this.random = createRandom(seed)
  }

  int(below: number): number {
    return Math.floor(this.random() * below)
  }

  /** A mutated copy of `input`. */
  mutate(input: Buffer): Buffer {
    const out = Buffer.from(input)
    const rounds = 1 + this.int(3)
    let current: Buffer = out
    for (let i = 0; i < rounds; i++) current = this.mutateOnce(current)
    return current
  }

  private mutateOnce(input: Buffer): Buffer {
    if (input.length === 0) return this.noise(1 + this.int(64))
    const at = this.int(input.length)
    switch (this.int(8)) {
      case 0: {
        input[at] = input[at]! ^ (1 << this.int(8))
        return input
      }
      case 1:
        return input.subarray(0, at)
      case 2: {
        // overwrite an int32-sized window with a length no frame this small can hold
        const value = HUGE_LENGTHS[this.int(HUGE_LENGTHS.length)]!
        const copy = Buffer.from(input)
        if (at + 4 <= copy.length) copy.writeInt32BE(value | 0, at)
        else copy[at] = 0xff
        return copy
      }
      case 3: {
        const copy = Buffer.from(input)
        if (at + 2 <= copy.length) copy.writeInt16BE(this.int(2) === 0 ? 0x7fff : -2, at)
        return copy
      }
      case 4: {
        // an unsigned varint that claims a huge length or count (compact encodings)
        const varint = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x07])
        return Buffer.concat([input.subarray(0, at), varint.subarray(0, 1 + this.int(5)), input.subarray(at + 1)])
      }
      case 5:
        return Buffer.concat([input.subarray(0, at), this.noise(1 + this.int(8)), input.subarray(at)])
      case 6:
        return Buffer.concat([input.subarray(0, at), input.subarray(Math.min(input.length, at + 1 + this.int(8)))])
      default: {
        const copy = Buffer.from(input)
        copy[at] = this.int(256)
        return copy
      }
    }
  }

  noise(length: number): Buffer {
    const out = Buffer.allocUnsafe(length)
    for (let i = 0; i < length; i++) out[i] = this.int(256)
    return out
  }
}
