package dev.strata.dsl.syntax;

import com.google.common.collect.ImmutableList;
import dev.strata.dsl.ContainerfileException;
import dev.strata.dsl.GoText;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code # check=skip=<rules|all>;error=<bool>;experimental=<rules|all>} directive that
 * configures BuildKit's build checks, parsed with BuildKit's rules and errors.
 */
public record CheckDirective(
    List<String> skip,
    boolean skipAll,
    boolean error,
    List<String> experimental,
    boolean experimentalAll) {

  public CheckDirective {
    skip = ImmutableList.copyOf(skip);
    experimental = ImmutableList.copyOf(experimental);
  }

  /** Checks as BuildKit runs them when the file has no {@code check} directive. */
  public static CheckDirective defaults() {
    return new CheckDirective(List.of(), false, false, List.of(), false);
  }

  /** Parses the directive's value; errors use BuildKit's wording. */
  public static CheckDirective parse(String value) {
    String text = GoText.trimSpace(value);
    if (text.isEmpty()) {
      return defaults();
    }
    List<String> skip = List.of();
    List<String> experimental = List.of();
    boolean skipAll = false;
    boolean experimentalAll = false;
    boolean error = false;
    for (String part : text.split(";", 3)) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new ContainerfileException("invalid check option " + GoText.quote(part));
      }
      String key = GoText.trimSpace(part.substring(0, eq));
      String v = GoText.trimSpace(part.substring(eq + 1));
      switch (key) {
        case "skip" -> {
          if (v.equals("all")) {
            skipAll = true;
          } else {
            skip = rules(v);
          }
        }
        case "experimental" -> {
          if (v.equals("all")) {
            experimentalAll = true;
          } else {
            experimental = rules(v);
          }
        }
        case "error" -> error = parseBool(v, part);
        default -> throw new ContainerfileException("invalid check option " + GoText.quote(key));
      }
    }
    return new CheckDirective(skip, skipAll, error, experimental, experimentalAll);
  }

  /** Whether the rule named {@code rule} is reported. */
  public boolean enabled(String rule) {
    return !skipAll && !skip.contains(rule);
  }

  private static List<String> rules(String list) {
    List<String> rules = new ArrayList<>();
    for (String rule : list.split(",", -1)) {
      rules.add(GoText.trimSpace(rule));
    }
    return rules;
  }

  /** Go's {@code strconv.ParseBool}. */
  private static boolean parseBool(String v, String part) {
    return switch (v) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default ->
          throw new ContainerfileException(
              "failed to parse check option "
                  + GoText.quote(part)
                  + ": strconv.ParseBool: parsing "
                  + GoText.quote(v)
                  + ": invalid syntax");
    };
  }
}
