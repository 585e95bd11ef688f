package com.bedrockportal.key;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.bedrockportal.businessunit.BusinessUnitUsage;
import com.bedrockportal.key.internal.SecretSealer;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The key inventory. Keys are stored sealed the moment they arrive; the provisioning step that stores them is the
 * only code that ever holds the plaintext (and the Secrets Manager step, which opens it to copy it there).
 */
@Service
public class ApiKeys implements BusinessUnitUsage {

    public static final int PREFIX_LENGTH = 12;

    private final JdbcClient jdbc;
    private final SecretSealer sealer;
    private final Clock clock;

    ApiKeys(JdbcClient jdbc, SecretSealer sealer, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public Optional<ApiKey> forRequest(long requestId) {
        return jdbc.sql("select * from api_key where request_id = :r").param("r", requestId).query(ApiKeys::map)
                .optional();
    }

    @Transactional(readOnly = true)
    public Optional<ApiKey> find(long keyId) {
        return jdbc.sql("select * from api_key where id = :id").param("id", keyId).query(ApiKeys::map).optional();
    }

    /**
     * The key, its row locked until the caller's transaction ends: two actions on one key run one after the other,
     * and the second sees what the first did.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<ApiKey> lock(long keyId) {
        return jdbc.sql("select * from api_key where id = :id for update").param("id", keyId).query(ApiKeys::map)
                .optional();
    }

    /**
     * A person disabled the key (it is Inactive in AWS now). Only from {@code from}; false when the key was no longer
     * in that status (then nothing changes).
     */
    @Transactional
    public boolean markInactive(long keyId, KeyStatus from, String reason, String by) {
        return changeStatus(keyId, from, "status = :to", KeyStatus.INACTIVE, reason, by);
    }

    /**
     * Security re-enabled a disabled key (Active in AWS again): ACTIVE once revealed or adopted from AWS (in use,
     * never revealed here), otherwise PENDING_REVEAL again (its sealed copy is still there). False when the key was
     * not INACTIVE.
     */
    @Transactional
    public boolean markReenabled(long keyId, String reason, String by) {
        return changeStatus(keyId, KeyStatus.INACTIVE,
                "status = case when revealed_at is null and adopted_at is null then :pending else :to end",
                KeyStatus.ACTIVE, reason, by);
    }

    /**
     * A person revoked the key: deleted in AWS, its sealed copy (if still unrevealed) deleted here. Only from
     * {@code from}; false when the key was no longer in that status.
     */
    @Transactional
    public boolean markRevoked(long keyId, KeyStatus from, String reason, String by) {
        return changeStatus(keyId, from, "status = :to, sealed_secret = null, wrapped_key = null", KeyStatus.REVOKED,
                reason, by);
    }

    private boolean changeStatus(long keyId, KeyStatus from, String set, KeyStatus to, String reason, String by) {
        return jdbc.sql("update api_key set " + set + ", status_before = :from, status_reason = :reason, "
                + "status_changed_by = :by, status_changed_at = :now where id = :id and status = :from")
                .param("to", to.name()).param("pending", KeyStatus.PENDING_REVEAL.name()).param("reason", reason)
                .param("by", by).param("now", at(clock.instant())).param("id", keyId).param("from", from.name())
                .update() == 1;
    }

    /** The credential ids the portal knows for an IAM user (to tell its own keys from orphans). */
    @Transactional(readOnly = true)
    public Set<String> knownCredentialIds(String iamUser) {
        return Set.copyOf(jdbc.sql("select credential_id from api_key where iam_user = :u").param("u", iamUser)
                .query(String.class).list());
    }

    /**
     * Seals and records a freshly created key. The caller overwrites {@code secret} afterwards.
     */
    @Transactional
    public ApiKey store(long requestId, String requester, long businessUnitId, long applicationId, String iamUser,
            String credentialId, Instant createdAt, Instant expiresAt, char[] secret, Duration revealWindow,
            String region, String exampleModel) {
        insert(requestId, null, requester, businessUnitId, applicationId, iamUser, credentialId, createdAt, expiresAt,
                secret, revealWindow, region, exampleModel);
        return forRequest(requestId).orElseThrow();
    }

    /**
     * Seals and records the new key a rotation created (no request: it is revealed by its own id). The caller
     * overwrites {@code secret} afterwards.
     */
    @Transactional
    public ApiKey storeRotated(long rotationId, String owner, long businessUnitId, long applicationId, String iamUser,
            String credentialId, Instant createdAt, Instant expiresAt, char[] secret, Duration revealWindow,
            String region, String exampleModel) {
        insert(null, rotationId, owner, businessUnitId, applicationId, iamUser, credentialId, createdAt, expiresAt,
                secret, revealWindow, region, exampleModel);
        return forRotation(rotationId).orElseThrow();
    }

    /** The new key a rotation created, if it did yet. */
    @Transactional(readOnly = true)
    public Optional<ApiKey> forRotation(long rotationId) {
        return jdbc.sql("select * from api_key where rotation_id = :r").param("r", rotationId).query(ApiKeys::map)
                .optional();
    }

    /**
     * A handover: the keys a rotation made for the application's owner and nobody has revealed yet go to its new owner,
     * who alone may reveal them (a rotation's key is the owner's, not a requester's). Returns how many moved.
     */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
    public int handOverUnrevealedRotationKeys(long applicationId, String newOwner) {
        return jdbc.sql("""
                update api_key set requester = :owner where application_id = :app and rotation_id is not null
                  and status = :pending and revealed_at is null""").param("owner", newOwner)
                .param("app", applicationId).param("pending", KeyStatus.PENDING_REVEAL.name()).update();
    }

    private void insert(Long requestId, Long rotationId, String requester, long businessUnitId, long applicationId,
            String iamUser, String credentialId, Instant createdAt, Instant expiresAt, char[] secret,
            Duration revealWindow, String region, String exampleModel) {
        SecretSealer.Sealed sealed = sealer.seal(secret, context(requestId, rotationId == null ? 0 : rotationId));
        String prefix = new String(secret, 0, Math.min(PREFIX_LENGTH, secret.length));
        Instant deadline = clock.instant().plus(revealWindow);
        jdbc.sql("""
                insert into api_key (request_id, rotation_id, requester, business_unit_id, application_id, iam_user,
                    credential_id, key_prefix, status, created_at, expires_at, reveal_deadline, sealed_secret,
                    wrapped_key, master_key_id, region, example_model, fingerprint)
                values (:r, :rot, :owner, :bu, :app, :u, :c, :p, :pending, :created, :expires, :deadline, :sealed,
                    :wrapped, :mk, :region, :model, :fp)""")
                .param("app", applicationId).param("fp", fingerprint(secret)).param("rot", rotationId)
                .param("region", region).param("model", exampleModel).param("pending", KeyStatus.PENDING_REVEAL.name())
                .param("r", requestId).param("owner", requester).param("bu", businessUnitId).param("u", iamUser).param("c", credentialId)
                .param("p", prefix).param("created", at(createdAt)).param("expires", at(expiresAt))
                .param("deadline", at(deadline))
                .param("sealed", Base64.getEncoder().encodeToString(sealed.ciphertext()))
                .param("wrapped", Base64.getEncoder().encodeToString(sealed.wrappedKey()))
                .param("mk", sealed.masterKeyId()).update();
    }

    /** The context a key is sealed under (bound into the ciphertext): its request's, or its rotation's. */
    @Transactional(readOnly = true)
    public String sealingContext(long keyId) {
        return jdbc.sql("select request_id, rotation_id from api_key where id = :k").param("k", keyId)
                .query((rs, i) -> context(rs.getObject(1) == null ? null : rs.getLong(1), rs.getLong(2))).single();
    }

    /** The sealing context of a request's key ({@code requestId} set) or of a rotation's new key. */
    public static String context(Long requestId, long rotationId) {
        return requestId != null ? context(requestId) : "api-key:rotation:" + rotationId;
    }

    /**
     * Opens the sealed key of a request, for the provisioning step that copies it to Secrets Manager, and for nothing
     * else: only while the key waits for its reveal and has no copy yet, and only in the process engine's own
     * threads — never for a logged-in caller (who reveals through {@link KeyReveal}), whatever path they came by. Process
     * expressions cannot reach this bean. Overwrite the result.
     *
     * @throws AccessDeniedException outside a provisioning step
     */
    @Transactional(readOnly = true)
    public char[] openForCopy(long requestId) {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller != null && caller.isAuthenticated() && !(caller instanceof AnonymousAuthenticationToken)) {
            throw new AccessDeniedException(
                    "A key is opened only by the provisioning step that copies it to Secrets Manager.");
        }
        return jdbc.sql("""
                select sealed_secret, wrapped_key, master_key_id from api_key
                where request_id = :r and status = :pending and revealed_at is null and secret_arn is null
                  and sealed_secret is not null""")
                .param("r", requestId).param("pending", KeyStatus.PENDING_REVEAL.name())
                .query((rs, i) -> sealer.open(new SecretSealer.Sealed(Base64.getDecoder().decode(rs.getString(1)),
                        Base64.getDecoder().decode(rs.getString(2)), rs.getString(3)), context(requestId)))
                .optional().orElseThrow(() -> new IllegalStateException("Request " + requestId
                        + " has no sealed key waiting for a copy."));
    }

