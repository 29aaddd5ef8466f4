package io.argus.app.console.model;

/**
 * An alert began ({@code started}) or ended: what a notification announces, once per state change.
 *
 * @param alert   the alert
 * @param started true when it began, false when its condition ended
 */
public record AlertChange(Alert alert, boolean started) {
    /** The notification's words: the stream or agent, then the start or end word and the message. */
    public String title() {
        return alert.group() + ": " + (started ? alert.type().started() : alert.type().ended());
    }
}
