package com.bedrockportal.shared;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.regex.Pattern;

/** Whether an address lies in a CIDR range (IPv4 or IPv6), as IAM's {@code aws:SourceIp} condition reads it. */
public final class IpRanges {

    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]{2,45}");

    private IpRanges() {
    }

    /** Whether {@code address} lies in {@code cidr} ({@code a.b.c.d/n}, IPv6, or one address); literals only. */
    public static boolean contains(String cidr, String address) {
        if (cidr == null || address == null) {
            return false;
        }
        int slash = cidr.indexOf('/');
        String network = slash < 0 ? cidr : cidr.substring(0, slash);
        if (!LITERAL.matcher(address).matches() || !LITERAL.matcher(network).matches()) {
            return false; // never a name: InetAddress would look it up
        }
        try {
            byte[] ip = InetAddress.getByName(address).getAddress();
            byte[] net = InetAddress.getByName(network).getAddress();
            int bits = slash < 0 ? net.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
            if (ip.length != net.length || bits < 0 || bits > ip.length * 8) {
                return false;
            }
            int shift = ip.length * 8 - bits;
            return new BigInteger(1, ip).shiftRight(shift).equals(new BigInteger(1, net).shiftRight(shift));
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    /** Whether the address lies in any of the ranges. */
    public static boolean inAny(Collection<String> cidrs, String address) {
        return cidrs.stream().anyMatch(c -> contains(c.strip(), address));
    }
}
