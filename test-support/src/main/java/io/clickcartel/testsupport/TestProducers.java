package io.clickcartel.testsupport;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/** Producers for tests that put records on a topic themselves, as a service's producer would. */
public final class TestProducers {

    private TestProducers() {}

    /** String keys and values, each record acknowledged by every in-sync replica ({@code acks=all}). */
    public static KafkaProducer<String, String> acksAll(String bootstrapServers) {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new StringSerializer());
    }
}
