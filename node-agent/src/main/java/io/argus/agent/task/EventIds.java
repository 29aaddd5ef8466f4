package io.argus.agent.task;

/**
 * Event ids derived from what the event is, never from when or where it was computed:
 * {@code stream/task/type/subject/track/sequence}, where the subject is the line, zone or pattern
 * (empty when there is none) and the sequence is the frame's that decided the event.
 *
 * <p>A frame applied again after a failover (replayed from the checkpoint before it) decides the
 * same events with the same ids, and the store keeps each id once: events are idempotent. Stream,
 * line and zone names are restricted to {@code [A-Za-z0-9._-]}, so the separator cannot occur in
 * them; a watch-list pattern is named by its position in the list.
 */
public final class EventIds {
    private EventIds() {
    }

    public static String of(TaskContext ctx, String task, String type, String subject, long track) {
        return ctx.streamId() + "/" + task + "/" + type + "/" + subject + "/" + track + "/" + ctx.sequence();
    }
}