    @Transactional
    public void recordSecretArn(long requestId, String arn) {
        jdbc.sql("update api_key set secret_arn = :a where request_id = :r").param("a", arn).param("r", requestId)
                .update();
    }

    /** A rotation's new key also went to the application's Secrets Manager copy. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordCopy(long keyId, String arn) {
        jdbc.sql("update api_key set secret_arn = :a where id = :k").param("a", arn).param("k", keyId).update();
    }

    /** Who "revealed" a key that a rotation put straight into its application's Secrets Manager copy (shown). */
    public static final String DELIVERED_TO_SECRETS_MANAGER = "secrets-manager";

    /**
     * A rotation's new key is now what its application's Secrets Manager copy serves: handed over there instead of
     * revealed. Its sealed copy is deleted, so nobody can ever reveal it, and it is ACTIVE, as after a reveal (by
     * {@link #DELIVERED_TO_SECRETS_MANAGER}, {@code delivered_to_secret}). Only a rotation's key still waiting for
     * its reveal and in the copy; false when it was not (nothing changes then).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean markDelivered(long keyId) {
        return jdbc.sql("""
                update api_key set sealed_secret = null, wrapped_key = null, revealed_at = :now, revealed_by = :by,
                       status = :active, delivered_to_secret = true
                where id = :k and rotation_id is not null and revealed_at is null and status = :pending
                  and secret_arn is not null""")
                .param("now", at(clock.instant())).param("by", DELIVERED_TO_SECRETS_MANAGER)
                .param("active", KeyStatus.ACTIVE.name()).param("pending", KeyStatus.PENDING_REVEAL.name())
                .param("k", keyId).update() == 1;
    }

    /**
     * A rotation's key that was to go straight into Secrets Manager is revealed after all: its owner gets a whole
     * reveal window from now (never a shorter one).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void extendRevealWindow(long keyId, Duration revealWindow) {
        OffsetDateTime until = at(clock.instant().plus(revealWindow));
        jdbc.sql("""
                update api_key set reveal_deadline = :until
                where id = :k and revealed_at is null and status = :pending and reveal_deadline < :until""")
                .param("k", keyId).param("until", until).param("pending", KeyStatus.PENDING_REVEAL.name()).update();
    }

    /**
     * The reveal window passed: the sealed key is deleted and the key marked INACTIVE. Returns false when it had
     * been revealed meanwhile (then nothing changes).
     */
    @Transactional
    public boolean retireUnrevealed(long requestId) {
        return jdbc.sql("""
                update api_key set sealed_secret = null, wrapped_key = null, status = :inactive,
                    status_reason = null, status_changed_by = null, status_changed_at = null
                where request_id = :r and revealed_at is null and status = :pending""")
                .param("r", requestId).param("inactive", KeyStatus.INACTIVE.name())
                .param("pending", KeyStatus.PENDING_REVEAL.name()).update() == 1;
    }

