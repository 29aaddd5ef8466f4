package io.argus.app.console.model;

import org.jspecify.annotations.Nullable;

/**
 * Something the operator must notice.
 *
 * @param timeMs  when
 * @param kind    OCCUPANCY, WATCH, OFFLINE, AGENT_LOST, MOVED
 * @param stream  the stream concerned, or empty
 * @param message what happened, in words
 */
public record Alert(long timeMs, String kind, String stream, @Nullable String message) {
}
