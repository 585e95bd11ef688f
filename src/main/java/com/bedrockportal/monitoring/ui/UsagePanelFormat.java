package com.bedrockportal.monitoring.ui;

import java.math.BigDecimal;
import java.util.Locale;

/** How the usage card writes amounts: US dollars, two decimals ("$1,234.50"), as AWS's consoles do. */
public final class UsagePanelFormat {

    private UsagePanelFormat() {
    }

    public static String money(BigDecimal amount) {
        return String.format(Locale.ROOT, "$%,.2f", amount);
    }
}
