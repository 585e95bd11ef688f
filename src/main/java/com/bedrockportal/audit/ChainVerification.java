package com.bedrockportal.audit;

/**
 * Result of verifying the hash chain.
 *
 * @param intact       whether every link holds and the chain reaches this node's witness (false also when the links
 *                     hold but the witness cannot be read: {@link #unverified()})
 * @param rowsChecked  how many rows were read
 * @param firstBrokenSeq the sequence number of the first row whose link fails, or -1 (intact, or not verified: the
 *                       chain holds but this node's witness cannot be read; {@code problem} says why)
 * @param problem      what is wrong with that row, or null
 * @param signedWith   the id of the chain key that signed the newest row checked (intact chains), or null
 */
public record ChainVerification(boolean intact, long rowsChecked, long firstBrokenSeq, String problem,
        String signedWith) {

    /** Every link holds, but this node's witness could not be read, so rows cut off the end could not be ruled out. */
    public boolean unverified() {
        return !intact && firstBrokenSeq <= 0;
    }

    /** "intact", "broken at row N" or "not verified", as the page, the audit row and the evidence packs say it. */
    public static String verdict(boolean intact, long firstBrokenSeq) {
        return intact ? "intact" : firstBrokenSeq > 0 ? "broken at row " + firstBrokenSeq : "not verified";
    }
}
