package io.argus.app.console.model;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.jspecify.annotations.Nullable;

/**
 * A condition the operator must notice, as a state with a start and an end (a stream offline and
 * back, an agent lost and back, occupancy over its limit and under it again), not a stream of
 * messages: while the condition lasts the same alert is updated, never repeated. Its end, message,
 * repetitions and acknowledgement are read-only properties changed by {@link ConsoleAlerts} on the
 * JavaFX thread only.
 */
public final class Alert {
    private final long id;
    private final AlertKind kind;
    private final String stream;
    private final String subject;
    private final long startMs;
    private final @Nullable Thumbnail thumbnail;
    private final ReadOnlyLongWrapper endMs = new ReadOnlyLongWrapper(0);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper();
    private final ReadOnlyIntegerWrapper repeats = new ReadOnlyIntegerWrapper(1);
    private final ReadOnlyBooleanWrapper acknowledged = new ReadOnlyBooleanWrapper();

    /**
     * @param id        unique in this console, increasing
     * @param kind      what kind of condition
     * @param stream    the stream concerned, or empty (an agent's alert)
     * @param subject   what the condition is about within its kind: the stream, an agent id, a watch pattern
     * @param startMs   when it began (epoch ms)
     * @param message   what happened, in words
     * @param thumbnail the stream's picture when it began, if there was one
     */
    Alert(long id, AlertKind kind, String stream, String subject, long startMs, String message,
          @Nullable Thumbnail thumbnail) {
        this.id = id;
        this.kind = kind;
        this.stream = stream;
        this.subject = subject;
        this.startMs = startMs;
        this.thumbnail = thumbnail;
        this.message.set(message);
    }

    public long id() {
        return id;
    }

    /** The kind's name (OFFLINE, DEGRADED, AGENT_LOST, WATCH, OCCUPANCY, CROSSING_RATE). */
    public String kind() {
        return kind.name();
    }

    public AlertKind type() {
        return kind;
    }

    /** The stream concerned, or empty for an agent's alert. */
    public String stream() {
        return stream;
    }

    /** The stream, or for an agent's alert "agent ID": what the alert is grouped under. */
    public String group() {
        return stream.isEmpty() ? "agent " + subject : stream;
    }

    String subject() {
        return subject;
    }

    public long startMs() {
        return startMs;
    }

    /** Kept for callers that knew alerts as single messages: when it began. */
    public long timeMs() {
        return startMs;
    }

    public @Nullable Thumbnail thumbnail() {
        return thumbnail;
    }

    /** When the condition ended, or 0 while it lasts. */
    public ReadOnlyLongProperty endMsProperty() {
        return endMs.getReadOnlyProperty();
    }

    public boolean active() {
        return endMs.get() == 0;
    }

    public String message() {
        return message.get();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** How many times the condition was seen while the alert lasted (watch-list hits). */
    public ReadOnlyIntegerProperty repeatsProperty() {
        return repeats.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty acknowledgedProperty() {
        return acknowledged.getReadOnlyProperty();
    }

    public boolean acknowledged() {
        return acknowledged.get();
    }

    void acknowledge() {
        acknowledged.set(true);
    }

    void end(long nowMs, String why) {
        endMs.set(Math.max(nowMs, startMs));
        message.set(why);
    }

    /** The condition is back soon after it ended: the same alert again, not a new one (see ConsoleAlerts). */
    void reopen(String newMessage) {
        endMs.set(0);
        acknowledged.set(false); // active again: the operator must see it again
        repeats.set(repeats.get() + 1);
        message.set(newMessage);
    }

    /** The same condition, described anew (the stream moved to another agent): not a repetition. */
    void describe(String newMessage) {
        message.set(newMessage);
    }

    void repeat(String newMessage) {
        repeats.set(repeats.get() + 1);
        message.set(newMessage);
    }

    @Override
    public String toString() {
        return kind + " " + group() + " " + message.get() + (active() ? " (active)" : " (ended)");
    }
}
