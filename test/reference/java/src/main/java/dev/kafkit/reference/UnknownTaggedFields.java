package dev.kafkit.reference;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.types.RawTaggedField;

import java.lang.reflect.Field;
import java.util.Collection;
import java.util.Iterator;

/**
 * Adds unknown tagged fields to a message read by the JsonConverter, which has no JSON form
 * for them: each entry names the struct by JSON Pointer, e.g. "" for the message itself or
 * "/topics/0" for the first element of the topics array.
 */
final class UnknownTaggedFields {
    private UnknownTaggedFields() {
    }

    static void add(Message root, JsonNode entries) throws IllegalAccessException {
        if (entries == null || entries.isNull()) {
            return;
        }
        if (!entries.isArray()) {
            throw new IllegalArgumentException("field 'unknownTaggedFields' must be an array");
        }
        for (JsonNode entry : entries) {
            String path = Fields.text(entry, "path", "");
            Message target = resolve(root, path);
            int tag = Fields.int32(entry, "tag", -1);
            if (tag < 0) {
                throw new IllegalArgumentException("unknown tagged field at '" + path + "' needs a non-negative tag");
            }
            target.unknownTaggedFields().add(new RawTaggedField(tag, Hex.decode(Fields.text(entry, "hex"))));
        }
    }

    private static Message resolve(Message root, String pointer) throws IllegalAccessException {
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            throw new IllegalArgumentException("'" + pointer + "' is not a JSON Pointer");
        }
        Object current = root;
        for (String raw : pointer.isEmpty() ? new String[0] : pointer.substring(1).split("/", -1)) {
            String key = raw.replace("~1", "/").replace("~0", "~");
            if (current instanceof Collection<?> elements) {
                current = element(elements, Integer.parseInt(key), pointer);
            } else {
                current = fieldValue(current, key, pointer);
            }
        }
        if (!(current instanceof Message message)) {
            throw new IllegalArgumentException("'" + pointer + "' does not name a struct");
        }
        return message;
    }

    private static Object element(Collection<?> elements, int index, String pointer) {
        Iterator<?> it = elements.iterator();
        for (int i = 0; i < index && it.hasNext(); i++) {
            it.next();
        }
        if (index < 0 || !it.hasNext()) {
            throw new IllegalArgumentException("'" + pointer + "': no array element " + index);
        }
        return it.next();
    }

    private static Object fieldValue(Object object, String name, String pointer) throws IllegalAccessException {
        try {
            Field field = object.getClass().getDeclaredField(name);
            field.setAccessible(true);
            return field.get(object);
        } catch (NoSuchFieldException e) {
            throw new IllegalArgumentException("'" + pointer + "': " + object.getClass().getSimpleName()
                + " has no field " + name);
        }
    }
}
