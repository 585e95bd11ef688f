package com.bedrockportal.sandbox;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import com.bedrockportal.catalog.ModelPrices;
import com.bedrockportal.provisioning.ActivityTrail;
import com.bedrockportal.provisioning.ApplicationSpend;
import com.bedrockportal.provisioning.BedrockCalls;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.CloudException.Kind;
import com.bedrockportal.provisioning.SpendReports;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/**
 * The simulated account's CloudTrail event history ({@link ActivityTrail}) and Cost Explorer ({@link SpendReports}),
 * so that the embedded default shows real-looking evidence.
 * <ul>
 * <li>Stored events: the portal's IAM calls on a user, recorded by {@link SimulatedAccount} as it makes them, and
 * calls recorded through {@link #record} (sandbox console, tests).</li>
 * <li>Simulated Bedrock calls made with each key from its creation until it expires or is deleted: not stored but
 * derived from the key's id and the day, so the same question always gets the same answer and the past never
 * changes. Source addresses and regions come from the user's policy at the key's creation — now and then one from
 * outside, refused with {@code AccessDenied}; calls with a disabled key are refused too.</li>
 * <li>Spend: what those calls (and recorded ones) cost, per day, for the keys whose user carried the unit's (and the
 * application's) cost-allocation tags when the key was created.</li>
 * </ul>
 * Like CloudTrail's event history it answers for the last 90 days only. Fault injection applies to
 * {@code LookupEvents} and {@code GetCostAndUsage} as to every other operation.
 */
@Transactional(noRollbackFor = CloudException.class)
public class SimulatedActivity implements ActivityTrail, SpendReports, BedrockCalls, ApplicationSpend {

    /** CloudTrail's event history keeps 90 days. */
    static final Duration HISTORY = Duration.ofDays(90);
    /** The longest spend report one call answers (Cost Explorer keeps 13 months of daily data). */
    static final int MAX_SPEND_DAYS = 400;
    static final String BEDROCK_SOURCE = "bedrock.amazonaws.com";
    static final String IAM_SOURCE = "iam.amazonaws.com";
    /** Where the portal's own calls come from, and with which access key, in the simulated trail. */
    static final String PORTAL_IP = "10.20.30.40";
    static final String PORTAL_AGENT = "aws-sdk-java/2.40.2 ua/2.1 os/Linux lang/java#17 md/bedrock-access-portal";
    /** The simulated access key id the portal's own calls carry: made at start, not a literal that looks like a credential. */
    static final String PORTAL_ACCESS_KEY = "ASIA"
            + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(java.util.Locale.ROOT);
    static final String ACCESS_DENIED = "AccessDenied";
    static final String THROTTLED = "ThrottlingException";
    private static final List<String> AGENTS = List.of(
            "aws-sdk-java/2.31.12 ua/2.1 os/Linux#6.8 lang/java#21.0.4 md/OpenJDK_64-Bit_Server_VM api/bedrock-runtime",
            "python-requests/2.32.3",
            "Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#5.10 md/arch#x86_64 lang/python#3.12.6 Botocore/1.35.36",
            "aws-sdk-js/3.687.0 ua/2.1 os/linux#5.10 lang/js md/nodejs#20.18.0 api/bedrock-runtime#3.687.0");
    private static final List<String> ODD_AGENTS = List.of("curl/8.5.0", "Go-http-client/1.1",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36");
    private static final List<String> OTHER_REGIONS = List.of("ap-southeast-2", "sa-east-1", "me-south-1");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One call to record. Null fields take the key's usual values (its usual address and client, the first approved
     * region); {@code errorCode} null for a call that succeeded; {@code costUsd} null for what such a call usually
     * costs (nothing when it failed).
     */
    public record Invocation(String credentialId, Instant time, String eventName, String sourceIp, String userAgent,
            String region, String errorCode, BigDecimal costUsd) {

        /** An {@code InvokeModel} with the key at that time, as the key usually calls. */
        public static Invocation of(String credentialId, Instant time) {
            return new Invocation(credentialId, time, "InvokeModel", null, null, null, null, null);
        }
    }

