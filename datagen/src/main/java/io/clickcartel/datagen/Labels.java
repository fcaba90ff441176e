package io.clickcartel.datagen;

import io.clickcartel.core.contract.Rule;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/** Counts what the generator meant each line to be, per phase: the manifest's "injected" section. */
final class Labels implements LineSink {

    private final Map<Phase, Map<String, Long>> byPhase = new EnumMap<>(Phase.class);

    @Override
    public void accept(Phase phase, String line, Kind kind, Rule brokenRule) {
        Map<String, Long> counts = byPhase.computeIfAbsent(phase, p -> new TreeMap<>());
        counts.merge("lines", 1L, Long::sum);
        counts.merge(kind.name().toLowerCase(), 1L, Long::sum);
        if (brokenRule != null) {
            counts.merge("malformed:" + brokenRule.id(), 1L, Long::sum);
        }
    }

    Map<String, Map<String, Long>> byPhase() {
        Map<String, Map<String, Long>> result = new TreeMap<>();
        byPhase.forEach((phase, counts) -> result.put(phase.directory(), counts));
        return result;
    }

    long count(Phase phase, String label) {
        return byPhase.getOrDefault(phase, Map.of()).getOrDefault(label, 0L);
    }
}
