package io.clickcartel.silver;

import java.security.SecureRandom;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * One run of a property: a seed (random, or {@code -Dclickcartel.seed=…} to replay a failure), a number of tries
 * ({@code -Dclickcartel.tries=…} to run longer), an independent random source per try, and counts of what the
 * generators produced, so a reader sees they are not vacuous.
 */
final class PropertyRun {

    final String name;
    final long seed;
    final int tries;
    /** Tries after which the time budget may end the run early. */
    final int minTries;

    private final long budgetNanos;
    private final Map<String, Long> counts = new TreeMap<>();
    private final Map<String, Long> timers = new TreeMap<>();
    private final long started = System.nanoTime();

    PropertyRun(String name, int defaultTries, int minTries, int defaultBudgetSeconds) {
        this.name = name;
        this.minTries = minTries;
        this.budgetNanos = Integer.getInteger("clickcartel.budget.seconds", defaultBudgetSeconds) * 1_000_000_000L;
        String seedSetting = System.getProperty("clickcartel.seed");
        this.seed = seedSetting == null || seedSetting.isBlank()
                ? new SecureRandom().nextLong()
                : Long.parseLong(seedSetting);
        this.tries = Integer.getInteger("clickcartel.tries", defaultTries);
        System.out.println("property '" + name + "': seed " + seed + ", " + tries
                + " tries (replay with -Dclickcartel.seed=" + seed + ")");
    }

    /**
     * Whether to run try {@code tryIndex}: all tries, unless the time budget ({@code -Dclickcartel.budget.seconds})
     * is spent after at least {@link #minTries} (a busy machine). Each try has its own random source, so a failing
     * try replays the same whatever ran before it.
     */
    boolean runs(int tryIndex) {
        if (tryIndex >= tries) {
            return false;
        }
        if (tryIndex >= minTries && System.nanoTime() - started > budgetNanos) {
            System.out.println("property '" + name + "': time budget of " + budgetNanos / 1_000_000_000L
                    + " s spent, stopped after " + tryIndex + " of " + tries + " tries");
            return false;
        }
        return true;
    }

    /** The random source of one try: the same seed and try always give the same values. */
    RandomGenerator random(int tryIndex) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (tryIndex + 1)));
    }

    void count(String what) {
        counts.merge(what, 1L, Long::sum);
    }

    /** Adds the milliseconds since {@code startedNanos} to the timer {@code what}. */
    void time(String what, long startedNanos) {
        timers.merge(what, (System.nanoTime() - startedNanos) / 1_000_000, Long::sum);
    }

    Map<String, Long> timers() {
        return timers;
    }

    long count(String what, long orElse) {
        return counts.getOrDefault(what, orElse);
    }

    Map<String, Long> counts() {
        return counts;
    }

    /** How to replay a failure, for assertion messages. */
    String replay(int tryIndex) {
        return "property '" + name + "', try " + tryIndex + " of " + tries + ", seed " + seed
                + " (replay: mvn -pl spark-common test -Dtest=" + ContractColumnsPropertyTest.class.getSimpleName()
                + " -Dclickcartel.seed=" + seed + ")";
    }

    void report(String heading, Map<String, Long> table) {
        long total = table.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder out = new StringBuilder("property '" + name + "' " + heading + " (" + total + " in "
                + count("spark jobs", 0) + " tries, " + (System.nanoTime() - started) / 1_000_000 + " ms):\n");
        table.forEach((key, value) -> out.append(
                String.format("  %-28s %7d  %5.1f%%%n", key, value, total == 0 ? 0.0 : 100.0 * value / total)));
        System.out.print(out);
    }

    /** Where the time went (timers in ms), once at the end. */
    void reportTime() {
        System.out.println(
                "property '" + name + "' took " + (System.nanoTime() - started) / 1_000_000 + " ms: " + timers);
    }
}
