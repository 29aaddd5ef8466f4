package io.argus.protocol.auth;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a token lets its holder do on an agent. A token file line {@code ROLE:SECRET} grants
 * {@code ROLE}; a line without a known role prefix grants {@link #OPERATOR} (the meaning of a
 * token before roles existed, minus control of other parties' streams).
 *
 * <table>
 *   <caption>Rights per grant</caption>
 *   <tr><th>grant</th><th>send frames</th><th>control (OPEN/RELEASE/RESET) and view</th></tr>
 *   <tr><td>viewer</td><td>no</td><td>view any stream; control none</td></tr>
 *   <tr><td>operator</td><td>its own streams</td><td>control its own streams; view its own and managed ones</td></tr>
 *   <tr><td>agent</td><td>its own streams</td><td>as operator (coordinators and agents as clients)</td></tr>
 *   <tr><td>admin</td><td>any stream</td><td>control and view any stream, managed ones included</td></tr>
 * </table>
 *
 * <p>"Own" means: the client id the stream was registered under, or for an unregistered stream the
 * party that first sent it to this agent while it holds the stream's state. Managed streams are
 * the coordinator's: only an admin may control them over the network.
 */
public enum Grant {
    VIEWER, OPERATOR, AGENT, ADMIN;

    public boolean maySend() {
        return this != VIEWER;
    }

    public boolean mayControlAny() {
        return this == ADMIN;
    }

    public boolean mayViewAny() {
        return this == VIEWER || this == ADMIN;
    }

    /** The grant named by a token file's role prefix, or null if the text names none. */
    static @Nullable Grant named(String s) {
        for (Grant g : values()) {
            if (g.name().toLowerCase(Locale.ROOT).equals(s)) {
                return g;
            }
        }
        return null;
    }
}