    /** A key as the usage needs it. {@code ranges}/{@code regions}: what its user's policy allowed at creation. */
    record KeyUsage(String credentialId, String userName, Instant createdAt, Instant expiresAt, Instant disabledAt,
            Instant deletedAt, List<String> ranges, List<String> regions, boolean restrictsRegions,
            String businessUnit, String application, List<String> models) {
    }

    /** A Bedrock call with its model, tokens and cost (nothing for a refused one). */
    record Simulated(TrailEvent event, BigDecimal cost, String model, long inputTokens, long outputTokens) {

        BedrockCall call() {
            return new BedrockCall(event.eventId(), event.time(), event.eventName(), model, event.sourceIp(),
                    event.region(), event.errorCode(), event.credentialId(), inputTokens, outputTokens);
        }
    }

    /** A call's token counts, fixed by its event id: 150 to 4,000 in, 40 to 1,500 out (none for embeddings). */
    record Tokens(long input, long output) {
    }

    private final JdbcClient jdbc;
    private final SimulatedAccount account;
    private final SandboxAccountProperties properties;
    private final Clock clock;
    private final long seed;

    SimulatedActivity(JdbcClient jdbc, SimulatedAccount account, SandboxAccountProperties properties, Clock clock,
            long seed) {
        this.jdbc = jdbc;
        this.account = account;
        this.properties = properties;
        this.clock = clock;
        this.seed = mix(seed);
    }

    // --- ActivityTrail

    @Override
    @Transactional(readOnly = true)
    public List<TrailEvent> eventsOfUser(String userName, Instant from, Instant to, int max) {
        account.call("LookupEvents");
        if (from.isAfter(to)) {
            throw new CloudException(Kind.INVALID_INPUT, "LookupEvents", "InvalidTimeRangeException: the start time "
                    + "must be before the end time");
        }
        int limit = Math.min(max, MAX_EVENTS);
        Instant start = later(from, clock.instant().minus(HISTORY));
        if (limit <= 0 || !start.isBefore(to)) {
            return List.of();
        }
        List<TrailEvent> events = new ArrayList<>(jdbc.sql("""
                select * from sandbox_trail_event where user_name = :u and event_time >= :from and event_time < :to
                order by event_time desc, event_id limit :n""")
                .param("u", userName).param("from", utc(start)).param("to", utc(to)).param("n", limit)
                .query((rs, i) -> event(rs)).list());
        for (KeyUsage key : keysOfUser(userName)) {
            events.addAll(simulated(key, start, to, limit).stream().map(Simulated::event).toList());
        }
        return events.stream().sorted(Comparator.comparing(TrailEvent::time).reversed()
                .thenComparing(TrailEvent::eventId)).limit(limit).toList();
    }

    // --- SpendReports

