package io.clickcartel.gold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clickcartel.spark.LocalSpark;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalSpark.class)
class ConcurrentlyTest {

    @Test
    void chainsRunSideBySide() {
        // each chain waits for the other: run one after the other, they would never finish
        CountDownLatch bothStarted = new CountDownLatch(2);
        Runnable chain = () -> {
            bothStarted.countDown();
            try {
                assertThat(bothStarted.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        Concurrently.run("test", List.of(chain, chain));
        assertThat(bothStarted.getCount()).isZero();
    }

    @Test
    void aFailureIsRethrownOnlyOnceEveryChainHasEnded() {
        AtomicReference<Thread> failing = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean slowChainFinished = new AtomicBoolean();
        RuntimeException failure = new IllegalStateException("chain failed");
        assertThatThrownBy(() -> Concurrently.run(
                        "test",
                        List.of(
                                () -> {
                                    failing.set(Thread.currentThread());
                                    started.countDown();
                                    throw failure;
                                },
                                () -> {
                                    // still writing when the other chain's thread has failed and ended
                                    try {
                                        assertThat(started.await(30, TimeUnit.SECONDS))
                                                .isTrue();
                                        failing.get().join(30_000);
                                    } catch (InterruptedException e) {
                                        throw new IllegalStateException(e);
                                    }
                                    assertThat(failing.get().isAlive()).isFalse();
                                    slowChainFinished.set(true);
                                })))
                .isSameAs(failure);
        assertThat(slowChainFinished).isTrue();
    }

    @Test
    void theFirstChainsFailureIsRethrownWithTheOthersSuppressed() {
        RuntimeException first = new IllegalStateException("one");
        RuntimeException second = new IllegalArgumentException("two");
        CountDownLatch secondThrown = new CountDownLatch(1);
        // the first chain fails only once the second is failing: the list's order, not the timing, decides
        assertThatThrownBy(() -> Concurrently.run(
                        "test",
                        List.of(
                                () -> {
                                    try {
                                        secondThrown.await(30, TimeUnit.SECONDS);
                                    } catch (InterruptedException e) {
                                        throw new IllegalStateException(e);
                                    }
                                    throw first;
                                },
                                () -> {
                                    secondThrown.countDown();
                                    throw second;
                                })))
                .isSameAs(first)
                .satisfies(thrown -> assertThat(thrown.getSuppressed()).containsExactly(second));
    }

    @Test
    void aCheckedFailureIsRethrownAsItWasThrown() {
        // Spark's Scala code throws checked exceptions (SparkException for a cancelled job) from a Runnable; a stopped
        // query tells its cancelled jobs from failures by their type, so they must not come back wrapped
        Exception cancelled = new Exception("Job 7 cancelled part of cancelled job group");
        assertThatThrownBy(() ->
                        Concurrently.run("test", List.of(() -> ConcurrentlyTest.<RuntimeException>sneaky(cancelled))))
                .isSameAs(cancelled);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneaky(Throwable failure) throws T {
        throw (T) failure;
    }

    @Test
    void chainsSeeTheCallersSparkLocalProperties(SparkSession spark) {
        // a streaming batch's job group and query id are local properties of the thread that runs it
        spark.sparkContext().setLocalProperty("clickcartel.test", "the batch's");
        AtomicReference<String> seen = new AtomicReference<>();
        try {
            Concurrently.run(
                    "test", List.of(() -> seen.set(spark.sparkContext().getLocalProperty("clickcartel.test"))));
        } finally {
            spark.sparkContext().setLocalProperty("clickcartel.test", null);
        }
        assertThat(seen.get()).isEqualTo("the batch's");
    }
}
