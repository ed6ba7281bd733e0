package dev.kafkit.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * consume-check: a real {@link KafkaConsumer} (no group) assigns partitions of a topic, seeks
 * each to a given offset, reads to the end of the log and checks every record it gets against
 * the records the caller says it produced: offset, key, value, headers and (when given)
 * timestamp. The reply lists what differs, so the caller sees every problem at once.
 */
final class ConsumeCheckCommand {
    private static final int MAX_PROBLEMS = 50;

    private ConsumeCheckCommand() {
    }

    /** One expected record, by partition and offset. */
    private record Expected(byte[] key, byte[] value, List<byte[]> headerKeysAndValues, Long timestamp) {
    }

    static ObjectNode consumeCheck(JsonNode request) {
        String topic = Fields.text(request, "topic");
        long timeoutMs = Fields.int64(request, "timeoutMs", 60_000);

        Map<TopicPartition, Long> start = new HashMap<>();
        for (JsonNode seek : Fields.required(request, "start")) {
            start.put(new TopicPartition(topic, Fields.int32(seek, "partition", -1)), Fields.int64(seek, "offset"));
        }
        Map<TopicPartition, TreeMap<Long, Expected>> expected = new HashMap<>();
        for (JsonNode record : Fields.required(request, "records")) {
            TopicPartition partition = new TopicPartition(topic, Fields.int32(record, "partition", -1));
            expected.computeIfAbsent(partition, p -> new TreeMap<>())
                .put(Fields.int64(record, "offset"), expectedOf(record));
        }

        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Fields.text(request, "bootstrap"));
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "kafkit-java-reference-consume-check");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        JsonNode extra = request.get("properties");
        if (extra != null && extra.isObject()) {
            extra.fields().forEachRemaining(entry -> config.put(entry.getKey(), entry.getValue().asText()));
        }

        List<String> problems = new ArrayList<>();
        int read = 0;
        int matched = 0;
        Map<TopicPartition, Long> ends;
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                 new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(start.keySet());
            start.forEach(consumer::seek);
            ends = consumer.endOffsets(start.keySet(), Duration.ofMillis(timeoutMs));
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (!reachedEnds(consumer, ends)) {
                if (System.currentTimeMillis() > deadline) {
                    problems.add("timed out after " + timeoutMs + " ms at positions " + positions(consumer, ends)
                        + ", log ends " + ends);
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    read++;
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    firstOffsets.putIfAbsent(partition, record.offset());
                    Expected want = expected.getOrDefault(partition, new TreeMap<>()).remove(record.offset());
                    String where = "partition " + record.partition() + " offset " + record.offset();
                    if (record.offset() < start.getOrDefault(partition, Long.MAX_VALUE)) {
                        add(problems, where + ": before the offset the consumer was seeked to ("
                            + start.get(partition) + ")");
                    } else if (want == null) {
                        add(problems, where + ": a record that was not produced, or read twice");
                    } else if (check(where, want, record, problems)) {
                        matched++;
                    }
                }
            }
        }

        for (Map.Entry<TopicPartition, TreeMap<Long, Expected>> entry : expected.entrySet()) {
            long from = start.getOrDefault(entry.getKey(), Long.MAX_VALUE);
            for (Long offset : entry.getValue().tailMap(from).keySet()) {
                add(problems, "partition " + entry.getKey().partition() + " offset " + offset + ": not read");
            }
        }

        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.put("read", read);
        reply.put("matched", matched);
        ObjectNode endOffsets = reply.putObject("endOffsets");
        ends.forEach((partition, offset) -> endOffsets.put(String.valueOf(partition.partition()), String.valueOf(offset)));
        ObjectNode first = reply.putObject("firstOffsets");
        firstOffsets.forEach((partition, offset) -> first.put(String.valueOf(partition.partition()), String.valueOf(offset)));
        ArrayNode list = reply.putArray("problems");
        problems.forEach(list::add);
        return reply;
    }

    private static Expected expectedOf(JsonNode record) {
        List<byte[]> headers = new ArrayList<>();
        JsonNode list = record.get("headers");
        if (list != null && list.isArray()) {
            for (JsonNode header : list) {
                headers.add(Fields.text(header, "key").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                headers.add(Fields.hexOrNull(header, "value"));
            }
        }
        Long timestamp = Fields.present(record, "timestamp") ? Fields.int64(record, "timestamp") : null;
        return new Expected(Fields.hexOrNull(record, "key"), Fields.hexOrNull(record, "value"), headers, timestamp);
    }

    /** Adds a line for each field that differs; true when none does. */
    private static boolean check(String where, Expected want, ConsumerRecord<byte[], byte[]> record, List<String> problems) {
        int before = problems.size();
        if (!Arrays.equals(want.key(), record.key())) {
            add(problems, where + ": key " + hex(record.key()) + ", produced " + hex(want.key()));
        }
        if (!Arrays.equals(want.value(), record.value())) {
            add(problems, where + ": value " + hex(record.value()) + ", produced " + hex(want.value()));
        }
        List<byte[]> got = new ArrayList<>();
        for (Header header : record.headers()) {
            got.add(header.key().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            got.add(header.value());
        }
        if (!sameList(want.headerKeysAndValues(), got)) {
            add(problems, where + ": headers " + hexList(got) + ", produced " + hexList(want.headerKeysAndValues()));
        }
        if (want.timestamp() != null && want.timestamp() != record.timestamp()) {
            add(problems, where + ": timestamp " + record.timestamp() + ", produced " + want.timestamp());
        }
        return problems.size() == before;
    }

    private static boolean reachedEnds(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Map<Integer, Long> positions(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        Map<Integer, Long> out = new TreeMap<>();
        for (TopicPartition partition : ends.keySet()) {
            out.put(partition.partition(), consumer.position(partition));
        }
        return out;
    }

    private static boolean sameList(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        Iterator<byte[]> left = a.iterator();
        Iterator<byte[]> right = b.iterator();
        while (left.hasNext()) {
            if (!Arrays.equals(left.next(), right.next())) {
                return false;
            }
        }
        return true;
    }

    private static String hex(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        String text = Hex.encode(bytes);
        return text.length() > 64 ? text.substring(0, 64) + "...(" + bytes.length + " B)" : text;
    }

    private static String hexList(List<byte[]> list) {
        List<String> out = new ArrayList<>();
        list.forEach(bytes -> out.add(hex(bytes)));
        return out.toString();
    }

    private static void add(List<String> problems, String problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        } else if (problems.size() == MAX_PROBLEMS) {
            problems.add("... (more problems not listed)");
        }
    }
}
