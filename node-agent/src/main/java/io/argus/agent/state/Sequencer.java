package io.argus.agent.state;

import io.argus.protocol.v1.Envelope;
import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The order in which one stateful stream's frames are applied to its state: strictly by sequence
 * number, with no holes, each frame at most once, as a Kafka partition's offsets are.
 *
 * <p>A stream is <em>open</em> once the agent knows which sequence comes next: from an explicit
 * {@code StreamControl.OPEN}, from an imported checkpoint (its last sequence + 1), or implicitly
 * when its first frame has sequence 0. Then, for each frame:
 * <ul>
 *   <li>the next sequence is applied ({@link Verdict#APPLY});</li>
 *   <li>an earlier one was applied already: its stored answer is sent again
 *       ({@link Verdict#DUPLICATE}), or, if that answer is no longer kept, the frame is refused
 *       ({@link Verdict#BEHIND}); it is never applied twice;</li>
 *   <li>a later one would leave a hole: it is refused ({@link Verdict#AHEAD}) and the client resends
 *       from {@link #next()}, in order. It is never applied early.</li>
 * </ul>
 * A frame that is not applied for a passing reason (queue deadline, shutdown) leaves {@link #next()}
 * where it was, so every later frame already queued is refused too and comes back in order.
 *
 * <p>Stored answers are bounded by {@link #maxAnswers} and {@link #maxAnswerBytes}, oldest dropped
 * first. Not thread-safe: used only from the stream's lane.
 */
public final class Sequencer {
    /** Default number of answers kept per stream for resends of frames already applied. */
    public static final int DEFAULT_MAX_ANSWERS = 64;
    /** Default bytes of answers kept per stream. */
    public static final long DEFAULT_MAX_ANSWER_BYTES = 4L << 20;

    public enum Verdict { APPLY, DUPLICATE, BEHIND, AHEAD, NOT_OPEN }

    private record Answer(long sequence, Envelope envelope, int bytes) {
    }

    private final int maxAnswers;
    private final long maxAnswerBytes;
    private final ArrayDeque<Answer> answers = new ArrayDeque<>();
    private long answerBytes;
    private volatile long next = -1;
    private long gaps;

    public Sequencer() {
        this(DEFAULT_MAX_ANSWERS, DEFAULT_MAX_ANSWER_BYTES);
    }

    public Sequencer(int maxAnswers, long maxAnswerBytes) {
        if (maxAnswers < 1 || maxAnswerBytes < 1) {
            throw new IllegalArgumentException("answer bounds must be positive");
        }
        this.maxAnswers = maxAnswers;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    public boolean isOpen() {
        return next >= 0;
    }

    /** The next sequence this stream will apply; -1 while not open. */
    public long next() {
        return next;
    }

    /** The last sequence applied, or -1 when none (or not open). */
    public long lastApplied() {
        return next - 1;
    }

    /** Times the stream was opened fresh past a hole (explicit gaps declared by clients). */
    public long gaps() {
        return gaps;
    }

    /** What to do with the frame of this sequence. Opens the stream at 0 for a first frame 0. */
    public Verdict check(long sequence) {
        if (next < 0) {
            if (sequence != 0) {
                return Verdict.NOT_OPEN;
            }
            next = 0;
        }
        if (sequence == next) {
            return Verdict.APPLY;
        }
        if (sequence > next) {
            return Verdict.AHEAD;
        }
        return answer(sequence) != null ? Verdict.DUPLICATE : Verdict.BEHIND;
    }

    /** The stored answer to an applied frame, or null if no longer kept. */
    public @Nullable Envelope answer(long sequence) {
        for (Iterator<Answer> it = answers.descendingIterator(); it.hasNext(); ) {
            Answer a = it.next();
            if (a.sequence() == sequence) {
                return a.envelope();
            }
            if (a.sequence() < sequence) {
                return null;
            }
        }
        return null;
    }

    /** Records that the frame {@link #next()} was applied, with the answer it got. */
    public void applied(long sequence, Envelope envelope) {
        if (sequence != next) {
            throw new IllegalStateException("applied " + sequence + " but the next frame is " + next);
        }
        next = sequence + 1;
        Answer a = new Answer(sequence, envelope, envelope.getSerializedSize());
        answers.addLast(a);
        answerBytes += a.bytes();
        while (answers.size() > maxAnswers || (answerBytes > maxAnswerBytes && answers.size() > 1)) {
            answerBytes -= answers.removeFirst().bytes();
        }
    }

    /**
     * Opens at {@code sequence}: what the state holds continues from there (a checkpoint's last +
     * 1, a jump past frames the client no longer has, or a fresh start). Stored answers of frames
     * before it are kept: they are still the answers of those frames.
     */
    public void openAt(long sequence, boolean gap) {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0: " + sequence);
        }
        if (sequence < next) {
            answers.clear(); // rewound (a checkpoint older than what was applied here): those answers are not its
            answerBytes = 0;
        }
        next = sequence;
        if (gap) {
            gaps++;
        }
    }

    /** Forgets the position: the stream must be opened again (its state was dropped). */
    public void close() {
        next = -1;
        answers.clear();
        answerBytes = 0;
    }
}
