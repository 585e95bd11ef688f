package com.bedrockportal.lifecycle;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The case export's CSV cells: quoted where RFC 4180 needs it, and never a formula a spreadsheet would run. */
class CompromiseExportTest {

    @Test
    void cellsWithSeparatorsOrQuotesAreQuoted() {
        assertThat(CompromiseExport.cell("plain")).isEqualTo("plain");
        assertThat(CompromiseExport.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(CompromiseExport.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CompromiseExport.cell("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(CompromiseExport.cell(null)).isEmpty();
    }

    @Test
    void aCellThatWouldRunAsAFormulaIsDefused() {
        assertThat(CompromiseExport.cell("=HYPERLINK(\"http://evil\")")).startsWith("\"'=HYPERLINK");
        assertThat(CompromiseExport.cell("+1")).isEqualTo("'+1");
        assertThat(CompromiseExport.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    }
}
