package com.bedrockportal.audit;

/**
 * Result of verifying the hash chain.
 *
 * @param intact       whether every link holds
 * @param rowsChecked  how many rows were read
 * @param firstBrokenSeq the sequence number of the first row whose link fails, or -1 (intact, or not verified: the
 *                       chain holds but this node's witness cannot be read; {@code problem} says why)
 * @param problem      what is wrong with that row, or null
 * @param signedWith   the id of the chain key that signed the newest row checked (intact chains), or null
 */
public record ChainVerification(boolean intact, long rowsChecked, long firstBrokenSeq, String problem,
        String signedWith) {

    /** "intact", "broken at row N" or "not verified", as the page, the audit row and the evidence packs say it. */
    public static String verdict(boolean intact, long firstBrokenSeq) {
        return intact ? "intact" : firstBrokenSeq > 0 ? "broken at row " + firstBrokenSeq : "not verified";
    }
}
