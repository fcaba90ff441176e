package io.clickcartel.datagen;

import io.clickcartel.core.contract.Rule;

/** Receives generated event lines in delivery order, phase by phase. */
interface LineSink {

    /** What the generator meant a line to be; the oracle never looks at it, tests compare it with the oracle. */
    enum Kind {
        CLEAN,
        MESSY,
        DUPLICATE,
        MALFORMED,
        LATE
    }

    /**
     * @param brokenRule for {@link Kind#MALFORMED}, the rule the line was made to break; otherwise {@code null}
     */
    void accept(Phase phase, String line, Kind kind, Rule brokenRule);
}
