/**
 * How the embedded broker types, parses and validates configs, the way Kafka's
 * ConfigDef does: values arrive as strings, are trimmed and parsed by type, and
 * a validator may reject them with the same words Kafka uses, since clients and
 * users read those messages. Describing a config shows the parsed value
 * re-rendered ("TRUE" reads back as "true", " 5 " as "5").
 */

export type ConfigType = 'BOOLEAN' | 'STRING' | 'INT' | 'SHORT' | 'LONG' | 'DOUBLE' | 'LIST' | 'CLASS' | 'PASSWORD'

/** DescribeConfigs' configType ids (v3+). */
export const CONFIG_TYPE_IDS: Record<ConfigType | 'UNKNOWN', number> = {
  UNKNOWN: 0,
  BOOLEAN: 1,
  STRING: 2,
  INT: 3,
  SHORT: 4,
  LONG: 5,
  DOUBLE: 6,
  LIST: 7,
  CLASS: 8,
  PASSWORD: 9,
}

/** DescribeConfigs' configSource ids. */
export const ConfigSource = {
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const

type Parsed = boolean | number | string | string[]

/**
 * Returns why a parsed value is not acceptable, or undefined; with `shown` when
 * the message names something other than the value (a list's offending item).
 */
export type Validator = (value: Parsed) => string | { shown: string; why: string } | undefined

export interface ConfigDefinition {
  name: string
  type: ConfigType
  /** Kafka's default rendered as DescribeConfigs shows it; null when it has none. */
  defaultValue: string | null
  validator?: Validator
}

const RANGES: Partial<Record<ConfigType, [bigint, bigint]>> = {
  SHORT: [-(2n ** 15n), 2n ** 15n - 1n],
  INT: [-(2n ** 31n), 2n ** 31n - 1n],
  LONG: [-(2n ** 63n), 2n ** 63n - 1n],
}
const INTEGER = /^[+-]?\d+$/
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/

/** The parsed value, or the reason (after "Invalid value X for configuration Y: ") it does not parse. */
export function parseValue(type: ConfigType, raw: string): { value: Parsed } | { error: string; shown: string } {
  const trimmed = raw.trim()
  switch (type) {
    case 'BOOLEAN':
      if (/^(true|false)$/i.test(trimmed)) return { value: trimmed.toLowerCase() === 'true' }
      return { error: 'Expected value to be either true or false', shown: raw }
    case 'SHORT':
    case 'INT':
    case 'LONG': {
      const [min, max] = RANGES[type]!
      // Longs beyond 2^53 keep their digits: numbers are rendered from the bigint.
      if (INTEGER.test(trimmed)) {
        const big = BigInt(trimmed)
        if (big >= min && big <= max) return { value: big.toString() }
      }
      return { error: `Not a number of type ${type}`, shown: raw }
    }
    case 'DOUBLE':
      if (DECIMAL.test(trimmed)) return { value: Number(trimmed.replace(/[dDfF]$/, '')) }
      return { error: 'Not a number of type DOUBLE', shown: raw }
    case 'LIST':
      return { value: trimmed === '' ? [] : trimmed.split(/\s*,\s*/) }
    default:
      return { value: trimmed }
  }
}

/** Java's Double.toString, for values and messages: 0.5, 1.0, 1.23456785E7. */
export function javaDouble(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'
  const abs = Math.abs(value)
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) return Number.isInteger(value) ? value.toFixed(1) : String(value)
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string]
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`
}

/** A parsed value rendered as Kafka renders it in DescribeConfigs. */
export function renderValue(type: ConfigType, value: Parsed): string {
  if (Array.isArray(value)) return value.join(',')
  if (type === 'DOUBLE') return javaDouble(value as number)
  return String(value)
}

/**
 * Checks `raw` against a definition: undefined when valid, else Kafka's
 * "Invalid value X for configuration Y: why" message.
 */
export function invalidValue(definition: ConfigDefinition, raw: string): string | undefined {
  const parsed = parseValue(definition.type, raw)
  if ('error' in parsed) return `Invalid value ${parsed.shown} for configuration ${definition.name}: ${parsed.error}`
  const rejected = definition.validator?.(parsed.value)
  if (rejected === undefined) return undefined
  const { shown, why } =
    typeof rejected === 'string' ? { shown: renderValue(definition.type, parsed.value), why: rejected } : rejected
  return `Invalid value ${shown} for configuration ${definition.name}: ${why}`
}

/** The value DescribeConfigs shows for a stored string (which was validated when it was set). */
export function normalizedValue(definition: ConfigDefinition, raw: string): string {
  const parsed = parseValue(definition.type, raw)
  return 'error' in parsed ? raw : renderValue(definition.type, parsed.value)
}

function numeric(value: Parsed): number {
  return typeof value === 'string' ? Number(value) : (value as number)
}

/** Kafka's Range.atLeast. */
export function atLeast(min: number): Validator {
  return (value) => (numeric(value) < min ? `Value must be at least ${min}` : undefined)
}

/** Kafka's Range.between: the lower bound reads as "at least". */
export function between(min: number, max: number): Validator {
  return (value) => {
    const n = numeric(value)
    if (n < min) return `Value must be at least ${min}`
    if (n > max) return `Value must be no more than ${max}`
    return undefined
  }
}

/** ValidString.in: case-sensitive. */
export function oneOf(...allowed: string[]): Validator {
  return (value) => (allowed.includes(String(value)) ? undefined : `String must be one of: ${allowed.join(', ')}`)
}

/** ValidList.in: every item must be allowed; the message names the first that is not. */
export function listOf(...allowed: string[]): Validator {
  return (value) => {
    const bad = (value as string[]).find((item) => !allowed.includes(item))
    return bad === undefined ? undefined : { shown: bad, why: `String must be one of: ${allowed.join(', ')}` }
  }
}
