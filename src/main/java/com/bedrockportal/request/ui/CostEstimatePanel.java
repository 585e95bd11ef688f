package com.bedrockportal.request.ui;

import java.math.BigDecimal;
import java.text.NumberFormat;

import com.bedrockportal.catalog.CostEstimate;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;

/**
 * The estimated monthly cost per model, the total and the budget beside it, with a warning when the budget is below
 * the estimate or far above it. On the request form (live) and on the approval page.
 */
public final class CostEstimatePanel extends Div {

    private final Div lines = new Div();
    private final Paragraph total = new Paragraph();
    private final Paragraph warning = new Paragraph();

    public CostEstimatePanel(String id) {
        setId(id);
        addClassName("portal-card");
        addClassName("cost-estimate");
        total.addClassName("cost-total");
        warning.addClassName("cost-warning");
        warning.setId(id + "-warning");
        add(new H3(getTranslation("cost.title")), lines, total, warning);
    }

    public void show(CostEstimate.Estimate estimate) {
        lines.removeAll();
        for (CostEstimate.Line line : estimate.lines()) {
            String name = line.model().displayName();
            Div row = new Div(line.price() == null ? getTranslation("cost.line.noPrice", name)
                    : line.monthlyCost() == null ? getTranslation("cost.line.noVolume", name,
                            rate(line.price().inputPer1k()), rate(line.price().outputPer1k()),
                            line.price().checkedOn().toString())
                    : getTranslation("cost.line", name, money(line.monthlyCost()), rate(line.price().inputPer1k()),
                            rate(line.price().outputPer1k()), line.price().checkedOn().toString()));
            row.addClassName("cost-line");
            row.getElement().setAttribute("data-model", line.model().modelId());
            lines.add(row);
        }
        String budget = estimate.budget() == null ? "–" : money(estimate.budget());
        total.setText(estimate.total() == null ? getTranslation("cost.total.none", budget)
                : getTranslation("cost.total", money(estimate.total()), budget));
        warning.getElement().setAttribute("data-check", estimate.check().name());
        switch (estimate.check()) {
            case BELOW -> warning.setText(getTranslation("cost.warning.below", budget, money(estimate.total())));
            case FAR_ABOVE -> warning.setText(getTranslation("cost.warning.farAbove", budget,
                    money(estimate.total())));
            default -> warning.setText("");
        }
        warning.setVisible(!warning.getText().isEmpty());
    }

    private String money(BigDecimal amount) {
        NumberFormat f = NumberFormat.getNumberInstance(getLocale());
        f.setMinimumFractionDigits(2);
        f.setMaximumFractionDigits(2);
        return "$" + f.format(amount);
    }

    private String rate(BigDecimal perThousand) {
        return "$" + perThousand.stripTrailingZeros().toPlainString();
    }
}
