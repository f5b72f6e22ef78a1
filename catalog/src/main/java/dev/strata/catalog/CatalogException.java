package dev.strata.catalog;

/**
 * A catalog failure a user can act on: the database cannot be opened or migrated, a reference
 * matches no build or several, a query is malformed. The message says what and what to do.
 */
public class CatalogException extends Exception {
  private final boolean usage;

  private CatalogException(String message, Throwable cause, boolean usage) {
    super(message, cause);
    this.usage = usage;
  }

  /** The database failed (cannot open, locked too long, corrupt). */
  public static CatalogException storage(String message, Throwable cause) {
    return new CatalogException(message, cause, false);
  }

  /** The user's input names nothing or is malformed. */
  public static CatalogException input(String message) {
    return new CatalogException(message, null, true);
  }

  /** True when the user's input was at fault (exit code 2), false for a storage failure. */
  public boolean isInputError() {
    return usage;
  }
}
