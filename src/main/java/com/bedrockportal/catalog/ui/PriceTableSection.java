package com.bedrockportal.catalog.ui;

import java.math.BigDecimal;

import com.bedrockportal.catalog.ModelPriceTable;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.ui.FormErrors;
import com.bedrockportal.shared.ui.ResponsiveGrid;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.textfield.BigDecimalField;

/** The model catalog page's price table: admins edit a model's prices per 1,000 tokens (issue 14, cost estimate). */
final class PriceTableSection extends Div {

    private final transient ModelPriceTable prices;
    private final Grid<ModelPriceTable.Row> grid = new Grid<>();

    PriceTableSection(ModelPriceTable prices) {
        this.prices = prices;
        setId("price-table");
        setWidthFull();
        grid.setId("price-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.setAllRowsVisible(true);
        grid.addColumn(ModelPriceTable.Row::modelId).setHeader(getTranslation("price.model")).setAutoWidth(true)
                .setFlexGrow(1);
        grid.addColumn(r -> "$" + r.inputPer1k().toPlainString()).setHeader(getTranslation("price.input"))
                .setAutoWidth(true);
        grid.addColumn(r -> "$" + r.outputPer1k().toPlainString()).setHeader(getTranslation("price.output"))
                .setAutoWidth(true);
        grid.addColumn(r -> r.checkedOn().toString()).setHeader(getTranslation("price.checked")).setAutoWidth(true);
        grid.addColumn(r -> r.updatedBy() == null ? getTranslation("price.seed") : r.updatedBy())
                .setHeader(getTranslation("price.updatedBy")).setAutoWidth(true);
        grid.addComponentColumn(this::editButton).setHeader(getTranslation("grid.actions")).setAutoWidth(true)
                .setFlexGrow(0);
        ResponsiveGrid.cards(grid, getTranslation("price.title"), r -> ResponsiveGrid.card(
                new Span(new Span(r.modelId()), editButton(r)),
                ResponsiveGrid.line(getTranslation("price.input") + " $" + r.inputPer1k().toPlainString(),
                        getTranslation("price.output") + " $" + r.outputPer1k().toPlainString()),
                ResponsiveGrid.line(getTranslation("price.checked") + " " + r.checkedOn(),
                        r.updatedBy() == null ? getTranslation("price.seed") : r.updatedBy())));
        add(new H3(getTranslation("price.title")), new Paragraph(getTranslation("price.text")), grid);
        refresh();
    }

    private Button editButton(ModelPriceTable.Row r) {
        Button edit = new Button(getTranslation("price.edit"), e -> edit(r));
        edit.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        edit.getElement().setAttribute("data-model", r.modelId());
        edit.setAriaLabel(getTranslation("price.edit.title", r.modelId()));
        return edit;
    }

    private void edit(ModelPriceTable.Row row) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(getTranslation("price.edit.title", row.modelId()));
        dialog.setId("price-dialog");
        BigDecimalField input = field("price.input", "price-input", row.inputPer1k());
        BigDecimalField output = field("price.output", "price-output", row.outputPer1k());
        FormErrors errors = new FormErrors().field("inputPer1k", input).field("outputPer1k", output);
        Paragraph formError = new Paragraph(errors.formLine());
        formError.setId("price-form-error");
        Button save = new Button(getTranslation("price.save"), e -> {
            errors.clear();
            try {
                prices.update(row.modelId(), input.getValue(), output.getValue());
                dialog.close();
                refresh();
                Notification.show(getTranslation("price.saved", row.modelId()), 4000,
                        Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
            } catch (FieldErrors refused) {
                errors.show(refused, null);
            }
        });
        save.setId("price-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button cancel = new Button(getTranslation("price.cancel"), e -> dialog.close());
        dialog.add(new Div(input, output, formError));
        dialog.getFooter().add(cancel, save);
        dialog.open();
    }

    private BigDecimalField field(String label, String id, BigDecimal value) {
        BigDecimalField f = new BigDecimalField(getTranslation(label));
        f.setId(id);
        f.setPrefixComponent(new Span("$"));
        f.setValue(value);
        f.setWidthFull();
        return f;
    }

    private void refresh() {
        grid.setItems(prices.all());
    }
}
