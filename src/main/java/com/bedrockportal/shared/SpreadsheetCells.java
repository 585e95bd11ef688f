package com.bedrockportal.shared;

/**
 * CSV exports opened in a spreadsheet: a cell that starts like a formula ({@code = + - @}, a tab or a carriage return)
 * gets a leading apostrophe, so text people typed (an application's name, a comment) is never run as one (OWASP's
 * "CSV injection").
 */
public final class SpreadsheetCells {

    private SpreadsheetCells() {
    }

    public static String defuse(String value) {
        return value != null && !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    }
}
