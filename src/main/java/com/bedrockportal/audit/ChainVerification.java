package com.bedrockportal.audit;

/**
 * Result of verifying the hash chain.
 *
 * @param intact       whether every link holds
 * @param rowsChecked  how many rows were read
 * @param firstBrokenSeq the sequence number of the first row whose link fails, or -1
 * @param problem      what is wrong with that row, or null
 * @param signedWith   the id of the chain key that signed the newest row checked (intact chains), or null
 */
public record ChainVerification(boolean intact, long rowsChecked, long firstBrokenSeq, String problem,
        String signedWith) {
}
