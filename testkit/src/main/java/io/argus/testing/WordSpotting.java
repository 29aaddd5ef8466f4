package io.argus.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Word-level scoring of text reading as in ICDAR's end-to-end word spotting: a word read counts only
 * when it <em>equals</em> a word of the ground truth after both are upper-cased and stripped of
 * punctuation; a substring is not a match ("NOPARKING" matches neither NO nor PARKING, "THES" does
 * not match THE). Scored two ways:
 * <ul>
 *   <li><b>by instance</b>: the words of a photo as a multiset (a sign that says NO PARKING twice
 *   holds four words); a word read is matched to at most one instance;</li>
 *   <li><b>by distinct word</b>: the photo's set of words against the set of words read.</li>
 * </ul>
 * Every word read that matches nothing is a false word, listed. Precision counts every word read.
 */
public final class WordSpotting {
    private int expectedInstances;
    private int readWords;
    private int matchedInstances;
    private int expectedDistinct;
    private int readDistinct;
    private int matchedDistinct;
    private final List<String> falseWords = new ArrayList<>();
    private final List<String> missedWords = new ArrayList<>();

    /** Upper case, letters and digits only; what is left of a token that had none is empty. */
    public static String normalise(String token) {
        return token.toUpperCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }

    /** The non-empty normalised tokens of a text, split at white space. */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String t : text.split("\\s+")) {
            String w = normalise(t);
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /** Scores one photo: the words a person reads in it (every instance) and the text read. */
    public WordSpotting add(String photo, List<String> truth, String read) {
        List<String> expected = truth.stream().map(WordSpotting::normalise).filter(w -> !w.isEmpty()).toList();
        List<String> got = words(read);
        Map<String, Integer> left = new HashMap<>();
        expected.forEach(w -> left.merge(w, 1, Integer::sum));
        for (String w : got) {
            Integer n = left.get(w);
            if (n != null && n > 0) {
                left.put(w, n - 1);
                matchedInstances++;
            } else if (!expected.contains(w)) {
                falseWords.add(photo + ":" + w);
            }
            // a word of the truth read more often than it is there is neither a match nor false: a repeat
        }
        left.forEach((w, n) -> {
            for (int i = 0; i < n; i++) {
                missedWords.add(photo + ":" + w);
            }
        });
        expectedInstances += expected.size();
        readWords += got.size();
        Set<String> d = new LinkedHashSet<>(expected);
        Set<String> r = new LinkedHashSet<>(got);
        expectedDistinct += d.size();
        readDistinct += r.size();
        r.retainAll(d);
        matchedDistinct += r.size();
        return this;
    }

    public int expectedInstances() {
        return expectedInstances;
    }

    public int matchedInstances() {
        return matchedInstances;
    }

    public int readWords() {
        return readWords;
    }

    public double instanceRecall() {
        return ratio(matchedInstances, expectedInstances);
    }

    /** Words read that match an instance, of all words read (repeats beyond the instances count against it). */
    public double instancePrecision() {
        return ratio(matchedInstances, readWords);
    }

    public double distinctRecall() {
        return ratio(matchedDistinct, expectedDistinct);
    }

    public double distinctPrecision() {
        return ratio(matchedDistinct, readDistinct);
    }

    public int matchedDistinct() {
        return matchedDistinct;
    }

    public int expectedDistinct() {
        return expectedDistinct;
    }

    /** Words read that are no word of their photo, as {@code photo:WORD}. */
    public List<String> falseWords() {
        return List.copyOf(falseWords);
    }

    /** Instances not read, as {@code photo:WORD}. */
    public List<String> missedWords() {
        return List.copyOf(missedWords);
    }

    private static double ratio(int a, int b) {
        return b == 0 ? 0 : (double) a / b;
    }

    /** One line: recall and precision both ways, and the false words. */
    public String summary() {
        return String.format(Locale.ROOT, "instances: recall %d/%d = %.2f, precision %d/%d = %.2f; distinct words: recall "
                        + "%d/%d = %.2f, precision %.2f; false words %d %s", matchedInstances, expectedInstances,
                instanceRecall(), matchedInstances, readWords, instancePrecision(), matchedDistinct, expectedDistinct,
                distinctRecall(), distinctPrecision(), falseWords.size(), falseWords);
    }
}
