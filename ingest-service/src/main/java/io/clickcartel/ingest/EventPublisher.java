package io.clickcartel.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Writes records to Kafka through the messaging extension's {@value #CHANNEL} channel and returns only once every
 * one of them is acknowledged by all in-sync replicas ({@code acks=all}, idempotent producer): the connector acks a
 * message only after the broker's acknowledgement. The emitter's buffer is bounded
 * ({@code clickcartel.max-in-flight-events}); past it a request is shed at once instead of queueing for memory.
 */
@ApplicationScoped
public class EventPublisher {

    /** The outgoing channel; its records carry their own topic (events or rejected). */
    public static final String CHANNEL = "collected";

    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final Emitter<ProducerRecord<String, String>> emitter;
    private final IngestConfig.Kafka config;
    private final Timer ackTimer;
    private final LoadShedding shedding;

    public EventPublisher(
            @Channel(CHANNEL) @OnOverflow(OnOverflow.Strategy.BUFFER) Emitter<ProducerRecord<String, String>> emitter,
            IngestConfig config,
            MeterRegistry registry,
            LoadShedding shedding) {
        this.emitter = emitter;
        this.config = config.kafka();
        this.shedding = shedding;
        this.ackTimer = Timer.builder("clickcartel.ingest.kafka.ack")
                .description("Time from the first send of a request to Kafka's acknowledgement of its last record")
                .publishPercentileHistogram()
                .register(registry);
    }

    /**
     * Sends every record and waits for all acknowledgements within the ack timeout, the time spent handing them to
     * the producer included.
     *
     * @throws OverloadedException when the bound on in-flight events is reached (nothing may be reported accepted)
     * @throws KafkaUnavailableException when Kafka refuses or does not acknowledge in time
     */
    public void publishAll(List<ProducerRecord<String, String>> records) {
        if (records.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        long deadline = started + config.ackTimeout().toNanos();
        List<CompletableFuture<Void>> acks = new ArrayList<>(records.size());
        for (ProducerRecord<String, String> record : records) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            try {
                emitter.send(Message.of(
                        record,
                        () -> {
                            ack.complete(null);
                            return DONE;
                        },
                        failure -> {
                            ack.completeExceptionally(failure);
                            return DONE;
                        }));
            } catch (IllegalStateException full) {
                // the bounded buffer is full (or the channel is closing): refuse now rather than wait for room
                throw shedding.overloaded("more than the in-flight limit of events wait for Kafka's acknowledgement");
            }
            acks.add(ack);
        }
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("Kafka did not acknowledge within " + config.ackTimeout(), e);
        } catch (ExecutionException e) {
            throw new KafkaUnavailableException(
                    "Kafka refused the write: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while waiting for Kafka", e);
        }
        ackTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
}
