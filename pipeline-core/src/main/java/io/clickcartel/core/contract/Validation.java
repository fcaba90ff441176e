package io.clickcartel.core.contract;

/** The outcome of checking one event against the contract. */
public sealed interface Validation {

    /**
     * @param json the event's normalised JSON ({@link NormalizedEvent#toJson}) as text, written once: what ingest
     *     measures and sends
     */
    record Valid(NormalizedEvent event, String json) implements Validation {
        Valid(NormalizedEvent event) {
            this(event, event.toJson().toString());
        }
    }

    record Invalid(Rule rule) implements Validation {
        public String reason() {
            return rule.reason();
        }
    }
}
