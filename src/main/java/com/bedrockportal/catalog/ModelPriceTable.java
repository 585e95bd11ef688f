package com.bedrockportal.catalog;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The price table the cost estimate works from: per foundation model, the on-demand price per 1,000 input and output
 * tokens (USD) and the day someone last checked it against AWS's pricing page. Seeded with {@link ModelPrices}' values
 * (the sandbox keeps pricing its simulated calls with those seeds, so demo spend stays stable); admins keep the table
 * current, each edit audited. An inference profile is priced as its foundation model.
 */
@Service
public class ModelPriceTable {

    /** One row: what a model costs, when it was checked, and by whom it was last edited (null: the seed). */
    public record Row(String modelId, BigDecimal inputPer1k, BigDecimal outputPer1k, LocalDate checkedOn,
            String updatedBy) {

        public ModelPrices.Price price() {
            return new ModelPrices.Price(inputPer1k, outputPer1k);
        }
    }

    /** Audit action of a price edit. */
    public static final String AUDIT_PRICE_CHANGED = "MODEL_PRICE_CHANGED";
    /** Highest price per 1,000 tokens accepted: far above any Bedrock model's, it catches a misplaced decimal point. */
    public static final BigDecimal MAX_PER_1K = new BigDecimal("10");
    /** Decimal places stored (the column's scale). */
    public static final int SCALE = 6;

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final Clock clock;
    private final FormValidation texts;

    ModelPriceTable(JdbcClient jdbc, AuditLog audit, CurrentUser currentUser, Clock clock, FormValidation texts) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.currentUser = currentUser;
        this.clock = clock;
        this.texts = texts;
    }

    @PermitAll
    @Transactional(readOnly = true)
    public List<Row> all() {
        return jdbc.sql("select * from model_price order by model_id").query(ModelPriceTable::map).list();
    }

    /** The prices of these catalog models, by catalog model id (models without a price are left out). */
    @PermitAll
    @Transactional(readOnly = true)
    public Map<String, Row> pricesOf(Collection<CatalogModel> models) {
        Map<String, Row> byFoundation = new LinkedHashMap<>();
        all().forEach(r -> byFoundation.put(r.modelId(), r));
        Map<String, Row> out = new LinkedHashMap<>();
        for (CatalogModel m : models) {
            Row row = byFoundation.get(foundationId(m));
            if (row != null) {
                out.put(m.modelId(), row);
            }
        }
        return out;
    }

    /** The foundation model a catalog entry is priced as. */
    public static String foundationId(CatalogModel m) {
        return m.kind() == CatalogModel.Kind.INFERENCE_PROFILE && m.foundationModelId() != null
                ? m.foundationModelId() : m.modelId();
    }

    /**
     * An admin sets a model's prices per 1,000 tokens; the date checked becomes today. Refused with field messages
     * (prices 0 to {@link #MAX_PER_1K}, at most six decimals; a model the table knows) before anything changes.
     */
    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional
    public Row update(String modelId, BigDecimal inputPer1k, BigDecimal outputPer1k) {
        FieldErrors.Collector errors = new FieldErrors.Collector();
        check("inputPer1k", inputPer1k, errors);
        check("outputPer1k", outputPer1k, errors);
        Optional<Row> before = modelId == null || modelId.length() > 200 ? Optional.empty()
                : jdbc.sql("select * from model_price where model_id = :m").param("m", modelId)
                        .query(ModelPriceTable::map).optional();
        if (before.isEmpty()) {
            errors.add("form", texts.text("price.unknownModel"));
        }
        errors.throwIfAny();
        String user = currentUser.usernameOrAnonymous();
        jdbc.sql("""
                update model_price set input_per_1k = :in, output_per_1k = :out, checked_on = :day,
                    updated_by = :user, updated_at = :now where model_id = :m""")
                .param("in", inputPer1k).param("out", outputPer1k).param("day", LocalDate.now(clock))
                .param("user", user).param("now", clock.instant().atOffset(ZoneOffset.UTC)).param("m", modelId)
                .update();
        audit.record(user, AUDIT_PRICE_CHANGED, "model:" + modelId, "input-per-1k="
                + before.get().inputPer1k().stripTrailingZeros().toPlainString() + "->" + inputPer1k.toPlainString()
                + "; output-per-1k=" + before.get().outputPer1k().stripTrailingZeros().toPlainString() + "->"
                + outputPer1k.toPlainString());
        return jdbc.sql("select * from model_price where model_id = :m").param("m", modelId)
                .query(ModelPriceTable::map).single();
    }

    private void check(String field, BigDecimal value, FieldErrors.Collector errors) {
        if (value == null) {
            errors.add(field, texts.text("price.required"));
        } else if (value.signum() < 0 || value.compareTo(MAX_PER_1K) > 0) {
            errors.add(field, texts.text("price.range", MAX_PER_1K.toPlainString()));
        } else if (value.stripTrailingZeros().scale() > SCALE) {
            errors.add(field, texts.text("price.decimals", SCALE));
        }
    }

    private static Row map(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getString("model_id"), rs.getBigDecimal("input_per_1k").stripTrailingZeros(),
                rs.getBigDecimal("output_per_1k").stripTrailingZeros(), rs.getObject("checked_on", LocalDate.class),
                rs.getString("updated_by"));
    }
}
