package io.clickcartel.gold;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs independent chains of Spark work side by side, each on a thread of its own, and returns when all have ended.
 * A gold batch's write is a row of small jobs and driver-side steps (planning, Delta's commit) that leave a core idle
 * between them; chains that share no table fill those gaps. Each thread is started by the caller and so inherits
 * its Spark local properties (the streaming query's job group, whose cancellation then stops these jobs too). A
 * failure is rethrown once every chain has ended, so that no chain still writes when the batch is reported failed:
 * the failure of the first chain that failed in the list's order, as it was thrown (Spark tells a stopped query's
 * cancelled jobs from failures by the exception's type), with the others' suppressed.
 */
final class Concurrently {

    private Concurrently() {}

    static void run(String name, List<Runnable> chains) {
        List<Thread> threads = new ArrayList<>();
        // each slot written by its own thread only, read after that thread has been joined
        Throwable[] failures = new Throwable[chains.size()];
        for (int i = 0; i < chains.size(); i++) {
            Runnable chain = chains.get(i);
            int slot = i;
            Thread thread = new Thread(
                    () -> {
                        try {
                            chain.run();
                        } catch (Throwable failure) {
                            failures[slot] = failure;
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
        Throwable first = null;
        for (Throwable failure : failures) {
            if (failure != null && first == null) {
                first = failure;
            } else if (failure != null) {
                first.addSuppressed(failure);
            }
        }
        if (first != null) {
            Concurrently.<RuntimeException>rethrow(first);
        }
    }

    /** Throws {@code failure} as it is, checked or not, so that callers see the chain's own exception. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void rethrow(Throwable failure) throws T {
        throw (T) failure;
    }
}
