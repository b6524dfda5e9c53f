package io.kubeaudit.ship;

/**
 * Where the agent's annotations go in one event's bytes.
 *
 * @param bytes  the event (a rewritten copy only when its {@code annotations} was {@code null})
 * @param kind   how to insert
 * @param offset {@link Kind#INTO_OBJECT}: just after the '{' of the annotations object;
 *               {@link Kind#NEW_MEMBER}: the index of the event's closing '}'
 * @param empty  the object written into (annotations, or the whole event for NEW_MEMBER) has no members yet
 */
record Placement(byte[] bytes, Kind kind, int offset, boolean empty) {

    enum Kind {
        /** The event has a top-level annotations object: add members at its start. */
        INTO_OBJECT,
        /** The event has no annotations: add the member before the closing brace. */
        NEW_MEMBER,
        /** The event's annotations is not an object (not the audit schema): ship it unannotated. */
        NONE
    }

    Placement {
        if (kind != Kind.NONE && (offset <= 0 || offset >= bytes.length)) {
            throw new IllegalArgumentException("annotation offset " + offset + " is outside an event of " + bytes.length + " bytes");
        }
    }
}