    /** The request's key is not revealed until {@link #release}: provisioning of the request goes on after it. */
    @Transactional
    public void hold(long requestId) {
        jdbc.sql("update api_key set held = true where request_id = :r").param("r", requestId).update();
    }

    /**
     * The request is provisioned: its key may be revealed now (held from its creation until then), for a whole reveal
     * window from now, as the reveal timer that starts now counts it (a step stuck in an incident for days does not eat
     * the requester's window).
     */
    @Transactional
    public void release(long requestId, Duration revealWindow) {
        OffsetDateTime until = at(clock.instant().plus(revealWindow));
        jdbc.sql("""
                update api_key set held = false,
                    reveal_deadline = case when reveal_deadline < :until then :until else reveal_deadline end
                where request_id = :r and held = true""").param("r", requestId).param("until", until).update();
    }

    /**
     * Provisioning of the request failed after its key was made (deleted in AWS by now, so its slot is free): the key
     * is recorded DELETED, its sealed copy gone; it was never shown. False when there was no such key left.
     */
    @Transactional
    public boolean retireOfFailedRequest(long requestId, String reason) {
        return jdbc.sql("""
                update api_key set sealed_secret = null, wrapped_key = null, status = :deleted, status_reason = :why,
                    status_changed_by = 'system', status_changed_at = :now
                where request_id = :r and revealed_at is null and status in (:pending, :inactive)""")
                .param("r", requestId).param("deleted", KeyStatus.DELETED.name()).param("why", reason)
                .param("now", at(clock.instant())).param("inactive", KeyStatus.INACTIVE.name())
                .param("pending", KeyStatus.PENDING_REVEAL.name()).update() == 1;
    }

