package io.kubeaudit.cli;

/** {@code --output}: text for people, one JSON document for scripts; {@code ndjson} (one JSON value a line) where a command streams. */
enum OutputMode { TEXT, JSON, NDJSON }
