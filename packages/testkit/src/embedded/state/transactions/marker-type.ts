import { RECORD_BATCH_OVERHEAD } from '@kafkit/protocol'

/** Skips one varint (zigzag or not, only its length matters) and returns the position after it. */
function skipVarint(bytes: Buffer, position: number): number {
  let at = position
  while (at < bytes.length && (bytes[at]! & 0x80) !== 0) at++
  return at + 1
}

/**
 * The control type (0 abort, 1 commit) of a stored control batch's one
 * record, read straight from the bytes: control batches are never
 * compressed, and the record's key is version int16 + type int16. Undefined
 * when the bytes are too short to hold it.
 */
export function controlRecordType(batch: Buffer): number | undefined {
  const at = controlKeyPosition(batch)
  return at + 4 <= batch.length ? batch.readInt16BE(at + 2) : undefined
}

/**
 * The coordinator epoch a transaction marker carries (its value is version
 * int16 + coordinator epoch int32), which the partition's producer state
 * keeps; undefined when the bytes are too short to hold it.
 */
export function markerCoordinatorEpoch(batch: Buffer): number | undefined {
  const at = skipVarint(batch, controlKeyPosition(batch) + 4) // value length, after the 4-byte key
  return at + 6 <= batch.length ? batch.readInt32BE(at + 2) : undefined
}

/** Where the key of a control batch's one record starts. */
function controlKeyPosition(batch: Buffer): number {
  let at = skipVarint(batch, RECORD_BATCH_OVERHEAD) // record length
  at += 1 // record attributes
  at = skipVarint(batch, at) // timestamp delta
  at = skipVarint(batch, at) // offset delta
  return skipVarint(batch, at) // key length
}