    /** Deletes the sealed copy of a key that was never revealed (its reveal window passed); false when none was left. */
    @Transactional
    public boolean dropSealedCopy(long keyId) {
        return jdbc.sql("""
                update api_key set sealed_secret = null, wrapped_key = null
                where id = :id and revealed_at is null and sealed_secret is not null""")
                .param("id", keyId).update() == 1;
    }

    /** Every key recorded for an IAM user, whatever its status, newest first. */
    @Transactional(readOnly = true)
    public List<ApiKey> ofIamUser(String iamUser) {
        return jdbc.sql("select * from api_key where iam_user = :u order by id desc").param("u", iamUser)
                .query(ApiKeys::map).list();
    }

    @Override
    public long liveKeys(long businessUnitId) {
        return jdbc.sql("""
                select count(*) from api_key where business_unit_id = :bu and status not in (:deleted, :revoked)""")
                .param("deleted", KeyStatus.DELETED.name()).param("revoked", KeyStatus.REVOKED.name())
                .param("bu", businessUnitId).query(Long.class).single();
    }

    /**
     * The SHA-256 of a key, in hex: what a leaked key is looked up by. A key is 100+ random characters, so its hash
     * tells nothing about it; the key itself is never stored.
     */
    public static String fingerprint(char[] secret) {
        java.nio.ByteBuffer bytes = java.nio.charset.StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(secret));
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(bytes);
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (bytes.hasArray()) {
                java.util.Arrays.fill(bytes.array(), (byte) 0);
            }
        }
    }

    public static String context(long requestId) {
        return "api-key:request:" + requestId;
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    // --- drift reconciliation (kept together to ease merging)

    /**
     * Records a key that was created in AWS outside the portal, adopted by security into the application that owns
     * its IAM user. Nobody can reveal it: no request, no sealed copy, no prefix (the portal never saw the key itself).
     * ACTIVE or INACTIVE as AWS has it. The credential must not be recorded yet (unique credential id).
     */
    @Transactional
    public ApiKey adopt(long businessUnitId, long applicationId, String iamUser, String credentialId, boolean active,
            Instant createdAt, Instant expiresAt, String reason, String by) {
        Instant now = clock.instant();
        jdbc.sql("""
                insert into api_key (request_id, requester, business_unit_id, application_id, iam_user, credential_id,
                    key_prefix, status, created_at, expires_at, reveal_deadline, status_reason, status_changed_by,
                    status_changed_at, adopted_at, adopted_by)
                values (null, null, :bu, :app, :u, :c, '', :status, :created, :expires, :now, :reason, :by, :now,
                    :now, :by)""")
                .param("bu", businessUnitId).param("app", applicationId).param("u", iamUser).param("c", credentialId)
                .param("status", (active ? KeyStatus.ACTIVE : KeyStatus.INACTIVE).name())
                .param("created", at(createdAt)).param("expires", at(expiresAt)).param("now", at(now))
                .param("reason", reason).param("by", by).update();
        return jdbc.sql("select * from api_key where credential_id = :c").param("c", credentialId)
                .query(ApiKeys::map).single();
    }

    /**
     * Whether nobody holds the key: never revealed, and its sealed copy gone or its reveal window passed, and not
     * adopted from AWS (an adopted key was never revealed here, but someone uses it). Such a key is never turned on
     * again: it would be a working credential in nobody's hands.
     */
    @Transactional(readOnly = true)
    public boolean nobodyHolds(ApiKey key) {
        return key.revealedAt() == null && (!key.sealedCopy() || !KeyReveal.windowOpen(key, clock.instant()))
                && !adopted(key.id());
    }

    /** Whether the key was adopted from AWS rather than created by the portal. */
    @Transactional(readOnly = true)
    public boolean adopted(long keyId) {
        return jdbc.sql("select count(*) from api_key where id = :id and adopted_at is not null").param("id", keyId)
                .query(Long.class).single() > 0;
    }

    /**
     * Security accepted that the key is gone from AWS (deleted outside the portal): recorded as DELETED, its sealed
     * copy (if any) deleted. Only from {@code from}; false when the key was no longer in that status.
     */
    @Transactional
    public boolean markDeletedInAws(long keyId, KeyStatus from, String reason, String by) {
        return changeStatus(keyId, from, "status = :to, sealed_secret = null, wrapped_key = null", KeyStatus.DELETED,
                reason, by);
    }

    private static ApiKey map(ResultSet rs, int i) throws SQLException {
        return new ApiKey(rs.getLong("id"), rs.getLong("request_id"), rs.getLong("business_unit_id"),
                rs.getString("iam_user"), rs.getString("credential_id"), rs.getString("key_prefix"),
                KeyStatus.valueOf(rs.getString("status")), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                rs.getObject("reveal_deadline", OffsetDateTime.class).toInstant(), rs.getString("secret_arn"),
                rs.getString("requester"), instant(rs, "revealed_at"), rs.getString("revealed_by"),
                rs.getString("sealed_secret") != null, rs.getString("status_reason"), rs.getString("status_changed_by"),
                instant(rs, "status_changed_at"), rs.getString("status_before") == null ? null
                        : KeyStatus.valueOf(rs.getString("status_before")), rs.getBoolean("delivered_to_secret"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    // --- owner leaves (issue 10, owners)

    /** The keys of an application that still work or wait for their reveal (ACTIVE, PENDING_REVEAL), oldest first. */
    @Transactional(readOnly = true)
    public List<ApiKey> workingOfApplication(long applicationId) {
        return jdbc.sql("select * from api_key where application_id = :app and status in (:active, :pending) order by id")
                .param("app", applicationId).param("active", KeyStatus.ACTIVE.name())
                .param("pending", KeyStatus.PENDING_REVEAL.name()).query(ApiKeys::map).list();
    }

    // --- expiry watch (issue 11)

    /** A key with the application it belongs to. */
    public record OfApplication(long applicationId, ApiKey key) {
    }

    /**
     * The keys of these applications that still work or wait for their reveal (ACTIVE, PENDING_REVEAL), grouped by
     * application, newest first within each. The expiry watch asks for a page of applications at a time.
     */
    @Transactional(readOnly = true)
    public List<OfApplication> workingOfApplications(Collection<Long> applicationIds) {
        if (applicationIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                select * from api_key where application_id in (:apps) and status in (:active, :pending)
                order by application_id, created_at desc, id desc""")
                .param("apps", applicationIds).param("active", KeyStatus.ACTIVE.name())
                .param("pending", KeyStatus.PENDING_REVEAL.name())
                .query((rs, i) -> new OfApplication(rs.getLong("application_id"), map(rs, i))).list();
    }

    /**
     * Keys still in AWS (ACTIVE, PENDING_REVEAL, INACTIVE) that expired at or before {@code cutoff}: the first
     * {@code limit} whose id is above {@code afterId}, in id order (a page at a time; one that could not be deleted
     * stays, so the next page starts after it).
     */
    @Transactional(readOnly = true)
    public List<ApiKey> liveExpiredBefore(Instant cutoff, long afterId, int limit) {
        return jdbc.sql("""
                select * from api_key where status in (:active, :pending, :inactive) and expires_at <= :cutoff
                  and id > :after
                order by id fetch first :limit rows only""")
                .param("active", KeyStatus.ACTIVE.name()).param("pending", KeyStatus.PENDING_REVEAL.name())
                .param("inactive", KeyStatus.INACTIVE.name()).param("cutoff", at(cutoff)).param("after", afterId)
                .param("limit", limit).query(ApiKeys::map).list();
    }

    /** Every key of an application, whatever its status, newest first. */
    @Transactional(readOnly = true)
    public List<ApiKey> ofApplication(long applicationId) {
        return jdbc.sql("select * from api_key where application_id = :app order by created_at desc, id desc")
                .param("app", applicationId).query(ApiKeys::map).list();
    }

    /** The application a key belongs to (null for a key no application records). */
    @Transactional(readOnly = true)
    public Optional<Long> applicationOf(long keyId) {
        return jdbc.sql("select application_id from api_key where id = :id").param("id", keyId)
                .query((rs, i) -> {
                    long app = rs.getLong(1);
                    return rs.wasNull() ? Optional.<Long>empty() : Optional.of(app);
                }).optional().flatMap(o -> o);
    }

    // --- compromise response (issue 11, compromise)

    /** The live key (not deleted or revoked) whose SHA-256 ({@link #fingerprint}) this is, if any. */
    @Transactional(readOnly = true)
    public Optional<ApiKey> liveByFingerprint(String fingerprint) {
        return jdbc.sql("select * from api_key where fingerprint = :fp and status not in (:deleted, :revoked)")
                .param("fp", fingerprint).param("deleted", KeyStatus.DELETED.name())
                .param("revoked", KeyStatus.REVOKED.name()).query(ApiKeys::map).list().stream().findFirst();
    }

    /**
     * Live keys whose recorded first characters start with {@code beginning} (at most {@link #PREFIX_LENGTH} of
     * them count), at most {@code max}; {@code withoutFingerprint}: only keys stored before fingerprints were
     * recorded. Compared exactly (no character of the beginning is a wildcard).
     */
    @Transactional(readOnly = true)
    public List<ApiKey> liveByPrefix(String beginning, boolean withoutFingerprint, int max) {
        String head = beginning.length() > PREFIX_LENGTH ? beginning.substring(0, PREFIX_LENGTH) : beginning;
        return jdbc.sql("select * from api_key where left(key_prefix, :n) = :head and key_prefix <> '' "
                + "and status not in (:deleted, :revoked)" + (withoutFingerprint ? " and fingerprint is null" : "")
                + " order by id limit :max")
                .param("n", head.length()).param("head", head).param("max", max)
                .param("deleted", KeyStatus.DELETED.name()).param("revoked", KeyStatus.REVOKED.name())
                .query(ApiKeys::map).list();
    }

    /**
     * A compromised key was deleted in AWS (it was already Inactive): REVOKED, its sealed copy (if any) deleted. From
     * whatever live status it has; false when it was already revoked or deleted (a rotation deleted it first).
     */
    @Transactional
    public boolean markRevokedIfLive(long keyId, String reason, String by) {
        return jdbc.sql("update api_key set status = :to, sealed_secret = null, wrapped_key = null, "
                + "status_before = status, status_reason = :reason, status_changed_by = :by, status_changed_at = :now "
                + "where id = :id and status not in (:deleted, :revoked)")
                .param("to", KeyStatus.REVOKED.name()).param("reason", reason).param("by", by)
                .param("now", at(clock.instant())).param("id", keyId).param("deleted", KeyStatus.DELETED.name())
                .param("revoked", KeyStatus.REVOKED.name()).update() == 1;
    }
}
