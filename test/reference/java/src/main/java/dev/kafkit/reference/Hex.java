package dev.kafkit.reference;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Lower-case hex, the harness's byte encoding outside Kafka message JSON. */
final class Hex {
    private static final HexFormat FORMAT = HexFormat.of();

    private Hex() {
    }

    static byte[] decode(String hex) {
        return FORMAT.parseHex(hex);
    }

    static String encode(byte[] bytes) {
        return FORMAT.formatHex(bytes);
    }

    /** Hex of the buffer's remaining bytes, leaving its position alone. */
    static String encode(ByteBuffer buffer) {
        return buffer == null ? null : encode(bytes(buffer));
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
