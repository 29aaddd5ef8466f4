package io.argus.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.concurrent.ThreadLocalRandom;

/** The address an agent advertises in its registration, and its default name. */
final class AgentAddress {
    private static final Logger log = LoggerFactory.getLogger(AgentAddress.class);

    private AgentAddress() {
    }

    /**
     * Without --name: {@code agent-<host>-<port>} for a fixed port (stable across restarts, so
     * streams come back to it), or with a random suffix when the port is chosen by the system.
     */
    static String defaultId(String host, int port) {
        String h = host.replaceAll("[^A-Za-z0-9.-]", "-");
        String suffix = port > 0 ? Integer.toString(port)
                : Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        return "agent-" + h + "-" + suffix;
    }

    /** The bind address if it is a specific one, else the first non-loopback IPv4 address, else loopback. */
    static String advertised(String bindHost) {
        if (bindHost != null && !bindHost.equals("0.0.0.0") && !bindHost.equals("::")) {
            return bindHost;
        }
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback() || nif.isVirtual()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            log.debug("cannot list interfaces", e);
        }
        return "127.0.0.1";
    }
}
