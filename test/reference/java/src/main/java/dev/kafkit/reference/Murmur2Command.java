package dev.kafkit.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.utils.Utils;

/** The Java producer's default partitioning of a keyed record: toPositive(murmur2(key)) % partitions. */
final class Murmur2Command {
    private Murmur2Command() {
    }

    static ObjectNode murmur2(JsonNode request) {
        byte[] key = Hex.decode(Fields.text(request, "key"));
        int hash = Utils.murmur2(key);
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.put("murmur2", hash);
        if (Fields.present(request, "partitions")) {
            int partitions = Fields.int32(request, "partitions", 0);
            if (partitions <= 0) {
                throw new IllegalArgumentException("partitions must be positive");
            }
            reply.put("partition", Utils.toPositive(hash) % partitions);
        }
        return reply;
    }
}
