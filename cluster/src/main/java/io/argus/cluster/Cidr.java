package io.argus.cluster;

import java.net.InetAddress;

/** An address block, {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a block of one. */
record Cidr(byte[] network, int prefixBits) {
    static Cidr parse(String spec) {
        int slash = spec.indexOf('/');
        String addr = slash < 0 ? spec : spec.substring(0, slash);
        var literal = SourcePolicy.literal(addr);
        if (literal.isEmpty()) {
            throw new IllegalArgumentException("not an address block: " + spec + " (CIDR, e.g. 10.20.0.0/16)");
        }
        byte[] bytes = literal.get().getAddress();
        int bits = bytes.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(spec.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an address block: " + spec);
            }
            if (bits < 0 || bits > bytes.length * 8) {
                throw new IllegalArgumentException("prefix length out of range in " + spec);
            }
        }
        return new Cidr(bytes, bits);
    }

    boolean contains(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != network.length) {
            return false; // an IPv4 address is not in an IPv6 block, nor the reverse (mapped forms included)
        }
        int full = prefixBits / 8;
        for (int i = 0; i < full; i++) {
            if (b[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (b[full] & mask) == (network[full] & mask);
    }
}
