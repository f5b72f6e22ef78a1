package dev.strata.dsl.shell;

import java.util.Map;
import java.util.Optional;

/**
 * Variables visible to expansion. An absent value means unset; {@code ""} means set but empty, a
 * difference the {@code ${v-w}}/{@code ${v:-w}} family of modifiers depends on.
 */
@FunctionalInterface
public interface ShellEnv {

  /** The value of {@code name}: empty when unset, {@code ""} when set but empty. */
  Optional<String> get(String name);

  /** A fixed copy of {@code vars}, names compared case-sensitively as on Unix; no nulls. */
  static ShellEnv of(Map<String, String> vars) {
    // Copied so that a caller's later changes cannot alter an expansion in flight.
    Map<String, String> copy = Map.copyOf(vars);
    return name -> Optional.ofNullable(copy.get(name));
  }

  /** No variables at all: every name is unset. */
  static ShellEnv empty() {
    return name -> Optional.empty();
  }
}
