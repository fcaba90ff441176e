package io.clickcartel.datagen;

import io.clickcartel.core.contract.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/** Hands lines to another sink on its own thread, in order, so generating and checking use both cores. */
final class AsyncSink implements LineSink, AutoCloseable {

    private record Line(Phase phase, String text, Kind kind, Rule brokenRule) {
    }

    private static final int CHUNK = 4096;
    private static final List<Line> END = List.of();

    private final BlockingQueue<List<Line>> queue = new ArrayBlockingQueue<>(16);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread worker;
    private List<Line> chunk = new ArrayList<>(CHUNK);

    AsyncSink(LineSink target, String name) {
        worker = new Thread(() -> {
            try {
                for (List<Line> lines = queue.take(); lines != END; lines = queue.take()) {
                    for (Line line : lines) {
                        target.accept(line.phase(), line.text(), line.kind(), line.brokenRule());
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
                queue.clear();
            }
        }, name);
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void accept(Phase phase, String line, Kind kind, Rule brokenRule) {
        chunk.add(new Line(phase, line, kind, brokenRule));
        if (chunk.size() == CHUNK) {
            hand(chunk);
            chunk = new ArrayList<>(CHUNK);
        }
    }

    /** Waits until every line is handled; rethrows what the other thread failed with. */
    @Override
    public void close() {
        hand(chunk);
        hand(END);
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + worker.getName(), e);
        }
        rethrow();
    }

    private void hand(List<Line> lines) {
        try {
            while (!queue.offer(lines, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                rethrow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        rethrow();
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
