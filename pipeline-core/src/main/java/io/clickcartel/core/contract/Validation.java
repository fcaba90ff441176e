package io.clickcartel.core.contract;

/** The outcome of checking one event against the contract. */
public sealed interface Validation {

    /** A valid event, normalised. */
    final class Valid implements Validation {
        private final NormalizedEvent event;
        private String json;

        Valid(NormalizedEvent event) {
            this.event = event;
        }

        public NormalizedEvent event() {
            return event;
        }

        /**
         * The event's normalised JSON ({@link NormalizedEvent#toJson}) as text: what ingest measures and sends.
         * Written on first use, once: silver, which checks every bronze row, never needs it, and writing it was a
         * third of the check's cost.
         */
        public String json() {
            if (json == null) {
                json = event.toJson().toString();
            }
            return json;
        }

        /** Equal when the events are: the JSON follows from the event. */
        @Override
        public boolean equals(Object other) {
            return other instanceof Valid valid && event.equals(valid.event);
        }

        @Override
        public int hashCode() {
            return event.hashCode();
        }

        @Override
        public String toString() {
            return "Valid[" + event + "]";
        }
    }

    record Invalid(Rule rule) implements Validation {
        public String reason() {
            return rule.reason();
        }
    }
}
