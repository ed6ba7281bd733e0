// Kafka message JSON as JavaScript values, and its text form for the Java side.
//
// Kafka's JsonConverter reads int64 only from JSON numbers (never strings), float64 only
// from JSON numbers written with a fraction or exponent, and bytes as base64 strings.
// JSON.stringify can do none of that for bigint / integral floats / Uint8Array, so the
// text is written here instead. See README.md, "Kafka message JSON".

/** A float64 field value; JsonConverter rejects `1` for float64 and needs `1.0`. */
export class Float64 {
  constructor(readonly value: number) {}
}

export const float64 = (value: number): Float64 => new Float64(value)

/** A value in Kafka message JSON: bigint for int64, Uint8Array for bytes/records, Float64 for float64. */
export type KafkaJson =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Float64
  | readonly KafkaJson[]
  | KafkaJsonObject

export interface KafkaJsonObject {
  readonly [field: string]: KafkaJson | undefined
}

/** JSON text for the Java side; object properties whose value is `undefined` are left out. */
export function kafkaJsonText(value: unknown): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'bigint':
      return value.toString()
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} is not representable in JSON; use float64(${value})`)
      return JSON.stringify(value)
    case 'string':
    case 'boolean':
      return JSON.stringify(value)
    case 'object':
      break
    default:
      throw new TypeError(`cannot write a ${typeof value} as Kafka message JSON`)
  }
  if (value instanceof Uint8Array)
    return JSON.stringify(Buffer.from(value.buffer, value.byteOffset, value.length).toString('base64'))
  if (value instanceof Float64) return float64Text(value.value)
  if (Array.isArray(value)) return `[${value.map(kafkaJsonText).join(',')}]`
  const fields: string[] = []
  for (const [key, field] of Object.entries(value)) {
    if (field !== undefined) fields.push(`${JSON.stringify(key)}:${kafkaJsonText(field)}`)
  }
  return `{${fields.join(',')}}`
}

// Jackson reads NaN/Infinity because the Java side enables ALLOW_NON_NUMERIC_NUMBERS.
function float64Text(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity'
  if (Object.is(value, -0)) return '-0.0'
  const text = String(value)
  return /[.eE]/.test(text) ? text : `${text}.0`
}

/** JSON Pointers of the values the Java side sent as strings because JSON.parse would lose them. */
export interface TextualPaths {
  readonly int64Paths: readonly string[]
  readonly bytesPaths: readonly string[]
  readonly nonFiniteFloat64Paths: readonly string[]
}

/**
 * Undo the Java side's textual stand-ins: int64 values become bigint, bytes become Uint8Array
 * and "NaN"/"Infinity"/"-Infinity" become numbers. Mutates and returns `json`.
 */
export function restoreKafkaJson(json: unknown, paths: TextualPaths): KafkaJson {
  for (const path of paths.int64Paths) replaceAt(json, path, (text) => BigInt(text))
  for (const path of paths.bytesPaths) replaceAt(json, path, (text) => new Uint8Array(Buffer.from(text, 'base64')))
  for (const path of paths.nonFiniteFloat64Paths) replaceAt(json, path, (text) => Number(text))
  return json as KafkaJson
}

function replaceAt(root: unknown, pointer: string, convert: (text: string) => KafkaJson): void {
  const keys = pointer
    .split('/')
    .slice(1)
    .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'))
  const last = keys.pop()
  let parent: unknown = root
  for (const key of keys) parent = (parent as Record<string, unknown>)[key]
  if (last === undefined || typeof parent !== 'object' || parent === null) {
    throw new Error(`JSON Pointer ${pointer} does not name a field of the decoded message`)
  }
  const container = parent as Record<string, unknown>
  const text = container[last]
  if (typeof text !== 'string') throw new Error(`JSON Pointer ${pointer} does not name a string`)
  container[last] = convert(text)
}
