/**
 * A version range from a spec: "3+", "0-12", "5" or "none". Open-ended ranges
 * have `max` = Infinity.
 */
export interface VersionRange {
  readonly min: number
  readonly max: number
}

export const NO_VERSIONS: VersionRange = { min: 0, max: -1 }

export function parseVersions(text: string | undefined, fallback: VersionRange = NO_VERSIONS): VersionRange {
  if (text === undefined) return fallback
  const value = text.trim()
  if (value === 'none') return NO_VERSIONS
  if (value.endsWith('+')) return { min: Number(value.slice(0, -1)), max: Infinity }
  const dash = value.indexOf('-')
  if (dash > 0) return { min: Number(value.slice(0, dash)), max: Number(value.slice(dash + 1)) }
  const single = Number(value)
  if (!Number.isInteger(single)) throw new Error(`invalid version range "${text}"`)
  return { min: single, max: single }
}

export function isEmpty(range: VersionRange): boolean {
  return range.max < range.min
}

export function intersect(a: VersionRange, b: VersionRange): VersionRange {
  return { min: Math.max(a.min, b.min), max: Math.min(a.max, b.max) }
}

export function contains(range: VersionRange, version: number): boolean {
  return version >= range.min && version <= range.max
}

/** True when the range covers every version of `valid` (no runtime check needed). */
export function covers(range: VersionRange, valid: VersionRange): boolean {
  return range.min <= valid.min && range.max >= valid.max
}

/**
 * A TypeScript condition testing `v` against `range`, simplified against the
 * message's valid versions so that always-true checks vanish from the output.
 * Returns 'true' or 'false' for constant conditions.
 */
export function versionCondition(range: VersionRange, valid: VersionRange, variable = 'v'): string {
  const effective = intersect(range, valid)
  if (isEmpty(effective)) return 'false'
  const checks: string[] = []
  if (effective.min > valid.min) checks.push(`${variable} >= ${effective.min}`)
  if (effective.max < valid.max) checks.push(`${variable} <= ${effective.max}`)
  return checks.length === 0 ? 'true' : checks.join(' && ')
}