    @Override
    @Transactional(readOnly = true)
    public List<DailySpend> dailySpend(String businessUnitTag, String applicationTag, LocalDate from, LocalDate to) {
        account.call("GetCostAndUsage");
        if (!from.isBefore(to)) {
            throw new CloudException(Kind.INVALID_INPUT, "GetCostAndUsage", "ValidationException: Start date should "
                    + "be before end date");
        }
        if (ChronoUnit.DAYS.between(from, to) > MAX_SPEND_DAYS) {
            throw new CloudException(Kind.INVALID_INPUT, "GetCostAndUsage", "ValidationException: at most "
                    + MAX_SPEND_DAYS + " days of daily data at once");
        }
        TreeMap<LocalDate, BigDecimal> days = new TreeMap<>();
        for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
            days.put(d, BigDecimal.ZERO);
        }
        for (KeyUsage key : keysTagged(businessUnitTag, applicationTag)) {
            addSpend(key, from, to, days);
        }
        return days.entrySet().stream().map(e -> new DailySpend(e.getKey(), e.getValue())).toList();
    }

    /** The keys whose user carried the unit's (and the application's, when set) tags when the key was created. */
    private List<KeyUsage> keysTagged(String businessUnitTag, String applicationTag) {
        return jdbc.sql("""
                select * from sandbox_key_usage where business_unit = :unit and (:any or application = :app)""")
                .param("unit", businessUnitTag).param("any", applicationTag == null)
                .param("app", applicationTag == null ? "" : applicationTag).query((rs, i) -> keyUsage(rs)).list();
    }

    /** Adds what the key's calls (simulated and recorded) cost on each day of {@code [from, to)} that is in the map. */
    private void addSpend(KeyUsage key, LocalDate from, LocalDate to, Map<LocalDate, BigDecimal> days) {
        Instant start = from.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = to.atStartOfDay().toInstant(ZoneOffset.UTC);
        for (Simulated s : simulated(key, start, end, Integer.MAX_VALUE)) {
            days.computeIfPresent(day(s.event().time()), (d, sum) -> sum.add(s.cost()));
        }
        for (Simulated s : recorded(key, start, end)) {
            days.computeIfPresent(day(s.event().time()), (d, sum) -> sum.add(s.cost()));
        }
    }

    /** The calls recorded with the key in {@code [from, to)} (and before now), with their cost. */
    private List<Simulated> recorded(KeyUsage key, Instant from, Instant to) {
        String model = key.models().isEmpty() ? ModelPrices.FALLBACK_MODEL : key.models().get(0);
        return jdbc.sql("""
                select * from sandbox_trail_event where credential_id = :c and event_source = :s
                and event_time >= :from and event_time < :to""")
                .param("c", key.credentialId()).param("s", BEDROCK_SOURCE).param("from", utc(from))
                .param("to", utc(later(from, earlier(to, clock.instant()))))
                .query((rs, i) -> {
                    TrailEvent e = event(rs);
                    BigDecimal recordedCost = rs.getBigDecimal("cost_usd");
                    Tokens t = tokens(e.eventId(), model);
                    return new Simulated(e, recordedCost != null ? recordedCost : cost(e.eventId(), model,
                            e.errorCode()), model, t.input(), t.output());
                }).list();
    }

    /** The spend of a period under the tags, in USD: what AWS Budgets of that filter would count. */
    BigDecimal spendOf(String businessUnitTag, String applicationTag, LocalDate from, LocalDate to) {
        TreeMap<LocalDate, BigDecimal> days = new TreeMap<>();
        for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
            days.put(d, BigDecimal.ZERO);
        }
        if (businessUnitTag != null) {
            for (KeyUsage key : keysTagged(businessUnitTag, applicationTag)) {
                addSpend(key, from, to, days);
            }
        }
        return days.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    // --- BedrockCalls (usage collection)

    @Override
    @Transactional(readOnly = true)
    public Calls callsOfUser(String userName, Instant from, Instant to, int max) {
        account.call("LookupEvents", userName);
        if (from.isAfter(to)) {
            throw new CloudException(Kind.INVALID_INPUT, "LookupEvents", "InvalidTimeRangeException: the start time "
                    + "must be before the end time");
        }
        int limit = Math.max(0, Math.min(max, BedrockCalls.MAX_CALLS));
        Instant start = later(from, clock.instant().minus(HISTORY));
        if (!start.isBefore(to)) {
            return new Calls(List.of(), false);
        }
        List<Simulated> calls = new ArrayList<>();
        for (KeyUsage key : keysOfUser(userName)) {
            calls.addAll(simulated(key, start, to, limit + 1));
            calls.addAll(recorded(key, start, to));
        }
        List<BedrockCall> newest = calls.stream().map(Simulated::call).sorted(Comparator.comparing(BedrockCall::time)
                .reversed().thenComparing(BedrockCall::eventId)).toList();
        return new Calls(newest.size() > limit ? List.copyOf(newest.subList(0, limit)) : newest,
                newest.size() > limit);
    }

    // --- ApplicationSpend (usage collection)

    @Override
    @Transactional(readOnly = true)
    public Report dailyByApplication(LocalDate from, LocalDate to, int maxGroups) {
        account.call("GetCostAndUsage");
        if (!from.isBefore(to)) {
            throw new CloudException(Kind.INVALID_INPUT, "GetCostAndUsage", "ValidationException: Start date should "
                    + "be before end date");
        }
        if (ChronoUnit.DAYS.between(from, to) > MAX_SPEND_DAYS) {
            throw new CloudException(Kind.INVALID_INPUT, "GetCostAndUsage", "ValidationException: at most "
                    + MAX_SPEND_DAYS + " days of daily data at once");
        }
        int limit = Math.max(0, Math.min(maxGroups, ApplicationSpend.MAX_GROUPS));
        Map<List<String>, TreeMap<LocalDate, BigDecimal>> groups = new java.util.LinkedHashMap<>();
        BigDecimal untagged = BigDecimal.ZERO;
        boolean truncated = false;
        for (KeyUsage key : jdbc.sql("select * from sandbox_key_usage order by business_unit, application, "
                + "credential_id").query((rs, i) -> keyUsage(rs)).list()) {
            boolean tagged = key.businessUnit() != null && key.application() != null;
            List<String> group = tagged ? List.of(key.businessUnit(), key.application()) : List.of();
            if (tagged && !groups.containsKey(group) && groups.size() >= limit) {
                truncated = true;
                continue;
            }
            TreeMap<LocalDate, BigDecimal> days = new TreeMap<>();
            for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
                days.put(d, BigDecimal.ZERO);
            }
            addSpend(key, from, to, days);
            if (!tagged) {
                untagged = days.values().stream().reduce(untagged, BigDecimal::add);
                continue;
            }
            TreeMap<LocalDate, BigDecimal> sums = groups.computeIfAbsent(group, g -> new TreeMap<>());
            days.forEach((d, amount) -> sums.merge(d, amount, BigDecimal::add));
        }
        List<TaggedSpend> rows = new ArrayList<>();
        groups.forEach((g, days) -> days.forEach((d, amount) -> {
            if (amount.signum() != 0) {
                rows.add(new TaggedSpend(g.get(0), g.get(1), d, amount));
            }
        }));
        return new Report(List.copyOf(rows), untagged, truncated);
    }

    // --- recording (the simulated account as it changes keys; the sandbox console; tests)

    /**
     * Records a call made with a key (by default an {@code InvokeModel} from the key's usual address and client).
     * @return the event as the trail will show it
     * @throws CloudException NOT_FOUND when the account never had that key
     */
    public TrailEvent record(Invocation call) {
        KeyUsage key = findKey(call.credentialId()).orElseThrow(() -> new CloudException(Kind.NOT_FOUND,
                "RecordInvocation", "No such Bedrock key " + call.credentialId()));
        long h = mix(seed(key.credentialId()) ^ call.time().toEpochMilli());
        TrailEvent event = new TrailEvent(UUID.randomUUID().toString(), call.time(),
                call.eventName() == null ? "InvokeModel" : call.eventName(), BEDROCK_SOURCE,
                call.sourceIp() != null ? call.sourceIp() : usualAddress(key, h),
                call.userAgent() != null ? call.userAgent() : usualAgent(key),
                call.region() != null ? call.region() : key.regions().get(0), call.errorCode(), key.credentialId());
        insert(key.userName(), event, call.costUsd());
        return event;
    }

    /** The Bedrock keys the account has had for the user, deleted ones included. */
    List<KeyUsage> keysOfUser(String userName) {
        return jdbc.sql("select * from sandbox_key_usage where user_name = :u order by created_at, credential_id")
                .param("u", userName).query((rs, i) -> keyUsage(rs)).list();
    }

    void recordPortalCall(String userName, String eventName, Instant time) {
        insert(userName, new TrailEvent(UUID.randomUUID().toString(), time, eventName, IAM_SOURCE, PORTAL_IP,
                PORTAL_AGENT, "us-east-1", null, PORTAL_ACCESS_KEY), null);
    }

    void keyCreated(String credentialId, String userName, Instant created, Instant expires) {
        Map<String, String> tags = new TreeMap<>();
        jdbc.sql("select tag_key, tag_value from sandbox_iam_user_tag where user_name = :u").param("u", userName)
                .query((rs, i) -> tags.put(rs.getString(1), rs.getString(2))).list();
        Set<String> ranges = new LinkedHashSet<>();
        Set<String> regions = new LinkedHashSet<>();
        Set<String> models = new LinkedHashSet<>();
        for (String policy : jdbc.sql("select document from sandbox_user_policy where user_name = :u order by "
                + "policy_name").param("u", userName).query(String.class).list()) {
            conditionValues(policy, "aws:SourceIp", ranges);
            conditionValues(policy, "aws:RequestedRegion", regions);
            modelsOf(policy, models);
        }
        jdbc.sql("""
                insert into sandbox_key_usage (credential_id, user_name, business_unit, application, created_at,
                    expires_at, source_ranges, regions, models)
                values (:id, :u, :unit, :app, :created, :expires, :ranges, :regions, :models)""")
                .param("id", credentialId).param("u", userName).param("unit", tags.get("business-unit"))
                .param("app", tags.get("application")).param("created", utc(created)).param("expires", utc(expires))
                .param("ranges", ranges.isEmpty() ? null : String.join(",", ranges))
                .param("regions", regions.isEmpty() ? null : String.join(",", regions))
                .param("models", models.isEmpty() ? null : String.join(",", models)).update();
    }

    void keyStatusChanged(String credentialId, boolean active, Instant at) {
        jdbc.sql("""
                update sandbox_key_usage set disabled_at = case when :active then null else coalesce(disabled_at, :at)
                end where credential_id = :id""")
                .param("active", active).param("at", utc(at)).param("id", credentialId).update();
    }

    void keyDeleted(String credentialId, Instant at) {
        jdbc.sql("update sandbox_key_usage set deleted_at = :at where credential_id = :id and deleted_at is null")
                .param("at", utc(at)).param("id", credentialId).update();
    }

    // --- the simulated calls

    /**
     * The key's simulated calls in {@code [from, to)} (and before now), newest day first; stops after the day that
     * brought the count to {@code enough} (older days cannot be among the newest {@code enough}).
     */
    List<Simulated> simulated(KeyUsage key, Instant from, Instant to, int enough) {
        Instant start = later(from, key.createdAt());
        Instant end = earlier(earlier(to, key.expiresAt()), clock.instant());
        if (key.deletedAt() != null) {
            end = earlier(end, key.deletedAt());
        }
        List<Simulated> out = new ArrayList<>();
        if (!start.isBefore(end)) {
            return out;
        }
        for (LocalDate d = day(end.minusNanos(1)); !d.isBefore(day(start)) && out.size() < enough;
                d = d.minusDays(1)) {
            List<Simulated> today = new ArrayList<>();
            for (Simulated s : callsOn(key, d)) {
                if (!s.event().time().isBefore(start) && s.event().time().isBefore(end)) {
                    today.add(s);
                }
            }
            today.sort(Comparator.comparing((Simulated s) -> s.event().time()).reversed());
            out.addAll(today);
        }
        return out;
    }

    /** Every call the key makes on that day (whether or not the key existed all day: the caller cuts). */
    private List<Simulated> callsOn(KeyUsage key, LocalDate day) {
        long keySeed = seed(key.credentialId());
        long daySeed = mix(keySeed ^ day.toEpochDay() * 0x9E3779B97F4A7C15L);
        int weekday = day.getDayOfWeek().getValue();
        int base = 4 + (int) Math.floorMod(keySeed, 19L);
        int count = (int) Math.floorMod(daySeed, (long) base) + base / 2;
        if (weekday >= 6) {
            count /= 3;
        }
        Instant midnight = day.atStartOfDay().toInstant(ZoneOffset.UTC);
        List<Simulated> calls = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long h = mix(daySeed + i * 0xBF58476D1CE4E5B9L);
            long h2 = mix(h);
            long seconds = Math.floorMod(h, 100L) < 85 ? 7 * 3600 + Math.floorMod(h2, 11L * 3600)
                    : Math.floorMod(h2, 86400L);
            Instant time = midnight.plusSeconds(seconds).plusMillis(Math.floorMod(h >>> 20, 1000L));
            int roll = (int) Math.floorMod(h >>> 8, 1000L);
            String address = usualAddress(key, h2);
            String region = key.regions().get((int) Math.floorMod(h2 >>> 12, (long) key.regions().size()));
            String error = null;
            if (roll < 25 && !key.ranges().isEmpty()) {
                address = "198.51.100." + (1 + Math.floorMod(h2 >>> 24, 250L)); // outside every approved range
                error = ACCESS_DENIED;
            } else if (roll < 35 && key.restrictsRegions()) {
                region = OTHER_REGIONS.get((int) Math.floorMod(h2 >>> 30, (long) OTHER_REGIONS.size()));
                error = ACCESS_DENIED;
            } else if (roll < 42) {
                error = THROTTLED;
            }
            if (key.disabledAt() != null && !time.isBefore(key.disabledAt())) {
                if (i % 3 != 0) {
                    continue; // the caller retries less once refused
                }
                error = ACCESS_DENIED;
            }
            String agent = Math.floorMod(h2 >>> 40, 100L) < 4
                    ? ODD_AGENTS.get((int) Math.floorMod(h2 >>> 44, (long) ODD_AGENTS.size())) : usualAgent(key);
            String name = Math.floorMod(h >>> 36, 100L) < 15 ? "InvokeModelWithResponseStream" : "InvokeModel";
            String id = UUID.nameUUIDFromBytes((key.credentialId() + "/" + day + "/" + i)
                    .getBytes(StandardCharsets.UTF_8)).toString();
            TrailEvent event = new TrailEvent(id, time, name, BEDROCK_SOURCE, address, agent, region, error,
                    key.credentialId());
            String model = key.models().isEmpty() ? ModelPrices.FALLBACK_MODEL
                    : key.models().get((int) Math.floorMod(h2 >>> 50, (long) key.models().size()));
            Tokens tokens = tokens(id, model);
            calls.add(new Simulated(event, cost(id, model, error), model, tokens.input(), tokens.output()));
        }
        return calls;
    }

    /** What a call of a key without a known model costs (the fallback model's price; nothing when refused). */
    static BigDecimal usualCost(TrailEvent event) {
        return cost(event.eventId(), ModelPrices.FALLBACK_MODEL, event.errorCode());
    }

    /** What a call costs: its tokens at the model's estimated price ({@link ModelPrices}); nothing when refused. */
    static BigDecimal cost(String eventId, String model, String errorCode) {
        if (errorCode != null) {
            return BigDecimal.ZERO;
        }
        Tokens t = tokens(eventId, model);
        return ModelPrices.orFallback(model).cost(t.input(), t.output());
    }

    static Tokens tokens(String eventId, String model) {
        long h = mix(eventId.hashCode() * 0x9E3779B97F4A7C15L + 7);
        long input = 150 + Math.floorMod(h, 3851L);
        long output = ModelPrices.embeddings(model) ? 0 : 40 + Math.floorMod(h >>> 24, 1461L);
        return new Tokens(input, output);
    }

    /** Mostly one of a few addresses of the key's home range (the first approved range, else a documentation range). */
    private String usualAddress(KeyUsage key, long h) {
        long keySeed = seed(key.credentialId());
        int host = (int) Math.floorMod(Math.floorMod(h, 100L) < 80 ? keySeed : keySeed + Math.floorMod(h, 3L), 1L << 16);
        if (key.ranges().isEmpty()) {
            return "203.0.113." + (1 + Math.floorMod(host, 250));
        }
        String range = key.ranges().get((int) Math.floorMod(h >>> 4, (long) key.ranges().size()));
        return hostIn(range, host);
    }

    private String usualAgent(KeyUsage key) {
        return AGENTS.get((int) Math.floorMod(seed(key.credentialId()) >>> 7, (long) AGENTS.size()));
    }

    /** An address in the range: the network's address plus {@code host}, modulo the range's size. */
    static String hostIn(String cidr, int host) {
        int slash = cidr.indexOf('/');
        String network = slash < 0 ? cidr : cidr.substring(0, slash);
        if (!network.matches("[0-9a-fA-F:.]{2,45}")) {
            return network; // never a name: InetAddress would look it up
        }
        try {
            byte[] raw = InetAddress.getByName(network).getAddress();
            int bits = slash < 0 ? raw.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
            int free = Math.min(raw.length * 8 - bits, 16);
            if (free <= 1) {
                return InetAddress.getByAddress(raw).getHostAddress();
            }
            BigInteger size = BigInteger.ONE.shiftLeft(free);
            // skip the network's own address and (IPv4) its broadcast
            BigInteger offset = BigInteger.valueOf(1 + Math.floorMod(host, size.longValue() - 2));
            BigInteger mask = BigInteger.ONE.shiftLeft(raw.length * 8 - bits).subtract(BigInteger.ONE).not();
            BigInteger address = new BigInteger(1, raw).and(mask).add(offset);
            byte[] bytes = address.toByteArray();
            byte[] out = new byte[raw.length];
            int copy = Math.min(bytes.length, out.length);
            System.arraycopy(bytes, bytes.length - copy, out, out.length - copy, copy);
            return InetAddress.getByAddress(out).getHostAddress();
        } catch (UnknownHostException | NumberFormatException e) {
            return network;
        }
    }

    // --- helpers

    private Optional<KeyUsage> findKey(String credentialId) {
        return jdbc.sql("select * from sandbox_key_usage where credential_id = :id").param("id", credentialId)
                .query((rs, i) -> keyUsage(rs)).optional();
    }

    private KeyUsage keyUsage(java.sql.ResultSet rs) throws java.sql.SQLException {
        String ranges = rs.getString("source_ranges");
        String regions = rs.getString("regions");
        String models = rs.getString("models");
        return new KeyUsage(rs.getString("credential_id"), rs.getString("user_name"),
                instant(rs, "created_at"), instant(rs, "expires_at"), instant(rs, "disabled_at"),
                instant(rs, "deleted_at"), ranges == null ? List.of() : List.of(ranges.split(",")),
                regions == null ? List.of(properties.region()) : List.of(regions.split(",")), regions != null,
                rs.getString("business_unit"), rs.getString("application"),
                models == null ? List.of() : List.of(models.split(",")));
    }

    private static TrailEvent event(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new TrailEvent(rs.getString("event_id"), instant(rs, "event_time"), rs.getString("event_name"),
                rs.getString("event_source"), rs.getString("source_ip"), rs.getString("user_agent"),
                rs.getString("region"), rs.getString("error_code"), rs.getString("credential_id"));
    }

    private void insert(String userName, TrailEvent e, BigDecimal cost) {
        jdbc.sql("""
                insert into sandbox_trail_event (event_id, user_name, event_time, event_name, event_source, source_ip,
                    user_agent, region, error_code, credential_id, cost_usd)
                values (:id, :u, :t, :name, :source, :ip, :agent, :region, :error, :credential, :cost)""")
                .param("id", e.eventId()).param("u", userName).param("t", utc(e.time())).param("name", e.eventName())
                .param("source", e.eventSource()).param("ip", e.sourceIp()).param("agent", e.userAgent())
                .param("region", e.region()).param("error", e.errorCode()).param("credential", e.credentialId())
                .param("cost", cost).update();
    }

    /** The values of a condition key in the policy's statements (any operator), in order. */
    private static void conditionValues(String policyJson, String key, Set<String> into) {
        try {
            for (JsonNode statement : JSON.readTree(policyJson).path("Statement")) {
                for (JsonNode operator : statement.path("Condition")) {
                    JsonNode values = operator.path(key);
                    if (values.isArray()) {
                        values.forEach(v -> into.add(v.asText()));
                    } else if (values.isTextual()) {
                        into.add(values.asText());
                    }
                }
            }
        } catch (JsonProcessingException e) {
            // a policy that is not JSON restricts nothing the simulation could read
        }
    }

    private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    private static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** A key's seed: its id mixed with {@code portal.sandbox.seed} (0 leaves it as it always was). */
    private long seed(String text) {
        return mix(text.hashCode() * 0x9E3779B97F4A7C15L + text.length()) ^ seed;
    }

    /** The model ids of the policy's Bedrock resources (foundation models and inference profiles), in order. */
    private static void modelsOf(String policyJson, Set<String> into) {
        try {
            for (JsonNode statement : JSON.readTree(policyJson).path("Statement")) {
                JsonNode resources = statement.path("Resource");
                for (JsonNode r : resources.isArray() ? resources : JSON.createArrayNode().add(resources)) {
                    String arn = r.asText();
                    int slash = arn.lastIndexOf('/');
                    if (arn.startsWith("arn:aws:bedrock:") && slash > 0 && (arn.contains(":foundation-model/")
                            || arn.contains(":inference-profile/"))) {
                        into.add(arn.substring(slash + 1));
                    }
                }
            }
        } catch (JsonProcessingException e) {
            // a policy that is not JSON names no model the simulation could read
        }
    }


    /** SplitMix64's finaliser: a well-spread, repeatable hash (not a secure random source, and not meant as one). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
