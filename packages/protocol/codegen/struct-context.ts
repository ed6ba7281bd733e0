import type { FieldModel, MessageModel, StructModel } from './model.js'
import { intersect, isEmpty, type VersionRange, versionCondition } from './versions.js'

/**
 * Version conditions for the fields of one struct within one message: when a
 * field is present, tagged, nullable and compact, as TypeScript conditions on
 * `v` simplified against the message's valid versions.
 */
export class StructContext {
  constructor(
    readonly message: MessageModel,
    readonly struct: StructModel,
  ) {}

  condition(range: VersionRange): string {
    return versionCondition(range, this.message.validVersions)
  }

  /** The struct's tagged-field section exists (the message version is flexible). */
  get flexible(): string {
    return this.condition(this.message.flexibleVersions)
  }

  path(field: FieldModel): string {
    return `${this.struct.typeName}.${field.property}`
  }

  /** Versions where the field is a regular (positional) field rather than a tagged one. */
  regularVersions(field: FieldModel): VersionRange {
    const tagged = intersect(field.taggedVersions, field.versions)
    if (isEmpty(tagged)) return field.versions
    return intersect(field.versions, { min: 0, max: tagged.min - 1 })
  }

  taggedVersions(field: FieldModel): VersionRange {
    return intersect(intersect(field.taggedVersions, field.versions), this.message.flexibleVersions)
  }

  /** The expression telling whether this field uses compact encodings: the message's flexibility unless overridden. */
  compact(field: FieldModel): string {
    if (field.flexibleVersions === undefined)
      return this.flexible === 'true' || this.flexible === 'false' ? this.flexible : 'flexible'
    return this.condition(intersect(field.flexibleVersions, this.message.flexibleVersions))
  }

  nullable(field: FieldModel): string {
    return this.condition(intersect(field.nullableVersions, field.versions))
  }

  /** Fields tagged in some version, in ascending tag order (the order they go on the wire). */
  taggedFields(): FieldModel[] {
    return this.struct.fields
      .filter((field) => field.tag !== undefined && !isEmpty(this.taggedVersions(field)))
      .sort((a, b) => (a.tag ?? 0) - (b.tag ?? 0))
  }
}
