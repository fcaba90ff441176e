package io.clickcartel.gold;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs independent chains of Spark work side by side, each on a thread of its own, and returns when all have ended.
 * A gold batch's write is a row of small jobs and driver-side steps (planning, Delta's commit) that leave a core idle
 * between them; chains that share no table fill those gaps. Each thread is started by the caller and so inherits
 * its Spark local properties (the streaming query's job group, whose cancellation then stops these jobs too). A
 * failure is rethrown once every chain has ended, so that no chain still writes when the batch is reported failed.
 */
final class Concurrently {

    private Concurrently() {}

    static void run(String name, List<Runnable> chains) {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < chains.size(); i++) {
            Runnable chain = chains.get(i);
            Thread thread = new Thread(
                    () -> {
                        try {
                            chain.run();
                        } catch (Throwable failure) {
                            failures.add(failure);
                        }
                    },
                    name + " " + (i + 1) + "/" + chains.size());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    // the query is stopping: its jobs are cancelled, so the chains end soon; wait for them
                    interrupted = true;
                    threads.forEach(Thread::interrupt);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            if (first instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (first instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(first);
        }
    }
}
