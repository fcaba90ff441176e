package io.clickcartel.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
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
     * Sends every record; the stage completes once all are acknowledged, or fails when the ack timeout (the time
     * spent handing them to the producer included) passes first. No thread waits for it meanwhile.
     *
     * @throws OverloadedException at once when the bound on in-flight events is reached (nothing may be reported
     *     accepted)
     * @return a stage failing with {@link KafkaUnavailableException} when Kafka refuses or does not acknowledge in
     *     time
     */
    public CompletionStage<Void> publishAll(List<ProducerRecord<String, String>> records) {
        if (records.isEmpty()) {
            return DONE;
        }
        long started = System.nanoTime();
        CompletableFuture<?>[] acks = new CompletableFuture<?>[records.size()];
        for (int i = 0; i < acks.length; i++) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            try {
                emitter.send(Message.of(
                        records.get(i),
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
            acks[i] = ack;
        }
        long remaining = Math.max(0, config.ackTimeout().toNanos() - (System.nanoTime() - started));
        CompletableFuture<Void> published = new CompletableFuture<>();
        CompletableFuture.allOf(acks).orTimeout(remaining, TimeUnit.NANOSECONDS).whenComplete((done, failure) -> {
            if (failure == null) {
                ackTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                published.complete(null);
            } else {
                published.completeExceptionally(unavailable(failure));
            }
        });
        return published;
    }

    private KafkaUnavailableException unavailable(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            return new KafkaUnavailableException("Kafka did not acknowledge within " + config.ackTimeout(), cause);
        }
        return new KafkaUnavailableException("Kafka refused the write: " + cause.getMessage(), cause);
    }
}
