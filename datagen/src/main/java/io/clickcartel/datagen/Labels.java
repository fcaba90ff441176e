package io.clickcartel.datagen;

import io.clickcartel.core.contract.Rule;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Counts what the generator meant each line to be, per phase: the manifest's "injected" section. */
final class Labels implements LineSink {

    private final long[][] byKind = new long[Phase.values().length][Kind.values().length];
    private final long[][] byBrokenRule = new long[Phase.values().length][Rule.values().length];

    @Override
    public void accept(Phase phase, String line, Kind kind, Rule brokenRule) {
        byKind[phase.ordinal()][kind.ordinal()]++;
        if (brokenRule != null) {
            byBrokenRule[phase.ordinal()][brokenRule.ordinal()]++;
        }
    }

    Map<String, Map<String, Long>> byPhase() {
        Map<String, Map<String, Long>> result = new TreeMap<>();
        for (Phase phase : Phase.values()) {
            Map<String, Long> counts = new TreeMap<>();
            long lines = 0;
            for (Kind kind : Kind.values()) {
                long count = byKind[phase.ordinal()][kind.ordinal()];
                lines += count;
                if (count > 0) {
                    counts.put(kind.name().toLowerCase(Locale.ROOT), count);
                }
            }
            for (Rule rule : Rule.values()) {
                long count = byBrokenRule[phase.ordinal()][rule.ordinal()];
                if (count > 0) {
                    counts.put("malformed:" + rule.id(), count);
                }
            }
            if (lines > 0) {
                counts.put("lines", lines);
                result.put(phase.directory(), counts);
            }
        }
        return result;
    }

    long count(Phase phase, String label) {
        return byPhase().getOrDefault(phase.directory(), Map.of()).getOrDefault(label, 0L);
    }
}
