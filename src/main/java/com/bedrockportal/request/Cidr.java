package com.bedrockportal.request;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 network in CIDR notation, parsed without any DNS look-up. */
record Cidr(String text, int bits, BigInteger first, BigInteger last) {

    private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:]+(:\\d{1,3}(\\.\\d{1,3}){3})?$");

    /** Not a range: why, as a key of the translation bundle and its arguments. */
    static final class Invalid extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;
        private final String key;
        private final String[] args;

        Invalid(String key, String... args) {
            super(key);
            this.key = key;
            this.args = args.clone();
        }

        String key() {
            return key;
        }

        Object[] args() {
            return args.clone();
        }
    }

    /**
     * Parses {@code a.b.c.d/n} or {@code x:y::z/n}; the address must be the network address.
     *
     * @throws Invalid if it is not a range
     */
    static Cidr parse(String value) {
        String s = value.strip();
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw new Invalid("cidr.noPrefix", s);
        }
        String address = s.substring(0, slash);
        String prefix = s.substring(slash + 1);
        boolean v4 = IPV4.matcher(address).matches();
        boolean v6 = !v4 && address.contains(":") && IPV6.matcher(address).matches();
        if (!v4 && !v6) {
            throw new Invalid("cidr.notIp", s);
        }
        if (v4) {
            for (String octet : address.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new Invalid("cidr.notIpv4", s);
                }
            }
        }
        int width = v4 ? 32 : 128;
        int bits;
        try {
            bits = Integer.parseInt(prefix);
        } catch (NumberFormatException e) {
            throw new Invalid("cidr.badPrefix", s);
        }
        if (bits < 0 || bits > width) {
            throw new Invalid("cidr.prefixRange", s, String.valueOf(width));
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress(); // a literal: no look-up happens
        } catch (UnknownHostException e) {
            throw new Invalid("cidr.badAddress", s);
        }
        if (bytes.length * 8 != width) {
            throw new Invalid("cidr.mixed", s);
        }
        BigInteger value128 = new BigInteger(1, bytes);
        BigInteger hostMask = BigInteger.ONE.shiftLeft(width - bits).subtract(BigInteger.ONE);
        if (!value128.and(hostMask).equals(BigInteger.ZERO)) {
            BigInteger network = value128.andNot(hostMask);
            throw new Invalid("cidr.hostBits", s, format(network, v4) + "/" + bits);
        }
        return new Cidr((v4 ? "" : "v6:") + s, bits, value128, value128.or(hostMask));
    }

    boolean ipv6() {
        return text.startsWith("v6:");
    }

    String notation() {
        return ipv6() ? text.substring(3) : text;
    }

    boolean overlaps(Cidr other) {
        return ipv6() == other.ipv6() && first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
    }

    /** Whether every address of {@code other} is in this range. */
    boolean contains(Cidr other) {
        return ipv6() == other.ipv6() && first.compareTo(other.first) <= 0 && other.last.compareTo(last) <= 0;
    }

    private static String format(BigInteger network, boolean v4) {
        byte[] raw = network.toByteArray();
        byte[] bytes = new byte[v4 ? 4 : 16];
        int copy = Math.min(raw.length, bytes.length);
        System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
