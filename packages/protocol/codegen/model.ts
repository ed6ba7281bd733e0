import type { RawField, RawSpec, RawStruct } from './spec-files.js'
import { intersect, isEmpty, NO_VERSIONS, parseVersions, type VersionRange } from './versions.js'

export type PrimitiveName =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'string'
  | 'bytes'
  | 'uuid'
  | 'records'

const PRIMITIVES = new Set<string>([
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'string',
  'bytes',
  'uuid',
  'records',
])

export type FieldType =
  | { kind: 'primitive'; name: PrimitiveName }
  | { kind: 'struct'; struct: StructModel }
  | { kind: 'array'; element: { kind: 'primitive'; name: PrimitiveName } | { kind: 'struct'; struct: StructModel } }

export interface FieldModel {
  /** The spec's name, e.g. "TopicData". */
  name: string
  /** The TypeScript property: the spec name in lowerCamelCase, as Java's JSON form. */
  property: string
  type: FieldType
  versions: VersionRange
  nullableVersions: VersionRange
  taggedVersions: VersionRange
  tag: number | undefined
  /** Overrides the message's flexible versions for this field (RequestHeader.ClientId is "none"). */
  flexibleVersions: VersionRange | undefined
  defaultValue: string | number | boolean | undefined
  ignorable: boolean
  about: string
}

export interface StructModel {
  /** The spec's struct name. */
  name: string
  /** The exported TypeScript type name, prefixed with the message name to keep names unique. */
  typeName: string
  fields: FieldModel[]
}

export interface MessageModel {
  name: string
  kind: RawSpec['type']
  apiKey: number | undefined
  /** Every version the spec defines, including an unstable latest one. */
  validVersions: VersionRange
  /** The highest version a released broker advertises (excludes a `latestVersionUnstable` one). */
  maxStableVersion: number
  latestVersionUnstable: boolean
  flexibleVersions: VersionRange
  /** Which Kafka listeners serve the API (broker, controller), from the spec. */
  listeners: string[]
  root: StructModel
  /** Every struct of the message, in definition order, root last. */
  structs: StructModel[]
}

export function lowerCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1)
}

/** Builds the model of one spec file: resolves struct types, commonStructs and version ranges. */
export function buildMessageModel(spec: RawSpec): MessageModel {
  const validVersions = parseVersions(spec.validVersions)
  const structs: StructModel[] = []
  const byName = new Map<string, StructModel>()
  const commonRaw = new Map<string, RawStruct>((spec.commonStructs ?? []).map((s) => [s.name, s]))

  const declare = (name: string, rawFields: RawField[]): StructModel => {
    const existing = byName.get(name)
    if (existing) return existing
    const struct: StructModel = { name, typeName: `${spec.name}${name}`, fields: [] }
    byName.set(name, struct)
    struct.fields = rawFields.map(buildField)
    structs.push(struct)
    return struct
  }

  const resolveStruct = (typeName: string, raw: RawField): StructModel => {
    if (raw.fields) return declare(typeName, raw.fields)
    const common = commonRaw.get(typeName)
    if (common) return declare(typeName, common.fields)
    const known = byName.get(typeName)
    if (known) return known
    throw new Error(`${spec.name}: field ${raw.name} has unknown type ${raw.type}`)
  }

  function buildField(raw: RawField): FieldModel {
    const isArray = raw.type.startsWith('[]')
    const base = isArray ? raw.type.slice(2) : raw.type
    const element: FieldType = PRIMITIVES.has(base)
      ? { kind: 'primitive', name: base as PrimitiveName }
      : { kind: 'struct', struct: resolveStruct(base, raw) }
    const type: FieldType = isArray ? { kind: 'array', element } : element
    const versions = intersect(parseVersions(raw.versions, validVersions), validVersions)
    return {
      name: raw.name,
      property: lowerCamel(raw.name),
      type,
      versions,
      nullableVersions: parseVersions(raw.nullableVersions),
      taggedVersions: raw.taggedVersions === undefined ? NO_VERSIONS : parseVersions(raw.taggedVersions),
      tag: raw.tag,
      flexibleVersions: raw.flexibleVersions === undefined ? undefined : parseVersions(raw.flexibleVersions),
      defaultValue: raw.default,
      ignorable: raw.ignorable === true,
      about: raw.about ?? '',
    }
  }

  // Common structs that no field references are still declared, so their types exist.
  const root: StructModel = { name: spec.name, typeName: spec.name, fields: [] }
  root.fields = (spec.fields ?? []).map(buildField)
  for (const common of spec.commonStructs ?? []) declare(common.name, common.fields)
  structs.push(root)

  const unstable = spec.latestVersionUnstable === true
  return {
    name: spec.name,
    kind: spec.type,
    apiKey: spec.apiKey,
    validVersions,
    maxStableVersion: isEmpty(validVersions) ? -1 : unstable ? validVersions.max - 1 : validVersions.max,
    latestVersionUnstable: unstable,
    flexibleVersions: parseVersions(spec.flexibleVersions),
    listeners: spec.listeners ?? [],
    root,
    structs,
  }
}

export function isNullableAnywhere(field: FieldModel): boolean {
  return !isEmpty(intersect(field.nullableVersions, field.versions))
}

export function isTaggedAnywhere(field: FieldModel): boolean {
  return !isEmpty(intersect(field.taggedVersions, field.versions))
}
