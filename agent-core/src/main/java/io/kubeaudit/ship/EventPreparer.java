package io.kubeaudit.ship;

/**
 * Makes an event fit one destination: annotations placed, and trimmed the API server's way when it is
 * larger than the destination's {@code maxEventBytes}. An event that still does not fit, or that the
 * full parse trimming needs finds invalid, cannot be sent: the caller dead-letters it.
 */
final class EventPreparer {

    private final Annotations annotations;
    private final long maxEventBytes;

    /** @param maxEventBytes at least 1KiB, as the settings table (DestinationConfig.MAX_EVENT_BYTES) enforces */
    EventPreparer(Annotations annotations, long maxEventBytes) {
        this.annotations = annotations;
        this.maxEventBytes = maxEventBytes;
    }

    PreparedEvent prepare(Event event) throws InvalidEventException {
        Placement placement = event.placement();
        PreparedEvent whole = PreparedEvent.of(event, placement, false, annotations);
        int size = whole.length();
        if (size <= maxEventBytes) {
            return whole;
        }
        byte[] trimmed = EventTrimmer.trim(placement.bytes());
        if (trimmed == placement.bytes()) {
            throw new InvalidEventException("event of " + size + " bytes exceeds maxEventBytes " + maxEventBytes
                    + " and has no requestObject or responseObject to drop");
        }
        PreparedEvent smaller = PreparedEvent.of(event, AnnotationLocator.locate(trimmed), true, annotations);
        int trimmedSize = smaller.length();
        if (trimmedSize > maxEventBytes) {
            throw new InvalidEventException("event of " + size + " bytes is still " + trimmedSize
                    + " bytes without requestObject and responseObject, above maxEventBytes " + maxEventBytes);
        }
        return smaller;
    }

    Annotations annotations() {
        return annotations;
    }
}
