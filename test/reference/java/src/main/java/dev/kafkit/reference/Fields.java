package dev.kafkit.reference;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the harness's own request fields (not Kafka message JSON). int64 values may be
 * JSON numbers or decimal strings, because JavaScript can only send exact int64 as text.
 */
final class Fields {
    private Fields() {
    }

    static JsonNode required(JsonNode request, String name) {
        JsonNode node = request.get(name);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("missing field '" + name + "'");
        }
        return node;
    }

    static String text(JsonNode request, String name) {
        JsonNode node = required(request, name);
        if (!node.isTextual()) {
            throw new IllegalArgumentException("field '" + name + "' must be a string");
        }
        return node.asText();
    }

    static String text(JsonNode request, String name, String fallback) {
        return present(request, name) ? text(request, name) : fallback;
    }

    static long int64(JsonNode request, String name, long fallback) {
        return present(request, name) ? int64(request, name) : fallback;
    }

    static long int64(JsonNode request, String name) {
        JsonNode node = required(request, name);
        if (node.isTextual()) {
            return Long.parseLong(node.asText());
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber()) {
            throw new IllegalArgumentException("field '" + name + "' must be an int64 (number or decimal string)");
        }
        return node.asLong();
    }

    static int int32(JsonNode request, String name, int fallback) {
        long value = int64(request, name, fallback);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("field '" + name + "' does not fit in an int32: " + value);
        }
        return (int) value;
    }

    static short int16(JsonNode request, String name, short fallback) {
        long value = int64(request, name, fallback);
        if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
            throw new IllegalArgumentException("field '" + name + "' does not fit in an int16: " + value);
        }
        return (short) value;
    }

    static boolean bool(JsonNode request, String name, boolean fallback) {
        if (!present(request, name)) {
            return fallback;
        }
        JsonNode node = request.get(name);
        if (!node.isBoolean()) {
            throw new IllegalArgumentException("field '" + name + "' must be a boolean");
        }
        return node.asBoolean();
    }

    /** A hex string, or null (JSON null or absent) for a null key/value. */
    static byte[] hexOrNull(JsonNode request, String name) {
        return present(request, name) ? Hex.decode(text(request, name)) : null;
    }

    static boolean present(JsonNode request, String name) {
        JsonNode node = request.get(name);
        return node != null && !node.isNull();
    }
}
