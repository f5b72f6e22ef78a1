package dev.strata.trust.key;

import java.io.Console;
import java.util.Arrays;
import java.util.Map;

/**
 * Where a key password comes from: {@code STRATA_PASSWORD}, then {@code COSIGN_PASSWORD} (so
 * scripts written for cosign work unchanged; an empty value is an empty password), then a prompt on
 * the terminal. Without either variable and without a terminal it fails rather than wait.
 */
@FunctionalInterface
public interface PasswordSource {
  /** The password; {@code confirm} asks twice on a terminal (for a new key). */
  char[] password(String prompt, boolean confirm) throws KeyFileException;

  /** The process environment and console. */
  static PasswordSource fromEnvironment() {
    return fromEnvironment(System.getenv(), System.console());
  }

  /** {@code env} and {@code console} (which may be null: no terminal). */
  static PasswordSource fromEnvironment(Map<String, String> env, Console console) {
    return (prompt, confirm) -> {
      for (String name : new String[] {"STRATA_PASSWORD", "COSIGN_PASSWORD"}) {
        String value = env.get(name);
        if (value != null) {
          return value.toCharArray();
        }
      }
      if (console == null) {
        throw new KeyFileException(
            "a key password is needed and there is no terminal to ask: set STRATA_PASSWORD (or"
                + " COSIGN_PASSWORD; empty means no password)");
      }
      char[] first = console.readPassword("%s", prompt);
      if (first == null) {
        throw new KeyFileException("no password entered");
      }
      if (confirm) {
        char[] second = console.readPassword("Enter password for private key again: ");
        boolean same = second != null && Arrays.equals(first, second);
        if (second != null) {
          Arrays.fill(second, '\0');
        }
        if (!same) {
          Arrays.fill(first, '\0');
          throw new KeyFileException("the passwords do not match");
        }
      }
      return first;
    };
  }
}
