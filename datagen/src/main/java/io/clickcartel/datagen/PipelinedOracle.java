package io.clickcartel.datagen;

import io.clickcartel.core.contract.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the oracle beside the generator: lines are checked against the contract in parallel, chunk by chunk, and
 * recorded by one thread in delivery order. Same result as feeding {@link Oracle#accept} line by line.
 */
final class PipelinedOracle implements LineSink, AutoCloseable {

    private static final int CHUNK = 8192;
    private static final CompletableFuture<List<Oracle.Check>> END = CompletableFuture.completedFuture(List.of());

    private final Oracle oracle;
    private final ExecutorService checkers;
    private final BlockingQueue<CompletableFuture<List<Oracle.Check>>> inOrder = new ArrayBlockingQueue<>(8);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread recorder;
    private List<Line> chunk = new ArrayList<>(CHUNK);

    private record Line(Phase phase, String text) {}

    PipelinedOracle(Oracle oracle) {
        this.oracle = oracle;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        this.checkers = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "oracle-check");
            thread.setDaemon(true);
            return thread;
        });
        this.recorder = new Thread(this::recordInOrder, "oracle-record");
        recorder.setDaemon(true);
        recorder.start();
    }

    @Override
    public void accept(Phase phase, String line, Kind kind, Rule brokenRule) {
        chunk.add(new Line(phase, line));
        if (chunk.size() == CHUNK) {
            submit(chunk);
            chunk = new ArrayList<>(CHUNK);
        }
    }

    private void submit(List<Line> lines) {
        enqueue(CompletableFuture.supplyAsync(
                () -> lines.stream()
                        .map(line -> oracle.check(line.phase(), line.text()))
                        .toList(),
                checkers));
    }

    private void recordInOrder() {
        try {
            for (var checks = inOrder.take(); checks != END; checks = inOrder.take()) {
                checks.join().forEach(oracle::record);
            }
        } catch (CompletionException e) {
            failure.set(e.getCause());
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    /** Waits until every line is recorded; rethrows what a check or the oracle failed with. */
    @Override
    public void close() {
        try {
            submit(chunk);
            enqueue(END);
            recorder.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the oracle finishes", e);
        } finally {
            checkers.shutdownNow();
        }
        rethrow();
    }

    private void enqueue(CompletableFuture<List<Oracle.Check>> checks) {
        try {
            while (!inOrder.offer(checks, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                rethrow();
                if (!recorder.isAlive()) {
                    throw new IllegalStateException("the oracle stopped");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void rethrow() {
        Throwable error = failure.get();
        if (error instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (error != null) {
            throw new IllegalStateException(error);
        }
    }
}
