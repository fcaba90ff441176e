package io.clickcartel.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Clients that post batches of valid events to the ingest API in a loop, each waiting for its answer before the
 * next, and remember every answer: its status, how long it took and which event ids it reported accepted. Bounded:
 * at most {@code maxRequests} per client, on loopback.
 */
public final class SustainedLoad implements AutoCloseable {

    /** A request that ended with an HTTP status, or with {@link #NO_ANSWER} when the connection failed. */
    public record Answer(long startedNanos, long tookMillis, int status, List<String> accepted) {}

    public static final int NO_ANSWER = -1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS_PER_REQUEST = 10;

    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService clients;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SustainedLoad(URI batchUri, String writeKey, int clientCount, int maxRequests) {
        this.clients = Executors.newFixedThreadPool(clientCount);
        for (int c = 0; c < clientCount; c++) {
            clients.execute(() -> {
                for (int request = 0; request < maxRequests && running.get(); request++) {
                    answers.add(post(batchUri, writeKey));
                }
            });
        }
    }

    public static SustainedLoad start(URI batchUri, String writeKey, int clients, int maxRequests) {
        return new SustainedLoad(batchUri, writeKey, clients, maxRequests);
    }

    public List<Answer> answers() {
        return new ArrayList<>(answers);
    }

    /** Whether a request started after {@code nanos} (a {@link System#nanoTime()}) was accepted. */
    public boolean acceptedSince(long nanos) {
        return answers.stream().anyMatch(a -> a.startedNanos() > nanos && a.status() / 100 == 2);
    }

    /** Every event id some answer reported accepted. */
    public Set<String> accepted() {
        return answers.stream().flatMap(a -> a.accepted().stream()).collect(Collectors.toSet());
    }

    /** Stops the clients after their current request and waits for them. */
    @Override
    public void close() {
        running.set(false);
        clients.shutdown();
        try {
            if (!clients.awaitTermination(60, TimeUnit.SECONDS)) {
                clients.shutdownNow();
            }
        } catch (InterruptedException e) {
            clients.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private Answer post(URI uri, String writeKey) {
        String body = IntStream.range(0, EVENTS_PER_REQUEST)
                .mapToObj(i -> """
                        {"event_id":"load-%s","timestamp":"2024-05-01T12:00:00Z","user_id":"u-%d",\
                        "event_type":"view_product","product_id":"p-1","session_id":"s-%d"}""".formatted(UUID.randomUUID(), i, i))
                .collect(Collectors.joining(",", "[", "]"));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("X-Write-Key", writeKey)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            List<String> accepted = new ArrayList<>();
            if (response.statusCode() / 100 == 2) {
                JsonNode ids = JSON.readTree(response.body()).path("accepted");
                ids.forEach(id -> accepted.add(id.asText()));
            } else {
                pause();
            }
            return new Answer(started, took, response.statusCode(), accepted);
        } catch (IOException e) {
            pause();
            return new Answer(
                    started, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), NO_ANSWER, List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
            return new Answer(started, 0, NO_ANSWER, List.of());
        }
    }

    /** After a refusal, a short pause as a client's back-off, instead of a busy loop. */
    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
