package dev.kafkit.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * group-consume: a real {@link KafkaConsumer} in a classic consumer group with the
 * cooperative-sticky assignor, for tests where Java members share a group with kafkit's.
 * Unlike the other commands it streams: after the one request line it prints, while it runs,
 * one JSON line per rebalance callback ({"event":"assigned"|"revoked"|"lost","partitions":[…]})
 * and per record ({"event":"record","partition","offset","value"}), committing synchronously
 * after each poll (at least once). A line "stop" or the end of stdin makes it close the
 * consumer (which leaves the group) and reply {"id", "records"} as the protocol's one reply.
 */
final class GroupConsumeCommand {
    private GroupConsumeCommand() {
    }

    static ObjectNode groupConsume(JsonNode request) throws Exception {
        String topic = Fields.text(request, "topic");
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Fields.text(request, "bootstrap"));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, Fields.text(request, "groupId"));
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, Fields.text(request, "clientId", "kafkit-java-reference-group-consume"));
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        JsonNode extra = request.get("properties");
        if (extra != null && extra.isObject()) {
            extra.fields().forEachRemaining(entry -> config.put(entry.getKey(), entry.getValue().asText()));
        }

        // Main redirected System.out to stderr; events go straight to the protocol channel, each
        // flushed so the caller sees assignments as they happen.
        Writer out = new BufferedWriter(
            new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16);
        long records = 0;
        // Processed but not yet committed: a commit refused during a rebalance is retried after it.
        Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                 new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Thread stopper = new Thread(() -> waitForStop(consumer), "group-consume-stop");
            stopper.setDaemon(true);
            stopper.start();
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // What was processed of the partitions that move is committed before the new owner starts.
                    Map<TopicPartition, OffsetAndMetadata> moving = new HashMap<>();
                    for (TopicPartition partition : partitions) {
                        OffsetAndMetadata offset = pending.remove(partition);
                        if (offset != null) {
                            moving.put(partition, offset);
                        }
                    }
                    tryCommit(consumer, moving);
                    emitPartitions(out, "revoked", partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    emitPartitions(out, "assigned", partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    partitions.forEach(pending::remove);
                    emitPartitions(out, "lost", partitions);
                }
            });
            try {
                for (;;) {
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                    for (ConsumerRecord<byte[], byte[]> record : batch) {
                        ObjectNode line = JsonNodeFactory.instance.objectNode();
                        line.put("event", "record");
                        line.put("partition", record.partition());
                        line.put("offset", String.valueOf(record.offset()));
                        line.put("value", record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8));
                        write(out, line, false);
                        pending.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1, record.leaderEpoch(), ""));
                        records++;
                    }
                    flush(out);
                    if (!pending.isEmpty() && tryCommit(consumer, pending)) {
                        pending.clear();
                    }
                }
            } catch (WakeupException stopRequested) {
                // the stop thread woke the consumer: close it below (leaving the group)
            }
        }
        flush(out);
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.put("records", records);
        return reply;
    }

    /**
     * Commits synchronously; false when the group refused because a rebalance is under way (the
     * offsets stay pending and go with the next commit, or with the revocation of their partition).
     */
    private static boolean tryCommit(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return true;
        }
        try {
            consumer.commitSync(offsets);
            return true;
        } catch (RebalanceInProgressException | CommitFailedException refused) {
            return false;
        }
    }

    /** Blocks until stdin says "stop" or ends, then wakes the polling thread. */
    private static void waitForStop(KafkaConsumer<byte[], byte[]> consumer) {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.trim().equals("stop")) {
                // other lines are ignored
            }
        } catch (IOException e) {
            // a broken stdin also means the caller is gone: stop
        }
        consumer.wakeup();
    }

    private static void emitPartitions(Writer out, String event, Collection<TopicPartition> partitions) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put("event", event);
        ArrayNode list = line.putArray("partitions");
        new TreeSet<>(partitions.stream().map(TopicPartition::partition).toList()).forEach(list::add);
        write(out, line, true);
    }

    private static synchronized void write(Writer out, ObjectNode line, boolean flush) {
        try {
            out.write(Main.JSON.writeValueAsString(line));
            out.write('\n');
            if (flush) {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void flush(Writer out) {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
