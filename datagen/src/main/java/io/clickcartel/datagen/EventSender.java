package io.clickcartel.datagen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.contract.EventField;
import io.clickcartel.core.contract.EventTimes;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends event files to the ingest service's batch endpoint in a {@link Protocol}, keeping the send order.
 *
 * <p>A batch is cut at {@code batchSize} events or when it would span more than {@code maxBatchSpan} of event
 * time; at most {@code concurrency} batches are in flight. Events in flight together are therefore close in event
 * time, which keeps the disorder Kafka and bronze see below the silver watermark delay. A 503 is retried after its
 * {@code Retry-After}; so is a refused connection.
 */
public final class EventSender {

    /**
     * Settings of a send. {@code service} is the ingest base URL; {@code eventsPerSecond} 0 means as fast as the
     * service answers.
     */
    public record Options(
            URI service,
            Protocol protocol,
            String writeKey,
            int batchSize,
            Duration maxBatchSpan,
            int concurrency,
            double eventsPerSecond,
            int maxRetries,
            Duration maxRetryWait) {}

    /** What the service answered, over all batches; {@code ignored}: messages that are no funnel event (Segment). */
    public record Result(
            long sent, long accepted, Map<String, Long> rejectedByRule, long ignored, long retries, Duration elapsed) {
        public double eventsPerSecond() {
            return sent / Math.max(0.001, elapsed.toMillis() / 1000.0);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Options options;
    private final HttpClient http;
    private final PrintStream progress;

    public EventSender(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    public Result send(List<Path> files) throws IOException, InterruptedException {
        long total = 0;
        for (Path file : files) {
            try (var lines = Files.lines(file)) {
                total += lines.count();
            }
        }
        Instant started = Instant.now();
        AtomicLong sent = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong retries = new AtomicLong();
        AtomicLong ignored = new AtomicLong();
        Map<String, Long> rejected = new TreeMap<>();
        ExecutorService workers = Executors.newFixedThreadPool(options.concurrency());
        Semaphore inFlight = new Semaphore(options.concurrency());
        List<Future<?>> pending = new ArrayList<>();
        ProgressLine progressLine = new ProgressLine(progress, total, started);
        try {
            for (List<String> batch : (Iterable<List<String>>) () -> batches(files)) {
                pace(sent.get() + batch.size(), started);
                inFlight.acquire();
                pending.add(workers.submit(() -> {
                    try {
                        JsonNode answer = post(batch, retries);
                        accepted.addAndGet(answer.path("accepted").size());
                        ignored.addAndGet(answer.path("ignored").asLong());
                        synchronized (rejected) {
                            answer.path("rejected")
                                    .forEach(r -> rejected.merge(r.path("rule").asText(), 1L, Long::sum));
                        }
                        progressLine.update(sent.addAndGet(batch.size()), retries.get());
                        return null;
                    } finally {
                        inFlight.release();
                    }
                }));
                drainCompleted(pending);
            }
            for (Future<?> future : pending) {
                future.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("sending failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            workers.shutdownNow();
        }
        progressLine.finish(sent.get(), retries.get());
        return new Result(
                sent.get(),
                accepted.get(),
                rejected,
                ignored.get(),
                retries.get(),
                Duration.between(started, Instant.now()));
    }

    /** Forgets finished batches, failing the send on the first batch that failed. */
    private static void drainCompleted(List<Future<?>> futures) throws ExecutionException, InterruptedException {
        for (var iterator = futures.iterator(); iterator.hasNext(); ) {
            Future<?> future = iterator.next();
            if (future.isDone()) {
                future.get();
                iterator.remove();
            }
        }
    }

    private void pace(long eventsAfterBatch, Instant started) throws InterruptedException {
        if (options.eventsPerSecond() <= 0) {
            return;
        }
        long dueMillis = (long) (eventsAfterBatch * 1000 / options.eventsPerSecond());
        long waitMillis = dueMillis - Duration.between(started, Instant.now()).toMillis();
        if (waitMillis > 0) {
            Thread.sleep(waitMillis);
        }
    }

    private JsonNode post(List<String> batch, AtomicLong retries) throws IOException, InterruptedException {
        Protocol protocol = options.protocol();
        URI endpoint = protocol.endpoint(options.service());
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", protocol.contentType())
                .headers(protocol.authorization(options.writeKey()))
                .POST(HttpRequest.BodyPublishers.ofString(protocol.body(batch)))
                .build();
        for (int attempt = 0; ; attempt++) {
            Duration wait;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == protocol.acknowledged()) {
                    return JSON.readTree(response.body());
                }
                if (response.statusCode() != 503) {
                    throw new IllegalStateException(
                            "the ingest service answered " + response.statusCode() + ": " + response.body());
                }
                wait = response.headers()
                        .firstValue("Retry-After")
                        .map(s -> Duration.ofSeconds(Long.parseLong(s)))
                        .orElse(Duration.ofSeconds(1));
            } catch (ConnectException e) {
                wait = Duration.ofSeconds(1);
            }
            if (attempt >= options.maxRetries()) {
                throw new IllegalStateException("gave up after " + attempt + " retries: the ingest service at "
                        + endpoint + " stays unavailable");
            }
            retries.incrementAndGet();
            Thread.sleep(Math.min(wait.toMillis(), options.maxRetryWait().toMillis()));
        }
    }

    /** Lines in file order, cut into batches by count and by event-time span. */
    private java.util.Iterator<List<String>> batches(List<Path> files) {
        return new java.util.Iterator<>() {
            private final java.util.Iterator<Path> fileIterator = files.iterator();
            private java.util.Iterator<String> lines = java.util.Collections.emptyIterator();
            private java.io.BufferedReader reader;
            private String carried;
            private List<String> next = advance();

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public List<String> next() {
                List<String> current = next;
                next = advance();
                return current;
            }

            private List<String> advance() {
                List<String> batch = new ArrayList<>(options.batchSize());
                long first = Long.MIN_VALUE;
                while (batch.size() < options.batchSize()) {
                    String line = carried != null ? carried : nextLine();
                    carried = null;
                    if (line == null) {
                        break;
                    }
                    long time = eventTimeOrMin(line);
                    if (time != Long.MIN_VALUE) {
                        if (first == Long.MIN_VALUE) {
                            first = time;
                        } else if (time - first > options.maxBatchSpan().toMillis() && !batch.isEmpty()) {
                            carried = line;
                            break;
                        }
                    }
                    batch.add(line);
                }
                return batch.isEmpty() ? null : batch;
            }

            private String nextLine() {
                try {
                    while (true) {
                        if (reader != null) {
                            String line = reader.readLine();
                            if (line != null) {
                                return line;
                            }
                            reader.close();
                            reader = null;
                        }
                        if (!fileIterator.hasNext()) {
                            return null;
                        }
                        reader = Files.newBufferedReader(fileIterator.next());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    private static long eventTimeOrMin(String line) {
        try {
            JsonNode timestamp = JSON.readTree(line).get(EventField.TIMESTAMP);
            return timestamp == null
                    ? Long.MIN_VALUE
                    : EventTimes.parse(timestamp).map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }
}
