/** One leader epoch and the first offset written in it. */
export interface EpochEntry {
  epoch: number
  startOffset: bigint
}

/**
 * The leader epochs of a partition's log and where each starts, as Kafka's
 * LeaderEpochFileCache keeps them: OffsetForLeaderEpoch, ListOffsets and
 * fetch divergence checks answer from it. Entries stay monotonic in both
 * epoch and start offset; assigning one removes any that would break that.
 */
export class LeaderEpochCache {
  private entries: EpochEntry[] = []

  get latest(): EpochEntry | undefined {
    return this.entries.at(-1)
  }

  get earliest(): EpochEntry | undefined {
    return this.entries[0]
  }

  get all(): readonly EpochEntry[] {
    return this.entries
  }

  /**
   * Records that `epoch` starts at `startOffset`: on every append and when a
   * broker becomes leader (a new leader starts its epoch at its log end).
   */
  assign(epoch: number, startOffset: bigint): void {
    if (epoch < 0) return
    const latest = this.latest
    if (latest && latest.epoch === epoch && latest.startOffset <= startOffset) return
    // An entry with a larger epoch or a later start can only be left over from a
    // log that was truncated; the new entry supersedes it.
    while (this.entries.length > 0) {
      const last = this.entries.at(-1)!
      if (last.epoch < epoch && last.startOffset < startOffset) break
      this.entries.pop()
    }
    this.entries.push({ epoch, startOffset })
  }

  /**
   * The end offset of `epoch` and the largest epoch not above it, as the
   * leader answers OffsetForLeaderEpoch: the current epoch ends at the log
   * end; an epoch older than every entry ends where the first entry starts;
   * an unknown newer epoch has no answer (epoch and offset -1).
   */
  endOffsetFor(epoch: number, logEndOffset: bigint): { epoch: number; endOffset: bigint } {
    const undefinedAnswer = { epoch: -1, endOffset: -1n }
    if (epoch < 0) return undefinedAnswer
    const latest = this.latest
    if (latest?.epoch === epoch) return { epoch, endOffset: logEndOffset }
    const higher = this.entries.find((entry) => entry.epoch > epoch)
    if (!higher) return undefinedAnswer
    let floor: EpochEntry | undefined
    for (const entry of this.entries) if (entry.epoch <= epoch) floor = entry
    return { epoch: floor ? floor.epoch : epoch, endOffset: higher.startOffset }
  }

  /** The epoch in which `offset` was written, if known. */
  epochForOffset(offset: bigint): number | undefined {
    let found: number | undefined
    for (const entry of this.entries) {
      if (entry.startOffset > offset) break
      found = entry.epoch
    }
    return found
  }

  /**
   * The log start moved to `startOffset`: entries wholly before it go, and the
   * last of them is kept, starting at `startOffset`, so the epoch of the first
   * remaining record stays known.
   */
  truncateFromStart(startOffset: bigint): void {
    let lastRemoved: EpochEntry | undefined
    while (this.entries.length > 0 && this.entries[0]!.startOffset <= startOffset) lastRemoved = this.entries.shift()
    if (lastRemoved) this.entries.unshift({ epoch: lastRemoved.epoch, startOffset })
  }
}
