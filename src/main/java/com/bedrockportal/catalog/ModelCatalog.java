package com.bedrockportal.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.shared.TransactionReads;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** The models requesters may choose from. Admins enable and disable entries and refresh the list from AWS. */
@Service
public class ModelCatalog {

    /** What a refresh changed. */
    public record RefreshResult(int added, int updated, int offered) {
    }

    private static final String READS = "model-catalog";

    private final JdbcClient jdbc;
    private final FoundationModelSource source;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final Clock clock;
    private final TransactionTemplate transactions;

    ModelCatalog(JdbcClient jdbc, FoundationModelSource source, AuditLog audit, CurrentUser currentUser, Clock clock,
            TransactionTemplate transactions) {
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.source = source;
        this.audit = audit;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    @PermitAll
    @Transactional(readOnly = true)
    public List<CatalogModel> all() {
        // Read once per transaction: policy, lint, risks and messages of one step each ask for the catalog.
        return TransactionReads.get(READS, "all", () -> List.copyOf(jdbc.sql(
                "select * from model_catalog order by provider, display_name").query(ModelCatalog::map).list()));
    }

    @PermitAll
    @Transactional(readOnly = true)
    public List<CatalogModel> enabled() {
        return all().stream().filter(CatalogModel::enabled).toList();
    }

    /** The whole catalog by model id. */
    @PermitAll
    @Transactional(readOnly = true)
    public Map<String, CatalogModel> byId() {
        Map<String, CatalogModel> byId = new LinkedHashMap<>();
        all().forEach(m -> byId.put(m.modelId(), m));
        return byId;
    }

    /** The catalog entries for these model ids, in the given order; unknown ids are left out. */
    @PermitAll
    @Transactional(readOnly = true)
    public List<CatalogModel> find(Collection<String> modelIds) {
        Map<String, CatalogModel> byId = byId();
        return modelIds.stream().map(byId::get).filter(m -> m != null).toList();
    }

    /**
     * The names people read for these model ids ("Claude Haiku 4.5, Nova Micro"), in the given order; an id the
     * catalog does not know stays as it is.
     */
    @PermitAll
    @Transactional(readOnly = true)
    public String names(Collection<String> modelIds) {
        return names(byId(), modelIds);
    }

    /** As {@link #names(Collection)}, from a catalog read once (a list naming the models of many rows). */
    public static String names(Map<String, CatalogModel> byId, Collection<String> modelIds) {
        return String.join(", ", modelIds.stream()
                .map(id -> byId.containsKey(id) ? byId.get(id).displayName() : id.strip()).toList());
    }

    @PermitAll
    @Transactional(readOnly = true)
    public Optional<CatalogModel> find(String modelId) {
        return find(List.of(modelId)).stream().findFirst();
    }

    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional
    public void setEnabled(long id, boolean enabled) {
        CatalogModel model = jdbc.sql("select * from model_catalog where id = :id").param("id", id)
                .query(ModelCatalog::map).single();
        jdbc.sql("update model_catalog set enabled = :e, updated_at = :now where id = :id").param("e", enabled)
                .param("now", now()).param("id", id).update();
        TransactionReads.forget(READS);
        audit.record(currentUser.usernameOrAnonymous(), enabled ? "MODEL_ENABLED" : "MODEL_DISABLED",
                "model:" + model.modelId(), model.displayName());
    }

    /**
     * Reads the foundation models the account offers in these regions. New models are added disabled (an admin
     * decides what requesters may pick); known ones get the regions they are offered in. Bedrock is asked before the
     * transaction that writes begins: until 6 December the admin's page held a database connection for as long as
     * Bedrock took to answer, one call per region.
     */
    @RolesAllowed(PortalRole.ADMIN_ROLE)
    public RefreshResult refresh(List<String> regions) {
        List<FoundationModelSource.OfferedModel> offered = source.listFoundationModels(regions);
        return transactions.execute(status -> record(regions, offered));
    }

    private RefreshResult record(List<String> regions, List<FoundationModelSource.OfferedModel> offered) {
        Map<String, Set<String>> regionsById = new LinkedHashMap<>();
        Map<String, FoundationModelSource.OfferedModel> firstById = new LinkedHashMap<>();
        for (FoundationModelSource.OfferedModel m : offered) {
            regionsById.computeIfAbsent(m.modelId(), k -> new TreeSet<>()).add(m.region());
            firstById.putIfAbsent(m.modelId(), m);
        }
        int added = 0;
        int updated = 0;
        Map<String, CatalogModel> catalog = byId(); // read once, not once per offered model
        for (Map.Entry<String, Set<String>> e : regionsById.entrySet()) {
            Optional<CatalogModel> known = Optional.ofNullable(catalog.get(e.getKey()));
            if (known.isEmpty()) {
                FoundationModelSource.OfferedModel m = firstById.get(e.getKey());
                jdbc.sql("""
                        insert into model_catalog (model_id, provider, display_name, kind, foundation_model_id,
                                                   arn_pattern, regions, enabled, updated_at)
                        values (:id, :provider, :name, 'FOUNDATION_MODEL', null, :arn, :regions, false, :now)""")
                        .param("id", m.modelId()).param("provider", m.provider()).param("name", m.name())
                        .param("arn", "arn:aws:bedrock:{region}::foundation-model/" + m.modelId())
                        .param("regions", String.join(",", e.getValue())).param("now", now()).update();
                added++;
            } else if (known.get().kind() == CatalogModel.Kind.FOUNDATION_MODEL) {
                Set<String> merged = new TreeSet<>(known.get().regions());
                merged.addAll(e.getValue());
                if (!merged.equals(new TreeSet<>(known.get().regions()))) {
                    jdbc.sql("update model_catalog set regions = :r, updated_at = :now where id = :id")
                            .param("r", String.join(",", merged)).param("now", now()).param("id", known.get().id())
                            .update();
                    updated++;
                }
            }
        }
        TransactionReads.forget(READS);
        audit.record(currentUser.usernameOrAnonymous(), "CATALOG_REFRESHED", "model-catalog",
                "regions " + regions + ": " + offered.size() + " offered, " + added + " added, " + updated + " updated");
        return new RefreshResult(added, updated, regionsById.size());
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    private static CatalogModel map(ResultSet rs, int i) throws SQLException {
        return new CatalogModel(rs.getLong("id"), rs.getString("model_id"), rs.getString("provider"),
                rs.getString("display_name"), CatalogModel.Kind.valueOf(rs.getString("kind")),
                rs.getString("foundation_model_id"), rs.getString("arn_pattern"),
                List.copyOf(new LinkedHashSet<>(Arrays.asList(rs.getString("regions").split(",")))),
                rs.getBoolean("enabled"), rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
